// Reading parts of a tensor: torch's `t[0]`, `t[1:3]`, `t[:, 2]` and `t.item()`. The
// subscripts build the same gather plan as ``getitem(_:_:)`` on a Variable and run the
// same gather kernel.

extension Tensor {
    /// The single element of a one-element tensor (any rank) as a `Double`: torch's `item()`.
    ///
    /// ```swift
    /// let loss = Tensor(0.25)
    /// loss.item()                 // 0.25
    /// ```
    /// Traps, naming the shape, for a tensor with more or fewer than one element (torch
    /// raises); ``scalar`` returns `nil` there instead.
    public func item() -> Double {
        guard let value = scalar else {
            fatalError("item() needs a tensor with exactly one element; this one has shape \(shape) (\(count) elements)")
        }
        return value
    }

    /// The sub-tensor at position `i` of the first axis (negative counts from the end): a
    /// matrix's row, a vector's element as a 0-d tensor. The rank drops by one, as torch's `t[i]`.
    ///
    /// ```swift
    /// let m: Tensor = [[1, 2, 3], [4, 5, 6]]
    /// m[1]        // tensor([4., 5., 6.], dtype=float64)
    /// m[-1][0]    // tensor(4., dtype=float64)
    /// m[1, 2]     // 6.0, a Double: the full-index subscript
    /// ```
    /// Traps for an index out of range or a 0-d tensor.
    public subscript(_ i: Int) -> Tensor {
        self[.at(i)]
    }

    /// torch's basic indexing plus one index array, one component per leading axis:
    /// `t[.all, .at(2)]` is `t[:, 2]`, `t[.slice(start: 1, stop: 3)]` is `t[1:3]`,
    /// `t[.indices([0, 0, 2])]` is `t[[0, 0, 2]]` (see ``Index``).
    /// Traps on an index out of range; ``gathered(_:)`` throws instead.
    public subscript(_ index: Index...) -> Tensor {
        trapping { () throws(AutogradError) in try gathered(index) }
    }

    /// Positions `range` of the first axis, as `t[a:b]` in torch: `t[1..<3]`, `t[2...]`,
    /// `t[..<2]`. The rank stays. Bounds past the end are clamped, as Python's slices are.
    public subscript<R: RangeExpression>(_ range: R) -> Tensor where R.Bound == Int {
        if rank == 0 { fatalError("a 0-d tensor cannot be sliced") }
        let r = range.relative(to: 0..<Int.max)
        return self[.slice(start: r.lowerBound, stop: r.upperBound == Int.max ? nil : r.upperBound)]
    }

    /// `self[index...]` (see ``subscript(_:)-(Index...)``), throwing instead of trapping.
    /// - Throws: ``AutogradError/indexOutOfRange(index:axis:size:)``,
    ///   ``AutogradError/tooManyIndices(given:rank:)``, ``AutogradError/invalidIndex(_:)``.
    public func gathered(_ index: [Index]) throws(AutogradError) -> Tensor {
        if index.count == 1, case .indices(let rows) = index[0], rank > 0 { return try wholeRows(rows) }
        let (offsets, shape) = try IndexPlan.offsets(of: index, in: self.shape)
        return gather(offsets, shape: shape)
    }

    /// `self[.indices(rows)]`: whole rows along the first axis (a mini-batch), copied as
    /// contiguous blocks in the tensor's own dtype, without listing element offsets.
    /// - Throws: ``AutogradError/indexOutOfRange(index:axis:size:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)``.
    private func wholeRows(_ rows: [Int]) throws(AutogradError) -> Tensor {
        let size = shape[0]
        var starts: [Int] = []
        starts.reserveCapacity(rows.count)
        let outShape = [rows.count] + shape.dropFirst()
        let total = try Shape.checkedCount(outShape, op: "getitem")
        let rowSize = total == 0 ? 0 : total / rows.count
        for i in rows {
            guard i >= -size && i < size else { throw .indexOutOfRange(index: i, axis: 0, size: size) }
            starts.append((i < 0 ? i + size : i) * rowSize)
        }
        func copy<T>(_ a: [T]) -> [T] {
            var result: [T] = []
            result.reserveCapacity(total)
            for start in starts { result.append(contentsOf: a[start..<(start + rowSize)]) }
            return result
        }
        if let ints = int64Storage { return Tensor(shape: outShape, int64Storage: copy(ints)) }
        return switch storage {
        case .float64(let a): Tensor(shape: outShape, storage: .float64(copy(a)))
        case .float32(let a): Tensor(shape: outShape, storage: .float32(copy(a)))
        }
    }
}
