import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Dropout")
struct DropoutTests {
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
}
