import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Values and gradients at the extremes, where torch's kernels and backward formulas
/// (tools/autograd/derivatives.yaml) give a definite answer and a textbook formula
/// would give NaN or a wrong zero. Each test says why its number is right.
@Suite("Edge values: torch's behaviour at the extremes")
struct EdgeValueTests {
    /// The value and gradient of a one-input op at one point (seed 1).
    private func valueAndGradient(_ x: Double, _ f: (Variable) -> Variable) throws -> (Double, Double) {
        let v = Variable(x)
        let y = f(v)
        let g = try gradients(of: y, withRespectTo: [v])[0]
        return (try #require(y.data.scalar), try #require(g.data.scalar))
    }

    /// tanh(±1000) = ±1: tanh x rounds to 1 in double from x ≈ 19.1 (1 - tanh x ≈ 2e^(-2x)
    /// < 2⁻⁵⁴). The gradient 1 - y² is then exactly 0. The textbook quotient
    /// (eˣ - e⁻ˣ)/(eˣ + e⁻ˣ) is ∞/∞ = NaN there (shown below with the C library).
    @Test func tanhSaturates() throws {
        let textbook = (Glibc.exp(1000.0) - Glibc.exp(-1000.0)) / (Glibc.exp(1000.0) + Glibc.exp(-1000.0))
        #expect(textbook.isNaN)

        let (y, g) = try valueAndGradient(1000) { tanh($0) }
        #expect(y == 1)
        #expect(g == 0)
        let (yn, gn) = try valueAndGradient(-1000) { tanh($0) }
        #expect(yn == -1)
        #expect(gn == 0)
    }

    /// σ(-1000) = 1/(1 + e¹⁰⁰⁰) = 1/∞ = 0 (the true value, ≈ 5e-435, is below the smallest
    /// double); σ(1000) = 1/(1 + e⁻¹⁰⁰⁰) = 1/(1 + 0) = 1. The gradient y(1 - y) is
    /// 0·1 = 0 and 1·0 = 0: no NaN at either end (torch: 0 and 0).
    @Test func sigmoidSaturates() throws {
        let (low, gLow) = try valueAndGradient(-1000) { sigmoid($0) }
        #expect(low == 0)
        #expect(gLow == 0)
        let (high, gHigh) = try valueAndGradient(1000) { sigmoid($0) }
        #expect(high == 1)
        #expect(gHigh == 0)
        #expect(!low.isNaN && !gLow.isNaN && !high.isNaN && !gHigh.isNaN)
    }

    /// relu'(0) = 0: torch's threshold_backward passes the gradient only where x > 0.
    @Test func reluGradientAtZeroIsZero() throws {
        let (y, g) = try valueAndGradient(0) { relu($0) }
        #expect(y == 0)
        #expect(g == 0)
        // ...while just above 0 it is 1, and just below 0.
        #expect(try valueAndGradient(Double.leastNonzeroMagnitude) { relu($0) }.1 == 1)
        #expect(try valueAndGradient(-Double.leastNonzeroMagnitude) { relu($0) }.1 == 0)
    }

    /// d/dx x⁰ at 0 is 0: torch's pow_backward returns zeros when the exponent is 0, where
    /// the formula 0·x⁻¹ would be 0·∞ = NaN. The value is 0⁰ = 1 (C's pow).
    @Test func powerZeroHasZeroGradientAtZero() throws {
        #expect((0 * Glibc.pow(0.0, -1.0)).isNaN)  // the unmasked formula: 0·∞ = NaN
        let (y, g) = try valueAndGradient(0) { $0 ** 0 }
        #expect(y == 1)
        #expect(g == 0)
        // Same with a tensor exponent of 0: ∂(a^b)/∂a masked where b == 0.
        let a = Variable(0.0), b = Variable(0.0)
        let ga = try gradients(of: a ** b, withRespectTo: [a, b])
        #expect(ga[0].data.scalar == 0)
        // ∂(a^b)/∂b at a = 0, b = 0 ≥ 0 is masked to 0 too (0^b is flat for b ≥ 0).
        #expect(ga[1].data.scalar == 0)
    }

    /// d/dx x^0.5 at 0 is +∞: 0.5·0^(-0.5) = 0.5·∞ (torch: inf), the slope of √x at 0.
    @Test func squareRootPowerHasInfiniteSlopeAtZero() throws {
        let (y, g) = try valueAndGradient(0) { $0 ** 0.5 }
        #expect(y == 0)
        #expect(g == .infinity)
        // sqrt agrees: 1/(2·√0) = 1/0 = +∞.
        let (ys, gs) = try valueAndGradient(0) { sqrt($0) }
        #expect(ys == 0)
        #expect(gs == .infinity)
    }

    /// log 0 = -∞ and its gradient gy/x = 1/0 = +∞ (torch: -inf and inf). log of a
    /// negative number is NaN.
    @Test func logAtZero() throws {
        let (y, g) = try valueAndGradient(0) { log($0) }
        #expect(y == -.infinity)
        #expect(g == .infinity)
        #expect(try valueAndGradient(-1) { log($0) }.0.isNaN)
    }

    /// ∂(x/y)/∂y for x = y = 1e200 is -(x/y)/y = -1/1e200 = -1e-200 (torch's order of
    /// operations). The textbook -x/y² would overflow y² to ∞ and give -0.
    @Test func divisionGradientAvoidsOverflow() throws {
        #expect(-1e200 / (1e200 * 1e200) == 0)  // the textbook order: -0

        let x = Variable(1e200), y = Variable(1e200)
        let g = try gradients(of: x / y, withRespectTo: [x, y])
        let gx = try #require(g[0].data.scalar), gy = try #require(g[1].data.scalar)
        expectULPs(gy, -1e-200, within: 1, "∂(x/y)/∂y at x = y = 1e200")
        #expect(gy != 0)
        expectULPs(gx, 1e-200, within: 1, "∂(x/y)/∂x = 1/y at y = 1e200")
    }

    /// exp 710 = +∞: the largest double is ≈ e^709.78. The gradient gy·y is +∞ too.
    @Test func expOverflows() throws {
        let (y, g) = try valueAndGradient(710) { exp($0) }
        #expect(y == .infinity)
        #expect(g == .infinity)
        // Just below the threshold it is finite: e^709 ≈ 8.2e307.
        let (finite, _) = try valueAndGradient(709) { exp($0) }
        expectULPs(finite, Glibc.exp(709.0), within: 1, "exp(709)")
        #expect(finite.isFinite)
    }

    /// (-2)² = 4: C's pow is defined for a negative base with an integral exponent (torch
    /// gives 4), where exp(2·ln(-2)) would be NaN. The slope wrt the base is 2·(-2)¹ = -4;
    /// wrt the exponent it is 4·ln(-2) = NaN (torch: nan). A fractional power of a
    /// negative number is NaN.
    @Test func negativeBaseIntegralExponent() throws {
        let (y, g) = try valueAndGradient(-2) { $0 ** 2 }
        #expect(y == 4)
        #expect(g == -4)
        #expect(try valueAndGradient(-2) { $0 ** 3 }.0 == -8)
        #expect(try valueAndGradient(-2) { $0 ** 0.5 }.0.isNaN)

        let a = Variable(-2.0), b = Variable(2.0)
        let p = a ** b
        #expect(p.data.scalar == 4)
        let gp = try gradients(of: p, withRespectTo: [a, b])
        #expect(gp[0].data.scalar == -4)
        #expect(try #require(gp[1].data.scalar).isNaN)

        // A number base: (-2) ** x at x = 2.
        let x = Variable(2.0)
        #expect(((-2.0) ** x).data.scalar == 4)
    }

    /// 0^x at x = 1 is 0, and its gradient is 0: torch masks y·ln 0 = 0·(-∞) = NaN to 0
    /// where the base is 0 and the exponent ≥ 0 (0^x is flat there). At x = -1, 0^x = ∞
    /// and the gradient ∞·(-∞) = -∞ is not masked (torch: -inf).
    @Test func zeroBaseGradient() throws {
        #expect((0 * Glibc.log(0.0)).isNaN)  // the unmasked formula
        let (y, g) = try valueAndGradient(1) { 0 ** $0 }
        #expect(y == 0)
        #expect(g == 0)
        let (yNeg, gNeg) = try valueAndGradient(-1) { 0 ** $0 }
        #expect(yNeg == .infinity)
        #expect(gNeg == -.infinity)

        // The same with a tensor base: ∂(a^b)/∂b at a = 0, b = 1 is 0, ∂/∂a = 1·0⁰ = 1.
        let a = Variable(0.0), b = Variable(1.0)
        let gab = try gradients(of: a ** b, withRespectTo: [a, b])
        #expect(gab[0].data.scalar == 1)
        #expect(gab[1].data.scalar == 0)
    }

    /// NaN in, NaN out, for every elementwise op, and the derivative formulas propagate it
    /// (exp' = y, log' = 1/x, ... are NaN at NaN). relu is the exception for the gradient,
    /// as in torch: its backward passes the gradient where !(x <= 0), which holds for NaN.
    @Test(arguments: UnaryOp.allCases)
    func nanPropagatesThroughUnaryOps(op: UnaryOp) throws {
        let (y, g) = try valueAndGradient(.nan) { op($0) }
        #expect(y.isNaN)
        if op == .relu {
            #expect(g == 1)
        } else {
            #expect(g.isNaN)
        }
    }

    /// NaN through binary ops and reductions: the result is NaN, and so is every gradient
    /// that depends on the NaN's value; gradients that do not (∂(a + b), ∂sum) stay finite.
    @Test func nanPropagatesThroughBinaryOpsAndReductions() throws {
        let a = Variable(Tensor([.nan, 1])), b = Variable(Tensor([2, 3]))
        let m = a * b
        #expect(m.data.scalars[0].isNaN && m.data.scalars[1] == 3)
        let gm = try gradients(of: sum(m), withRespectTo: [a, b])
        #expect(gm[0].data.scalars == [2, 3])  // ∂/∂a = b: NaN-free
        #expect(gm[1].data.scalars[0].isNaN)   // ∂/∂b = a: NaN
        #expect(gm[1].data.scalars[1] == 1)

        let s = sum(a)
        #expect(try #require(s.data.scalar).isNaN)
        #expect(try gradients(of: s, withRespectTo: [a])[0].data.scalars == [1, 1])
        #expect(try #require(mean(a).data.scalar).isNaN)

        let q = try gradients(of: sum(a / b), withRespectTo: [b])[0]
        #expect(q.data.scalars[0].isNaN)

        // pow(NaN, 0) is 1 in C (and torch), and x⁰'s gradient is masked to 0.
        let (y0, g0) = try valueAndGradient(.nan) { $0 ** 0 }
        #expect(y0 == 1)
        #expect(g0 == 0)
    }
}
