// Reductions: sum and mean, over all elements or over axes.

/// `y = Σ x` over `axes` (all if `nil`), keeping them as size 1 if `keepdims`.
/// Gradient: the incoming gradient, with the reduced axes restored as size 1, broadcast
/// back to `x`'s shape: every element contributed once.
public final class Sum: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false) {
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Shape.normalize(axes: axes, rank: xs[0].rank)
        return [xs[0].sum(axes: normalizedAxes, keepdims: keepdims)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        let kept = Shape.reduced(x.shape, axes: normalizedAxes, keepdims: true)
        return [gys[0].reshaped(kept).broadcast(to: x.shape)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        let x = input(0)
        let kept = Shape.reduced(x.shape, axes: normalizedAxes, keepdims: true)
        return [trapping { () throws(AutogradError) in try gys[0].reshaped(kept) }.trustedBroadcast(to: x.shape)]
    }
}

/// The sum of all elements (a 0-d result).
public func sum(_ x: Variable) -> Variable {
    Sum()(x)
}

/// The sum over `axes` (negative axes count from the end; `nil` = all).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func sum(_ x: Variable, axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try Sum(axes: axes, keepdims: keepdims).apply([x])[0]
}

/// The sum over one axis.
public func sum(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try sum(x, axes: [axis], keepdims: keepdims)
}

/// The arithmetic mean over `axes` (`nil` = all): `sum(x, axes) / n`, with `n` the number
/// of elements reduced. Composite: its gradient, `1/n` broadcast back, comes from
/// ``Sum`` and ``Divide``. An empty reduction gives NaN, as in torch.
public func mean(_ x: Variable, axes: [Int]? = nil, keepdims: Bool = false) throws(AutogradError) -> Variable {
    let normalized = try Shape.normalize(axes: axes, rank: x.rank)
    let n = normalized.reduce(1) { $0 * x.shape[$1] }
    return try sum(x, axes: axes, keepdims: keepdims) / Double(n)
}

/// The mean of all elements.
public func mean(_ x: Variable) -> Variable {
    trapping { () throws(AutogradError) in try mean(x, axes: nil) }
}

/// The mean over one axis.
public func mean(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try mean(x, axes: [axis], keepdims: keepdims)
}
