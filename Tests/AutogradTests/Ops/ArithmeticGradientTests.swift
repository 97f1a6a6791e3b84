import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Arithmetic with a plain number on one side, negation and squaring: every form the
/// operators offer, with value, derivative and second derivative written out by hand.
/// The number is 2.5 (not 2), so that `x ** c` and `c ** x` cannot be confused with squaring.
enum ScalarForm: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case xPlusC, cPlusX, xMinusC, cMinusX, xTimesC, cTimesX, xOverC, cOverX
    case xPowC, cPowX, xPowThree, xPowMinusOneAndHalf, negativePrefix, negFunction, square

    static let c = 2.5

    var testDescription: String {
        switch self {
        case .xPlusC: "x + 2.5"
        case .cPlusX: "2.5 + x"
        case .xMinusC: "x - 2.5"
        case .cMinusX: "2.5 - x"
        case .xTimesC: "x * 2.5"
        case .cTimesX: "2.5 * x"
        case .xOverC: "x / 2.5"
        case .cOverX: "2.5 / x"
        case .xPowC: "x ** 2.5"
        case .cPowX: "2.5 ** x"
        case .xPowThree: "x ** 3"
        case .xPowMinusOneAndHalf: "x ** -1.5"
        case .negativePrefix: "-x"
        case .negFunction: "neg(x)"
        case .square: "square(x)"
        }
    }

    func callAsFunction(_ x: Variable) -> Variable {
        let c = Self.c
        switch self {
        case .xPlusC: return x + c
        case .cPlusX: return c + x
        case .xMinusC: return x - c
        case .cMinusX: return c - x
        case .xTimesC: return x * c
        case .cTimesX: return c * x
        case .xOverC: return x / c
        case .cOverX: return c / x
        case .xPowC: return x ** c
        case .cPowX: return c ** x
        case .xPowThree: return x ** 3
        case .xPowMinusOneAndHalf: return x ** -1.5
        case .negativePrefix: return -x
        case .negFunction: return neg(x)
        case .square: return Autograd.square(x)
        }
    }

    /// The value, from IEEE arithmetic and the C library's `pow`.
    func reference(_ x: Double) -> Double {
        let c = Self.c
        switch self {
        case .xPlusC: return x + c
        case .cPlusX: return c + x
        case .xMinusC: return x - c
        case .cMinusX: return c - x
        case .xTimesC, .cTimesX: return x * c
        case .xOverC: return x / c
        case .cOverX: return c / x
        case .xPowC: return Glibc.pow(x, c)
        case .cPowX: return Glibc.pow(c, x)
        case .xPowThree: return Glibc.pow(x, 3)
        case .xPowMinusOneAndHalf: return Glibc.pow(x, -1.5)
        case .negativePrefix, .negFunction: return -x
        case .square: return x * x
        }
    }

    /// d/dx, by calculus.
    func derivative(_ x: Double) -> Double {
        let c = Self.c
        switch self {
        case .xPlusC, .cPlusX, .xMinusC: return 1
        case .cMinusX, .negativePrefix, .negFunction: return -1
        case .xTimesC, .cTimesX: return c
        case .xOverC: return 1 / c
        case .cOverX: return -c / (x * x)
        case .xPowC: return c * Glibc.pow(x, c - 1)
        case .cPowX: return Glibc.log(c) * Glibc.pow(c, x)
        case .xPowThree: return 3 * x * x
        case .xPowMinusOneAndHalf: return -1.5 * Glibc.pow(x, -2.5)
        case .square: return 2 * x
        }
    }

    /// d²/dx², by calculus.
    func secondDerivative(_ x: Double) -> Double {
        let c = Self.c
        switch self {
        case .xPlusC, .cPlusX, .xMinusC, .cMinusX, .xTimesC, .cTimesX, .xOverC, .negativePrefix, .negFunction:
            return 0
        case .cOverX: return 2 * c / (x * x * x)
        case .xPowC: return c * (c - 1) * Glibc.pow(x, c - 2)
        case .cPowX: return Glibc.log(c) * Glibc.log(c) * Glibc.pow(c, x)
        case .xPowThree: return 6 * x
        case .xPowMinusOneAndHalf: return 3.75 * Glibc.pow(x, -3.5)
        case .square: return 2
        }
    }

    /// Inputs where the form is smooth: fractional powers of positive numbers, divisors
    /// away from 0.
    func sample(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
        switch self {
        case .xPowC, .xPowMinusOneAndHalf: rng.tensor(shape, in: 0.3...2.5)
        case .cOverX: rng.tensor(shape, magnitude: 0.5...2)
        default: rng.tensor(shape, in: -2...2)
        }
    }
}

