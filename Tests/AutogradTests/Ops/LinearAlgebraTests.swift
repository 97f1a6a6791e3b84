import Testing
import Autograd

// MARK: - Independent references

/// `a @ b` by torch.matmul's rules, written out with loops (no library code): a 1-d `a`
/// becomes a row `[1, k]` and a 1-d `b` a column `[k, 1]`; the leading axes broadcast
/// (read through `broadcastSourceOffset`); each output element is a `k`-term sum,
/// accumulated in `Double` from the operands' exact values. Also returns, per element,
/// `Σ |aᵢ·bᵢ|`, the scale a rounding error of the sum is measured against.
private func naiveMatmul(_ a: Tensor, _ b: Tensor) -> (shape: [Int], values: [Double], scale: [Double]) {
    let aShape = a.rank == 1 ? [1] + a.shape : a.shape
    let bShape = b.rank == 1 ? b.shape + [1] : b.shape
    let m = aShape[aShape.count - 2], k = aShape[aShape.count - 1], n = bShape[bShape.count - 1]
    precondition(bShape[bShape.count - 2] == k, "reference: inner dimensions differ")
    let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
    // The broadcast batch shape, by hand: align from the right, take the size that is not 1.
    let rank = max(aBatch.count, bBatch.count)
    let batch: [Int] = (0..<rank).map { d in
        let da = d < rank - aBatch.count ? 1 : aBatch[d - (rank - aBatch.count)]
        let db = d < rank - bBatch.count ? 1 : bBatch[d - (rank - bBatch.count)]
        return da == 1 ? db : da
    }
    let av = a.scalars, bv = b.scalars
    var values: [Double] = [], scale: [Double] = []
    for flat in 0..<batch.reduce(1, *) {
        let index = multiIndex(flat, in: batch)
        let aBase = broadcastSourceOffset(index, aBatch) * m * k
        let bBase = broadcastSourceOffset(index, bBatch) * k * n
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0, magnitude = 0.0
                for l in 0..<k {
                    let term = av[aBase + i * k + l] * bv[bBase + l * n + j]
                    total += term
                    magnitude += abs(term)
                }
                values.append(total)
                scale.append(magnitude)
            }
        }
    }
    let shape = batch + (a.rank == 1 ? [] : [m]) + (b.rank == 1 ? [] : [n])
    return (shape, values, scale)
}

/// `x` with its last two axes swapped, by index arithmetic.
private func naiveSwapLastTwo(_ x: Tensor) -> Tensor {
    let r = x.rank, rows = x.shape[r - 2], columns = x.shape[r - 1]
    let values = x.scalars
    var out: [Double] = []
    for matrix in 0..<(x.count / max(rows * columns, 1)) {
        for j in 0..<columns {
            for i in 0..<rows { out.append(values[matrix * rows * columns + i * columns + j]) }
        }
    }
    let shape = Array(x.shape.dropLast(2)) + [columns, rows]
    return try! Tensor(shape: shape, scalars: out, dtype: x.dtype)
}

/// Every permutation of `0..<n`, by recursion.
private func permutations(_ n: Int) -> [[Int]] {
    guard n > 0 else { return [[]] }
    return permutations(n - 1).flatMap { p in (0...p.count).map { i in
        var q = p
        q.insert(n - 1, at: i)
        return q
    } }
}

/// Two operand shapes for `a @ b` and the result's shape, worked out by hand.
struct MatmulShapes: Sendable, CustomTestStringConvertible {
    let a: [Int]
    let b: [Int]
    let result: [Int]

    var testDescription: String { "\(a) @ \(b) → \(result)" }

