import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The elementwise ops added with the torch reference table (Support/TorchUnaryReference.swift):
/// reciprocal, rsqrt, sign, erf, erfc, the inverse trigonometric and hyperbolic functions,
/// log2, log10, exp2 and the activations hardtanh, relu6, selu, celu, mish, softsign,
/// logsigmoid, hardsigmoid, hardswish.
enum NewUnaryOp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case reciprocal, rsqrt, sign, erf, erfc, asin, acos, atan, sinh, cosh, asinh, acosh, atanh
    case log2, log10, exp2, hardtanh, relu6, selu, celu, mish, softsign, logSigmoid, hardswish

    var testDescription: String { rawValue }

    func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .reciprocal: Autograd.reciprocal(x)
        case .rsqrt: Autograd.rsqrt(x)
        case .sign: Autograd.sign(x)
        case .erf: Autograd.erf(x)
        case .erfc: Autograd.erfc(x)
        case .asin: Autograd.asin(x)
        case .acos: Autograd.acos(x)
        case .atan: Autograd.atan(x)
        case .sinh: Autograd.sinh(x)
        case .cosh: Autograd.cosh(x)
        case .asinh: Autograd.asinh(x)
        case .acosh: Autograd.acosh(x)
        case .atanh: Autograd.atanh(x)
        case .log2: Autograd.log2(x)
        case .log10: Autograd.log10(x)
        case .exp2: Autograd.exp2(x)
        case .hardtanh: try! Autograd.hardtanh(x)
        case .relu6: Autograd.relu6(x)
        case .selu: Autograd.selu(x)
        case .celu: try! Autograd.celu(x, alpha: 2)
        case .mish: Autograd.mish(x)
        case .softsign: Autograd.softsign(x)
        case .logSigmoid: Autograd.logSigmoid(x)
        case .hardswish: Autograd.hardswish(x)
        }
    }

    /// An independent value, by the C library or the definition: the checks of the
    /// forward pass that do not rest on torch's numbers.
    func reference(_ x: Double) -> Double {
        switch self {
        case .reciprocal: 1 / x
        case .rsqrt: 1 / Glibc.sqrt(x)
        case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .erf: Glibc.erf(x)
        case .erfc: Glibc.erfc(x)
        case .asin: Glibc.asin(x)
        case .acos: Glibc.acos(x)
        case .atan: Glibc.atan(x)
        case .sinh: Glibc.sinh(x)
        case .cosh: Glibc.cosh(x)
        case .asinh: Glibc.asinh(x)
        case .acosh: Glibc.acosh(x)
        case .atanh: Glibc.atanh(x)
        case .log2: Glibc.log2(x)
        case .log10: Glibc.log10(x)
        case .exp2: Glibc.exp2(x)
        case .hardtanh: Swift.min(Swift.max(x, -1), 1)
        case .relu6: Swift.min(Swift.max(x, 0), 6)
        case .selu: x > 0 ? 1.0507009873554804934 * x : 1.0507009873554804934 * 1.6732632423543772848 * Glibc.expm1(x)
        case .celu: x > 0 ? x : 2 * Glibc.expm1(x / 2)
        case .mish: x * Glibc.tanh(Glibc.log1p(Glibc.exp(x)))
        case .softsign: x / (1 + Swift.abs(x))
        case .logSigmoid: -Glibc.log1p(Glibc.exp(-x))
        case .hardswish: x * Swift.min(Swift.max(x + 3, 0), 6) / 6
        }
    }

    /// f'(x) by calculus, away from kinks.
    func derivative(_ x: Double) -> Double {
        switch self {
        case .reciprocal: return -1 / (x * x)
        case .rsqrt: return -0.5 / (x * Glibc.sqrt(x))
        case .sign: return 0
        case .erf: return 2 / Double.pi.squareRoot() * Glibc.exp(-x * x)
        case .erfc: return -2 / Double.pi.squareRoot() * Glibc.exp(-x * x)
        case .asin: return 1 / Glibc.sqrt(1 - x * x)
        case .acos: return -1 / Glibc.sqrt(1 - x * x)
        case .atan: return 1 / (1 + x * x)
        case .sinh: return Glibc.cosh(x)
        case .cosh: return Glibc.sinh(x)
        case .asinh: return 1 / Glibc.sqrt(x * x + 1)
        case .acosh: return 1 / Glibc.sqrt(x * x - 1)
        case .atanh: return 1 / (1 - x * x)
        case .log2: return 1 / (x * Glibc.log(2))
        case .log10: return 1 / (x * Glibc.log(10))
        case .exp2: return Glibc.exp2(x) * Glibc.log(2)
        case .hardtanh: return Swift.abs(x) < 1 ? 1 : 0
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .selu: return x > 0 ? 1.0507009873554804934 : 1.0507009873554804934 * 1.6732632423543772848 * Glibc.exp(x)
        case .celu: return x > 0 ? 1 : Glibc.exp(x / 2)
        case .mish:
            let sp = Glibc.log1p(Glibc.exp(x)), t = Glibc.tanh(sp), s = 1 / (1 + Glibc.exp(-x))
            return t + x * (1 - t * t) * s
        case .softsign: return 1 / ((1 + Swift.abs(x)) * (1 + Swift.abs(x)))
        case .logSigmoid: return 1 / (1 + Glibc.exp(x))
        case .hardswish: return x < -3 ? 0 : (x > 3 ? 1 : x / 3 + 0.5)
        }
    }

    /// Random inputs inside the op's domain, away from kinks and poles.
    func sample(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
        switch self {
        case .reciprocal, .hardtanh, .celu, .selu, .softsign: rng.tensor(shape, magnitude: 0.2...1.8)
        case .rsqrt, .log2, .log10: rng.tensor(shape, in: 0.2...3)
        case .asin, .acos, .atanh: rng.tensor(shape, in: -0.8...0.8)
        case .acosh: rng.tensor(shape, in: 1.2...4)
        case .relu6: rng.tensor(shape, in: 0.3...5.7)
        case .hardswish: rng.tensor(shape, magnitude: 0.2...2.8)
        default: rng.tensor(shape, in: -2.5...2.5)
        }
    }

    /// Whether the op is smooth on its sample domain with a nonzero second derivative
    /// (the piecewise-linear ones have second derivative 0, checked by the torch table).
    var hasCurvature: Bool {
        switch self {
        case .sign, .hardtanh, .relu6: false
        default: true
        }
    }
}

