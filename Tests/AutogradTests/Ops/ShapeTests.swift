import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The shape ops: reshape with -1, broadcastTo with -1, expandDims/unsqueeze, squeeze,
// flatten, concatenate/cat, stack, split. Forward values are compared with arrays
// written out by hand from small counting inputs (0, 1, 2, ... in row-major order, so
// each expected number is the element's original offset); gradients are checked by
// central differences, to second order through nonlinear compositions (the shape ops
// themselves are linear, so their own second derivatives are zero).

/// `0, 1, 2, …` in row-major order (times `scale`), as a tensor of `shape`.
private func counting(_ shape: [Int], scale: Double = 1, dtype: DType = .float64) -> Tensor {
    let n = shape.reduce(1, *)
    return try! Tensor(shape: shape, scalars: (0..<n).map { Double($0) * scale }, dtype: dtype)
}

/// `#expect` that `y` has `shape` and exactly `values` (row-major).
private func expectTensor(
    _ y: Variable, _ shape: [Int], _ values: [Double], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(y.shape == shape, sourceLocation: sourceLocation)
    #expect(y.data.scalars == values, sourceLocation: sourceLocation)
}

/// The description of the error `body` throws, or `nil` if it does not throw.
private func message(_ body: () throws(AutogradError) -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.description
    }
}

@Suite("Shape ops: reshape, broadcastTo, unsqueeze, squeeze, flatten, cat, stack, split")
struct ShapeTests {
    // MARK: reshape and broadcastTo with -1

    @Test func reshapeInfersOneDimension() throws {
        let x = Variable(counting([3, 2]))
        expectTensor(try reshape(x, [2, -1]), [2, 3], [0, 1, 2, 3, 4, 5])
        expectTensor(try reshape(x, [-1]), [6], [0, 1, 2, 3, 4, 5])
        expectTensor(try reshape(x, [-1, 1, 3]), [2, 1, 3], [0, 1, 2, 3, 4, 5])
        // A 0-d tensor holds one element: -1 is 1.
        expectTensor(try reshape(Variable(2.5), [-1]), [1], [2.5])
        // No elements: -1 is inferred from non-zero other dimensions (0 / 3 = 0).
        let empty = Variable(try Tensor.zeros([0, 3]))
        #expect(try reshape(empty, [-1, 3]).shape == [0, 3])
        // A -1 that resolves to the same shape is the same variable.
        #expect(try reshape(x, [3, -1]) === x)
        try checkGradients("reshape [3, 2] → [-1, 3]", [counting([3, 2])]) { xs in try reshape(xs[0], [-1, 3]) }
    }

