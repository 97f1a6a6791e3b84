// Reductions, matrix products and axis permutations of tensors without a graph: the
// kernels of ``Sum``, ``Max``, ``Min``, ``MatMul`` and ``Transpose``, behind names like
// torch's. A reduction over every element cannot fail (except the maximum or minimum of
// no elements) and does not throw; one over chosen axes throws on a bad axis.

extension Tensor {
    // MARK: Sum and mean

    /// The sum of all elements, as a 0-d tensor (accumulated in `Double`, also for
    /// float32). An int64 tensor sums to int64, exactly (wrapping on overflow), as in torch.
    ///
    /// ```swift
    /// let t: Tensor = [[1, 2], [3, 4]]
    /// t.sum().item()                          // 10.0
    /// try t.sum(axis: 0)                      // tensor([4., 6.], dtype=float64)
    /// try t.sum(axes: [1], keepdims: true)    // shape [2, 1]
    /// ```
    public func sum() -> Tensor {
        sum(axes: Array(0..<rank), keepdims: false)
    }

    /// The sum over `axes` (negative axes count from the end; `nil` or `[]` = all),
    /// keeping them as size 1 if `keepdims`.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
    public func sum(axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        let normalized: [Int] = try Shape.normalize(axes: axes, rank: rank)
        return sum(axes: normalized, keepdims: keepdims)
    }

    /// The sum over one axis (negative counts from the end).
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
    public func sum(axis: Int, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try sum(axes: [axis], keepdims: keepdims)
    }

    /// The arithmetic mean of all elements (NaN for no elements, as in torch): the sum
    /// divided by the count, as ``mean(_:axes:keepdims:)`` computes it for a Variable.
    /// Stops the program for an int64 tensor (torch refuses too): convert it first.
    public func mean() -> Tensor {
        trapUnlessFloatingPoint("mean")
        return sum() / Double(count)
    }

    /// The arithmetic mean over `axes` (`nil` or `[]` = all), keeping them as size 1 if `keepdims`.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``,
    ///   ``AutogradError/unsupportedDType(_:op:)`` for an int64 tensor.
    public func mean(axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try requireFloatingPoint("mean")
        let normalized: [Int] = try Shape.normalize(axes: axes, rank: rank)
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return sum(axes: normalized, keepdims: keepdims) / Double(n)
    }

    /// The arithmetic mean over one axis.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
    public func mean(axis: Int, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try mean(axes: [axis], keepdims: keepdims)
    }

    // MARK: Max and min

    /// The largest element, as a 0-d tensor; NaN if any element is NaN (`torch.amax`).
    /// Traps for a tensor with no elements, which has no maximum.
    public func max() -> Tensor {
        trapping { () throws(AutogradError) in try max(axes: nil) }
    }

    /// The largest element over `axes` (`nil` or `[]` = all); NaN where a slice holds a NaN.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``,
    ///   ``AutogradError/emptyReduction(op:axis:)`` (a maximum of no elements),
    ///   ``AutogradError/unsupportedDType(_:op:)`` for an int64 tensor.
    public func max(axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try requireFloatingPoint("max")
        return extremum(.maximum, axes: try Extrema.checkedAxes(axes, of: self, .maximum), keepdims: keepdims)
    }

    /// The largest element over one axis.
    /// - Throws: as ``max(axes:keepdims:)``.
    public func max(axis: Int, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try max(axes: [axis], keepdims: keepdims)
    }

    /// The smallest element, as a 0-d tensor; NaN if any element is NaN (`torch.amin`).
    /// Traps for a tensor with no elements.
    public func min() -> Tensor {
        trapping { () throws(AutogradError) in try min(axes: nil) }
    }

    /// The smallest element over `axes` (`nil` or `[]` = all); NaN where a slice holds a NaN.
    /// - Throws: as ``max(axes:keepdims:)``.
    public func min(axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try requireFloatingPoint("min")
        return extremum(.minimum, axes: try Extrema.checkedAxes(axes, of: self, .minimum), keepdims: keepdims)
    }

    /// The smallest element over one axis.
    /// - Throws: as ``max(axes:keepdims:)``.
    public func min(axis: Int, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try min(axes: [axis], keepdims: keepdims)
    }

    // MARK: Argmax and argmin

