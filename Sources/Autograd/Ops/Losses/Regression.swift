// Regression losses: mean squared error, L1, Huber and smooth L1, each with torch's
// `reduction` (mean by default) and broadcasting of its two operands (torch broadcasts
// them too, with a warning); `reduction: .none` gives the losses of the broadcast shape.
//
// Gradients follow torch's derivatives.yaml: where torch's backward is a kernel with its
// own double-backward formula (huber_loss_backward, smooth_l1_loss_backward), it is a
// `Function` here whose backward is that formula, so second derivatives agree with
// torch's at the kinks too. `n` below is the element count for the mean and 1 otherwise.

/// Both operands broadcast to their common shape (differentiably: the gradients are
/// summed back), as torch's `broadcast_tensors` in the losses.
func broadcastPair(_ x: Variable, _ y: Variable, op: String) throws(AutogradError) -> (Variable, Variable) {
    let shape = try Shape.broadcast(x.shape, y.shape, op: op)
    return (try broadcastTo(x, shape), try broadcastTo(y, shape))
}

// MARK: - Mean squared error

/// `Lᵢ = (xᵢ - yᵢ)²` over operands of one shape, then reduced.
/// Gradients (torch's mse_loss_backward): `∂L/∂x = (2/n)·(x - y)·g`, `∂L/∂y = (2/n)·(y - x)·g`.
public final class MeanSquaredError: Function {
    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let losses = try xs[0].zipSameShape(
            xs[1], op: "mean_squared_error", { LossMath.squaredError($0, $1) }, { LossMath.squaredError($0, $1) })
        return [losses.reduced(reduction)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        let norm = 2 / Double(reduction.divisor(count: x.count))
        return [(norm * (x - y)) * gy, (norm * (y - x)) * gy]
    }
}

/// The mean squared error (torch's `F.mse_loss` with its default reduction).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func meanSquaredError(_ x: Variable, _ y: Variable) throws(AutogradError) -> Variable {
    try meanSquaredError(x, y, reduction: .mean)
}

/// The squared errors `(x - y)²`, reduced as `reduction` says (torch's `F.mse_loss`).
/// `x` and `y` broadcast together first (as torch's do, with a warning there): the mean
/// is over the broadcast shape, and `.none` returns it.
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func meanSquaredError(_ x: Variable, _ y: Variable, reduction: Reduction = .mean) throws(AutogradError) -> Variable {
    let (xFull, yFull) = try broadcastPair(x, y, op: "mean_squared_error")
    return try MeanSquaredError(reduction: reduction).apply([xFull, yFull])[0]
}

// MARK: - L1

/// The absolute errors `|x - y|`, reduced as `reduction` says (torch's `F.l1_loss`).
/// `x` and `y` broadcast together first. Composite, as torch's: ``Abs`` of the
/// difference, so the gradient is `sign(x - y)·g/n` for `x` (0 at a tie) and minus that
/// for `y`, and the second derivative is 0.
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func l1Loss(_ x: Variable, _ y: Variable, reduction: Reduction = .mean) throws(AutogradError) -> Variable {
    let (xFull, yFull) = try broadcastPair(x, y, op: "l1_loss")
    return reduced(abs(try sub(xFull, yFull)), reduction)
}

// MARK: - Huber

/// `Lᵢ = h(xᵢ - yᵢ)` with `h(d) = ½d²` for `|d| < delta`, else `delta·(|d| - ½delta)`, then reduced.
/// Gradients: `HuberBackward` for `x` and, with the operands swapped, for `y`.
public final class HuberLoss: Function {
    public let delta: Double
    public let reduction: Reduction

    public init(delta: Double = 1, reduction: Reduction = .mean) {
        self.delta = delta
        self.reduction = reduction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let delta = delta
        let losses = try xs[0].zipSameShape(
            xs[1], op: "huber_loss", { LossMath.huber($0, $1, delta: delta) }, { LossMath.huber($0, $1, delta: delta) })
        return [losses.reduced(reduction)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        let n = reduction.divisor(count: x.count)
        return [HuberBackward(delta: delta, divisor: n)(gy, x, y), HuberBackward(delta: delta, divisor: n)(gy, y, x)]
    }
}

/// torch's `huber_loss_backward(g, a, b)`: `clamp(a - b, -delta, delta)·g/n`, `g` broadcast
/// to the operands' shape (a 0-d `g` for the mean and the sum, per element for `.none`).
/// Its gradients (derivatives.yaml): for `g`, `huber_loss_backward(1, a, b) ⊙ gg` summed to
/// `g`'s shape; for `a`, `gg·g·[|a - b| < delta]/n` (0 at the kink `|a - b| = delta`);
/// for `b`, minus that.
final class HuberBackward: Function {
    let delta: Double
    /// `n`: the element count for the mean, 1 for the sum and for no reduction.
    let divisor: Int

