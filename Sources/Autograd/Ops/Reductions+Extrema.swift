// Reductions that pick elements: max and min, over all elements or over axes.
//
// Their gradient follows torch's `amax`/`amin` (tools/autograd/derivatives.yaml):
//
//     scale_grad_by_count(restore_reduced_dims(grad, dim, keepdim),
//                         restore_reduced_dims(result, dim, keepdim) == self, dim)
//
// that is `(grad / count) * mask`, with `mask = (x == result)` and `count` the number of
// elements of each slice equal to its result: ties share the gradient evenly, and a slice
// whose result is NaN (where `mask` is all false, `count` 0) gets NaN everywhere.

/// `y = max x` over `axes` (all if `nil` or empty), keeping them as size 1 if `keepdims`.
/// NaN propagates: a slice holding a NaN has maximum NaN. Same as `torch.amax`.
///
/// Gradient: the incoming gradient split evenly among the elements equal to their
/// slice's maximum, 0 elsewhere: `∂y/∂xᵢ = [xᵢ = y] / #{j : xⱼ = y}`. So `max([1, 3, 3, 2])`
/// has gradient `[0, 0.5, 0.5, 0]`, and a slice whose maximum is NaN has gradient NaN in
/// every element (`grad / 0 · 0`), as `torch.amax` gives. (`torch.max(x)` without a
/// dimension differs only there: it treats NaN as equal to NaN and gives the NaN
/// elements the gradient.) The gradient is piecewise constant: every higher derivative is 0.
public final class Max: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false) {
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Extrema.checkedAxes(axes, of: xs[0], .maximum)
        return [xs[0].extremum(.maximum, axes: normalizedAxes, keepdims: keepdims)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [Extrema.gradient(gys[0], input: input(0), result: output(0)?.data, .maximum, axes: normalizedAxes)]
    }
}

/// `y = min x` over `axes`; everything as for ``Max`` with the smallest element
/// (`torch.amin`): NaN propagates, ties share the gradient evenly.
public final class Min: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false) {
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Extrema.checkedAxes(axes, of: xs[0], .minimum)
        return [xs[0].extremum(.minimum, axes: normalizedAxes, keepdims: keepdims)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [Extrema.gradient(gys[0], input: input(0), result: output(0)?.data, .minimum, axes: normalizedAxes)]
    }
}

/// The maximum over `axes` (negative axes count from the end; `nil` or `[]` = all),
/// NaN if a slice holds a NaN. Ties share the gradient evenly (see ``Max``).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``,
///   ``AutogradError/emptyReduction(op:axis:)`` (a maximum of no elements).
public func max(_ x: Variable, axes: [Int]? = nil, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try Max(axes: axes, keepdims: keepdims).apply([x])[0]
}

/// The maximum over one axis.
public func max(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try max(x, axes: [axis], keepdims: keepdims)
}

/// The minimum over `axes` (negative axes count from the end; `nil` or `[]` = all),
/// NaN if a slice holds a NaN. Ties share the gradient evenly (see ``Min``).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``,
///   ``AutogradError/emptyReduction(op:axis:)`` (a minimum of no elements).
public func min(_ x: Variable, axes: [Int]? = nil, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try Min(axes: axes, keepdims: keepdims).apply([x])[0]
}

/// The minimum over one axis.
public func min(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try min(x, axes: [axis], keepdims: keepdims)
}

/// What ``Max`` and ``Min`` share.
enum Extrema {
    /// The normalized axes, refusing a reduction over no elements (which has no maximum;
    /// torch refuses it too): an axis of size 0, or every axis of an empty tensor.
    static func checkedAxes(_ axes: [Int]?, of x: Tensor, _ kind: Extremum) throws(AutogradError) -> [Int] {
        let normalized = try Shape.normalize(axes: axes, rank: x.rank)
        let reducesAll = axes?.isEmpty ?? true
        if reducesAll && x.count == 0 { throw .emptyReduction(op: kind.rawValue, axis: nil) }
        if let empty = normalized.first(where: { x.shape[$0] == 0 }) {
            throw .emptyReduction(op: kind.rawValue, axis: empty)
        }
        return normalized
    }

    /// torch's `scale_grad_by_count(grad, result == x, axes)`, in its order of operations:
    /// `(grad / count) * mask`, with the incoming gradient and the result restored to the
    /// kept shape. `mask` and `count` are constants, so the gradient of this gradient
    /// with respect to `x` is 0, as in torch.
    static func gradient(
        _ gy: Variable, input x: Variable, result: Tensor?, _ kind: Extremum, axes: [Int]
    ) -> Variable {
        let kept = Shape.reduced(x.shape, axes: axes, keepdims: true)
        let y = result ?? x.data.extremum(kind, axes: axes, keepdims: true)
        let restoredResult = trapping { () throws(AutogradError) in try y.reshaped(kept) }
        let mask = Tensor.indicator(x.data.equalMask(restoredResult), shape: x.shape, dtype: x.dtype)
        let count = mask.sum(axes: axes, keepdims: true)
        return (gy.reshaped(kept) / Variable.constant(count)) * Variable.constant(mask)
    }
}
