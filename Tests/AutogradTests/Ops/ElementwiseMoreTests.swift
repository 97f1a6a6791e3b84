import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The smooth elementwise ops of ElementwiseMore.swift, each with an independent
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

@Suite("More elementwise ops: values and gradients")
struct ElementwiseMoreTests {
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

    // MARK: abs

    /// |x|, and gradient sign(x): 0 at ±0 and at NaN (torch's sgn), -1 and 1 elsewhere;
    /// the second derivative is 0.
    @Test func absValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [6], scalars: [-2, -0.0, 0, 3, .nan, -.infinity]))
        let y = abs(x)
        let values = y.data.scalars
        #expect(Array(values[0..<4]) == [2, 0, 0, 3])
        #expect(values[4].isNaN)
        #expect(values[5] == .infinity)
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [-1, 0, 0, 1, 0, -1])
        #expect(try gradients(of: sum(g), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0, 0, 0])
    }

    @Test(arguments: [[], [5], [2, 3]] as [[Int]])
    func absNumericalGradient(shape: [Int]) throws {
        var rng = SplitMix64(seed: 31)
        try checkGradients("abs", [rng.tensor(shape, magnitude: 0.1...2)]) { xs in abs(xs[0]) }
    }

    // MARK: clip

    /// Values clipped to the bounds (NaN kept), and gradient 1 strictly inside the bounds,
    /// 0 at a bound itself and beyond (torch 2.15's clamp_backward for number bounds).
    @Test func clipValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [7], scalars: [-2, -1, -0.5, 0, 1, 3, .nan]))
        let y = try clip(x, min: -1, max: 1)
        let values = y.data.scalars
        #expect(Array(values[0..<6]) == [-1, -1, -0.5, 0, 1, 1])
        #expect(values[6].isNaN)
        let g = try gradients(of: sum(y), withRespectTo: [x])[0]
        #expect(g.data.scalars == [0, 0, 1, 1, 0, 0, 0])
        // One bound only.
        let low = try gradients(of: sum(try clip(x, min: 0)), withRespectTo: [x])[0]
        #expect(low.data.scalars == [0, 0, 0, 0, 1, 1, 0])
        let high = try gradients(of: sum(try clamp(x, max: 0)), withRespectTo: [x])[0]
        #expect(high.data.scalars == [1, 1, 1, 0, 0, 0, 0])
        // min > max: everything becomes max, and nothing is inside.
        let crossed = try clip(x, min: 1, max: -1)
        #expect(Array(crossed.data.scalars[0..<6]) == [-1, -1, -1, -1, -1, -1])
        #expect(try gradients(of: sum(crossed), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0, 0, 0, 0])
    }

    /// A NaN bound makes every element NaN, with gradient 0 everywhere. Expected values
    /// are torch 2.15's output: for `x = torch.tensor([-1., 0.5, 2.], requires_grad=True)`,
    /// `torch.clamp(x, min=nan)`, `(max=nan)`, `(min=nan, max=nan)`, `(min=0., max=nan)`
    /// and `(min=nan, max=1.)` each give `[nan, nan, nan]`, and `.sum().backward()`
    /// gives `x.grad == [0., 0., 0.]`.
    @Test(arguments: [DType.float64, .float32])
    func clipWithANaNBoundIsNaN(dtype: DType) throws {
        let bounds: [(Double?, Double?)] = [(.nan, nil), (nil, .nan), (.nan, .nan), (0, .nan), (.nan, 1)]
        for (low, high) in bounds {
            let x = Variable(try Tensor(shape: [3], scalars: [-1, 0.5, 2], dtype: dtype))
            let y = try clip(x, min: low, max: high)
            #expect(y.dtype == dtype)
            let allNaN = y.data.scalars.allSatisfy { $0.isNaN }
            #expect(allNaN, "min \(String(describing: low)), max \(String(describing: high))")
            let g = try gradients(of: sum(y), withRespectTo: [x])[0]
            #expect(g.data.scalars == [0, 0, 0], "min \(String(describing: low)), max \(String(describing: high))")
        }
    }

    /// float32 compares with the bound rounded to float, as torch does: 0.1f is the bound
    /// 0.1 itself there (so its gradient is 0), although 0.1f > 0.1 in double.
    @Test func clipFloat32BoundIsRounded() throws {
        let x = Variable(try Tensor(shape: [3], float32Scalars: [0.1, 0.05, 0.2]))
        let y = try clip(x, max: 0.1)
        #expect(y.data.scalars == [Double(Float(0.1)), Double(Float(0.05)), Double(Float(0.1))])
        #expect(try gradients(of: sum(y), withRespectTo: [x])[0].data.scalars == [0, 1, 0])
    }

    @Test func clipNeedsABound() {
        #expect(throws: AutogradError.invalidArgument(op: "clip", reason: "at least one of min and max must be given")) {
            try clip(Variable(1.0))
        }
        #expect(AutogradError.invalidArgument(op: "clip", reason: "at least one of min and max must be given").description
                == "clip: at least one of min and max must be given")
    }

    @Test(arguments: [[], [4], [2, 3]] as [[Int]])
    func clipNumericalGradient(shape: [Int]) throws {
        var rng = SplitMix64(seed: 32)
        // Inputs kept 0.05 away from the bounds ±0.5.
        let x = rng.tensor(shape, in: -1...1).scalars.map { Swift.abs(Swift.abs($0) - 0.5) < 0.05 ? $0 * 0.8 : $0 }
        try checkGradients("clip", [try Tensor(shape: shape, scalars: x)]) { xs in try clip(xs[0], min: -0.5, max: 0.5) }
    }

    // MARK: maximum, minimum

    /// Values (NaN propagates), and gradients: the winner gets g, a tie g/2 each, NaN g to both.
    @Test func maximumAndMinimumTies() throws {
        let a = Variable(try Tensor(shape: [4], scalars: [1, 2, 3, .nan]))
        let b = Variable(try Tensor(shape: [4], scalars: [1, 3, 2, 1]))
        let hi = try maximum(a, b), lo = try minimum(a, b)
        #expect(Array(hi.data.scalars[0..<3]) == [1, 3, 3] && hi.data.scalars[3].isNaN)
        #expect(Array(lo.data.scalars[0..<3]) == [1, 2, 2] && lo.data.scalars[3].isNaN)
        let gHi = try gradients(of: sum(hi), withRespectTo: [a, b])
        #expect(gHi[0].data.scalars == [0.5, 0, 1, 1])
        #expect(gHi[1].data.scalars == [0.5, 1, 0, 1])
        let gLo = try gradients(of: sum(lo), withRespectTo: [a, b])
        #expect(gLo[0].data.scalars == [0.5, 1, 0, 1])
        #expect(gLo[1].data.scalars == [0.5, 0, 1, 1])
    }

    /// Broadcasting: the gradient of each operand is the elementwise share summed over the
    /// broadcast dimensions, computed here by index arithmetic. a = [[0], [1], [2]],
    /// b = [[0, 1, 2, 3]]: a[1] = 1 ties b[1], wins against b[0], loses to b[2], b[3].
    @Test func maximumBroadcastGradient() throws {
        let a = Variable(try Tensor(shape: [3, 1], scalars: [0, 1, 2]))
        let b = Variable(try Tensor(shape: [1, 4], scalars: [0, 1, 2, 3]))
        let y = try maximum(a, b)
        #expect(y.data.scalars == referenceBinary(a.data, b.data, outShape: [3, 4]) { Swift.max($0, $1) })
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        let share = referenceBinary(a.data, b.data, outShape: [3, 4]) { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
        let aGrad = (0..<3).map { i in (0..<4).reduce(0.0) { $0 + share[i * 4 + $1] } }
        let bGrad = (0..<4).map { j in (0..<3).reduce(0.0) { $0 + (1 - share[$1 * 4 + j]) } }
        #expect(g[0].data.scalars == aGrad)   // [0.5, 1.5, 2.5]
        #expect(g[1].data.scalars == bGrad)   // [0.5, 1.5, 2.5, 3]
        #expect(g[0].shape == [3, 1] && g[1].shape == [1, 4])
    }

    @Test(arguments: [([2, 3], [2, 3]), ([3, 1], [1, 4]), ([], [3]), ([2, 1, 3], [3])] as [([Int], [Int])])
    func extremaNumericalGradient(shapes: ([Int], [Int])) throws {
        var rng = SplitMix64(seed: 33)
        // Distinct values (no ties), so both functions are differentiable at the inputs.
        let a = rng.tensor(shapes.0, in: -2...2), b = rng.tensor(shapes.1, in: -2...2)
        try checkGradients("maximum", [a, b]) { xs in try maximum(xs[0], xs[1]) }
        try checkGradients("minimum", [a, b]) { xs in try minimum(xs[0], xs[1]) }
    }

    @Test func extremaShapeErrors() {
        let a = Variable(try! Tensor(shape: [2], scalars: [1, 2])), b = Variable(try! Tensor(shape: [3], scalars: [1, 2, 3]))
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "maximum")) { try maximum(a, b) }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "minimum")) { try minimum(a, b) }
        #expect(AutogradError.shapesDoNotBroadcast([2], [3], op: "maximum").description == "maximum: shapes [2] and [3] do not broadcast")
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "maximum")) {
            try maximum(Variable(1.0), Variable(1.0, dtype: .float32))
        }
    }

    // MARK: where (select)

    /// A nonzero (or NaN) condition picks `a`; `a` and `b` get the gradient where they were
    /// picked, the condition none: its gradient is zeros.
    @Test func selectValuesAndGradients() throws {
        let c = Variable(try Tensor(shape: [4], scalars: [1, 0, -2, .nan]))
        let a = Variable(try Tensor(shape: [4], scalars: [10, 20, 30, 40]))
        let b = Variable(try Tensor(shape: [4], scalars: [-1, -2, -3, -4]))
        let y = try select(c, a, b)
        #expect(y.data.scalars == [10, -2, 30, 40])
        let g = try gradients(of: sum(y * y), withRespectTo: [c, a, b])
        #expect(g[0].data.scalars == [0, 0, 0, 0])
        #expect(g[1].data.scalars == [20, 0, 60, 80])
        #expect(g[2].data.scalars == [0, -4, 0, 0])
    }

    /// All three broadcast: c [3, 1], a [1, 4], b 0-d give [3, 4]; b's gradient is the
    /// number of elements where it was picked.
    @Test func selectBroadcasts() throws {
        let c = Variable(try Tensor(shape: [3, 1], scalars: [0, 1, 0]))
        let a = Variable(try Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]))
        let b = Variable(5.0)
        let y = try select(c, a, b)
        #expect(y.shape == [3, 4])
        #expect(y.data.scalars == [5, 5, 5, 5, 1, 2, 3, 4, 5, 5, 5, 5])
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        #expect(g[0].data.scalars == [1, 1, 1, 1])
        #expect(g[1].data.scalar == 8)
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "where")) {
            try select(Variable(try Tensor(shape: [2], scalars: [1, 0])), Variable(try Tensor(shape: [3], scalars: [1, 2, 3])), b)
        }
    }

    @Test func selectNumericalGradient() throws {
        var rng = SplitMix64(seed: 34)
        let c = Variable.constant(try Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0, 1]))
        try checkGradients("where", [rng.tensor([2, 3], in: -1...1), rng.tensor([3], in: -1...1)]) { xs in
            try select(c, xs[0] * xs[0], exp(xs[1]))
        }
        try checkSecondOrderGradients("where", [rng.tensor([2, 3], in: -1...1), rng.tensor([3], in: -1...1)]) { xs in
            try select(c, xs[0] * xs[0], exp(xs[1]))
        }
    }

    // MARK: leaky_relu

    /// x for x > 0, slope·x otherwise; gradient 1 or slope (slope at 0 and for NaN).
    @Test func leakyReLUValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [4], scalars: [-2, 0, 3, .nan]))
        let y = leakyReLU(x, slope: 0.25)
        #expect(Array(y.data.scalars[0..<3]) == [-0.5, 0, 3])
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [0.25, 0.25, 1, 0.25])
        #expect(try gradients(of: sum(g), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0])
        var rng = SplitMix64(seed: 35)
        try checkGradients("leaky_relu", [rng.tensor([2, 3], magnitude: 0.05...2)]) { xs in leakyReLU(xs[0]) }
    }

    // MARK: Dropout

    /// With a seeded generator: the kept fraction is 1 - p within 5 standard deviations
    /// (√(p(1 - p)/n) ≈ 0.00145 for n = 100 000, p = 0.3), kept elements are x/(1 - p)
    /// exactly and dropped ones 0, and the same seed gives the same mask.
    @Test func dropoutMaskStatistics() throws {
        let n = 100_000, p = 0.3
        let x = Variable(try Tensor(repeating: 1.5, shape: [n]))
        var rng = SplitMix64(seed: 41)
        let y = try dropout(x, p: p, using: &rng)
        let values = y.data.scalars
        let kept = values.filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == 1.5 / (1 - p) })
        let fraction = Double(kept.count) / Double(n)
        #expect(Swift.abs(fraction - (1 - p)) < 5 * (p * (1 - p) / Double(n)).squareRoot(), "kept \(fraction)")
        // The expectation is preserved: mean(y) ≈ 1.5.
        let mean = values.reduce(0, +) / Double(n)
        #expect(Swift.abs(mean - 1.5) < 5 * 1.5 * (p / (1 - p) / Double(n)).squareRoot())

        var again = SplitMix64(seed: 41), other = SplitMix64(seed: 42)
        let same = try dropout(x, p: p, using: &again), different = try dropout(x, p: p, using: &other)
        #expect(same.data == y.data)
        #expect(different.data != y.data)
    }

    /// The gradient is the mask scaled by 1/(1 - p); the second derivative is 0.
    @Test func dropoutGradientIsTheScaledMask() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1, -2, 3, -4, 5, -6]))
        let mask = try Tensor(shape: [2, 3], scalars: [1, 0, 1, 1, 0, 0])
        let y = try dropout(x, mask: mask, p: 0.5)
        #expect(y.data.scalars == [2, 0, 6, -8, 0, 0])
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [2, 0, 2, 2, 0, 0])
        #expect(try gradients(of: sum(g * g), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0, 0, 0])
        try checkGradients("dropout", [x.data]) { xs in try dropout(xs[0], mask: mask, p: 0.2) }
        // A mask row broadcast over the batch.
        let row = try dropout(x, mask: try Tensor(shape: [3], scalars: [0, 1, 1]), p: 0.75)
        #expect(row.data.scalars == [0, -8, 12, 0, 20, -24])
    }

    /// p = 0 keeps everything unscaled, p = 1 drops everything (scale 0, as torch); when
    /// not training dropout is the identity and returns its input itself.
    @Test func dropoutEdgesAndEval() throws {
        let x = Variable(try Tensor(shape: [3], scalars: [1, 2, 3]))
        var rng = SplitMix64(seed: 43)
        let all = try dropout(x, p: 0, using: &rng), none = try dropout(x, p: 1, using: &rng)
        let evaluation = try dropout(x, p: 0.5, training: false, using: &rng)
        #expect(all.data == x.data)
        #expect(none.data.scalars == [0, 0, 0])
        #expect(evaluation === x)
        #expect(try dropout(x, p: 0.5, training: false) === x)
    }

    @Test func dropoutErrors() {
        let x = Variable(try! Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(throws: AutogradError.invalidArgument(op: "dropout", reason: "probability has to be between 0 and 1, but got 1.5")) {
            try dropout(x, p: 1.5)
        }
        #expect(throws: AutogradError.invalidArgument(op: "dropout", reason: "probability has to be between 0 and 1, but got -0.1")) {
            try dropout(x, mask: try Tensor.ones([2, 3]), p: -0.1)
        }
        #expect(throws: AutogradError.cannotBroadcast(from: [2], to: [2, 3])) {
            try dropout(x, mask: try Tensor(shape: [2], scalars: [1, 0]), p: 0.5)
        }
    }

    // MARK: Comparisons

    /// 0/1 constants of the operands' dtype, with NaN comparing false (and not-equal true);
    /// no gradient: the result is a constant, and `greater(x, 0) * x` has gradient the mask.
    @Test func comparisons() throws {
        let a = Variable(try Tensor(shape: [4], scalars: [1, 2, 3, .nan]))
        let b = Variable(try Tensor(shape: [4], scalars: [1, 3, 2, 1]))
        #expect(try greater(a, b).data.scalars == [0, 0, 1, 0])
        #expect(try less(a, b).data.scalars == [0, 1, 0, 0])
        #expect(try greaterEqual(a, b).data.scalars == [1, 0, 1, 0])
        #expect(try lessEqual(a, b).data.scalars == [1, 1, 0, 0])
        #expect(try equal(a, b).data.scalars == [1, 0, 0, 0])
        #expect(try notEqual(a, b).data.scalars == [0, 1, 1, 1])
        let mask = greater(a, 1.5)
        #expect(mask.creator == nil && !mask.requiresGrad)
        #expect(mask.data.scalars == [0, 1, 1, 0])
        let x = Variable(try Tensor(shape: [3], scalars: [-1, 0.5, 2]))
        #expect(try gradients(of: sum(greater(x, 0) * x), withRespectTo: [x])[0].data.scalars == [0, 1, 1])
        #expect(try gradients(of: sum(less(x, 0)), withRespectTo: [x])[0].data.scalars == [0, 0, 0])
        #expect(try greater(Variable(try Tensor(shape: [2, 1], scalars: [0, 2])), Variable(try Tensor(shape: [3], scalars: [1, 2, 3]))).shape == [2, 3])
        #expect(greater(Variable(1.0, dtype: .float32), 0).dtype == .float32)
    }
}