/// `actual` equals `expected`: both NaN, or the same infinity, or within `rtol` relatively
/// (and `atol` absolutely, for values that cancel to about 0).
private func expectMatch(_ actual: Double, _ expected: Double, rtol: Double = 1e-13, atol: Double = 1e-300,
                         _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if expected.isNaN {
        #expect(actual.isNaN, "\(what): got \(actual), expected NaN", sourceLocation: sourceLocation)
    } else if expected.isInfinite {
        #expect(actual == expected, "\(what): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
    } else {
        #expect(Swift.abs(actual - expected) <= rtol * Swift.abs(expected) + atol,
                "\(what): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }
}

@Suite("New elementwise ops: values, gradients and edges against torch")
struct TorchElementwiseReferenceTests {
    /// Values, first and second derivatives at the table's points, edges included (0, ±∞,
    /// NaN, the ends of the domain, the kinks), against torch 2.15's.
    @Test(arguments: NewUnaryOp.allCases)
    func matchesTorchAtEdges(op: NewUnaryOp) throws {
        let row = try #require(torchUnaryReference.first { $0.op == op.rawValue })
        let x = Variable(try Tensor(shape: [row.x.count], scalars: row.x))
        let y = op(x)
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        for i in row.x.indices {
            expectMatch(y.data.scalars[i], row.y[i], "\(op)(\(row.x[i]))")
            // hardtanh and relu6 at NaN: torch's vectorised loop gives 0, its scalar tail
            // loop (the table's last element) 1; the library gives 0 everywhere.
            let torchTail = (op == .hardtanh || op == .relu6) && row.x[i].isNaN
            expectMatch(g.data.scalars[i], torchTail ? 0 : row.g[i], "\(op)'(\(row.x[i]))")
            // torch's sign has no second derivative (its gradient is a constant): 0 here.
            expectMatch(h.data.scalars[i], row.h?[i] ?? 0, rtol: 1e-12, "\(op)''(\(row.x[i]))")
        }
    }

    @Test(arguments: NewUnaryOp.allCases)
    func forwardAndGradientMatchIndependentReferences(op: NewUnaryOp) throws {
        var rng = SplitMix64(seed: 71)
        let x = Variable(op.sample([9], &rng))
        let y = op(x)
        let g = try gradients(of: sum(y), withRespectTo: [x])[0]
        for (i, xi) in x.data.scalars.enumerated() {
            expectMatch(y.data.scalars[i], op.reference(xi), rtol: 1e-14, atol: 1e-15, "\(op)(\(xi))")
            expectMatch(g.data.scalars[i], op.derivative(xi), rtol: 1e-12, atol: 1e-15, "\(op)'(\(xi))")
        }
    }

    @Test(arguments: NewUnaryOp.allCases, [[], [5], [2, 3]] as [[Int]])
    func numericalGradient(op: NewUnaryOp, shape: [Int]) throws {
        var rng = SplitMix64(seed: 72)
        try checkGradients("\(op)", [op.sample(shape, &rng)]) { xs in op(xs[0]) }
    }

    @Test(arguments: NewUnaryOp.allCases.filter(\.hasCurvature))
    func numericalSecondOrderGradient(op: NewUnaryOp) throws {
        var rng = SplitMix64(seed: 73)
        try checkSecondOrderGradients("\(op)", [op.sample([2, 3], &rng)]) { xs in op(xs[0]) }
    }

    /// float32 in, float32 out, close to float64.
    @Test(arguments: NewUnaryOp.allCases)
    func float32(op: NewUnaryOp) throws {
        var rng = SplitMix64(seed: 74)
        let x64 = op.sample([6], &rng).converted(to: .float32).converted(to: .float64)
        let v32 = Variable(x64.converted(to: .float32)), v64 = Variable(x64)
        let y32 = op(v32), y64 = op(v64)
        let g32 = try gradients(of: sum(y32), withRespectTo: [v32])[0]
        let g64 = try gradients(of: sum(y64), withRespectTo: [v64])[0]
        #expect(y32.dtype == .float32 && g32.dtype == .float32)
        for (a, b) in zip(y32.data.scalars, y64.data.scalars) { expectMatch(a, b, rtol: 1e-6, atol: 1e-7, "float32 \(op)") }
        for (a, b) in zip(g32.data.scalars, g64.data.scalars) { expectMatch(a, b, rtol: 1e-5, atol: 1e-6, "float32 \(op)'") }
    }

    /// int64 is refused, as by the sibling ops.
    @Test func int64IsRefused() {
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Reciprocal")) {
            try Reciprocal().apply(Variable(Tensor(int64: [1, 2])))
        }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Atan2")) {
            try atan2(Variable(Tensor(int64: [1])), Variable(Tensor(int64: [1])))
        }
    }

    /// hardsigmoid: torch's gradient inside (−3, 3) is g times the float 1/6
    /// (0.1666666716337204, measured in float64), 0 at ±3, outside and at NaN.
    @Test func hardsigmoidMatchesTorch() throws {
        let ref = torchHardsigmoid
        let x = Variable(try Tensor(shape: [ref.x.count], scalars: ref.x))
        let y = hardsigmoid(x)
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        for i in ref.x.indices {
            expectMatch(y.data.scalars[i], ref.y[i], "hardsigmoid(\(ref.x[i]))")
            #expect(g.data.scalars[i] == ref.g[i], "hardsigmoid'(\(ref.x[i]))")
        }
        // torch raises for the second derivative; here it is 0 (piecewise linear).
        #expect(try gradients(of: sum(g), withRespectTo: [x])[0].data.scalars.allSatisfy { $0 == 0 })
        var rng = SplitMix64(seed: 75)
        let sample = rng.tensor([2, 3], magnitude: 0.2...2.8)
        let report = try firstOrderReport("hardsigmoid", [sample], seed: 1) { xs in hardsigmoid(xs[0]) }
        // The float 1/6 is 3e-8 off the true slope: within gradcheck's tolerances.
        #expect(report.passed)
    }

    /// hardtanh's bounds, and a reversed pair refused.
    @Test func hardtanhBounds() throws {
        let x = Variable(try Tensor(shape: [5], scalars: [-3, -2, 0, 2, 3]))
        let y = try hardtanh(x, min: -2, max: 2)
        #expect(y.data.scalars == [-2, -2, 0, 2, 2])
        #expect(try gradients(of: sum(y), withRespectTo: [x])[0].data.scalars == [0, 0, 1, 0, 0])
        #expect(throws: AutogradError.invalidArgument(op: "hardtanh", reason: "min 1.0 is greater than max 0.0")) {
            try hardtanh(x, min: 1, max: 0)
        }
        #expect(throws: AutogradError.invalidArgument(op: "celu", reason: "alpha must not be 0")) {
            try celu(x, alpha: 0)
        }
    }

    /// logsigmoid and mish stay finite far out: log σ(−1000) = −1000 with gradient 1,
    /// log σ(1000) = 0 with gradient 0; mish(±1000) = 1000 and −0.
    @Test func saturation() throws {
        let x = Variable(try Tensor(shape: [2], scalars: [-1000, 1000]))
        #expect(logSigmoid(x).data.scalars == [-1000, 0])
        #expect(try gradients(of: sum(logSigmoid(x)), withRespectTo: [x])[0].data.scalars == [1, 0])
        #expect(mish(x).data.scalars == [0, 1000])
        #expect(try gradients(of: sum(mish(x)), withRespectTo: [x])[0].data.scalars == [0, 1])
        // torch 2.15: mish''(1000) is NaN (its backward differentiates log1p(exp(x)), and
        // exp(1000) = ∞), mish''(30) is 0, mish''(-30) = -2.620134431274741e-12.
        let far = Variable(try Tensor(shape: [3], scalars: [1000, 30, -30]))
        let g = try gradients(of: sum(mish(far)), withRespectTo: [far], createGraph: true)[0]
        let h = try gradients(of: sum(g), withRespectTo: [far])[0].data.scalars
        #expect(h[0].isNaN && h[1] == 0)
        expectRelative(h[2], -2.620134431274741e-12, rtol: 1e-12, "mish''(-30)")
    }
}