@Suite("Arithmetic ops: values and gradients")
struct ArithmeticGradientTests {
    // MARK: Binary ops on equal shapes

    /// Values against IEEE arithmetic (exact: each is one correctly rounded operation)
    /// and the C library's pow; the named functions agree with the operators.
    @Test(arguments: BinaryOp.allCases)
    func forwardMatchesReference(op: BinaryOp) throws {
        var rng = SplitMix64(seed: 21)
        let (a, b) = op.sample([2, 3], [2, 3], &rng)
        let y = op(Variable(a), Variable(b))
        let named = try op.named(Variable(a), Variable(b))
        #expect(y.shape == [2, 3])
        #expect(named.data == y.data)
        for (i, ((ai, bi), yi)) in zip(zip(a.scalars, b.scalars), y.data.scalars).enumerated() {
            expectULPs(yi, op.reference(ai, bi), within: op == .pow ? 1 : 0, "\(op)(\(ai), \(bi)) at \(i)")
        }
    }

    /// Hand-checked values: 7 + 2 = 9, 7 - 2 = 5, 7·2 = 14, 7/2 = 3.5, 7² = 49.
    @Test func forwardAtExactPoints() {
        let a = Variable(7.0), b = Variable(2.0)
        #expect((a + b).data.scalar == 9)
        #expect((a - b).data.scalar == 5)
        #expect((a * b).data.scalar == 14)
        #expect((a / b).data.scalar == 3.5)
        #expect((a ** b).data.scalar == 49)
    }

    /// Gradients against the partial derivatives. The library computes ∂(a/b)/∂b as
    /// -(a/b)/b and the reference as -a/(b·b): two roundings each, so 1e-14 is ample.
    @Test(arguments: BinaryOp.allCases)
    func gradientMatchesClosedForm(op: BinaryOp) throws {
        var rng = SplitMix64(seed: 22)
        let (at, bt) = op.sample([5], [5], &rng)
        let a = Variable(at), b = Variable(bt)
        let g = try gradients(of: sum(op(a, b)), withRespectTo: [a, b])
        #expect(g[0].shape == [5] && g[1].shape == [5])
        for i in 0..<5 {
            let (ai, bi) = (at.scalars[i], bt.scalars[i])
            let (da, db) = op.partials(ai, bi)
            expectRelative(g[0].data.scalars[i], da, rtol: 1e-14, "∂\(op)/∂a at (\(ai), \(bi))")
            expectRelative(g[1].data.scalars[i], db, rtol: 1e-14, "∂\(op)/∂b at (\(ai), \(bi))")
        }
    }

    @Test(arguments: BinaryOp.allCases, [[], [4], [2, 3]] as [[Int]])
    func numericalGradient(op: BinaryOp, shape: [Int]) throws {
        var rng = SplitMix64(seed: 23)
        let (a, b) = op.sample(shape, shape, &rng)
        try checkGradients("\(op)", [a, b]) { xs in op(xs[0], xs[1]) }
    }

    @Test(arguments: BinaryOp.allCases)
    func numericalSecondOrderGradient(op: BinaryOp) throws {
        var rng = SplitMix64(seed: 24)
        let (a, b) = op.sample([2, 3], [2, 3], &rng)
        try checkSecondOrderGradients("\(op)", [a, b]) { xs in op(xs[0], xs[1]) }
    }

