import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The elementwise functions of one variable, each with an independent reference:
/// the C library's function (or an equivalent formula), and its first and second
/// derivatives written out by calculus.
enum UnaryOp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case exp, log, sqrt, sin, cos, tanh, sigmoid, relu

    var testDescription: String { rawValue }

    var isSmooth: Bool { self != .relu }

    func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .exp: Autograd.exp(x)
        case .log: Autograd.log(x)
        case .sqrt: Autograd.sqrt(x)
        case .sin: Autograd.sin(x)
        case .cos: Autograd.cos(x)
        case .tanh: Autograd.tanh(x)
        case .sigmoid: Autograd.sigmoid(x)
        case .relu: Autograd.relu(x)
        }
    }

    /// The value from the C library. Sigmoid is computed as `(1 + tanh(x/2)) / 2`, an
    /// identity (σ(x) = ½ + ½·tanh(x/2)) that shares no code path with `1/(1 + e⁻ˣ)`.
    func reference(_ x: Double) -> Double {
        switch self {
        case .exp: Glibc.exp(x)
        case .log: Glibc.log(x)
        case .sqrt: Glibc.sqrt(x)
        case .sin: Glibc.sin(x)
        case .cos: Glibc.cos(x)
        case .tanh: Glibc.tanh(x)
        case .sigmoid: (1 + Glibc.tanh(x / 2)) / 2
        case .relu: x > 0 ? x : 0
        }
    }

    /// How far (in ulps) the library may be from `reference`: the same correctly-rounded
    /// or libm function gives the same double (allow 1 ulp for a libm built differently);
    /// the sigmoid identity rounds differently in 3-4 operations, each ≤ ½ ulp.
    var referenceULPs: UInt64 {
        switch self {
        case .relu, .sqrt: 0  // exact: a copy or zero; sqrt is correctly rounded by IEEE 754
        case .sigmoid: 4
        default: 1
        }
    }

    /// f'(x), by calculus. tanh' = 1/cosh² and σ' = e⁻ˣ/(1 + e⁻ˣ)² are deliberately
    /// different formulas from the library's 1 - y² and y(1 - y).
    func derivative(_ x: Double) -> Double {
        switch self {
        case .exp: return Glibc.exp(x)
        case .log: return 1 / x
        case .sqrt: return 1 / (2 * Glibc.sqrt(x))
        case .sin: return Glibc.cos(x)
        case .cos: return -Glibc.sin(x)
        case .tanh: return 1 / (Glibc.cosh(x) * Glibc.cosh(x))
        case .sigmoid:
            let e = Glibc.exp(-x)
            return e / ((1 + e) * (1 + e))
        case .relu: return x > 0 ? 1 : 0
        }
    }

    /// f''(x), by calculus: exp'' = exp, log'' = -1/x², sqrt'' = -¼x^(-3/2), sin'' = -sin,
    /// cos'' = -cos, tanh'' = -2 sinh/cosh³, σ'' = e(e - 1)/(1 + e)³ with e = e⁻ˣ
    /// (differentiate e·(1 + e)⁻² using de/dx = -e), relu'' = 0.
    func secondDerivative(_ x: Double) -> Double {
        switch self {
        case .exp: return Glibc.exp(x)
        case .log: return -1 / (x * x)
        case .sqrt: return -0.25 / (x * Glibc.sqrt(x))
        case .sin: return -Glibc.sin(x)
        case .cos: return -Glibc.cos(x)
        case .tanh:
            let c = Glibc.cosh(x)
            return -2 * Glibc.sinh(x) / (c * c * c)
        case .sigmoid:
            let e = Glibc.exp(-x)
            return e * (e - 1) / ((1 + e) * (1 + e) * (1 + e))
        case .relu: return 0
        }
    }

    /// Random float64 inputs inside the op's domain: log and sqrt positive, relu (and
    /// sigmoid's second derivative, which cancels at 0) away from 0.
    func sample(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
        switch self {
        case .exp: rng.tensor(shape, in: -3...3)
        case .log, .sqrt: rng.tensor(shape, in: 0.2...4)
        case .sin, .cos: rng.tensor(shape, in: -3...3)
        case .tanh: rng.tensor(shape, in: -2.5...2.5)
        case .sigmoid: rng.tensor(shape, magnitude: 0.2...4)
        case .relu: rng.tensor(shape, magnitude: 0.05...2)
        }
    }

    /// Random float32 inputs, in a range where float32 arithmetic keeps its relative
    /// accuracy (no cancellation in 1 - y² or 1 - y beyond a factor of ~3).
    func sampleFloat32(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
        switch self {
        case .exp, .sin, .cos: rng.float32Tensor(shape, in: -3...3)
        case .log, .sqrt: rng.float32Tensor(shape, in: 0.2...4)
        case .tanh, .sigmoid: rng.float32Tensor(shape, in: -1...1)
        case .relu: rng.float32Tensor(shape, in: -2...2)
        }
    }
}

