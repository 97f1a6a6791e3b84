// Softmax and log-softmax along an axis.
//
// Both subtract the maximum along the axis before exponentiating (torch's CPU kernel),
// so logits of ±1000 give exact 1s and 0s (softmax) and finite values (log-softmax)
// instead of ∞/∞ = NaN. The backward passes are torch's `_softmax_backward_data` and
// `_log_softmax_backward_data`, written with differentiable ops on the saved output, so
// that their own derivatives are torch's double-backward formulas.

/// `yᵢ = e^(xᵢ - m) / Σⱼ e^(xⱼ - m)` along `axis`, `m = maxⱼ xⱼ` (which cancels).
/// Gradient: `y ⊙ (g - Σ(g ⊙ y))`, the sum along `axis`.
public final class Softmax: Function {
    public let axis: Int
    private var normalizedAxis = 0

    public init(axis: Int = -1) {
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxis = try Shape.normalize(axis: axis, rank: xs[0].rank)
        return [xs[0].softmax(axis: normalizedAxis, log: false)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0], axis = normalizedAxis
        let y = output(0) ?? Softmax(axis: axis)(input(0))
        let dot = trapping { () throws(AutogradError) in try sum(gy * y, axes: [axis], keepdims: true) }
        return [y * (gy - dot)]
    }
}

/// `yᵢ = xᵢ - m - log Σⱼ e^(xⱼ - m)` along `axis` (`m = maxⱼ xⱼ`).
/// Gradient: `g - eʸ ⊙ Σ g`, the sum along `axis`.
public final class LogSoftmax: Function {
    public let axis: Int
    private var normalizedAxis = 0

    public init(axis: Int = -1) {
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxis = try Shape.normalize(axis: axis, rank: xs[0].rank)
        return [xs[0].softmax(axis: normalizedAxis, log: true)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0], axis = normalizedAxis
        let y = output(0) ?? LogSoftmax(axis: axis)(input(0))
        let total = trapping { () throws(AutogradError) in try sum(gy, axes: [axis], keepdims: true) }
        return [gy - exp(y) * total]
    }
}

/// Softmax along `axis` (negative counts from the end): positive values summing to 1.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func softmax(_ x: Variable, axis: Int = -1) throws(AutogradError) -> Variable {
    try Softmax(axis: axis).apply([x])[0]
}

/// The logarithm of ``softmax(_:axis:)``, computed directly (stable for large logits).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func logSoftmax(_ x: Variable, axis: Int = -1) throws(AutogradError) -> Variable {
    try LogSoftmax(axis: axis).apply([x])[0]
}
