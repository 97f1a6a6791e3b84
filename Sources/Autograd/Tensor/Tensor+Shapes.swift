// Kernels and shape arithmetic of the shape ops: `-1` in a reshape target, axes for a
// new dimension, and joining / splitting tensors along an axis.

extension Shape {
    /// The shape a tensor of `shape` takes when reshaped to `target`, as torch's `reshape`
    /// reads it: its one `-1` (if any) is the size that keeps the element count.
    /// - Throws: ``AutogradError/negativeDimension(_:)`` for a dimension below `-1`, and
    ///   ``AutogradError/cannotReshape(from:to:reason:)`` for two `-1`s, a count that
    ///   `target` does not hold, or a `-1` that any size would satisfy (a tensor with no
    ///   elements and another dimension of 0), and ``AutogradError/sizeOverflow(shape:op:)``
    ///   for a target too large to address (`[1 << 32, 1 << 32]`).
    static func reshapeTarget(_ target: [Int], from shape: [Int]) throws(AutogradError) -> [Int] {
        let total = count(shape)
        let inferred = target.indices.filter { target[$0] == -1 }
        guard let position = inferred.first else {
            let held = try checkedCount(target, op: "reshape")
            guard held == total else {
                throw .cannotReshape(from: shape, to: target,
                                     reason: "that shape holds \(held) element\(held == 1 ? "" : "s")")
            }
            return target
        }
        guard inferred.count == 1 else {
            throw .cannotReshape(from: shape, to: target, reason: "only one dimension can be -1")
        }
        let others = target.enumerated().filter { $0.offset != position }.map(\.element)
        guard others.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(target) }
        let known: Int
        do {
            known = try checkedCount(others, op: "reshape")
        } catch {
            throw .sizeOverflow(shape: target, op: "reshape")
        }
        guard known != 0 else {
            throw .cannotReshape(from: shape, to: target,
                                 reason: "the other dimensions hold no elements, so any size would do for -1")
        }
        guard total % known == 0 else {
            throw .cannotReshape(from: shape, to: target,
                                 reason: "\(total) elements cannot be split into rows of \(known) (the product of the other dimensions)")
        }
        var result = target
        result[position] = total / known
        return result
    }

    /// `target` for ``Tensor/broadcast(to:)`` with each `-1` replaced by the size of the
    /// dimension of `shape` it lines up with (from the right), as torch's `expand` does.
    /// - Throws: ``AutogradError/cannotBroadcast(from:to:)`` for a `-1` in a new leading dimension.
    static func keepingMinusOne(_ target: [Int], from shape: [Int]) throws(AutogradError) -> [Int] {
        guard target.contains(-1) else { return target }
        let lead = target.count - shape.count
        var result = target
        for d in target.indices where target[d] == -1 {
            guard d >= lead else { throw .cannotBroadcast(from: shape, to: target) }
            result[d] = shape[d - lead]
        }
        return result
    }

    /// A position for a new axis in a tensor of rank `rank`, in `-(rank + 1)...rank`,
    /// made non-negative (`-1` is after the last axis).
    static func normalize(newAxis axis: Int, rank: Int, op: String) throws(AutogradError) -> Int {
        guard axis >= -(rank + 1) && axis <= rank else { throw .newAxisOutOfRange(op: op, axis: axis, rank: rank) }
        return axis < 0 ? axis + rank + 1 : axis
    }
}

extension Tensor {
    /// The shape of `shapes` (of one rank, agreeing except along `axis`) joined along
    /// `axis`: `axis` of size `Σ shapes[i][axis]`.
    /// - Throws: ``AutogradError/cannotJoin(op:shapes:reason:)`` if the sizes along `axis`
    ///   add up to more than `Int.max`, ``AutogradError/sizeOverflow(shape:op:)`` if the
    ///   joined shape is too large to address (`[0, 1 << 62]` joined with itself four
    ///   times along axis 0 is `[0, 1 << 62]`, fine; along a new axis, `[4, 0, 1 << 62]`, not).
    static func joinedShape(_ shapes: [[Int]], axis: Int, op: String) throws(AutogradError) -> [Int] {
        var shape = shapes[0]
        shape[axis] = 0
        for part in shapes {
            let (sum, overflow) = shape[axis].addingReportingOverflow(part[axis])
            guard !overflow else {
                throw .cannotJoin(op: op, shapes: shapes,
                                  reason: "their sizes along axis \(axis) add up to more than \(Int.max)")
            }
            shape[axis] = sum
        }
        _ = try Shape.checkedCount(shape, op: op)
        return shape
    }

    /// Tensors of one dtype and rank whose shapes agree except along `axis` and whose
    /// joined shape fits (both checked by the caller, the latter with
    /// ``joinedShape(_:axis:op:)``), joined along `axis`.
    static func concatenated(_ parts: [Tensor], axis: Int) -> Tensor {
        var shape = parts[0].shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let outer = Shape.count(Array(shape[..<axis]))
        let inner = Shape.count(Array(shape[(axis + 1)...]))
        // Each part contributes one contiguous block of `size · inner` elements per outer index.
        let blocks = parts.map { $0.shape[axis] * inner }
        func join<T>(_ arrays: [[T]]) -> [T] {
            var result: [T] = []
            result.reserveCapacity(Shape.count(shape))
            for o in 0..<outer {
                for (array, block) in Swift.zip(arrays, blocks) {
                    result.append(contentsOf: array[(o * block)..<((o + 1) * block)])
                }
            }
            return result
        }
        if parts[0].dtype == .int64 {
            return Tensor(shape: shape, int64Storage: join(parts.map { $0.int64Storage ?? $0.int64Scalars }))
        }
        switch parts[0].storage {
        case .float64:
            return Tensor(shape: shape, storage: .float64(join(parts.map { $0.converted(to: .float64).float64Values })))
        case .float32:
            return Tensor(shape: shape, storage: .float32(join(parts.map { $0.converted(to: .float32).float32Values })))
        }
    }

    /// The pieces of `self` along `axis` of the given sizes (which sum to that axis's size,
    /// checked by the caller), in order.
    func split(sizes: [Int], axis: Int) -> [Tensor] {
        let outer = Shape.count(Array(shape[..<axis]))
        let inner = Shape.count(Array(shape[(axis + 1)...]))
        let row = shape[axis] * inner
        var starts: [Int] = []
        var start = 0
        for size in sizes {
            starts.append(start)
            start += size * inner
        }
        func pieces<T>(_ a: [T]) -> [[T]] {
            Swift.zip(sizes, starts).map { size, start in
                let block = size * inner
                var piece: [T] = []
                piece.reserveCapacity(outer * block)
                for o in 0..<outer {
                    piece.append(contentsOf: a[(o * row + start)..<(o * row + start + block)])
                }
                return piece
            }
        }
        func pieceShape(_ size: Int) -> [Int] {
            var s = shape
            s[axis] = size
            return s
        }
        if let ints = int64Storage {
            return Swift.zip(sizes, pieces(ints)).map { Tensor(shape: pieceShape($0), int64Storage: $1) }
        }
        switch storage {
        case .float64(let a):
            return Swift.zip(sizes, pieces(a)).map { Tensor(shape: pieceShape($0), storage: .float64($1)) }
        case .float32(let a):
            return Swift.zip(sizes, pieces(a)).map { Tensor(shape: pieceShape($0), storage: .float32($1)) }
        }
    }

    private var float64Values: [Double] {
        if case .float64(let a) = storage { return a }
        return scalars
    }

    private var float32Values: [Float] {
        if case .float32(let a) = storage { return a }
        return scalars.map { Float($0) }
    }
}
