import Testing
import Autograd

// Batch and layer normalisation against the textbook formulas, the running statistics'
// side effect, and the errors. Their values and derivatives (orders 1 to 3) are checked
// against torch by the parity suite fixtures/specs/normalization.json.

@Suite("Normalization ops")
struct NormalizationTests {
    /// Training: each column normalised with its batch mean and biased variance; the
    /// running statistics move by momentum toward the mean and the *unbiased* variance.
    @Test func batchNormTrainingUpdatesRunningStatistics() throws {
        let x = Variable(try Tensor(shape: [4, 2], scalars: [1, 10, 2, 20, 3, 30, 6, 40]))
        var runningMean = try Tensor.zeros([2]), runningVar = try Tensor.ones([2])
        let y = try batchNorm(x, runningMean: &runningMean, runningVar: &runningVar, weight: nil, bias: nil,
                              training: true, momentum: 0.25, eps: 0)
        // column 0: mean 3, biased var (4 + 1 + 0 + 9)/4 = 3.5, unbiased 14/3
        let s = 3.5.squareRoot()
        let column0 = stride(from: 0, to: 8, by: 2).map { y.data.scalars[$0] }
        for (a, e) in zip(column0, [-2 / s, -1 / s, 0, 3 / s]) { #expect(abs(a - e) < 1e-15) }
        #expect(abs(runningMean.scalars[0] - 0.75) < 1e-15)
        #expect(abs(runningVar.scalars[0] - (0.75 + 0.25 * 14 / 3)) < 1e-15)
        #expect(abs(runningMean.scalars[1] - 6.25) < 1e-15)
    }

    /// Evaluation uses the running statistics and leaves them alone.
    @Test func batchNormEvaluationUsesRunningStatistics() throws {
        let x = Variable(try Tensor(shape: [1, 2], scalars: [3, 5]))
        var runningMean = try Tensor(shape: [2], scalars: [1, 1]), runningVar = try Tensor(shape: [2], scalars: [4, 16])
        let w = Variable(try Tensor(shape: [2], scalars: [2, 3])), b = Variable(try Tensor(shape: [2], scalars: [1, 0]))
        let y = try batchNorm(x, runningMean: &runningMean, runningVar: &runningVar, weight: w, bias: b,
                              training: false, eps: 0)
        #expect(y.data.scalars == [3, 3])
        #expect(runningMean.scalars == [1, 1] && runningVar.scalars == [4, 16])
        sum(y).backward()
        #expect(x.grad!.data.scalars == [1, 0.75])
        #expect(w.grad!.data.scalars == [1, 1])
        #expect(b.grad!.data.scalars == [1, 1])
    }

    /// torch refuses one value per channel when training, wrong shapes, rank 1.
    @Test func batchNormErrors() throws {
        var m = try Tensor.zeros([3]), v = try Tensor.ones([3])
        #expect(throws: AutogradError.self) {
            try batchNorm(Variable(try Tensor.zeros([1, 3])), runningMean: &m, runningVar: &v, weight: nil, bias: nil, training: true)
        }
        #expect(throws: AutogradError.self) {
            try batchNorm(Variable(try Tensor.zeros([3])), runningMean: &m, runningVar: &v, weight: nil, bias: nil, training: false)
        }
        #expect(throws: AutogradError.self) {
            try batchNorm(Variable(try Tensor.zeros([2, 3])), weight: Variable(try Tensor.ones([2])), bias: nil)
        }
        var short = try Tensor.zeros([2])
        #expect(throws: AutogradError.self) {
            try batchNorm(Variable(try Tensor.zeros([2, 3])), runningMean: &short, runningVar: &v, weight: nil, bias: nil, training: false)
        }
    }

    /// Layer normalisation of one row, in float32 too; its gradient sums to zero.
    @Test func layerNormNormalisesTheLastAxes() throws {
        for dtype in [DType.float64, .float32] {
            let x = Variable(try Tensor(shape: [2, 2], scalars: [1, 3, -2, 2], dtype: dtype))
            let y = try layerNorm(x, normalizedShape: [2], eps: 0)
            #expect(y.dtype == dtype)
            #expect(y.data.scalars == [-1, 1, -1, 1])
            let weighted = try layerNorm(x, normalizedShape: [2, 2], weight: Variable(try Tensor.ones([2, 2], dtype: dtype)))
            sum(weighted * weighted).backward()
            #expect(abs(x.grad!.data.scalars.reduce(0, +)) < 1e-5)
        }
        #expect(throws: AutogradError.self) { try layerNorm(Variable(try Tensor.zeros([2, 3])), normalizedShape: [2]) }
        #expect(throws: AutogradError.self) { try layerNorm(Variable(try Tensor.zeros([2, 3])), normalizedShape: []) }
        #expect(throws: AutogradError.self) {
            try layerNorm(Variable(try Tensor.zeros([2, 3])), normalizedShape: [3], weight: Variable(try Tensor.ones([2])))
        }
    }
}

@Suite("Embedding op")
struct EmbeddingTests {
    /// Rows by index; a repeated row's gradient adds up; the padding row's stays zero.
    @Test func rowsAndGradients() throws {
        let w = Variable(try Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21]))
        let indices = try Tensor(shape: [2, 2], int64Scalars: [2, 0, 2, 1])
        let y = try embedding(indices: indices, weight: w, paddingIdx: 1)
        #expect(y.shape == [2, 2, 2])
        #expect(y.data.scalars == [20, 21, 0, 1, 20, 21, 10, 11])
        sum(y).backward()
        #expect(w.grad!.data.scalars == [1, 1, 0, 0, 2, 2])
    }

    @Test func errors() throws {
        let w = Variable(try Tensor.zeros([3, 2]))
        #expect(throws: AutogradError.self) { try embedding(indices: try Tensor(shape: [1], int64Scalars: [3]), weight: w) }
        #expect(throws: AutogradError.self) { try embedding(indices: try Tensor(shape: [1], int64Scalars: [-1]), weight: w) }
        #expect(throws: AutogradError.self) { try embedding(indices: try Tensor(shape: [1], scalars: [0]), weight: w) }
        #expect(throws: AutogradError.self) {
            try embedding(indices: try Tensor(shape: [1], int64Scalars: [0]), weight: w, paddingIdx: 3)
        }
        #expect(throws: AutogradError.self) {
            try embedding(indices: try Tensor(shape: [1], int64Scalars: [0]), weight: Variable(try Tensor.zeros([3])))
        }
    }

    /// A leaf's requiresGrad may be switched off (freezing): no gradient reaches it.
    @Test func frozenLeafGetsNoGradient() throws {
        let w = Variable(try Tensor.ones([2, 2]))
        w.requiresGrad = false
        let y = try embedding(indices: try Tensor(shape: [1], int64Scalars: [0]), weight: w)
        #expect(!y.requiresGrad && y.creator == nil)
        w.requiresGrad = true
        sum(try embedding(indices: try Tensor(shape: [1], int64Scalars: [0]), weight: w)).backward()
        #expect(w.grad!.data.scalars == [1, 1, 0, 0])
    }
}
