import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The smooth elementwise ops (exponentials and logarithms, tan, the smooth activations), each with an independent
/// reference: the C library (or an equivalent identity that shares no code path with
/// the library's formula), and first and second derivatives written out by calculus.
enum SmoothUnaryOp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case log1p, expm1, tan, softplus, elu, gelu, geluTanh, silu

    var testDescription: String { rawValue }

    func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .log1p: Autograd.log1p(x)
        case .expm1: Autograd.expm1(x)
        case .tan: Autograd.tan(x)
        case .softplus: Autograd.softplus(x)
        case .elu: Autograd.elu(x)
        case .gelu: Autograd.gelu(x)
        case .geluTanh: Autograd.geluTanh(x)
        case .silu: Autograd.silu(x)
        }
    }

    /// √(2/π) and 0.044715, the tanh approximation's constants.
    static let k = (2 / Double.pi).squareRoot(), c = 0.044715

    /// The value. softplus is `log1p(eˣ)` (the library's branch below the threshold, by
    /// the C library's log1p), silu `x·(1 + tanh(x/2))/2` (σ(x) = ½ + ½tanh(x/2)), gelu
    /// `x·erfc(-x/√2)/2` (Φ(x) = ½erfc(-x/√2), not the library's 1 + erf).
    func reference(_ x: Double) -> Double {
        switch self {
        case .log1p: Glibc.log1p(x)
        case .expm1: Glibc.expm1(x)
        case .tan: Glibc.tan(x)
        case .softplus: Glibc.log1p(Glibc.exp(x))
        case .elu: x > 0 ? x : Glibc.expm1(x)
        case .gelu: x * Glibc.erfc(-x / 2.0.squareRoot()) / 2
        case .geluTanh: 0.5 * x * (1 + Glibc.tanh(Self.k * (x + Self.c * x * x * x)))
        case .silu: x * (1 + Glibc.tanh(x / 2)) / 2
        }
    }

    /// Standard normal density and distribution function, by the C library.
    static func phi(_ x: Double) -> Double { Glibc.exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
    static func Phi(_ x: Double) -> Double { Glibc.erfc(-x / 2.0.squareRoot()) / 2 }
    static func logistic(_ x: Double) -> Double { (1 + Glibc.tanh(x / 2)) / 2 }

    /// f'(x) by calculus: log1p' = 1/(1 + x), expm1' = eˣ, tan' = 1/cos²x, softplus' = σ(x),
    /// elu' = eˣ for x ≤ 0, gelu' = Φ + xφ, silu' = σ + xσ(1 - σ), and for the tanh form,
    /// with u = k(x + cx³): ½(1 + tanh u) + ½x(1 - tanh²u)·k(1 + 3cx²).
    func derivative(_ x: Double) -> Double {
        switch self {
        case .log1p: return 1 / (1 + x)
        case .expm1: return Glibc.exp(x)
        case .tan: return 1 / (Glibc.cos(x) * Glibc.cos(x))
        case .softplus: return Self.logistic(x)
        case .elu: return x > 0 ? 1 : Glibc.exp(x)
        case .gelu: return Self.Phi(x) + x * Self.phi(x)
        case .geluTanh:
            let t = Glibc.tanh(Self.k * (x + Self.c * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * Self.k * (1 + 3 * Self.c * x * x)
        case .silu:
            let s = Self.logistic(x)
            return s + x * s * (1 - s)
        }
    }

    /// f''(x) by calculus, where a closed form is short: log1p'' = -1/(1 + x)²,
    /// expm1'' = eˣ, tan'' = 2 tan x / cos²x, softplus'' = σ(1 - σ) = 1/(4 cosh²(x/2)),
    /// elu'' = eˣ for x < 0 (0 for x > 0), gelu'' = φ·(2 - x²) (φ' = -xφ),
    /// silu'' = σ'·(2 + x(1 - 2σ)) with σ' = σ(1 - σ). (gelu_tanh: numerically only.)
    func secondDerivative(_ x: Double) -> Double? {
        switch self {
        case .log1p: return -1 / ((1 + x) * (1 + x))
        case .expm1: return Glibc.exp(x)
        case .tan: return 2 * Glibc.tan(x) / (Glibc.cos(x) * Glibc.cos(x))
        case .softplus: return 1 / (4 * Glibc.cosh(x / 2) * Glibc.cosh(x / 2))
        case .elu: return x > 0 ? 0 : Glibc.exp(x)
        case .gelu: return Self.phi(x) * (2 - x * x)
        case .geluTanh: return nil
        case .silu:
            let s = Self.logistic(x)
            return s * (1 - s) * (2 + x * (1 - 2 * s))
        }
    }

    /// Random inputs in the op's domain, away from kinks (elu at 0) and poles (tan at ±π/2).
    func sample(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
        switch self {
        case .log1p: rng.tensor(shape, in: -0.7...3)
        case .expm1, .softplus, .gelu, .geluTanh, .silu: rng.tensor(shape, in: -3...3)
        case .tan: rng.tensor(shape, in: -1.2...1.2)
        case .elu: rng.tensor(shape, magnitude: 0.1...3)
        }
    }

    /// Relative tolerance of the value against the reference: 1e-15 for the same libm
    /// function, more where the reference is another formula that rounds differently
    /// (a few operations, each ≤ ½ ulp, and erfc/tanh vs erf cancelling near 0).
    var valueTolerance: Double {
        switch self {
        case .log1p, .expm1, .tan, .elu, .softplus: 1e-15
        case .gelu, .geluTanh, .silu: 1e-13
        }
    }
}

@Suite("Smooth elementwise functions: values and gradients against the C library")
struct SmoothFunctionTests {
    // MARK: Smooth ops

    @Test(arguments: SmoothUnaryOp.allCases)
    func smoothForwardMatchesReference(op: SmoothUnaryOp) {
        var rng = SplitMix64(seed: 21)
        let x = op.sample([2, 3], &rng)
        let y = op(Variable(x))
        #expect(y.shape == [2, 3])
        #expect(y.dtype == .float64)
        for (xi, yi) in zip(x.scalars, y.data.scalars) {
            let expected = op.reference(xi)
            #expect(Swift.abs(yi - expected) <= op.valueTolerance * Swift.abs(expected) + 1e-300,
                    "\(op)(\(xi)) = \(yi), expected \(expected)")
        }
    }

    @Test(arguments: SmoothUnaryOp.allCases)
    func smoothGradientMatchesClosedForm(op: SmoothUnaryOp) throws {
        var rng = SplitMix64(seed: 22)
        let x = Variable(op.sample([7], &rng))
        let g = try gradients(of: sum(op(x)), withRespectTo: [x])[0]
        #expect(g.shape == [7])
        for (xi, gi) in zip(x.data.scalars, g.data.scalars) {
            expectRelative(gi, op.derivative(xi), rtol: 1e-12, "\(op)'(\(xi))")
        }
    }

    @Test(arguments: SmoothUnaryOp.allCases)
    func smoothSecondDerivativeMatchesClosedForm(op: SmoothUnaryOp) throws {
        var rng = SplitMix64(seed: 23)
        let x = Variable(op.sample([6], &rng))
        let g = try gradients(of: sum(op(x)), withRespectTo: [x], createGraph: true)[0]
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        for (xi, hi) in zip(x.data.scalars, h.data.scalars) {
            guard let expected = op.secondDerivative(xi) else { continue }
            // Relative, with an absolute floor: gelu'' and silu'' cross 0 (|x| ≈ √2, 2.4),
            // where both sides cancel.
            #expect(Swift.abs(hi - expected) <= 1e-11 * Swift.max(Swift.abs(expected), 1),
                    "\(op)''(\(xi)) = \(hi), expected \(expected)")
        }
    }

    /// Central differences, for tensors of several ranks (0-d included).
    @Test(arguments: SmoothUnaryOp.allCases, [[], [5], [2, 3], [2, 1, 3]] as [[Int]])
    func smoothNumericalGradient(op: SmoothUnaryOp, shape: [Int]) throws {
        var rng = SplitMix64(seed: 24)
        try checkGradients("\(op)", [op.sample(shape, &rng)]) { xs in op(xs[0]) }
    }

    @Test(arguments: SmoothUnaryOp.allCases)
    func smoothNumericalSecondOrderGradient(op: SmoothUnaryOp) throws {
        var rng = SplitMix64(seed: 25)
        try checkSecondOrderGradients("\(op)", [op.sample([2, 3], &rng)]) { xs in op(xs[0]) }
    }

    /// Third derivatives: expm1''' = eˣ; tan''' = 2(1 + 3tan²x)/cos²x (differentiate
    /// 2 tan x · sec²x: 2sec⁴x + 4tan²x sec²x).
    @Test func thirdDerivatives() throws {
        let x = Variable(try Tensor(shape: [3], scalars: [-1, 0.25, 0.9]))
        func third(_ f: (Variable) -> Variable) throws -> [Double] {
            let g1 = try gradients(of: sum(f(x)), withRespectTo: [x], createGraph: true)[0]
            let g2 = try gradients(of: sum(g1), withRespectTo: [x], createGraph: true)[0]
            return try gradients(of: sum(g2), withRespectTo: [x])[0].data.scalars
        }
        for (xi, gi) in zip(x.data.scalars, try third(expm1)) {
            expectRelative(gi, Glibc.exp(xi), rtol: 1e-14, "expm1'''(\(xi))")
        }
        for (xi, gi) in zip(x.data.scalars, try third(tan)) {
            let c2 = Glibc.cos(xi) * Glibc.cos(xi), t = Glibc.tan(xi)
            expectRelative(gi, 2 * (1 + 3 * t * t) / c2, rtol: 1e-12, "tan'''(\(xi))")
        }
    }

    /// float32 inputs give float32 results, close to the float64 ones rounded.
    @Test(arguments: SmoothUnaryOp.allCases)
    func smoothFloat32MatchesFloat64(op: SmoothUnaryOp) throws {
        var rng = SplitMix64(seed: 26)
        // On ±0.6 of the sampling range: gelu's 1 + erf and silu's x·σ lose float32 digits
        // to cancellation further out.
        let sample = op.sample([2, 3], &rng).scalars.map { $0 * 0.6 }
        let x64 = try Tensor(shape: [2, 3], scalars: sample).converted(to: .float32).converted(to: .float64)
        let v32 = Variable(x64.converted(to: .float32)), v64 = Variable(x64)
        let y32 = op(v32), y64 = op(v64)
        #expect(y32.dtype == .float32)
        let g32 = try gradients(of: sum(y32), withRespectTo: [v32])[0]
        let g64 = try gradients(of: sum(y64), withRespectTo: [v64])[0]
        #expect(g32.dtype == .float32)
        for (a, b) in zip(y32.data.scalars, y64.data.scalars) {
            #expect(Swift.abs(a - b) <= 1e-6 * Swift.abs(b) + 1e-7, "float32 \(op): \(a) vs \(b)")
        }
        for (a, b) in zip(g32.data.scalars, g64.data.scalars) {
            #expect(Swift.abs(a - b) <= 1e-5 * Swift.abs(b) + 1e-6, "float32 \(op)': \(a) vs \(b)")
        }
    }

    // MARK: Smooth ops at their edges

    /// log1p and expm1 keep tiny arguments: ln(1 + 1e-300) and e^(1e-300) - 1 are 1e-300 to
    /// within 1e-600; the naive log(1 + x) and exp(x) - 1 give 0, since 1 + 1e-300 == 1.
    @Test func log1pAndExpm1NearZero() throws {
        #expect(Glibc.log(1 + 1e-300) == 0)
        #expect(Glibc.exp(1e-300) - 1 == 0)
        for x in [1e-300, -1e-300, Double.leastNonzeroMagnitude] {
            #expect(log1p(Variable(x)).data.scalar == x)
            #expect(expm1(Variable(x)).data.scalar == x)
        }
        // d/dx log1p = 1/(1 + x) = 1 there; log1p(-1) = -∞ with gradient ∞.
        let v = Variable(-1.0)
        let y = log1p(v)
        #expect(y.data.scalar == -Double.infinity)
        #expect(try gradients(of: y, withRespectTo: [v])[0].data.scalar == Double.infinity)
    }

    /// softplus is x itself where x > 20 (torch's threshold), so softplus(1000) = 1000, not
    /// log1p(e¹⁰⁰⁰) = ∞; the gradient there is 1 and the second derivative 0. At exactly
    /// 20 the log1p branch applies, but the second derivative is already 0 (torch's mask
    /// is x < threshold). softplus(-1000) = log1p(0) = 0 with gradient 0.
    @Test func softplusThreshold() throws {
        func derivatives(_ x: Double) throws -> (Double, Double, Double) {
            let v = Variable(x)
            let y = softplus(v)
            let g = try gradients(of: y, withRespectTo: [v], createGraph: true)[0]
            let h = try gradients(of: g, withRespectTo: [v])[0]
            return (try #require(y.data.scalar), try #require(g.data.scalar), try #require(h.data.scalar))
        }
        #expect(try derivatives(1000) == (1000, 1, 0))
        #expect(try derivatives(20.5) == (20.5, 1, 0))
        let (y20, g20, h20) = try derivatives(20)
        #expect(y20 == Glibc.log1p(Glibc.exp(20.0)))
        expectRelative(g20, SmoothUnaryOp.logistic(20), rtol: 1e-14, "softplus'(20)")
        #expect(h20 == 0)
        let (_, _, h19) = try derivatives(19.5)
        #expect(h19 > 0)
        #expect(try derivatives(-1000) == (0, 0, 0))
        // β scales the threshold: with β = 2, threshold 10, x = 6 is linear.
        #expect(softplus(Variable(6.0), beta: 2, threshold: 10).data.scalar == 6)
    }

    /// elu at 0: the x ≤ 0 branch gives α·e⁰ = 1 (torch's elu_backward uses x ≤ 0), and the
    /// second derivative is 0 there (torch's elu_double_backward masks with x < 0).
    @Test func eluAtZero() throws {
        let v = Variable(0.0)
        let y = elu(v, alpha: 0.5)
        let g = try gradients(of: y, withRespectTo: [v], createGraph: true)[0]
        let h = try gradients(of: g, withRespectTo: [v])[0]
        #expect(y.data.scalar == 0)
        #expect(g.data.scalar == 0.5)
        #expect(h.data.scalar == 0)
        #expect(elu(Variable(-1000.0)).data.scalar == -1)
    }

    /// gelu, gelu_tanh and silu saturate without NaN: at -1000 the value is -0 and the
    /// gradient 0; at 1000 the value is 1000 and the gradient 1.
    @Test func saturatingActivations() throws {
        for f in [gelu, geluTanh, silu] as [(Variable) -> Variable] {
            for (x, value, slope) in [(-1000.0, 0.0, 0.0), (1000.0, 1000.0, 1.0)] {
                let v = Variable(x)
                let y = f(v)
                let g = try gradients(of: y, withRespectTo: [v])[0]
                #expect(y.data.scalar == value)
                #expect(g.data.scalar == slope)
            }
        }
    }

    /// tan near π/2: the double nearest π/2 is below it by about 6.1e-17, so tan is about
    /// 1/6.1e-17 = 1.6e16 and its derivative 1 + tan² about 2.7e32, finite.
    @Test func tanNearHalfPi() throws {
        let v = Variable(Double.pi / 2)
        let y = tan(v)
        let g = try gradients(of: y, withRespectTo: [v])[0]
        let t = try #require(y.data.scalar)
        #expect(t > 1.6e16 && t < 1.7e16)
        expectRelative(try #require(g.data.scalar), 1 + t * t, rtol: 1e-15, "tan'(π/2)")
    }
}