    static let all: [MatmulShapes] = [
        MatmulShapes(a: [4], b: [4], result: []),                       // dot
        MatmulShapes(a: [3, 4], b: [4, 2], result: [3, 2]),
        MatmulShapes(a: [1, 1], b: [1, 1], result: [1, 1]),
        MatmulShapes(a: [3, 1], b: [1, 4], result: [3, 4]),              // outer product, k = 1
        MatmulShapes(a: [4], b: [4, 3], result: [3]),                    // row, then removed
        MatmulShapes(a: [3, 4], b: [4], result: [3]),                    // column, then removed
        MatmulShapes(a: [2, 3, 4], b: [2, 4, 5], result: [2, 3, 5]),
        MatmulShapes(a: [2, 1, 3, 4], b: [5, 4, 2], result: [2, 5, 3, 2]),
        MatmulShapes(a: [1, 3, 2, 4], b: [2, 1, 4, 3], result: [2, 3, 2, 3]),
        MatmulShapes(a: [2, 3, 4], b: [4, 5], result: [2, 3, 5]),         // folds into one gemm
        MatmulShapes(a: [3, 4], b: [2, 4, 5], result: [2, 3, 5]),
        MatmulShapes(a: [4], b: [2, 4, 3], result: [2, 3]),
        MatmulShapes(a: [2, 3, 4], b: [4], result: [2, 3]),
        MatmulShapes(a: [2, 2, 3, 4], b: [4], result: [2, 2, 3]),
        MatmulShapes(a: [1, 2, 3], b: [3, 2], result: [1, 2, 2]),
    ]

    /// Products with an empty dimension: k = 0 gives zeros, as in torch.
    static let empty: [MatmulShapes] = [
        MatmulShapes(a: [2, 0], b: [0, 3], result: [2, 3]),
        MatmulShapes(a: [0, 3], b: [3, 2], result: [0, 2]),
        MatmulShapes(a: [0], b: [0], result: []),
        MatmulShapes(a: [0, 2, 3], b: [3, 4], result: [0, 2, 4]),
    ]
}

/// A flag combination for ``MatMul``: `op(A) · op(B)`.
struct TransposeFlags: Sendable, CustomTestStringConvertible {
    let a: Bool
    let b: Bool
    var testDescription: String { "\(a ? "Aᵀ" : "A") · \(b ? "Bᵀ" : "B")" }
    static let all = [false, true].flatMap { a in [false, true].map { TransposeFlags(a: a, b: $0) } }
}

@Suite("Linear algebra: matmul, transpose, linear")
struct LinearAlgebraTests {
    // MARK: matmul forward

