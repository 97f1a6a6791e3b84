import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax and log-softmax along an axis, against references computed here element by
/// element with the C library, and their gradients against the closed forms.
@Suite("Activations: softmax and log_softmax")
struct ActivationTests {
    /// The slices along `axis` of a row-major `shape`: each a list of flat offsets.
    private func slices(_ shape: [Int], axis: Int) -> [[Int]] {
        let size = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        return (0..<outer).flatMap { o in
            (0..<inner).map { i in (0..<size).map { k in (o * size + k) * inner + i } }
        }
    }

    /// softmax by the textbook formula eˣⁱ/Σeˣʲ, which is accurate for moderate inputs
    /// (no overflow below ~700): a reference that does not subtract the maximum.
    private func referenceSoftmax(_ x: Tensor, axis: Int) -> [Double] {
        var out = x.scalars
        for slice in slices(x.shape, axis: axis) {
            let e = slice.map { Glibc.exp(x.scalars[$0]) }
            let total = e.reduce(0, +)
            for (k, offset) in slice.enumerated() { out[offset] = e[k] / total }
        }
        return out
    }

    @Test(arguments: [([4], 0), ([2, 3], 1), ([2, 3], 0), ([2, 3, 4], 1), ([2, 3, 4], 2)] as [([Int], Int)])
    func softmaxMatchesReference(shape: [Int], axis: Int) throws {
        var rng = SplitMix64(seed: 51)
        let x = rng.tensor(shape, in: -3...3)
        let y = try softmax(Variable(x), axis: axis)
        let logY = try logSoftmax(Variable(x), axis: axis - shape.count)   // the same axis, counted from the end
        let expected = referenceSoftmax(x, axis: axis)
        #expect(y.shape == shape && logY.shape == shape)
        for (k, (a, b)) in zip(y.data.scalars, expected).enumerated() {
            expectRelative(a, b, rtol: 1e-14, "softmax element \(k)")
        }
        for (k, (a, b)) in zip(logY.data.scalars, expected).enumerated() {
            #expect(Swift.abs(a - Glibc.log(b)) <= 1e-14 * Swift.max(1, Swift.abs(a)), "log_softmax element \(k): \(a) vs log \(b)")
        }
        // Each slice sums to 1.
        for slice in slices(shape, axis: axis) {
            #expect(Swift.abs(slice.reduce(0) { $0 + y.data.scalars[$1] } - 1) < 1e-15)
        }
    }

