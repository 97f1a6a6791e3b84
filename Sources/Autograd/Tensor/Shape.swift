/// Shape arithmetic shared by the kernels: element counts, strides, broadcasting, axes.
enum Shape {
    /// The number of elements of a tensor of `shape` (1 for a scalar), unchecked: for
    /// shapes that passed ``checkedCount(_:op:)`` (every existing tensor's shape, and
    /// any part of it).
    static func count(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// The number of elements of `shape`, `∏ dᵢ`, after checking that the shape can be
    /// addressed: no dimension is negative and `∏ max(dᵢ, 1)` fits in `Int`.
    ///
    /// The second product bounds every partial product of the shape (each stride, each
    /// `outer`/`inner` block count), so code that multiplies dimensions of a checked
    /// shape cannot overflow, even when a 0 makes the element count 0 (as in torch,
    /// `[0, 1 << 40, 1 << 40]` is refused: its strides overflow).
    /// - Throws: ``AutogradError/negativeDimension(_:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)`` naming `op`.
    static func checkedCount(_ shape: [Int], op: String) throws(AutogradError) -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(shape) }
        var extent = 1
        for d in shape {
            let (product, overflow) = extent.multipliedReportingOverflow(by: Swift.max(d, 1))
            if overflow { throw .sizeOverflow(shape: shape, op: op) }
            extent = product
        }
        return shape.contains(0) ? 0 : extent
    }

    /// Row-major strides, in elements.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for d in shape.indices.reversed() {
            strides[d] = step
            step *= shape[d]
        }
        return strides
    }

    /// Checks `shape` with ``checkedCount(_:op:)`` and, if given, that `count` fills it.
    /// - Throws: ``AutogradError/negativeDimension(_:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)``,
    ///   ``AutogradError/dataDoesNotMatchShape(count:shape:)``.
    static func validate(_ shape: [Int], count: Int?, op: String) throws(AutogradError) {
        let held = try checkedCount(shape, op: op)
        if let count, count != held {
            throw .dataDoesNotMatchShape(count: count, shape: shape)
        }
    }

    /// The shape two operands broadcast to (numpy/torch rules): align from the right;
    /// each pair of dimensions must be equal or one of them 1.
    /// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, and
    ///   ``AutogradError/sizeOverflow(shape:op:)`` if the result is too large to address
    ///   (`[1 << 40, 1]` with `[1, 1 << 40]`).
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws(AutogradError) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 0, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                throw .shapesDoNotBroadcast(a, b, op: op)
            }
        }
        _ = try checkedCount(result, op: op)
        return result
    }

    /// Whether `shape` broadcasts to exactly `target`.
    static func broadcasts(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let offset = target.count - shape.count
        return shape.indices.allSatisfy { shape[$0] == target[$0 + offset] || shape[$0] == 1 }
    }

    /// The element count of `shape` if, leading 1s aside, it is the trailing part of
    /// `target` (so that it repeats as one contiguous block along `target`'s leading axes).
    static func trailingBlock(_ shape: [Int], of target: [Int]) -> Int? {
        let core = shape.drop { $0 == 1 }
        guard core.count <= target.count, Array(target.suffix(core.count)) == Array(core) else { return nil }
        let count = Shape.count(Array(core))
        return count > 0 ? count : nil
    }

    /// Strides for reading a tensor of `shape` as if it had the broadcast shape `target`:
    /// 0 along dimensions that are added on the left or stretched from 1.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return target.indices.map { d in
            d < offset || shape[d - offset] == 1 ? 0 : own[d - offset]
        }
    }

    /// An axis in `-rank..<rank` made non-negative. A scalar accepts axes 0 and -1, as in torch.
    static func normalize(axis: Int, rank: Int) throws(AutogradError) -> Int {
        let bound = max(rank, 1)
        guard axis >= -bound && axis < bound else { throw .axisOutOfRange(axis: axis, rank: rank) }
        return axis < 0 ? axis + bound : axis
    }

    /// Axes normalized and sorted; `nil` (and, as in torch, an empty list) means all
    /// axes. Repeats are an error.
    static func normalize(axes: [Int]?, rank: Int) throws(AutogradError) -> [Int] {
        guard let axes, !axes.isEmpty else { return Array(0..<rank) }
        var seen = Set<Int>()
        var result: [Int] = []
        for axis in axes {
            let a = try normalize(axis: axis, rank: rank)
            guard seen.insert(a).inserted else { throw .repeatedAxis(axis) }
            if a < rank { result.append(a) }  // axis 0 of a scalar reduces nothing
        }
        return result.sorted()
    }

    /// The shape left after reducing `axes` (sorted, normalized) of `shape`.
    static func reduced(_ shape: [Int], axes: [Int], keepdims: Bool) -> [Int] {
        var result: [Int] = []
        for (d, size) in shape.enumerated() {
            if axes.contains(d) {
                if keepdims { result.append(1) }
            } else {
                result.append(size)
            }
        }
        return result
    }
}