    @Test(arguments: MatmulShapes.all)
    func matmulMatchesTripleLoop(shapes: MatmulShapes) throws {
        var rng = SplitMix64(seed: 71)
        let a = rng.tensor(shapes.a, in: -2...2), b = rng.tensor(shapes.b, in: -2...2)
        let y = try matmul(Variable(a), Variable(b))
        let reference = naiveMatmul(a, b)
        #expect(y.shape == shapes.result)
        #expect(reference.shape == shapes.result)
        #expect(y.dtype == .float64)
        // gemm may sum in another order (and with fused multiply-adds): each of the two
        // sums is within k·u·Σ|terms| of the exact one (u = ulpOfOne / 2).
        let k = Double(shapes.a.last ?? 1)
        for (i, got) in y.data.scalars.enumerated() {
            #expect(abs(got - reference.values[i]) <= k * Double.ulpOfOne * reference.scale[i],
                    "\(shapes) at \(i): got \(got), expected \(reference.values[i])")
        }
        // The method spelling is the same function.
        #expect(try Variable(a).matmul(Variable(b)).data == y.data)
    }

    /// The float32 path (sgemm) computes in `Float`: within float32 rounding of the exact
    /// products' magnitude, and in float32.
    @Test(arguments: MatmulShapes.all)
    func float32MatmulUsesSgemm(shapes: MatmulShapes) throws {
        var rng = SplitMix64(seed: 72)
        let a = rng.float32Tensor(shapes.a, in: -2...2), b = rng.float32Tensor(shapes.b, in: -2...2)
        let y = try matmul(Variable(a), Variable(b))
        #expect(y.dtype == .float32)
        #expect(y.shape == shapes.result)
        let reference = naiveMatmul(a, b)
        let k = Double(shapes.a.last ?? 1)
        for (i, got) in y.data.scalars.enumerated() {
            #expect(abs(got - reference.values[i]) <= (k + 1) * Double(Float.ulpOfOne) * reference.scale[i],
                    "\(shapes) at \(i): got \(got), expected \(reference.values[i])")
        }
    }

    /// Sizes past OpenBLAS's small-matrix kernels (odd, not multiples of a block), in
    /// both dtypes, including a batch that folds into one gemm and one that does not.
    @Test(arguments: [
        ([33, 65], [65, 17]),
        ([3, 21, 40], [40, 9]),
        ([2, 1, 19, 30], [3, 30, 11]),
        ([70], [70, 31]),
    ])
    func largerProductsMatchTripleLoop(aShape: [Int], bShape: [Int]) throws {
        var rng = SplitMix64(seed: 73)
        let a = rng.tensor(aShape, in: -1...1), b = rng.tensor(bShape, in: -1...1)
        let y = try matmul(Variable(a), Variable(b))
        let reference = naiveMatmul(a, b)
        let k = Double(aShape.last ?? 1)
        #expect(y.shape == reference.shape)
        for (i, got) in y.data.scalars.enumerated() {
            #expect(abs(got - reference.values[i]) <= k * Double.ulpOfOne * reference.scale[i])
        }
        let a32 = a.converted(to: .float32), b32 = b.converted(to: .float32)
        let y32 = try matmul(Variable(a32), Variable(b32))
        #expect(y32.dtype == .float32)
        let reference32 = naiveMatmul(a32, b32)
        for (i, got) in y32.data.scalars.enumerated() {
            #expect(abs(got - reference32.values[i]) <= (k + 1) * Double(Float.ulpOfOne) * reference32.scale[i])
        }
    }

    @Test(arguments: MatmulShapes.empty)
    func emptyProductsAreZeros(shapes: MatmulShapes) throws {
        let a = try Tensor.zeros(shapes.a), b = try Tensor.zeros(shapes.b)
        let va = Variable(a), vb = Variable(b)
        let y = try matmul(va, vb)
        #expect(y.shape == shapes.result)
        #expect(y.data.scalars.allSatisfy { $0 == 0 })
        let g = try gradients(of: sum(y), withRespectTo: [va, vb])
        #expect(g[0].shape == shapes.a)
        #expect(g[1].shape == shapes.b)
    }

    /// Hand-computed: [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]];
    /// [1, 2, 3] · [4, 5, 6] = 4 + 10 + 18 = 32.
    @Test func smallProductsByHand() throws {
        let a = Variable(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let b = Variable(try Tensor(shape: [2, 2], scalars: [5, 6, 7, 8]))
        #expect(try matmul(a, b).data.scalars == [19, 22, 43, 50])
        let dot = try matmul(Variable(Tensor([1, 2, 3])), Variable(Tensor([4, 5, 6])))
        #expect(dot.shape == [])
        #expect(dot.data.scalar == 32)
        // [1, 2] as a row: [1·5 + 2·7, 1·6 + 2·8] = [19, 22]; as a column: [1·1 + 2·2, 3·1 + 4·2].
        #expect(try matmul(Variable(Tensor([1, 2])), b).data.scalars == [19, 22])
        #expect(try matmul(a, Variable(Tensor([1, 2]))).data.scalars == [5, 11])
    }

    /// IEEE propagation through gemm: inf·0 is NaN, an overflowing sum is inf.
    @Test func nonFiniteValuesPropagate() throws {
        let a = Variable(try Tensor(shape: [2, 2], scalars: [.infinity, 1, 1e200, 1e200]))
        let b = Variable(try Tensor(shape: [2, 2], scalars: [0, 1, 1e200, 1]))
        let y = try matmul(a, b).data.scalars
        #expect(y[0].isNaN)                    // inf·0 + 1·1e200
        #expect(y[1] == .infinity)             // inf·1 + 1·1
        #expect(y[2] == .infinity)             // 1e200·0 + 1e200·1e200 overflows
        #expect(y[3] == 2e200)                 // 1e200·1 + 1e200·1
    }

    // MARK: matmul with transposition flags

    @Test(arguments: TransposeFlags.all)
    func transpositionFlagsMatchExplicitTransposes(flags: TransposeFlags) throws {
        var rng = SplitMix64(seed: 74)
        // op(A) is [2, 3, 4] and op(B) is [4, 5]; stored transposed where flagged.
        let a = rng.tensor(flags.a ? [2, 4, 3] : [2, 3, 4], in: -1...1)
        let b = rng.tensor(flags.b ? [5, 4] : [4, 5], in: -1...1)
        let y = try MatMul(transposeA: flags.a, transposeB: flags.b).apply([Variable(a), Variable(b)])[0]
        let reference = naiveMatmul(flags.a ? naiveSwapLastTwo(a) : a, flags.b ? naiveSwapLastTwo(b) : b)
        #expect(y.shape == [2, 3, 5])
        for (i, got) in y.data.scalars.enumerated() {
            #expect(abs(got - reference.values[i]) <= 4 * Double.ulpOfOne * reference.scale[i])
        }
        // sgemm with the same flags: within float32 rounding of the float32 inputs' product.
        let a32 = a.converted(to: .float32), b32 = b.converted(to: .float32)
        let y32 = try MatMul(transposeA: flags.a, transposeB: flags.b).apply([Variable(a32), Variable(b32)])[0]
        let reference32 = naiveMatmul(flags.a ? naiveSwapLastTwo(a32) : a32, flags.b ? naiveSwapLastTwo(b32) : b32)
        #expect(y32.dtype == .float32)
        for (i, got) in y32.data.scalars.enumerated() {
            #expect(abs(got - reference32.values[i]) <= 5 * Double(Float.ulpOfOne) * reference32.scale[i])
        }
    }

    /// The backward of each flag combination is itself a flagged product: check it, and
    /// its own backward (second order), numerically.
    @Test(arguments: TransposeFlags.all)
    func transpositionFlagsGradients(flags: TransposeFlags) throws {
        var rng = SplitMix64(seed: 75)
        let a = rng.tensor(flags.a ? [2, 1, 4, 3] : [2, 1, 3, 4], in: -1...1)
        let b = rng.tensor(flags.b ? [3, 5, 4] : [3, 4, 5], in: -1...1)
        let f: ([Variable]) throws -> Variable = { xs in
            try MatMul(transposeA: flags.a, transposeB: flags.b).apply(xs)[0]
        }
        try checkGradients("MatMul \(flags.testDescription)", [a, b], f)
        try checkSecondOrderGradients("MatMul \(flags.testDescription)", [a, b], f)
    }

    // MARK: matmul gradients

    @Test(arguments: MatmulShapes.all)
    func matmulGradients(shapes: MatmulShapes) throws {
        var rng = SplitMix64(seed: 76)
        let a = rng.tensor(shapes.a, in: -1...1), b = rng.tensor(shapes.b, in: -1...1)
        try checkGradients("matmul \(shapes.testDescription)", [a, b]) { xs in try matmul(xs[0], xs[1]) }
    }

    /// The Hessian of a bilinear map is constant and nonzero; checked numerically for
    /// every shape case, through a nonlinearity so that the second derivative also sees
    /// the product's value.
    @Test(arguments: MatmulShapes.all)
    func matmulSecondOrderGradients(shapes: MatmulShapes) throws {
        var rng = SplitMix64(seed: 77)
        let a = rng.tensor(shapes.a, in: -1...1), b = rng.tensor(shapes.b, in: -1...1)
        try checkSecondOrderGradients("matmul \(shapes.testDescription)", [a, b]) { xs in try matmul(xs[0], xs[1]) }
        try checkSecondOrderGradients("tanh(matmul) \(shapes.testDescription)", [a, b]) { xs in
            tanh(try matmul(xs[0], xs[1]))
        }
    }

    /// `y = Σ A·B` is bilinear: its first derivatives are linear in the other operand, its
    /// second derivatives constant, its third derivatives zero.
    @Test func bilinearThirdOrderVanishes() throws {
        var rng = SplitMix64(seed: 78)
        let a = Variable(rng.tensor([2, 3], in: -1...1)), b = Variable(rng.tensor([3, 2], in: -1...1))
        let y = sum(try matmul(a, b))
        let g1 = try gradients(of: y, withRespectTo: [a, b], createGraph: true)
        // ∂y/∂A[i, l] = Σⱼ B[l, j]; ∂y/∂B[l, j] = Σᵢ A[i, l].
        let bv = b.data.scalars, av = a.data.scalars
        for i in 0..<2 {
            for l in 0..<3 {
                expectRelative(g1[0].data[i, l], bv[l * 2] + bv[l * 2 + 1], rtol: 1e-15, "∂y/∂A[\(i), \(l)]")
            }
        }
        for l in 0..<3 {
            for j in 0..<2 {
                expectRelative(g1[1].data[l, j], av[l] + av[3 + l], rtol: 1e-15, "∂y/∂B[\(l), \(j)]")
            }
        }
        let g2 = try gradients(of: sum(g1[0]) + sum(g1[1]), withRespectTo: [a, b], createGraph: true)
        // Σ ∂y/∂A = Σ_{i,l,j} B[l, j] has ∂/∂B = 2 (two rows i); Σ ∂y/∂B has ∂/∂A = 2 (two columns j).
        #expect(g2[0].data.scalars == [Double](repeating: 2, count: 6))
        #expect(g2[1].data.scalars == [Double](repeating: 2, count: 6))
        let g3 = try gradients(of: sum(g2[0]) + sum(g2[1]), withRespectTo: [a, b])
        #expect(g3[0].data.scalars.allSatisfy { $0 == 0 })
        #expect(g3[1].data.scalars.allSatisfy { $0 == 0 })
    }

    /// Broadcast batch axes: each operand's gradient sums the contributions of every
    /// batch element that read it, and has the operand's shape.
    @Test func broadcastBatchGradientsSumOverTheBatch() throws {
        var rng = SplitMix64(seed: 79)
        let a = Variable(rng.tensor([2, 1, 3, 4], in: -1...1)), b = Variable(rng.tensor([5, 4, 2], in: -1...1))
        let g = try gradients(of: sum(try matmul(a, b)), withRespectTo: [a, b])
        #expect(g[0].shape == [2, 1, 3, 4])
        #expect(g[1].shape == [5, 4, 2])
        // ∂/∂A[p, 0, i, l] = Σ_q Σ_j B[q, l, j]: the same for every p and i.
        let bv = b.data.scalars
        for l in 0..<4 {
            var expected = 0.0
            for q in 0..<5 { for j in 0..<2 { expected += bv[(q * 4 + l) * 2 + j] } }
            for p in 0..<2 { for i in 0..<3 {
                #expect(abs(g[0].data[p, 0, i, l] - expected) <= 1e-13)
            } }
        }
    }

    // MARK: matmul errors

    @Test(arguments: [
        ([2, 3], [4, 5], "matmul: [2, 3] and [4, 5] are not compatible: 3 != 4"),
        ([3], [4], "matmul: [3] and [4] are not compatible: 3 != 4"),
        ([2, 3], [2], "matmul: [2, 3] and [2] are not compatible: 3 != 2"),
        ([4], [3, 2], "matmul: [4] and [3, 2] are not compatible: 4 != 3"),
        ([2, 3, 4], [3, 4, 5],
         "matmul: [2, 3, 4] and [3, 4, 5] are not compatible: batch dimensions [2] and [3] do not broadcast"),
        ([2, 1, 3, 4], [3, 4, 4, 5],
         "matmul: [2, 1, 3, 4] and [3, 4, 4, 5] are not compatible: batch dimensions [2, 1] and [3, 4] do not broadcast"),
        ([], [3], "matmul: [] and [3] are not compatible: both operands need at least 1 dimension"),
        ([3], [], "matmul: [3] and [] are not compatible: both operands need at least 1 dimension"),
    ])
    func matmulShapeErrorsNameBothShapes(aShape: [Int], bShape: [Int], message: String) throws {
        let a = Variable(try Tensor.ones(aShape)), b = Variable(try Tensor.ones(bShape))
        do {
            _ = try matmul(a, b)
            Issue.record("matmul \(aShape) @ \(bShape) did not throw")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func matmulRefusesMixedDtypes() throws {
        let a = Variable(try Tensor.ones([2, 2])), b = Variable(try Tensor.ones([2, 2], dtype: .float32))
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "matmul")) { try matmul(a, b) }
    }

    // MARK: transpose

    /// Every permutation of a rank-3 and a rank-4 tensor: the element at index `i` of the
    /// result is the element of `x` at `j` with `j[axes[d]] = i[d]`, and permuting back by
    /// the inverse gives `x` again.
    @Test(arguments: [[2, 3, 4], [2, 1, 3, 2]])
    func transposeMovesElementsAndRoundTrips(shape: [Int]) throws {
        var rng = SplitMix64(seed: 80)
        let x = rng.tensor(shape, in: -1...1)
        for axes in permutations(shape.count) {
            let y = try transpose(Variable(x), axes: axes)
            #expect(y.shape == axes.map { shape[$0] })
            let xv = x.scalars, yv = y.data.scalars
            for flat in 0..<x.count {
                let i = multiIndex(flat, in: y.shape)
                var j = [Int](repeating: 0, count: shape.count)
                for d in axes.indices { j[axes[d]] = i[d] }
                let source = j.indices.reduce(0) { $0 * shape[$1] + j[$1] }
                #expect(yv[flat] == xv[source], "axes \(axes) at \(i)")
            }
            var inverse = [Int](repeating: 0, count: axes.count)
            for (d, axis) in axes.enumerated() { inverse[axis] = d }
            #expect(try transpose(y, axes: inverse).data == x)
            // Negative spellings of the same axes give the same result.
            #expect(try transpose(Variable(x), axes: axes.map { $0 - shape.count }).data == y.data)
        }
    }

    @Test func transposeReversesAxesByDefault() throws {
        var rng = SplitMix64(seed: 81)
        let x = Variable(rng.tensor([2, 3, 4], in: -1...1))
        #expect(transpose(x).data == (try transpose(x, axes: [2, 1, 0])).data)
        let m = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(m.T.shape == [3, 2])
        #expect(m.T.data.scalars == [1, 4, 2, 5, 3, 6])
        // Rank 0 and 1, and identity permutations, are returned as they are.
        let v = Variable(Tensor([1, 2, 3])), s = Variable(2.0)
        #expect(transpose(v) === v)
        #expect(transpose(s) === s)
        #expect(try transpose(m, axes: [0, 1]) === m)
        #expect(try transpose(s, axes: []) === s)
    }

    @Test func transposeFloat32StaysFloat32() throws {
        var rng = SplitMix64(seed: 82)
        let x = rng.float32Tensor([3, 2, 2], in: -1...1)
        let y = try transpose(Variable(x), axes: [1, 2, 0])
        #expect(y.dtype == .float32)
        #expect(try transpose(y, axes: [2, 0, 1]).data == x)
    }

    @Test(arguments: permutations(3))
    func transposeGradients(axes: [Int]) throws {
        var rng = SplitMix64(seed: 83)
        let x = rng.tensor([2, 3, 4], in: -1...1)
        try checkGradients("transpose \(axes)", [x]) { xs in try transpose(xs[0], axes: axes) }
        // Through a nonlinearity, so that the second-order check sees the permutation.
        try checkSecondOrderGradients("exp(transpose \(axes))", [x]) { xs in exp(try transpose(xs[0], axes: axes)) }
    }

    @Test func matrixTransposeGradients() throws {
        var rng = SplitMix64(seed: 84)
        let x = rng.tensor([3, 4], in: -1...1)
        try checkGradients("x.T", [x]) { xs in xs[0].T }
        try checkSecondOrderGradients("x.T @ x", [x]) { xs in try matmul(xs[0].T, xs[0]) }
    }

    @Test(arguments: [
        ([0, 0], [2, 3], AutogradError.invalidPermutation(axes: [0, 0], rank: 2)),
        ([1, -1], [2, 3], AutogradError.invalidPermutation(axes: [1, -1], rank: 2)),
        ([1, 0], [2, 3, 4], AutogradError.invalidPermutation(axes: [1, 0], rank: 3)),
        ([0, 1, 2], [2, 3], AutogradError.invalidPermutation(axes: [0, 1, 2], rank: 2)),
        ([0, 2], [2, 3], AutogradError.axisOutOfRange(axis: 2, rank: 2)),
        ([-3, 0], [2, 3], AutogradError.axisOutOfRange(axis: -3, rank: 2)),
    ])
    func transposeRefusesNonPermutations(axes: [Int], shape: [Int], expected: AutogradError) throws {
        let x = Variable(try Tensor.ones(shape))
        #expect(throws: expected) { try transpose(x, axes: axes) }
    }

    @Test func transposeErrorMessage() throws {
        let x = Variable(try Tensor.ones([2, 3, 4]))
        do {
            _ = try transpose(x, axes: [1, 0])
            Issue.record("transpose did not throw")
        } catch {
            #expect(error.description
                    == "transpose: axes [1, 0] are not a permutation of the axes of a rank-3 tensor (each of 0..<3 exactly once)")
        }
    }

    // MARK: linear

    @Test func linearIsProductPlusBias() throws {
        var rng = SplitMix64(seed: 85)
        let x = rng.tensor([4, 3], in: -1...1), w = rng.tensor([3, 2], in: -1...1), b = rng.tensor([2], in: -1...1)
        let y = try linear(Variable(x), Variable(w), Variable(b))
        let product = naiveMatmul(x, w)
        #expect(y.shape == [4, 2])
        let bv = b.scalars
        for (i, got) in y.data.scalars.enumerated() {
            let expected = product.values[i] + bv[i % 2]
            #expect(abs(got - expected) <= 4 * Double.ulpOfOne * (product.scale[i] + abs(bv[i % 2])))
        }
        let noBias = try linear(Variable(x), Variable(w))
        for (got, want) in zip(noBias.data.scalars, product.values) { #expect(abs(got - want) <= 1e-15) }
    }

    @Test(arguments: [[4, 3], [2, 4, 3], [3]])
    func linearGradients(xShape: [Int]) throws {
        var rng = SplitMix64(seed: 86)
        let x = rng.tensor(xShape, in: -1...1), w = rng.tensor([3, 2], in: -1...1), b = rng.tensor([2], in: -1...1)
        try checkGradients("linear \(xShape)", [x, w, b]) { xs in try linear(xs[0], xs[1], xs[2]) }
        try checkGradients("linear without bias \(xShape)", [x, w]) { xs in try linear(xs[0], xs[1]) }
        try checkSecondOrderGradients("sigmoid(linear) \(xShape)", [x, w, b]) { xs in
            sigmoid(try linear(xs[0], xs[1], xs[2]))
        }
    }

    /// DeZero's two-layer network: `sigmoid(x W₁ + b₁) W₂ + b₂`, first and second order.
    @Test func twoLayerNetworkGradients() throws {
        var rng = SplitMix64(seed: 87)
        let inputs = [[5, 2], [2, 4], [4], [4, 1], [1]].map { rng.tensor($0, in: -1...1) }
        let network: ([Variable]) throws -> Variable = { xs in
            let h = sigmoid(try linear(xs[0], xs[1], xs[2]))
            return try linear(h, xs[3], xs[4])
        }
        try checkGradients("mlp", inputs, network)
        try checkSecondOrderGradients("mlp", inputs, network)
    }

    @Test func linearErrors() throws {
        let x = Variable(try Tensor.ones([4, 3]))
        do {
            _ = try linear(x, Variable(try Tensor.ones([2, 3])), Variable(try Tensor.ones([3])))
            Issue.record("linear with a [2, 3] weight did not throw")
        } catch {
            #expect(error.description == "matmul: [4, 3] and [2, 3] are not compatible: 3 != 2")
        }
        do {
            _ = try linear(x, Variable(try Tensor.ones([3, 2])), Variable(try Tensor.ones([3])))
            Issue.record("linear with a [3] bias did not throw")
        } catch {
            #expect(error == .cannotBroadcast(from: [3], to: [4, 2]))
            #expect(error.description == "cannot broadcast shape [3] to [4, 2]")
        }
        // A bias may broadcast to the product, but not widen it (torch's F.linear refuses too).
        do {
            _ = try linear(Variable(try Tensor.ones([3])), Variable(try Tensor.ones([3, 2])), Variable(try Tensor.ones([4, 2])))
            Issue.record("linear with a [4, 2] bias for a [2] product did not throw")
        } catch {
            #expect(error == .cannotBroadcast(from: [4, 2], to: [2]))
        }
        // The weight must be a matrix, even where matmul's rules would accept it.
        do {
            _ = try linear(Variable(try Tensor.ones([1])), Variable(try Tensor.ones([1])), nil)
            Issue.record("linear with a 1-d weight did not throw")
        } catch {
            #expect(error == .incompatibleMatmulShapes([1], [1], reason: "linear's weight must be a matrix [in, out]"))
        }
    }
}