    /// The position of the largest element in the flattened tensor (row-major), as a 0-d
    /// tensor: `torch.argmax(t)`. Traps for a tensor with no elements.
    ///
    /// Indices are ``DType/int64``, as torch's: read them with ``int64Scalars`` or
    /// ``item()``. Ties go to the first occurrence, and NaN counts as the largest value
    /// (the first NaN wins), as in torch. Works on int64 tensors too.
    ///
    /// ```swift
    /// let t: Tensor = [[1, 7, 7], [9, 0, 2]]
    /// t.argmax()                  // tensor(3, dtype=int64)
    /// try t.argmax(axis: 1)       // tensor([1, 0], dtype=int64): ties go to the first
    /// ```
    public func argmax() -> Tensor {
        trapping { () throws(AutogradError) in try argmax(axis: nil) }
    }

    /// The position of the largest element along `axis` (negative counts from the end),
    /// or in the flattened tensor for `nil`, as int64 values (see ``argmax()``).
    /// - Parameters:
    ///   - axis: The axis to search along; `nil` searches the flattened tensor.
    ///   - keepdims: Keep the searched axis (every axis, for `nil`) as size 1.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``,
    ///   ``AutogradError/emptyReduction(op:axis:)`` for a search over no elements.
    public func argmax(axis: Int?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try extremumIndex(.maximum, axis: checkedSearchAxis(axis, op: "argmax"), keepdims: keepdims)
    }

    /// The position of the smallest element in the flattened tensor, as a 0-d int64
    /// tensor: `torch.argmin(t)`; ties and NaN as for ``argmax()``. Traps for no elements.
    public func argmin() -> Tensor {
        trapping { () throws(AutogradError) in try argmin(axis: nil) }
    }

    /// The position of the smallest element along `axis`, or in the flattened tensor for
    /// `nil`, as int64 values (see ``argmax(axis:keepdims:)``).
    /// - Throws: as ``argmax(axis:keepdims:)``.
    public func argmin(axis: Int?, keepdims: Bool = false) throws(AutogradError) -> Tensor {
        try extremumIndex(.minimum, axis: checkedSearchAxis(axis, op: "argmin"), keepdims: keepdims)
    }

    /// `axis` normalized (a 0-d tensor's only axis is `nil`: its one element), refusing a
    /// search over no elements.
    private func checkedSearchAxis(_ axis: Int?, op: String) throws(AutogradError) -> Int? {
        guard let axis else {
            if count == 0 { throw .emptyReduction(op: op, axis: nil) }
            return nil
        }
        let normalized = try Shape.normalize(axis: axis, rank: rank)
        guard normalized < rank else { return nil }  // axis 0 (or -1) of a scalar
        if shape[normalized] == 0 { throw .emptyReduction(op: op, axis: normalized) }
        return normalized
    }

    // MARK: Matrix product and transpose

    /// The matrix product `self @ other` with `torch.matmul`'s semantics: 1-d · 1-d is the
    /// dot product, 2-d · 2-d the matrix product, a 1-d operand is a row (left) or a
    /// column (right) whose axis is removed afterwards, and leading axes are batch axes
    /// that broadcast. The kernel of ``MatMul`` (BLAS's gemm).
    ///
    /// ```swift
    /// let a: Tensor = [[1, 2], [3, 4]], v: Tensor = [1, 1]
    /// try a.matmul(v)     // tensor([3., 7.], dtype=float64)
    /// ```
    /// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)``, ``AutogradError/dtypeMismatch(_:_:op:)``,
    ///   ``AutogradError/unsupportedDType(_:op:)`` for an int64 operand.
    public func matmul(_ other: Tensor) throws(AutogradError) -> Tensor {
        try requireFloatingPoint("matmul")
        try other.requireFloatingPoint("matmul")
        let views = try MatmulViews(self, other)
        return try Tensor.matrixProduct(reshaped(views.a), other.reshaped(views.b), transposeA: false, transposeB: false)
            .reshaped(views.result)
    }

    /// The tensor with its axes reversed (a matrix's transpose; numpy's `t.T`). Rank 0
    /// and 1 are unchanged.
    public func transposed() -> Tensor {
        permuted(Array((0..<rank).reversed()))
    }

    /// The tensor with its axes permuted: axis `i` of the result is axis `axes[i]` of
    /// `self` (negative axes count from the end), as numpy's `transpose(axes)` and torch's `permute`.
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/invalidPermutation(axes:rank:)``.
    public func transposed(_ axes: [Int]) throws(AutogradError) -> Tensor {
        permuted(try Transpose.permutation(axes, rank: rank))
    }
}
