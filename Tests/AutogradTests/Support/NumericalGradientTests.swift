import Testing
import Autograd

// The gradient checker must be able to fail: deliberately wrong backward passes,
// written as user-defined Functions, are caught, and the report says where.

/// `y = 2x` whose backward routes each gradient to the mirrored element: right only
/// when every incoming gradient is equal (a seed of ones), as a transposition bug is.
private final class MirroredGradientDouble: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [try Tensor(shape: xs[0].shape, scalars: xs[0].scalars.map { 2 * $0 })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let g = gys[0].data
        return [Variable.constant(try! Tensor(shape: g.shape, scalars: g.scalars.reversed().map { 2 * $0 }))]
    }
}

/// `y = 2x` with the gradient off by a factor: 3 instead of 2.
private final class WrongSlopeDouble: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [try Tensor(shape: xs[0].shape, scalars: xs[0].scalars.map { 2 * $0 })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * 3]
    }
}

/// `y = x³` whose backward, `gy · 3x²`, uses `3x²` as a constant: every first derivative
/// is right, but the backward is not differentiable, so second derivatives are 0 instead
/// of `6x`.
private final class DetachedCube: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [try Tensor(shape: xs[0].shape, scalars: xs[0].scalars.map { $0 * $0 * $0 })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let x = inputs[0].data
        let slope = try! Tensor(shape: x.shape, scalars: x.scalars.map { 3 * $0 * $0 })
        return [gys[0] * Variable.constant(slope)]
    }
}

@Suite("The numerical gradient checker")
struct NumericalGradientTests {
    private let input = try! Tensor(shape: [2, 3], scalars: [0.5, -1.25, 2, 0.75, -0.5, 1.5])

    /// A correct op passes, and every element was compared.
    @Test func correctOpPasses() throws {
        let report = try firstOrderReport("square", [input], seed: 1) { xs in square(xs[0]) }
        #expect(report.passed)
        #expect(report.checkedElements == 6)
        let second = try secondOrderReport("square", [input], seed: 1) { xs in square(xs[0]) }
        #expect(second.passed)
        #expect(second.checkedElements == 6)
    }

    /// A gradient sent to the mirrored element looks right under a seed of ones (every
    /// element receives 2), and is caught by the checker's random weights.
    @Test func permutedGradientIsCaughtByRandomWeights() throws {
        let x = Variable(input)
        let onesSeeded = try gradients(of: sum(MirroredGradientDouble()(x)), withRespectTo: [x])[0]
        #expect(onesSeeded.data.scalars == [2, 2, 2, 2, 2, 2])  // invisible with w = 1

        let report = try firstOrderReport("mirrored", [input], seed: 1) { xs in MirroredGradientDouble()(xs[0]) }
        #expect(!report.passed)
        #expect(report.mismatches.count == 6)  // the six weights are distinct
    }

    /// A wrong slope is caught at every element, and the report names the op, the input,
    /// the element and both values.
    @Test func wrongSlopeIsReportedPrecisely() throws {
        let report = try firstOrderReport("wrongSlope", [input, input], seed: 1) { xs in
            WrongSlopeDouble()(xs[0]) + xs[1]
        }
        // Input 0 is wrong everywhere (3w against 2w); input 1 (through +) is right.
        #expect(report.mismatches.count == 6)
        #expect(report.mismatches.allSatisfy { $0.input == 0 && $0.order == 1 })
        let first = try #require(report.mismatches.first)
        #expect(first.element == 0)
        #expect(first.index == [0, 0])
        // analytic = 3w, numeric ≈ 2w for the element's weight w
        #expect(abs(first.analytic / first.numeric - 1.5) < 1e-6)
        let text = first.description
        #expect(text.contains("wrongSlope"))
        #expect(text.contains("input 0"))
        #expect(text.contains("element 0"))
        #expect(text.contains("analytic \(first.analytic)"))
        #expect(text.contains("numeric \(first.numeric)"))
    }

    /// A backward that is right to first order but not differentiable passes the
    /// first-order check and fails the second-order one.
    @Test func nonDifferentiableBackwardFailsOnlyAtSecondOrder() throws {
        let first = try firstOrderReport("cube", [input], seed: 1) { xs in DetachedCube()(xs[0]) }
        #expect(first.passed)
        let second = try secondOrderReport("cube", [input], seed: 1) { xs in DetachedCube()(xs[0]) }
        #expect(second.mismatches.count == 6)
        #expect(second.mismatches.allSatisfy { $0.order == 2 && $0.analytic == 0 })
        // The numeric second derivative is w·v·6x for the two weights of each element.
        #expect(second.mismatches.allSatisfy { abs($0.numeric) > 1 })
    }

    /// gradcheck's tolerance: |a - n| <= 1e-5 + 1e-3·|n|.
    @Test func toleranceIsGradchecks() {
        #expect(GradCheck.isClose(analytic: 1000.9, numeric: 1000))     // 0.9 <= 1e-5 + 1
        #expect(!GradCheck.isClose(analytic: 1001.1, numeric: 1000))    // 1.1 > 1.00001
        #expect(GradCheck.isClose(analytic: 0.000009, numeric: 0))      // 9e-6 <= 1e-5
        #expect(!GradCheck.isClose(analytic: 0.000011, numeric: 0))     // 1.1e-5 > 1e-5
        #expect(!GradCheck.isClose(analytic: .nan, numeric: 1))
    }

    /// The generator is deterministic for a seed, and different seeds differ.
    @Test func generatorIsSeeded() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let xa = (0..<4).map { _ in a.next() }, xb = (0..<4).map { _ in b.next() }, xc = (0..<4).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
        // Vigna's splitmix64.c from state 0: the first output is 0xE220A8397B1DCDAF.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}
