import Foundation
import Testing
import Autograd

// Tensor math without a graph. Expected values are torch 2.x's (printed strings, argmax,
// linspace, arange) or exact arithmetic on small integers.

@Suite("Tensor public API")
struct TensorAPITests {
    @Test func literalsAndArithmetic() throws {
        let a: Tensor = [[1, 2], [3, 4]]
        #expect(a.shape == [2, 2])
        #expect(a + [10, 20] == [[11, 22], [13, 24]])
        #expect(2 * a - 1 == [[1, 3], [5, 7]])
        #expect(Float(2) * a == a + a)
        #expect(a ** 2 == [[1, 4], [9, 16]])
        #expect(-a / 2 == [[-0.5, -1], [-1.5, -2]])
        var b = a
        b -= 0.5 * a
        b *= 2
        #expect(b == a)
        let s = Tensor(3.5)
        #expect(s.item() == 3.5 && s.rank == 0)
        let empty: Tensor = []
        #expect(empty.shape == [0])
        let cube: Tensor = [[[1], [2]], [[3], [4]]]
        #expect(cube.shape == [2, 2, 1] && cube.scalars == [1, 2, 3, 4])
    }

    /// Ordinary number expressions in a file that imports Autograd: none of these may
    /// become ambiguous (a Tensor that number literals could become made them so).
    @Test func numberExpressionsStayNumbers() {
        let bound = 1 / 4.0
        #expect(bound == 0.25)
        let xs = [1.0, 2.0, 3.0, 4.0]
        let m = xs.reduce(0, +) / 100
        #expect(m == 0.1)
        let half = xs.map { $0 / 2 }
        #expect(half == [0.5, 1, 1.5, 2])
        var t = Tensor([1.0, 2.0])
        t *= 2
        t += 1
        t /= 2.0
        #expect(t == [1.5, 2.5])
        #expect(t * 2 == [3, 5] && 2 * t == [3, 5] && t - 0.5 == [1, 2])
    }

    /// A ragged literal stops the program with a message, in release builds too.
    @Test func raggedLiteralTraps() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let t: Tensor = [[1, 2], [3]]
            _ = t
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("ragged tensor literal: element [1] has shape [1], element [0] has shape [2]"))
    }

    @Test func comparisonsAndElementwise() {
        let t: Tensor = [1, 5, 3]
        #expect((t .> 2) == [0, 1, 1])
        #expect((2 .< t) * t == [0, 5, 3])
        #expect(Tensor([0.0]).exp() == [1])
        #expect(t.map { $0 * $0 + 1 } == [2, 26, 10])
    }

    @Test func reductionsAndIndices() throws {
        let a: Tensor = [[1, 7, 7], [9, 0, 2]]
        #expect(a.sum().item() == 26)
        #expect(try a.sum(axis: 0) == [10, 7, 9])
        #expect(try a.mean(axes: [1], keepdims: true) == Tensor(shape: [2, 1], scalars: [5, 11.0 / 3]))
        #expect(a.max().item() == 9 && a.min().item() == 0)
        // torch: a.argmax() = 3, a.argmax(1) = [1, 0] (first of the tied 7s), a.argmin(0) = [0, 1, 1]
        #expect(a.argmax().item() == 3)
        #expect(try a.argmax(axis: 1) == Tensor(int64: [1, 0]))
        #expect(try a.argmin(axis: 0) == Tensor(int64: [0, 1, 1]))
        #expect(try a.matmul(Tensor([1.0, 1, 1])) == [15, 11])
        #expect(a.transposed().shape == [3, 2])
        #expect(try a.reshaped([-1]).shape == [6])
    }

    @Test func subscripts() {
        let m: Tensor = [[1, 2, 3], [4, 5, 6]]
        #expect(m[1] == [4, 5, 6])
        #expect(m[-1][0] == Tensor(4.0) && m[-1][0].rank == 0)
        #expect(m[-1][0].item() == 4)
        #expect(m[1, 2] == 6.0)
        #expect(m[0..<1] == [[1, 2, 3]])
        #expect(m[.all, .at(2)] == [3, 6])
    }

    @Test func factories() throws {
        // torch.linspace(0, 1, 7) and torch.arange(1, 2, 0.25), float64
        #expect(try Tensor.linspace(0, 1, count: 7).scalars
                == [0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666667, 0.8333333333333334, 1.0])
        #expect(try Tensor.arange(1, 2, step: 0.25) == [1, 1.25, 1.5, 1.75])
        #expect(try Tensor.eye(2) == [[1, 0], [0, 1]])
        #expect(try Tensor.full([2], 7) == [7, 7])
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3)
        #expect(try Tensor.randn([4], using: &g1) == Tensor.randn([4], using: &g2))
        let ints = try Tensor.randint(0, 3, [50], using: &g1)
        #expect(ints.scalars.allSatisfy { [0, 1, 2].contains($0) })
    }

    @Test func printing() throws {
        // torch's str() of the same float64 tensors, with "torch." removed from the dtype
        let m: Tensor = [[1, 2], [3, 4]]
        #expect(m.description == "tensor([[1., 2.],\n        [3., 4.]], dtype=float64)")
        #expect(Tensor([0.1, 2.5]).description == "tensor([0.1000, 2.5000], dtype=float64)")
        #expect(Tensor(3.5).description == "tensor(3.5000, dtype=float64)")
        #expect(Tensor([1e-5, 1.0]).description == "tensor([1.0000e-05, 1.0000e+00], dtype=float64)")
        #expect(try Tensor.arange(2000).description
                == "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03], dtype=float64)")
    }

    @Test func codableRoundTrip() throws {
        let t = try Tensor(shape: [2], float32Scalars: [0.1, 2])
        let back = try JSONDecoder().decode(Tensor.self, from: JSONEncoder().encode(t))
        #expect(back == t && back.dtype == .float32)
    }
}