    init(delta: Double, divisor: Int) {
        self.delta = delta
        self.divisor = divisor
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let delta = delta, n = divisor
        return [try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: "huber_loss_backward",
            { LossMath.huberGradient($0, $1, $2, delta: delta, count: n) },
            { LossMath.huberGradient($0, $1, $2, delta: delta, count: n) })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, a, b, gg) = (input(0), input(1), input(2), gys[0])
        let ones = Variable.constant(g.data.filled(with: 1))
        let gradOutput = (HuberBackward(delta: delta, divisor: divisor)(ones, a, b) * gg).summed(to: g.shape)
        let limit = rounded(delta, to: a.dtype)
        let inside = Variable.constant((a - b).data.pointwise(.abs).indicator { $0 < limit })
        let gradA = ((gg * g) * inside) / Double(divisor)
        return [gradOutput, gradA, -gradA]
    }
}

/// The Huber loss: quadratic for differences below `delta`, linear beyond, reduced as
/// `reduction` says (torch's `F.huber_loss`). `x` and `y` broadcast together first.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `delta ≤ 0`,
///   ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func huberLoss(
    _ x: Variable, _ y: Variable, delta: Double = 1, reduction: Reduction = .mean
) throws(AutogradError) -> Variable {
    guard delta > 0 else {
        throw .invalidArgument(op: "huber_loss", reason: "delta must be positive, got \(delta)")
    }
    let (xFull, yFull) = try broadcastPair(x, y, op: "huber_loss")
    return try HuberLoss(delta: delta, reduction: reduction).apply([xFull, yFull])[0]
}

// MARK: - Smooth L1

/// `Lᵢ = s(xᵢ - yᵢ)` with `s(d) = ½d²/beta` for `|d| < beta`, else `|d| - ½beta`, then reduced.
/// Gradients: `SmoothL1Backward` for `x` and, with the operands swapped, for `y`.
public final class SmoothL1Loss: Function {
    public let beta: Double
    public let reduction: Reduction

    public init(beta: Double = 1, reduction: Reduction = .mean) {
        self.beta = beta
        self.reduction = reduction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let beta = beta
        let losses = try xs[0].zipSameShape(
            xs[1], op: "smooth_l1_loss", { LossMath.smoothL1($0, $1, beta: beta) }, { LossMath.smoothL1($0, $1, beta: beta) })
        return [losses.reduced(reduction)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        let n = reduction.divisor(count: x.count)
        return [SmoothL1Backward(beta: beta, divisor: n)(gy, x, y), SmoothL1Backward(beta: beta, divisor: n)(gy, y, x)]
    }
}

/// torch's `smooth_l1_loss_backward(g, a, b)`: `clamp((a - b)/beta, -1, 1)·g/n`.
/// Its gradients: for `g`, `smooth_l1_loss_backward(gg, a, b)` summed to `g`'s shape; for
/// `a`, `gg·g·[|a - b| < beta]/beta/n`; for `b`, minus that.
final class SmoothL1Backward: Function {
    let beta: Double
    /// `n`: the element count for the mean, 1 for the sum and for no reduction.
    let divisor: Int

    init(beta: Double, divisor: Int) {
        self.beta = beta
        self.divisor = divisor
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let beta = beta, n = divisor
        return [try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: "smooth_l1_loss_backward",
            { LossMath.smoothL1Gradient($0, $1, $2, beta: beta, count: n) },
            { LossMath.smoothL1Gradient($0, $1, $2, beta: beta, count: n) })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, a, b, gg) = (input(0), input(1), input(2), gys[0])
        let gradOutput = SmoothL1Backward(beta: beta, divisor: divisor)(gg, a, b).summed(to: g.shape)
        let limit = rounded(beta, to: a.dtype)
        let inside = Variable.constant((a - b).data.pointwise(.abs).indicator { $0 < limit })
        let gradA = ((gg * g) * inside) / beta / Double(divisor)
        return [gradOutput, gradA, -gradA]
    }
}

/// The smooth L1 loss: quadratic (`½d²/beta`) below `beta`, `|d| - ½beta` beyond, reduced
/// as `reduction` says (torch's `F.smooth_l1_loss`). With `beta = 0` it is
/// ``l1Loss(_:_:reduction:)``, as in torch. `x` and `y` broadcast together first.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `beta < 0`,
///   ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func smoothL1Loss(
    _ x: Variable, _ y: Variable, beta: Double = 1, reduction: Reduction = .mean
) throws(AutogradError) -> Variable {
    guard beta >= 0 else {
        throw .invalidArgument(op: "smooth_l1_loss", reason: "beta must not be negative, got \(beta)")
    }
    let (xFull, yFull) = try broadcastPair(x, y, op: "smooth_l1_loss")
    if beta == 0 { return reduced(abs(try sub(xFull, yFull)), reduction) }
    return try SmoothL1Loss(beta: beta, reduction: reduction).apply([xFull, yFull])[0]
}
