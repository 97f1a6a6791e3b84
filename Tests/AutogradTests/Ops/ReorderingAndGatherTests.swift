import Testing
@testable import Autograd

@Suite("flip, chunk, unbind, gather and addmm")
struct ReorderingAndGatherTests {
    // MARK: flip

    /// Reversed by index arithmetic; the gradient is the weights flipped back.
    @Test func flipValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(try flip(x, axes: [1]).data.scalars == [3, 2, 1, 6, 5, 4])
        #expect(try flip(x, axes: [0]).data.scalars == [4, 5, 6, 1, 2, 3])
        #expect(try flip(x, axes: [-1, 0]).data.scalars == [6, 5, 4, 3, 2, 1])
        #expect(try flip(x, axes: []).data == x.data)
        let w = Variable.constant(try Tensor(shape: [2, 3], scalars: [10, 20, 30, 40, 50, 60]))
        let g = try gradients(of: sum(try flip(x, axes: [1]) * w), withRespectTo: [x])[0]
        #expect(g.data.scalars == [30, 20, 10, 60, 50, 40])
        #expect(try flip(Variable(Tensor(int64: [1, 2, 3])), axes: [0]).data.int64Scalars == [3, 2, 1])
        #expect(try flip(Variable(2.0), axes: []).data.scalar == 2)
        #expect(throws: AutogradError.repeatedAxis(-2)) { try flip(x, axes: [0, -2]) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try flip(x, axes: [2]) }
        var rng = SplitMix64(seed: 95)
        try checkGradients("flip", [rng.tensor([2, 3, 2], in: -1...1)]) { xs in try flip(xs[0] * xs[0], axes: [0, 2]) }
        try checkSecondOrderGradients("flip", [rng.tensor([2, 3], in: -1...1)]) { xs in try flip(xs[0] * xs[0], axes: [1]) }
    }

    // MARK: chunk, unbind

    /// torch 2.15's sizes: 5 in 4 chunks is 2, 2, 1; 6 in 4 is 2, 2, 2 (three chunks);
    /// 2 in 5 is 1, 1; an empty axis in 3 chunks is three empty pieces.
    @Test func chunkSizesFollowTorch() throws {
        func sizes(_ n: Int, _ chunks: Int) throws -> [Int] {
            try chunk(Variable(try Tensor.zeros([n, 2])), chunks: chunks).map { $0.shape[0] }
        }
        #expect(try sizes(5, 4) == [2, 2, 1])
        #expect(try sizes(6, 4) == [2, 2, 2])
        #expect(try sizes(2, 5) == [1, 1])
        #expect(try sizes(0, 3) == [0, 0, 0])
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let parts = try chunk(x, chunks: 2, axis: 1)
        #expect(parts.map(\.shape) == [[2, 2], [2, 1]])
        #expect(parts[1].data.scalars == [3, 6])
        let g = try gradients(of: sum(parts[1] * 2), withRespectTo: [x])[0]
        #expect(g.data.scalars == [0, 0, 2, 0, 0, 2])
        #expect(throws: AutogradError.invalidArgument(op: "chunk", reason: "chunks must be greater than 0, got 0")) {
            try chunk(x, chunks: 0)
        }
    }

    @Test func unbindSlices() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let columns = try unbind(x, axis: 1)
        #expect(columns.count == 3 && columns.allSatisfy { $0.shape == [2] })
        #expect(columns[2].data.scalars == [3, 6])
        let g = try gradients(of: sum(columns[0] * columns[2]), withRespectTo: [x])[0]
        #expect(g.data.scalars == [3, 0, 1, 6, 0, 4])
        #expect(try unbind(x).map(\.shape) == [[3], [3]])
        #expect(try unbind(Variable(try Tensor.zeros([0, 2]))).isEmpty)
        #expect(throws: AutogradError.invalidSplit(shape: [], axis: 0, reason: "a 0-d tensor has no axis")) {
            try unbind(Variable(1.0))
        }
    }

    // MARK: gather

    /// torch.gather semantics by hand: y[i][j] = x[i][index[i][j]] along axis 1, and
    /// x[index[i][j]][j] along axis 0; repeated indices add up in the gradient.
    @Test func gatherValuesAndRepeatedIndices() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        let y = try gather(x, axis: 1, index: try Tensor(shape: [2, 2], int64Scalars: [0, 0, 2, 1]))
        #expect(y.shape == [2, 2] && y.data.scalars == [0, 0, 5, 4])     // torch 2.15: [[0, 0], [5, 4]]
        let w = Variable.constant(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let g = try gradients(of: sum(y * w), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [3, 0, 0, 0, 4, 3])                  // slot (0, 0) gathered twice: 1 + 2
        // The gradient of the scatter-add is the gather again.
        let v = Variable.constant(try Tensor(shape: [2, 3], scalars: [1, 10, 100, 1000, 10000, 100000]))
        let gw = try gradients(of: sum(g * v), withRespectTo: [x])[0]
        #expect(gw.data.scalars == [0, 0, 0, 0, 0, 0])                 // linear in x: no second derivative
        let down = try gather(x, axis: 0, index: try Tensor(shape: [1, 3], int64Scalars: [1, 0, 1]))
        #expect(down.data.scalars == [3, 1, 5])
        var rng = SplitMix64(seed: 96)
        let index = try Tensor(shape: [3, 2], int64Scalars: [2, 2, 0, 1, 3, 0])
        try checkGradients("gather", [rng.tensor([3, 4], in: -1...1)]) { xs in try gather(xs[0] * xs[0], axis: 1, index: index) }
        try checkSecondOrderGradients("gather", [rng.tensor([3, 4], in: -1...1)]) { xs in
            try gather(xs[0] * xs[0], axis: -1, index: index)
        }
    }

    /// torch's refusals: a negative or too large index, an index larger than x on another
    /// axis, another rank, a float index.
    @Test func gatherErrors() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        #expect(throws: AutogradError.indexOutOfRange(index: -1, axis: 1, size: 3)) {
            try gather(x, axis: 1, index: try Tensor(shape: [1, 1], int64Scalars: [-1]))
        }
        #expect(throws: AutogradError.indexOutOfRange(index: 3, axis: 1, size: 3)) {
            try gather(x, axis: 1, index: try Tensor(shape: [1, 1], int64Scalars: [3]))
        }
        #expect(throws: AutogradError.invalidIndex("gather's index [3, 1] is larger than the input [2, 3] along axis 0")) {
            try gather(x, axis: 1, index: try Tensor(shape: [3, 1], int64Scalars: [0, 0, 0]))
        }
        #expect(throws: AutogradError.invalidIndex("gather's index has rank 1 but the input has rank 2")) {
            try gather(x, axis: 1, index: Tensor(int64: [0]))
        }
        #expect(throws: AutogradError.invalidIndex("gather's index must be int64, not float64")) {
            try gather(x, axis: 1, index: try Tensor(shape: [1, 1], scalars: [0]))
        }
    }

    // MARK: addmm

    /// β·input + α·(m1 m2) by hand, and the gradients α·g·m2ᵀ, α·m1ᵀ·g, β·g summed to
    /// input's shape (torch 2.15 gives the same for these inputs).
    @Test func addmmValuesAndGradients() throws {
        let input = Variable(try Tensor(shape: [2], scalars: [1, 2]))
        let m1 = Variable(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let m2 = Variable(try Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        let y = try addmm(input, m1, m2, beta: 0.5, alpha: 2)
        #expect(y.data.scalars == [2.5, 5, 6.5, 9])
        let g = try gradients(of: sum(y), withRespectTo: [input, m1, m2])
        #expect(g[0].data.scalars == [1, 1])
        #expect(g[1].data.scalars == [2, 2, 2, 2])
        #expect(g[2].data.scalars == [8, 8, 12, 12])
        // β = 0 ignores input entirely, NaN included (torch 2.15: [[2, 2], [2, 2]]).
        let nanInput = Variable(try Tensor(shape: [2], scalars: [.nan, 1]))
        let ones = Variable(try Tensor.ones([2, 2]))
        #expect(try addmm(nanInput, ones, ones, beta: 0).data.scalars == [2, 2, 2, 2])
        var rng = SplitMix64(seed: 97)
        let inputs = [rng.tensor([1, 4], in: -1...1), rng.tensor([3, 2], in: -1...1), rng.tensor([2, 4], in: -1...1)]
        try checkGradients("addmm", inputs) { xs in try addmm(xs[0], xs[1], xs[2], beta: 0.3, alpha: -1.5) }
        try checkSecondOrderGradients("addmm", inputs) { xs in try addmm(xs[0], xs[1], xs[2], alpha: 2) }
        #expect(throws: AutogradError.incompatibleMatmulShapes([2], [2, 2], reason: "addmm multiplies two matrices")) {
            try addmm(input, input, m2)
        }
        #expect(throws: AutogradError.cannotBroadcast(from: [3], to: [2, 2])) {
            try addmm(Variable(try Tensor.zeros([3])), m1, m2)
        }
    }

    /// float32 stays float32 through the moves and addmm.
    @Test func float32() throws {
        let x = Variable(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], dtype: .float32))
        let index = try Tensor(shape: [2, 1], int64Scalars: [1, 0])
        let results = [try flip(x, axes: [0]), try gather(x, axis: 1, index: index), try addmm(x, x, x, beta: 2)]
            + (try chunk(x, chunks: 2)) + (try unbind(x, axis: 1))
        for y in results {
            #expect(y.dtype == .float32)
            #expect(try gradients(of: sum(y), withRespectTo: [x])[0].dtype == .float32)
        }
        #expect(results[2].data.scalars == [9, 14, 21, 30])   // 2x + x·x
    }
}