    /// Logits of ±1000: eˣ overflows for the textbook formula (∞/∞ = NaN), while after
    /// subtracting the maximum the values are exact: softmax([1000, -1000, 0]) = [1, 0, 0]
    /// (e⁻¹⁰⁰⁰ and e⁻²⁰⁰⁰ are 0 in double) and log_softmax = [0, -2000, -1000]. A row of
    /// equal logits gives 1/3 each, and the gradients are finite.
    @Test func largeLogits() throws {
        #expect((Glibc.exp(1000.0) / (Glibc.exp(1000.0) + 1)).isNaN)
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1000, -1000, 0, -1000, -1000, -1000]))
        let y = try softmax(x)
        #expect(Array(y.data.scalars[0..<3]) == [1, 0, 0])
        for v in y.data.scalars[3...] { expectRelative(v, 1.0 / 3, rtol: 1e-15, "uniform row") }
        let logY = try logSoftmax(x)
        #expect(Array(logY.data.scalars[0..<3]) == [0, -2000, -1000])
        for v in logY.data.scalars[3...] { expectRelative(v, -Glibc.log(3), rtol: 1e-15, "uniform row (log)") }
        let w = Variable.constant(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        for output in [y, logY] {
            let g = try gradients(of: sum(output * w), withRespectTo: [x])[0]
            #expect(g.data.scalars.allSatisfy { $0.isFinite })
        }
        // Shifting every logit by a constant changes nothing.
        let shifted = try softmax(x + 1e6)
        #expect(shifted.data.scalars[0..<3] == y.data.scalars[0..<3])
    }

    /// A 0-d tensor is its own only slice: softmax 1 and log_softmax 0, gradient 0.
    @Test func zeroDimensional() throws {
        let x = Variable(0.7)
        #expect(try softmax(x).data.scalar == 1)
        #expect(try logSoftmax(x, axis: 0).data.scalar == 0)
        #expect(try gradients(of: try softmax(x), withRespectTo: [x])[0].data.scalar == 0)
        #expect(try gradients(of: try logSoftmax(x), withRespectTo: [x])[0].data.scalar == 0)
    }

    /// For L = Σ w ⊙ softmax(x): ∂L/∂xᵢ = yᵢ(wᵢ - Σⱼ wⱼyⱼ); for L = Σ w ⊙ log_softmax(x):
    /// ∂L/∂xᵢ = wᵢ - yᵢ Σⱼ wⱼ (y = softmax(x)), along each slice.
    @Test(arguments: [([5], 0), ([2, 3], 1), ([3, 2], 0), ([2, 3, 2], 1)] as [([Int], Int)])
    func gradientsMatchClosedForm(shape: [Int], axis: Int) throws {
        var rng = SplitMix64(seed: 52)
        let xv = rng.tensor(shape, in: -2...2), wv = rng.tensor(shape, in: -1...1)
        let x = Variable(xv), w = Variable.constant(wv)
        let y = referenceSoftmax(xv, axis: axis)
        var softmaxGrad = [Double](repeating: 0, count: xv.count), logGrad = softmaxGrad
        for slice in slices(shape, axis: axis) {
            let dot = slice.reduce(0) { $0 + wv.scalars[$1] * y[$1] }
            let total = slice.reduce(0) { $0 + wv.scalars[$1] }
            for i in slice {
                softmaxGrad[i] = y[i] * (wv.scalars[i] - dot)
                logGrad[i] = wv.scalars[i] - y[i] * total
            }
        }
        let g = try gradients(of: sum(try softmax(x, axis: axis) * w), withRespectTo: [x])[0]
        let gLog = try gradients(of: sum(try logSoftmax(x, axis: axis) * w), withRespectTo: [x])[0]
        for i in 0..<xv.count {
            #expect(Swift.abs(g.data.scalars[i] - softmaxGrad[i]) <= 1e-14, "softmax' element \(i)")
            #expect(Swift.abs(gLog.data.scalars[i] - logGrad[i]) <= 1e-14, "log_softmax' element \(i)")
        }
    }

    @Test(arguments: [([], -1), ([5], 0), ([2, 3], 1), ([2, 3], 0), ([2, 2, 3], -2)] as [([Int], Int)])
    func numericalGradients(shape: [Int], axis: Int) throws {
        var rng = SplitMix64(seed: 53)
        let x = rng.tensor(shape, in: -2...2)
        try checkGradients("softmax", [x]) { xs in try softmax(xs[0], axis: axis) }
        try checkGradients("log_softmax", [x]) { xs in try logSoftmax(xs[0], axis: axis) }
        try checkSecondOrderGradients("softmax", [x]) { xs in try softmax(xs[0], axis: axis) }
        try checkSecondOrderGradients("log_softmax", [x]) { xs in try logSoftmax(xs[0], axis: axis) }
    }

    /// Third derivatives: the second-order check applied to the first gradient
    /// ∇ Σ w ⊙ softmax(x), itself recorded (so its Hessian-vector product is third order).
    @Test func thirdOrderThroughSecondOrderCheck() throws {
        var rng = SplitMix64(seed: 54)
        let w = Variable.constant(rng.tensor([2, 3], in: -1...1))
        try checkSecondOrderGradients("softmax'", [rng.tensor([2, 3], in: -1...1)]) { xs in
            try gradients(of: sum(try softmax(xs[0]) * w), withRespectTo: [xs[0]], createGraph: true)[0]
        }
        try checkSecondOrderGradients("log_softmax'", [rng.tensor([2, 3], in: -1...1)]) { xs in
            try gradients(of: sum(try logSoftmax(xs[0]) * w), withRespectTo: [xs[0]], createGraph: true)[0]
        }
    }

    /// float32 runs in Float and stays within a few float ulps of the float64 result.
    @Test func float32MatchesFloat64() throws {
        var rng = SplitMix64(seed: 55)
        let x32 = rng.float32Tensor([3, 4], in: -3...3)
        let v32 = Variable(x32), v64 = Variable(x32.converted(to: .float64))
        let w = rng.tensor([3, 4], in: -1...1)
        for (f32, f64) in [(try softmax(v32), try softmax(v64)), (try logSoftmax(v32), try logSoftmax(v64))] {
            #expect(f32.dtype == .float32)
            for (a, b) in zip(f32.data.scalars, f64.data.scalars) {
                #expect(Swift.abs(a - b) <= 4e-7 * Swift.abs(b) + 1e-7)
            }
            let g32 = try gradients(of: sum(f32 * Variable.constant(w.converted(to: .float32))), withRespectTo: [v32])[0]
            let g64 = try gradients(of: sum(f64 * Variable.constant(w)), withRespectTo: [v64])[0]
            #expect(g32.dtype == .float32)
            for (a, b) in zip(g32.data.scalars, g64.data.scalars) {
                #expect(Swift.abs(a - b) <= 1e-6)
            }
        }
    }

    @Test func axisOutOfRange() {
        let x = Variable(try! Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try softmax(x, axis: 2) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -3, rank: 2)) { try logSoftmax(x, axis: -3) }
        #expect(AutogradError.axisOutOfRange(axis: 2, rank: 2).description
                == "axis 2 is out of range for a tensor of rank 2 (valid: -2...1)")
    }

    /// softmin is softmax of −x: against the textbook reference on −x, gradients numerically.
    @Test func softminIsSoftmaxOfTheNegation() throws {
        var rng = SplitMix64(seed: 57)
        let x = rng.tensor([2, 3], in: -3...3)
        let y = try softmin(Variable(x), axis: 1)
        let expected = referenceSoftmax(try Tensor(shape: [2, 3], scalars: x.scalars.map { -$0 }), axis: 1)
        for (a, b) in zip(y.data.scalars, expected) { #expect(Swift.abs(a - b) <= 1e-15, "softmin \(a) vs \(b)") }
        try checkGradients("softmin", [x]) { xs in try softmin(xs[0], axis: 0) }
        try checkSecondOrderGradients("softmin", [x]) { xs in try softmin(xs[0]) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try softmin(Variable(x), axis: 2) }
    }
}