@Suite("Elementwise ops: values and gradients")
struct ElementwiseGradientTests {
    /// Forward values against the C library, element by element, shape and dtype kept.
    @Test(arguments: UnaryOp.allCases)
    func forwardMatchesCLibrary(op: UnaryOp) {
        var rng = SplitMix64(seed: 11)
        let x = op.sample([2, 3], &rng)
        let y = op(Variable(x))
        #expect(y.shape == [2, 3])
        #expect(y.dtype == .float64)
        for (i, (xi, yi)) in zip(x.scalars, y.data.scalars).enumerated() {
            expectULPs(yi, op.reference(xi), within: op.referenceULPs, "\(op)(\(xi)) at element \(i)")
        }
    }

    /// Forward values at fixed points whose results are known exactly.
    @Test func forwardAtExactPoints() throws {
        func value(_ op: UnaryOp, _ x: Double) -> Double? { op(Variable(x)).data.scalar }
        #expect(value(.exp, 0) == 1)
        #expect(value(.log, 1) == 0)
        #expect(value(.sqrt, 6.25) == 2.5)  // 2.5² = 6.25, both exact in binary
        #expect(value(.sin, 0) == 0)
        #expect(value(.cos, 0) == 1)
        #expect(value(.tanh, 0) == 0)
        #expect(value(.sigmoid, 0) == 0.5)  // 1 / (1 + e⁰) = 1/2
        #expect(value(.relu, -3) == 0)
        #expect(value(.relu, 3) == 3)
    }

    /// Gradients against the closed-form derivative. The tolerance, 1e-13 relative, covers
    /// the rounding of different but equivalent formulas (1 - tanh² against 1/cosh², which
    /// cancels by up to a factor ~40 on |x| ≤ 2.5); a wrong formula is off by O(1).
    @Test(arguments: UnaryOp.allCases)
    func gradientMatchesClosedForm(op: UnaryOp) throws {
        var rng = SplitMix64(seed: 12)
        let x = Variable(op.sample([7], &rng))
        let g = try gradients(of: sum(op(x)), withRespectTo: [x])[0]
        #expect(g.shape == [7])
        #expect(g.dtype == .float64)
        for (xi, gi) in zip(x.data.scalars, g.data.scalars) {
            expectRelative(gi, op.derivative(xi), rtol: 1e-13, "\(op)'(\(xi))")
        }
    }

    /// Central differences on random inputs, for tensors of several ranks (0-d included).
    @Test(arguments: UnaryOp.allCases, [[], [5], [2, 3], [2, 1, 3]] as [[Int]])
    func numericalGradient(op: UnaryOp, shape: [Int]) throws {
        var rng = SplitMix64(seed: 13)
        try checkGradients("\(op)", [op.sample(shape, &rng)]) { xs in op(xs[0]) }
    }