    /// The full Hessian of each binary op at a point, against calculus:
    /// a·b: [[0, 1], [1, 0]]; a/b: f_aa = 0, f_ab = -1/b², f_bb = 2a/b³;
    /// a^b: f_aa = b(b-1)a^(b-2), f_ab = a^(b-1)(1 + b·ln a), f_bb = a^b·ln²a.
    @Test(arguments: BinaryOp.allCases)
    func hessianMatchesClosedForm(op: BinaryOp) throws {
        let (av, bv) = (1.75, -0.625)  // inside every op's domain (a > 0 for pow, b ≠ 0)
        let expected: [[Double]] = switch op {
        case .add, .sub: [[0, 0], [0, 0]]
        case .mul: [[0, 1], [1, 0]]
        case .div: [[0, -1 / (bv * bv)], [-1 / (bv * bv), 2 * av / (bv * bv * bv)]]
        case .pow: [
            [bv * (bv - 1) * Glibc.pow(av, bv - 2), Glibc.pow(av, bv - 1) * (1 + bv * Glibc.log(av))],
            [Glibc.pow(av, bv - 1) * (1 + bv * Glibc.log(av)), Glibc.pow(av, bv) * Glibc.log(av) * Glibc.log(av)],
        ]
        }
        let a = Variable(av), b = Variable(bv)
        let g = try gradients(of: op(a, b), withRespectTo: [a, b], createGraph: true)
        for i in 0..<2 {
            let row = try gradients(of: g[i], withRespectTo: [a, b])
            for j in 0..<2 {
                let h = try #require(row[j].data.scalar)
                if expected[i][j] == 0 {
                    #expect(h == 0, "\(op) Hessian[\(i)][\(j)]")
                } else {
                    expectRelative(h, expected[i][j], rtol: 1e-13, "\(op) Hessian[\(i)][\(j)]")
                }
            }
        }
    }

    // MARK: A number on either side, negation, squaring

    @Test(arguments: ScalarForm.allCases)
    func scalarFormForward(form: ScalarForm) {
        var rng = SplitMix64(seed: 25)
        let x = form.sample([2, 3], &rng)
        let y = form(Variable(x))
        #expect(y.shape == [2, 3])
        #expect(y.dtype == .float64)
        for (xi, yi) in zip(x.scalars, y.data.scalars) {
            // + - * / and negation are single IEEE operations (exact); pow is libm's.
            expectULPs(yi, form.reference(xi), within: 1, "\(form) at x = \(xi)")
        }
    }

    @Test(arguments: ScalarForm.allCases)
    func scalarFormGradientMatchesClosedForm(form: ScalarForm) throws {
        var rng = SplitMix64(seed: 26)
        let x = Variable(form.sample([6], &rng))
        let g = try gradients(of: sum(form(x)), withRespectTo: [x], createGraph: true)[0]
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        #expect(g.shape == [6] && h.shape == [6])
        for (i, xi) in x.data.scalars.enumerated() {
            expectRelative(g.data.scalars[i], form.derivative(xi), rtol: 1e-14, "(\(form))' at \(xi)")
            let expected = form.secondDerivative(xi)
            if expected == 0 {
                #expect(h.data.scalars[i] == 0, "(\(form))'' at \(xi)")
            } else {
                expectRelative(h.data.scalars[i], expected, rtol: 1e-13, "(\(form))'' at \(xi)")
            }
        }
    }

    @Test(arguments: ScalarForm.allCases)
    func scalarFormNumericalGradients(form: ScalarForm) throws {
        var rng = SplitMix64(seed: 27)
        let x = form.sample([2, 3], &rng)
        try checkGradients("\(form)", [x]) { xs in form(xs[0]) }
        try checkSecondOrderGradients("\(form)", [x]) { xs in form(xs[0]) }
    }

    /// A number adopts the variable's dtype (as a Python number does in torch): results
    /// and gradients of float32 variables stay float32.
    @Test func numbersTakeTheVariablesDtype() throws {
        let x = Variable(Tensor([1.5, 2], dtype: .float32))
        for y in [x + 2.5, 2.5 - x, x * 2.5, 2.5 / x, x ** 2.5, 2.5 ** x] {
            #expect(y.dtype == .float32)
            let g = try gradients(of: sum(y), withRespectTo: [x])[0]
            #expect(g.dtype == .float32)
        }
    }

    // MARK: Operator syntax