    @Test func reshapeErrors() throws {
        let x = Variable(counting([2, 3]))
        #expect(message { () throws(AutogradError) in try reshape(x, [4]) }
                == "cannot reshape a tensor of shape [2, 3] (6 elements) to [4]: that shape holds 4 elements")
        #expect(throws: AutogradError.cannotReshape(from: [2, 3], to: [-1, -1], reason: "only one dimension can be -1")) {
            try reshape(x, [-1, -1])
        }
        #expect(message { () throws(AutogradError) in try reshape(x, [4, -1]) }
                == "cannot reshape a tensor of shape [2, 3] (6 elements) to [4, -1]: 6 elements cannot be split into rows of 4 (the product of the other dimensions)")
        #expect(throws: AutogradError.negativeDimension([-1, -2])) { try reshape(x, [-1, -2]) }
        #expect(throws: AutogradError.negativeDimension([-2, 3])) { try reshape(x, [-2, 3]) }
        let empty = Variable(try Tensor.zeros([0, 3]))
        #expect(message { () throws(AutogradError) in try reshape(empty, [-1, 0]) }
                == "cannot reshape a tensor of shape [0, 3] (0 elements) to [-1, 0]: the other dimensions hold no elements, so any size would do for -1")
    }

    @Test func broadcastToKeepsSizesAtMinusOne() throws {
        // [[0], [1]] repeated along the second axis: [[0, 0, 0], [1, 1, 1]].
        let x = Variable(counting([2, 1]))
        expectTensor(try broadcastTo(x, [-1, 3]), [2, 3], [0, 0, 0, 1, 1, 1])
        expectTensor(try broadcastTo(x, [2, -1, -1]), [2, 2, 1], [0, 1, 0, 1])
        #expect(try broadcastTo(x, [-1, -1]) === x)
        #expect(throws: AutogradError.cannotBroadcast(from: [2, 1], to: [-1, 2, 3])) { try broadcastTo(x, [-1, 2, 3]) }
        try checkGradients("broadcastTo [2, 1] → [3, -1, 4]", [counting([2, 1])]) { xs in
            try broadcastTo(xs[0], [3, -1, 4])
        }
    }

    // MARK: expandDims / unsqueeze

    @Test(arguments: [
        (1, [2, 1, 3]), (0, [1, 2, 3]), (2, [2, 3, 1]), (-1, [2, 3, 1]), (-2, [2, 1, 3]), (-3, [1, 2, 3]),
    ] as [(Int, [Int])])
    func expandDimsInsertsAnAxis(axis: Int, shape: [Int]) throws {
        let x = Variable(counting([2, 3]))
        // Only the shape changes; the row-major elements stay in order.
        expectTensor(try expandDims(x, axis: axis), shape, [0, 1, 2, 3, 4, 5])
        expectTensor(try unsqueeze(x, axis: axis), shape, [0, 1, 2, 3, 4, 5])
        try checkGradients("expandDims axis \(axis)", [counting([2, 3])]) { xs in try expandDims(xs[0], axis: axis) }
    }

    @Test func expandDimsOfScalarAndErrors() throws {
        let s = Variable(1.5)
        expectTensor(try expandDims(s, axis: 0), [1], [1.5])
        expectTensor(try expandDims(s, axis: -1), [1], [1.5])
        let x = Variable(counting([2, 3]))
        #expect(throws: AutogradError.newAxisOutOfRange(op: "unsqueeze", axis: 3, rank: 2)) { try expandDims(x, axis: 3) }
        #expect(throws: AutogradError.newAxisOutOfRange(op: "unsqueeze", axis: -4, rank: 2)) { try unsqueeze(x, axis: -4) }
        #expect(message { () throws(AutogradError) in try expandDims(s, axis: 1) }
                == "unsqueeze: axis 1 is out of range for a new axis of a rank-0 tensor (valid: -1...0)")
    }

    // MARK: squeeze

    @Test func squeezeRemovesSizeOneAxes() throws {
        let x = Variable(counting([1, 3, 1, 2]))
        let values: [Double] = [0, 1, 2, 3, 4, 5]
        expectTensor(try squeeze(x), [3, 2], values)
        expectTensor(try squeeze(x, axes: [0]), [3, 1, 2], values)
        expectTensor(try squeeze(x, axis: -2), [1, 3, 2], values)
        expectTensor(try squeeze(x, axes: [2, 0]), [3, 2], values)
        // As in torch, naming an axis whose size is not 1 keeps it; [] removes nothing.
        #expect(try squeeze(x, axis: 1) === x)
        #expect(try squeeze(x, axes: []) === x)
        expectTensor(try squeeze(x, axes: [1, 2]), [1, 3, 2], values)
        // To and from 0-d.
        expectTensor(try squeeze(Variable(try Tensor(shape: [1, 1, 1], scalars: [7]))), [], [7])
        expectTensor(try squeeze(Variable(7.0), axis: 0), [], [7])
        try checkGradients("squeeze [1, 3, 1, 2]", [counting([1, 3, 1, 2])]) { xs in try squeeze(xs[0]) }
        try checkSecondOrderGradients("tanh(squeeze(x, axes: [0, -1]))", [counting([1, 3, 1], scale: 1.0 / 3)]) { xs in
            tanh(try squeeze(xs[0], axes: [0, -1]))
        }
    }

    @Test func squeezeErrors() throws {
        let x = Variable(counting([1, 3]))
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try squeeze(x, axis: 2) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -3, rank: 2)) { try squeeze(x, axis: -3) }
        #expect(throws: AutogradError.repeatedAxis(-2)) { try squeeze(x, axes: [0, -2]) }
    }

    // MARK: flatten

    @Test(arguments: [
        (0, -1, [24]), (1, -1, [2, 12]), (0, 1, [6, 4]), (-2, -1, [2, 12]), (1, 1, [2, 3, 4]), (0, 0, [2, 3, 4]),
    ] as [(Int, Int, [Int])])
    func flattenMergesAxes(start: Int, end: Int, shape: [Int]) throws {
        let x = Variable(counting([2, 3, 4]))
        let y = try flatten(x, start: start, end: end)
        expectTensor(y, shape, (0..<24).map(Double.init))
        try checkGradients("flatten \(start)...\(end)", [counting([2, 3, 4])]) { xs in
            try flatten(xs[0], start: start, end: end)
        }
    }

    @Test func flattenScalarAndErrors() throws {
        expectTensor(try flatten(Variable(0.25)), [1], [0.25])
        let x = Variable(counting([2, 3, 4]))
        #expect(throws: AutogradError.invalidAxisRange(op: "flatten", start: 2, end: 1)) { try flatten(x, start: 2, end: 1) }
        #expect(message { () throws(AutogradError) in try flatten(x, start: -1, end: 0) }
                == "flatten: start axis -1 comes after end axis 0")
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try flatten(x, start: 3) }
        try checkSecondOrderGradients("flatten(x, start: 1) squared", [counting([2, 3, 2], scale: 1.0 / 6)]) { xs in
            square(try flatten(xs[0], start: 1))
        }
    }

    // MARK: concatenate / cat

    @Test func concatenateValues() throws {
        // Along axis 0: the rows of a, then the row of b.
        let a = Variable(counting([2, 3]))                                 // [[0, 1, 2], [3, 4, 5]]
        let b = Variable(try Tensor(shape: [1, 3], scalars: [6, 7, 8]))    // [[6, 7, 8]]
        expectTensor(try concatenate([a, b], axis: 0), [3, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8])
        // Along axis 1: row i is a's row i followed by c's row i.
        let c = Variable(try Tensor(shape: [2, 2], scalars: [10, 11, 12, 13]))  // [[10, 11], [12, 13]]
        expectTensor(try cat([a, c], axis: 1), [2, 5], [0, 1, 2, 10, 11, 3, 4, 5, 12, 13])
        expectTensor(try cat([c, a], axis: -1), [2, 5], [10, 11, 0, 1, 2, 12, 13, 3, 4, 5])
        // 3-d along the middle axis: for each of the 2 outer blocks, p's 1 row then q's 2 rows.
        let p = Variable(counting([2, 1, 2]))                              // [[[0, 1]], [[2, 3]]]
        let q = Variable(try Tensor(shape: [2, 2, 2], scalars: [10, 11, 12, 13, 14, 15, 16, 17]))
        expectTensor(try cat([p, q], axis: 1), [2, 3, 2], [0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17])
        // 1-d, and three inputs.
        let u = Variable(Tensor([1.0, 2.0])), v = Variable(Tensor([3.0])), w = Variable(Tensor([4.0, 5.0, 6.0]))
        expectTensor(try cat([u, v, w]), [6], [1, 2, 3, 4, 5, 6])
        // A single input is copied; the legacy 1-d empty tensor is skipped, as in torch.
        expectTensor(try cat([a], axis: 1), [2, 3], [0, 1, 2, 3, 4, 5])
        let empty = Variable(try Tensor.zeros([0]))
        expectTensor(try cat([a, empty, b], axis: 0), [3, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8])
        expectTensor(try cat([empty, empty], axis: 0), [0], [])
        #expect(try gradients(of: sum(try cat([a, empty], axis: 1)), withRespectTo: [empty])[0].shape == [0])
    }

    @Test func concatenateGradients() throws {
        var rng = SplitMix64(seed: 71)
        let a = rng.tensor([2, 3], in: -2...2), b = rng.tensor([1, 3], in: -2...2), c = rng.tensor([3, 3], in: -2...2)
        try checkGradients("cat axis 0", [a, b, c]) { xs in try concatenate(xs, axis: 0) }
        let d = rng.tensor([2, 2, 1], in: -2...2), e = rng.tensor([2, 2, 3], in: -2...2)
        try checkGradients("cat axis -1", [d, e]) { xs in try cat(xs, axis: -1) }
        // The same input twice: both copies' gradients add up.
        let x = rng.tensor([2], in: -2...2)
        try checkGradients("cat [x, x, x·x]", [x]) { xs in try cat([xs[0], xs[0], xs[0] * xs[0]]) }
        // Second order: the concatenation's backward (split) is itself differentiated.
        let y = rng.tensor([1, 3], in: -1...1)
        try checkSecondOrderGradients("sum(cat([x, y·y]) ** 3)", [rng.tensor([2, 3], in: -1...1), y]) { xs in
            sum(try cat([xs[0], xs[1] * xs[1]], axis: 0) ** 3)
        }
        try checkSecondOrderGradients("tanh(cat axis 1)", [d, e]) { xs in tanh(try cat(xs, axis: 2)) }
    }

    @Test func concatenateErrors() throws {
        let a = Variable(counting([2, 3])), b = Variable(counting([2, 2]))
        #expect(message { () throws(AutogradError) in try cat([a, b], axis: 0) }
                == "cat: cannot join tensors of shapes [2, 3], [2, 2]: sizes must match except along axis 0, but tensor 1 has size 2 along axis 1 where tensor 0 has 3")
        #expect(message { () throws(AutogradError) in try cat([a, Variable(counting([3]))]) }
                == "cat: cannot join tensors of shapes [2, 3], [3]: tensor 1 has rank 1, tensor 0 has rank 2")
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try cat([a, a], axis: 2) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -3, rank: 2)) { try cat([a, a], axis: -3) }
        #expect(message { () throws(AutogradError) in try cat([Variable(1.0), Variable(2.0)]) }
                == "cat: cannot join tensors of shapes [], []: tensor 0 is 0-d and has no axis to join along (use stack)")
        #expect(throws: AutogradError.cannotJoin(op: "cat", shapes: [], reason: "it needs at least one tensor")) {
            try cat([])
        }
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "cat")) { try cat([a, a.to(.float32)]) }
    }

    // MARK: stack

    @Test func stackValues() throws {
        let a = Variable(Tensor([1.0, 2.0, 3.0])), b = Variable(Tensor([4.0, 5.0, 6.0]))
        expectTensor(try stack([a, b]), [2, 3], [1, 2, 3, 4, 5, 6])
        // A new last axis pairs up the elements: [[1, 4], [2, 5], [3, 6]].
        expectTensor(try stack([a, b], axis: 1), [3, 2], [1, 4, 2, 5, 3, 6])
        expectTensor(try stack([a, b], axis: -1), [3, 2], [1, 4, 2, 5, 3, 6])
        // 0-d inputs make a vector.
        expectTensor(try stack([Variable(0.5), Variable(-1.0), Variable(2.0)]), [3], [0.5, -1, 2])
        // 2-d along the middle: out[i][k] = input k's row i.
        let p = Variable(counting([2, 2])), q = Variable(try Tensor(shape: [2, 2], scalars: [10, 11, 12, 13]))
        expectTensor(try stack([p, q], axis: 1), [2, 2, 2], [0, 1, 10, 11, 2, 3, 12, 13])
        expectTensor(try stack([p, q], axis: -1), [2, 2, 2], [0, 10, 1, 11, 2, 12, 3, 13])
    }

    @Test func stackGradients() throws {
        var rng = SplitMix64(seed: 72)
        let a = rng.tensor([2, 3], in: -2...2), b = rng.tensor([2, 3], in: -2...2), c = rng.tensor([2, 3], in: -2...2)
        try checkGradients("stack axis -1", [a, b, c]) { xs in try stack(xs, axis: -1) }
        try checkSecondOrderGradients("tanh(stack([x, x·y], axis 2))", [a, b]) { xs in
            tanh(try stack([xs[0], xs[0] * xs[1]], axis: 2))
        }
        try checkSecondOrderGradients("stack of 0-d products", [Tensor(0.8), Tensor(-1.3)]) { xs in
            square(try stack([xs[0], xs[1], xs[0] * xs[1]]))
        }
    }

    @Test func stackErrors() throws {
        let a = Variable(counting([2, 3])), b = Variable(counting([2, 2]))
        #expect(message { () throws(AutogradError) in try stack([a, b]) }
                == "stack: cannot join tensors of shapes [2, 3], [2, 2]: every tensor must have the same shape, but tensor 0 has [2, 3] and tensor 1 has [2, 2]")
        #expect(throws: AutogradError.newAxisOutOfRange(op: "stack", axis: 3, rank: 2)) { try stack([a, a], axis: 3) }
        #expect(throws: AutogradError.newAxisOutOfRange(op: "stack", axis: -4, rank: 2)) { try stack([a, a], axis: -4) }
        #expect(throws: AutogradError.cannotJoin(op: "stack", shapes: [], reason: "it needs at least one tensor")) {
            try stack([])
        }
    }

    // MARK: split

    @Test func splitValues() throws {
        // [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
        let x = Variable(counting([2, 5]))
        let bySizes = try split(x, sizes: [2, 3], axis: 1)
        #expect(bySizes.count == 2)
        expectTensor(bySizes[0], [2, 2], [0, 1, 5, 6])
        expectTensor(bySizes[1], [2, 3], [2, 3, 4, 7, 8, 9])
        // Chunks of 2 along the last axis: 2, 2 and a last one of 1.
        let byChunk = try split(x, chunkSize: 2, axis: -1)
        #expect(byChunk.map(\.shape) == [[2, 2], [2, 2], [2, 1]])
        expectTensor(byChunk[0], [2, 2], [0, 1, 5, 6])
        expectTensor(byChunk[1], [2, 2], [2, 3, 7, 8])
        expectTensor(byChunk[2], [2, 1], [4, 9])
        // Along axis 0, sizes with a zero; a chunk larger than the axis; an empty axis.
        let rows = try split(x, sizes: [0, 2], axis: 0)
        #expect(rows.map(\.shape) == [[0, 5], [2, 5]])
        expectTensor(rows[1], [2, 5], (0..<10).map(Double.init))
        #expect(try split(x, chunkSize: 7, axis: 1).map(\.shape) == [[2, 5]])
        let empty = Variable(try Tensor.zeros([0, 2]))
        #expect(try split(empty, chunkSize: 0).map(\.shape) == [[0, 2]])
        #expect(try split(empty, chunkSize: 3).map(\.shape) == [[0, 2]])
        // Float32 stays float32.
        let f = Variable(counting([4], dtype: .float32))
        #expect(try split(f, chunkSize: 3).allSatisfy { $0.dtype == .float32 })
    }

    @Test func splitGradients() throws {
        var rng = SplitMix64(seed: 73)
        let x = rng.tensor([4, 2], in: -1...1)
        try checkGradients("split sizes [2, 1, 1], all used", [x]) { xs in
            let s = try split(xs[0], sizes: [2, 1, 1], axis: 0)
            return sum(square(s[0])) + sum(tanh(s[1])) * s[2]
        }
        try checkSecondOrderGradients("split sizes [2, 1, 1], nonlinear", [x]) { xs in
            let s = try split(xs[0], sizes: [2, 1, 1], axis: 0)
            return sum(square(s[0])) + sum(tanh(s[1])) * s[2] ** 3
        }
        let y = rng.tensor([5, 3], in: -1...1)
        try checkSecondOrderGradients("split chunks of 2, last smaller", [y]) { xs in
            let s = try split(xs[0], chunkSize: 2, axis: 0)
            return s[0] * s[1] + sum(square(s[2]))
        }
        try checkSecondOrderGradients("split then cat", [y]) { xs in
            let s = try split(xs[0], sizes: [2, 1], axis: -1)
            return try cat([s[1], s[0] * s[0]], axis: 1)
        }
    }

    /// An output of split that does not reach the result gets a zero gradient, whether
    /// it is still alive (unused) or already released.
    @Test func splitUnusedOutputsGetZeros() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 0.25, 1.5, -0.5]))
        // Alive but unused: s[0].
        let s = try split(x, sizes: [1, 2], axis: 1)
        let g = try gradients(of: sum(exp(s[1])), withRespectTo: [x], createGraph: true)[0]
        // d/dx sum(exp) = exp(x) on the used columns 1 and 2, 0 on column 0.
        let e = x.data.scalars.map { libmExp($0) }
        #expect(g.data.scalars == [0, e[1], e[2], 0, e[4], e[5]])
        // Second order: d/dx sum(g) = exp(x) again on the used columns.
        let gg = try gradients(of: sum(g), withRespectTo: [x])[0]
        #expect(gg.data.scalars == [0, e[1], e[2], 0, e[4], e[5]])
        // Released: only the last piece is kept.
        let last = try split(x, chunkSize: 1, axis: 0)[1]
        let h = try gradients(of: sum(square(last)), withRespectTo: [x])[0]
        #expect(h.data.scalars == [0, 0, 0, 0.5, 3, -1])
    }

    @Test func splitErrors() throws {
        let x = Variable(counting([2, 3]))
        #expect(message { () throws(AutogradError) in try split(x, sizes: [1, 1], axis: 1) }
                == "split: cannot split a tensor of shape [2, 3] along axis 1: sizes [1, 1] sum to 2, but the axis has length 3")
        #expect(message { () throws(AutogradError) in try split(x, sizes: [3, -1], axis: 1) }
                == "split: cannot split a tensor of shape [2, 3] along axis 1: size -1 in [3, -1] is negative")
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try split(x, sizes: [1, 1], axis: 2) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -3, rank: 2)) { try split(x, chunkSize: 1, axis: -3) }
        #expect(message { () throws(AutogradError) in try split(x, chunkSize: 0) }
                == "split: cannot split a tensor of shape [2, 3] along axis 0: a chunk size of 0 only splits an axis of length 0, and this one has length 2")
        #expect(throws: AutogradError.invalidSplit(shape: [2, 3], axis: 0, reason: "the chunk size -1 is negative")) {
            try split(x, chunkSize: -1)
        }
        #expect(throws: AutogradError.invalidSplit(shape: [], axis: 0, reason: "a 0-d tensor has no axis")) {
            try split(Variable(1.0), chunkSize: 1)
        }
    }

    // MARK: dtypes and compositions

    /// Every shape op keeps float32, forwards and backwards.
    @Test func shapeOpsKeepFloat32() throws {
        let x = Variable(counting([2, 3], dtype: .float32))
        let s = try split(x, sizes: [1, 2], axis: 1)
        let y = try flatten(try stack([try squeeze(try expandDims(x, axis: 0)), try cat([s[1], s[0]], axis: 1)], axis: 1))
        #expect(y.dtype == .float32 && y.shape == [12])
        // Row i of x, then row i of x with its first column moved last.
        #expect(y.data.scalars == [0, 1, 2, 1, 2, 0, 3, 4, 5, 4, 5, 3])
        let g = try gradients(of: sum(y), withRespectTo: [x])[0]
        #expect(g.dtype == .float32 && g.data.scalars == [2, 2, 2, 2, 2, 2])
    }

    @Test func secondOrderThroughAChainOfShapeOps() throws {
        var rng = SplitMix64(seed: 74)
        let x = rng.tensor([2, 3], in: -1...1), y = rng.tensor([3], in: -1...1)
        try checkSecondOrderGradients("chain of shape ops", [x, y]) { xs in
            let z = try flatten(try squeeze(try unsqueeze(xs[0], axis: 0), axis: 0))
            let s = try split(try stack([xs[1], xs[1] * xs[1]], axis: 1), chunkSize: 1, axis: 1)
            let r = try reshape(xs[0], [3, -1])
            return sum(square(z)) * sum(s[0] * s[1] * r)
        }
    }
}

/// libm's `exp`, named apart from the library's `exp(_: Variable)`.
private func libmExp(_ x: Double) -> Double {
    #if canImport(Glibc)
    Glibc.exp(x)
    #else
    Darwin.exp(x)
    #endif
}
