import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Comparisons and where")
struct ComparisonTests {
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
