
// Linear-algebra kernels: axis permutation and (batched) matrix products.
//
// Matrix products call OpenBLAS's `cblas_dgemm` / `cblas_sgemm` (row-major), in the
// tensor's own precision. A transposed operand is never copied: gemm reads it through
// its transposition flag.

/// The shapes of a batched matrix product `op(A) · op(B)` of two tensors of rank ≥ 2,
/// where `op` transposes the last two axes when asked: the trailing two axes are the
/// matrices, the leading ones are batch axes that broadcast (numpy/torch rules).
struct MatrixProductPlan: Equatable {
    /// The broadcast batch shape of the result.
    let batch: [Int]
    /// `op(A)` is `m × k`, `op(B)` is `k × n`.
    let m: Int, k: Int, n: Int
    /// The strides, in whole matrices, of each operand's batch axes read as `batch`
    /// (0 along broadcast axes).
    let aBatchStrides: [Int], bBatchStrides: [Int]

    var shape: [Int] { batch + [m, n] }

    /// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)`` when the inner
    ///   dimensions differ or the batch axes do not broadcast,
    ///   ``AutogradError/sizeOverflow(shape:op:)`` when the result `batch + [m, n]` is too
    ///   large to address (`[1 << 32, 0] · [0, 1 << 32]`: the inner size 0 makes the
    ///   operands empty, not the result).
    init(_ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool) throws(AutogradError) {
        guard a.count >= 2 && b.count >= 2 else {
            throw .incompatibleMatmulShapes(a, b, reason: "the batched product needs operands of rank 2 or more")
        }
        let (aRows, aColumns) = (a[a.count - 2], a[a.count - 1])
        let (bRows, bColumns) = (b[b.count - 2], b[b.count - 1])
        m = transposeA ? aColumns : aRows
        k = transposeA ? aRows : aColumns
        let bInner = transposeB ? bColumns : bRows
        n = transposeB ? bRows : bColumns
        guard k == bInner else { throw .incompatibleMatmulShapes(a, b, reason: "\(k) != \(bInner)") }
        let aBatch = Array(a.dropLast(2)), bBatch = Array(b.dropLast(2))
        do {
            batch = try Shape.broadcast(aBatch, bBatch, op: "matmul")
        } catch .shapesDoNotBroadcast {
            throw .incompatibleMatmulShapes(a, b, reason: "batch dimensions \(aBatch) and \(bBatch) do not broadcast")
        }
        aBatchStrides = Shape.broadcastStrides(aBatch, to: batch)
        bBatchStrides = Shape.broadcastStrides(bBatch, to: batch)
        _ = try Shape.checkedCount(batch + [m, n], op: "matmul")
    }
}

extension Tensor {
    /// The tensor with its axes permuted: axis `i` of the result is axis `permutation[i]`
    /// of `self`. `permutation` must be a permutation of `0..<rank` (checked by the caller).
    func permuted(_ permutation: [Int]) -> Tensor {
        if permutation == Array(0..<rank) { return self }
        let outShape = permutation.map { shape[$0] }
        let ownStrides = Shape.strides(shape)
        let readStrides = permutation.map { ownStrides[$0] }
        func gather<T>(_ a: [T]) -> [T] {
            var result: [T] = []
            result.reserveCapacity(a.count)
            forEachOffset(outShape, readStrides, readStrides) { i, _ in result.append(a[i]) }
            return result
        }
        if let ints = int64Storage { return Tensor(shape: outShape, int64Storage: gather(ints)) }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(gather(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(gather(a)))
        }
    }

    /// `op(A) · op(B)` over broadcast batch axes, both operands of rank ≥ 2, where `op`
    /// swaps the last two axes when `transposeA` / `transposeB` is set.
    /// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)``,
    ///   ``AutogradError/dtypeMismatch(_:_:op:)``.
    static func matrixProduct(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) throws(AutogradError) -> Tensor {
        try a.requireFloatingPoint("matmul")
        try b.requireFloatingPoint("matmul")
        let plan = try MatrixProductPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
        switch (a.storage, b.storage) {
        case let (.float64(x), .float64(y)):
            return Tensor(shape: plan.shape, storage: .float64(
                batchedGemm(x, y, plan, transposeA, transposeB, gemm: DoubleGemm.self)))
        case let (.float32(x), .float32(y)):
            return Tensor(shape: plan.shape, storage: .float32(
                batchedGemm(x, y, plan, transposeA, transposeB, gemm: FloatGemm.self)))
        default:
            throw .dtypeMismatch(a.dtype, b.dtype, op: "matmul")
        }
    }

    /// One gemm per batch element, or a single one when the batch folds into the rows
    /// (`A` has every batch element, `B` is shared by all and `A` is not transposed: then
    /// `A` is one `(batch·m) × k` matrix, as torch folds it).
    ///
    /// The result is not zero-filled first: gemm is called with `beta = 0`, which
    /// overwrites every element of `C` (OpenBLAS zeroes `C` itself before accumulating), and
    /// the calls cover every batch element. Filling it too cost a second pass over `C`, 10 %
    /// of the instructions of a small MLP's training step (callgrind; see
    /// docs/Performance.md).
    private static func batchedGemm<G: Gemm>(
        _ a: [G.Scalar], _ b: [G.Scalar], _ plan: MatrixProductPlan,
        _ transposeA: Bool, _ transposeB: Bool, gemm: G.Type
    ) -> [G.Scalar] {
        let (m, k, n) = (plan.m, plan.k, plan.n)
        let batchCount = Shape.count(plan.batch)
        let count = batchCount * m * n
        // An empty product (k == 0) is all zeros, as in torch; gemm is not called with
        // empty sizes (some BLAS reject a zero leading dimension).
        guard batchCount > 0 && m > 0 && n > 0 && k > 0 else { return [G.Scalar](repeating: 0, count: count) }
        let aMatrix = m * k, bMatrix = k * n, cMatrix = m * n
        let lda = transposeA ? m : k, ldb = transposeB ? k : n

        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                [G.Scalar](unsafeUninitializedCapacity: count) { pc, initialized in
                    // Non-empty operands (all sizes > 0), so the base addresses exist.
                    let (pa, pb, pc) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    let foldable = !transposeA && plan.bBatchStrides.allSatisfy { $0 == 0 }
                        && a.count == batchCount * aMatrix
                    if foldable {
                        G.gemm(transposeA: false, transposeB: transposeB, m: batchCount * m, n: n, k: k,
                               a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: n)
                    } else {
                        var batchIndex = 0
                        // Visits every batch element once (once for a rank-0 batch).
                        forEachOffset(plan.batch, plan.aBatchStrides, plan.bBatchStrides) { i, j in
                            G.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                   a: pa + i * aMatrix, lda: lda, b: pb + j * bMatrix, ldb: ldb,
                                   c: pc + batchIndex * cMatrix, ldc: n)
                            batchIndex += 1
                        }
                        precondition(batchIndex == batchCount, "matmul: \(batchIndex) of \(batchCount) batch elements computed")
                    }
                    initialized = count
                }
            }
        }
    }
}

/// `C = op(A) · op(B)` (row-major, `beta = 0`) for one scalar type, through ``BLAS``.
private protocol Gemm {
    associatedtype Scalar: TensorScalar
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
        c: UnsafeMutablePointer<Scalar>, ldc: Int)
}

private enum DoubleGemm: Gemm {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLAS.dgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                   a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    }
}

private enum FloatGemm: Gemm {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                   a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    }
}