    /// `**` binds tighter than `*` and is right-associative (as in Python), while a prefix
    /// minus binds tighter than any infix operator (Swift's rule, unlike Python).
    @Test func powerPrecedence() throws {
        let x = Variable(3.0)
        #expect((2 * x ** 2).data.scalar == 18)       // 2·(3²), not (2·3)² = 36
        #expect((-x ** 2).data.scalar == 9)           // (-3)², Python gives -9
        #expect((-(x ** 2)).data.scalar == -9)
        let y = Variable(1.5)
        // 2 ** (y ** 2) = 2^2.25 = 4.756828460010884 (Python: 2 ** 2.25); (2 ** y) ** 2 = 8.
        expectULPs(try #require((2 ** y ** 2).data.scalar), 4.756828460010884, within: 1, "2 ** y ** 2")
    }

    // MARK: Errors

    /// Shapes that do not broadcast: the named function throws, naming both shapes and the op.
    @Test(arguments: BinaryOp.allCases)
    func mismatchedShapesThrow(op: BinaryOp) {
        let a = Variable(try! Tensor.ones([2, 3])), b = Variable(try! Tensor.ones([4]))
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [4], op: op.libraryName)) {
            try op.named(a, b)
        }
        let error = AutogradError.shapesDoNotBroadcast([2, 3], [4], op: op.libraryName)
        #expect(error.description == "\(op.libraryName): shapes [2, 3] and [4] do not broadcast")
    }

    /// Operators cannot throw: shapes that do not broadcast stop the program with the
    /// error's description (as an out-of-range array subscript does).
    @Test func operatorTrapsOnMismatchedShapes() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Variable(try! Tensor.ones([2, 3])), b = Variable(try! Tensor.ones([4]))
            _ = a * b
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("multiply: shapes [2, 3] and [4] do not broadcast"))
    }

    /// Operands of different dtypes: the named function throws.
    @Test(arguments: BinaryOp.allCases)
    func mixedDtypesThrow(op: BinaryOp) {
        let a = Variable(Tensor([1, 2])), b = Variable(Tensor([1, 2], dtype: .float32))
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: op.libraryName)) {
            try op.named(a, b)
        }
    }

    // MARK: float32

    /// float32 values equal the float64 result rounded to Float: exactly for + - * /
    /// (double has more than 2·24 + 2 bits, so rounding twice is innocuous), within 2 ulps
    /// for pow (glibc's powf is within 1 ulp). Gradients are float32, of the input shapes,
    /// within 4 ulps (2-3 float32 roundings, or powf's error plus 2).
    @Test(arguments: BinaryOp.allCases)
    func float32MatchesFloat64(op: BinaryOp) throws {
        var rng = SplitMix64(seed: 28)
        let (a64, b64) = op.sample([2, 3], [2, 3], &rng)
        let a32 = a64.converted(to: .float32), b32 = b64.converted(to: .float32)
        let va32 = Variable(a32), vb32 = Variable(b32)
        let va64 = Variable(a32.converted(to: .float64)), vb64 = Variable(b32.converted(to: .float64))
        let y32 = op(va32, vb32), y64 = op(va64, vb64)
        #expect(y32.dtype == .float32)
        for (i, (p, q)) in zip(y32.data.scalars, y64.data.scalars).enumerated() {
            expectULPs(Float(p), Float(q), within: op == .pow ? 2 : 0, "float32 \(op) at \(i)")
        }
        let g32 = try gradients(of: sum(y32), withRespectTo: [va32, vb32])
        let g64 = try gradients(of: sum(y64), withRespectTo: [va64, vb64])
        for k in 0..<2 {
            #expect(g32[k].dtype == .float32)
            #expect(g32[k].shape == [2, 3])
            for (i, (p, q)) in zip(g32[k].data.scalars, g64[k].data.scalars).enumerated() {
                expectULPs(Float(p), Float(q), within: 4, "float32 ∂\(op)/∂input\(k) at \(i)")
            }
        }
    }

    // MARK: Cast

    /// `x.to(.float32)` rounds to Float; its gradient flows back as float64 (the input's
    /// dtype) and equals the float32 seed widened exactly.
    @Test func castRoundsAndItsGradientReturnsToTheInputDtype() throws {
        let values = [0.1, 1.0 / 3, -2.75, 1e-50]
        let x = Variable(Tensor(values))
        let y = x.to(.float32)
        #expect(y.dtype == .float32)
        #expect(y.data.scalars == values.map { Double(Float($0)) })
        #expect(x.to(.float64) === x)  // already float64: no new node

        let w = try Tensor(shape: [4], float32Scalars: [0.5, -1.25, 3, 0.1])
        let g = try gradients(of: sum(y * Variable.constant(w)), withRespectTo: [x])[0]
        #expect(g.dtype == .float64)
        #expect(g.data.scalars == w.scalars)
    }
}