    /// The backward pass is differentiable: second derivatives by central differences of
    /// the first gradient (gradgradcheck).
    @Test(arguments: UnaryOp.allCases.filter(\.isSmooth))
    func numericalSecondOrderGradient(op: UnaryOp) throws {
        var rng = SplitMix64(seed: 14)
        try checkSecondOrderGradients("\(op)", [op.sample([2, 3], &rng)]) { xs in op(xs[0]) }
    }

    /// Second derivatives against their closed forms: for an elementwise f,
    /// ∂/∂xᵢ Σⱼ f'(xⱼ) = f''(xᵢ). relu's is 0 (its gradient is a constant 0/1 mask).
    @Test(arguments: UnaryOp.allCases)
    func secondDerivativeMatchesClosedForm(op: UnaryOp) throws {
        var rng = SplitMix64(seed: 15)
        let x = Variable(op.sample([6], &rng))
        let g = try gradients(of: sum(op(x)), withRespectTo: [x], createGraph: true)[0]
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        #expect(h.shape == [6])
        for (xi, hi) in zip(x.data.scalars, h.data.scalars) {
            if op == .relu {
                #expect(hi == 0, "relu''(\(xi))")
            } else {
                expectRelative(hi, op.secondDerivative(xi), rtol: 1e-12, "\(op)''(\(xi))")
            }
        }
    }

    /// Third derivatives too, for exp (whose every derivative is exp): the recorded
    /// backward of a recorded backward is still right.
    @Test func thirdDerivativeOfExp() throws {
        let x = Variable(try Tensor(shape: [3], scalars: [-1, 0.5, 2]))
        let g1 = try gradients(of: sum(exp(x)), withRespectTo: [x], createGraph: true)[0]
        let g2 = try gradients(of: sum(g1), withRespectTo: [x], createGraph: true)[0]
        let g3 = try gradients(of: sum(g2), withRespectTo: [x])[0]
        for (xi, gi) in zip(x.data.scalars, g3.data.scalars) {
            expectULPs(gi, Glibc.exp(xi), within: 1, "exp'''(\(xi))")
        }
    }

    /// float32: values equal the float64 result rounded to `Float`, within a few ulps
    /// (glibc's float functions are accurate to < 1-2 ulps; sigmoid's 1/(1 + e⁻ˣ) adds
    /// two roundings), and gradients are float32, of the input's shape, equally close.
    @Test(arguments: UnaryOp.allCases)
    func float32MatchesFloat64(op: UnaryOp) throws {
        var rng = SplitMix64(seed: 16)
        let x32 = op.sampleFloat32([2, 3], &rng)
        let x64 = x32.converted(to: .float64)  // exact widening

        let v32 = Variable(x32), v64 = Variable(x64)
        let y32 = op(v32), y64 = op(v64)
        #expect(y32.dtype == .float32)
        #expect(y32.shape == [2, 3])
        let forwardULPs: UInt64 = op == .relu || op == .sqrt ? 0 : (op == .sigmoid ? 4 : 2)
        for (i, (a, b)) in zip(y32.data.scalars, y64.data.scalars).enumerated() {
            expectULPs(Float(a), Float(b), within: forwardULPs, "float32 \(op) at element \(i)")
        }

        let g32 = try gradients(of: sum(y32), withRespectTo: [v32])[0]
        let g64 = try gradients(of: sum(y64), withRespectTo: [v64])[0]
        #expect(g32.dtype == .float32)
        #expect(g32.shape == [2, 3])
        // A gradient takes 1-2 float32 roundings on top of the forward value's error
        // (≤ 1 ulp); tanh's 1 - y² amplifies y's error by 2y²/(1 - y²) ≤ 3 on |x| ≤ 1.
        for (i, (a, b)) in zip(g32.data.scalars, g64.data.scalars).enumerated() {
            expectULPs(Float(a), Float(b), within: 4, "float32 \(op)' at element \(i)")
        }
    }
}
