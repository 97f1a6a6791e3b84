// Losses, each the mean over its elements (torch's default `reduction='mean'`):
// softmax cross-entropy with integer labels, binary cross-entropy on logits and on
// probabilities, mean squared error, Huber and smooth L1.
//
// Gradients follow torch's derivatives.yaml: where torch's backward is a kernel with
// its own double-backward formula (binary_cross_entropy_backward, huber_loss_backward,
// smooth_l1_loss_backward), it is a `Function` here whose backward is that formula, so
// second derivatives agree with torch's at the kinks and clamps too.

private let crossEntropyName = "softmax_cross_entropy"

// MARK: - Softmax cross-entropy

/// The mean cross-entropy between `softmax(logits)` along the class axis and integer
/// class labels: `-(1/N) Σᵢ log softmax(logits)[i, labelᵢ]` (torch's `F.cross_entropy`
/// with class indices).
///
/// Shapes, as torch's: logits `[N, C]` with labels `[N]`; logits `[C]` with a 0-d label;
/// logits `[N, C, d₁, ...]` with labels `[N, d₁, ...]` (the class axis is 1). Labels are
/// an ``DType/int64`` tensor of class indices, as torch requires (`Tensor(int64: [2, 0])`),
/// or, as this library's extension, a float tensor of whole numbers: both give the same
/// loss and gradient. Composite: ``LogSoftmax`` then a gather of the
/// labelled entries, so the gradient is `(softmax - onehot)/N` and differentiable again;
/// the labels get no gradient.
/// - Parameters:
///   - logits: Unnormalised scores, with the classes along axis 1 (axis 0 if 1-d).
///   - labels: The class index of each row (int64, or whole-numbered floats).
/// - Throws: ``AutogradError/invalidClassLabel(label:classes:)`` for a label that is not
///   an integer in `0..<C`, ``AutogradError/invalidArgument(op:reason:)`` for shapes that
///   do not fit, ``AutogradError/unsupportedDType(_:op:)`` for int64 logits.
public func softmaxCrossEntropy(_ logits: Variable, labels: Tensor) throws(AutogradError) -> Variable {
    let shape = logits.shape
    guard !shape.isEmpty else {
        throw .invalidArgument(op: crossEntropyName, reason: "logits must have a class axis, got a 0-d tensor")
    }
    let classAxis = shape.count == 1 ? 0 : 1
    let classes = shape[classAxis]
    var labelShape = shape
    labelShape.remove(at: classAxis)
    guard labels.shape == labelShape else {
        throw .invalidArgument(
            op: crossEntropyName,
            reason: "labels of shape \(labels.shape) do not fit logits of shape \(shape) (expected \(labelShape))")
    }
    // Label j (row-major over labelShape) picks logits[outer, label, inner].
    let inner = Shape.count(Array(shape[(classAxis + 1)...]))
    var offsets: [Int] = []
    offsets.reserveCapacity(labels.count)
    // int64 labels widen exactly: any label that could be a class index is below 2⁵³.
    for (j, label) in labels.scalars.enumerated() {
        guard label.rounded() == label, label >= 0, label < Double(classes) else {
            throw .invalidClassLabel(label: label, classes: classes)
        }
        let (outer, position) = j.quotientAndRemainder(dividingBy: inner)
        offsets.append((outer * classes + Int(label)) * inner + position)
    }
    let logProbabilities = try logSoftmax(logits, axis: classAxis)
    let picked = try Gather(offsets: offsets, shape: labelShape).apply([logProbabilities])[0]
    return -sum(picked) / Double(labels.count)
}

/// ``softmaxCrossEntropy(_:labels:)`` with the labels in a variable (their gradient is 0).
public func softmaxCrossEntropy(_ logits: Variable, _ labels: Variable) throws(AutogradError) -> Variable {
    try softmaxCrossEntropy(logits, labels: labels.data)
}

// MARK: - Binary cross-entropy with logits

/// `L = mean((1 - t)·x - log σ(x))`, the binary cross-entropy of `σ(x)` against `t`,
/// computed from the logit (`log σ(x) = min(x, 0) - log1p(e^(-|x|))`), so that logits of
/// ±1000 give exact, finite losses.
/// Gradients (torch's): `∂L/∂x = (σ(x) - t)·g/n`, `∂L/∂t = -x·g/n`.
public final class BinaryCrossEntropyWithLogits: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let losses = try xs[0].zipSameShape(
            xs[1], op: "binary_cross_entropy_with_logits",
            { LossMath.binaryCrossEntropyWithLogits($0, $1) }, { LossMath.binaryCrossEntropyWithLogits($0, $1) })
        return [losses.meanOfAll()]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, t, gy) = (input(0), input(1), gys[0])
        let n = Double(x.count)
        return [((sigmoid(x) - t) * gy) / n, (-x * gy) / n]
    }
}

/// The mean binary cross-entropy between `σ(logits)` and `targets` (same shape), stable
/// for large logits. The targets get a gradient too (as in torch).
/// - Throws: ``AutogradError/shapesDiffer(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func binaryCrossEntropyWithLogits(_ logits: Variable, _ targets: Variable) throws(AutogradError) -> Variable {
    try BinaryCrossEntropyWithLogits().apply([logits, targets])[0]
}

// MARK: - Binary cross-entropy

/// `L = mean(-(t·log p + (1 - t)·log(1 - p)))`, each log clamped at -100 (torch's rule:
/// `p = 0` or `1` gives a finite loss). `p` must lie in `0...1`.
/// Gradients: `∂L/∂p` = `BinaryCrossEntropyBackward`, `g·(p - t)/max(p(1 - p), 1e-12)/n`;
/// `∂L/∂t = -logit(p)·g/n` (±∞ at `p = 0, 1`, as in torch).
public final class BinaryCrossEntropy: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        if let outside = xs[0].scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument(op: "binary_cross_entropy",
                                   reason: "all elements of input should be between 0 and 1, found \(outside)")
        }
        let losses = try xs[0].zipSameShape(
            xs[1], op: "binary_cross_entropy",
            { LossMath.binaryCrossEntropy($0, $1) }, { LossMath.binaryCrossEntropy($0, $1) })
        return [losses.meanOfAll()]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (p, t, gy) = (input(0), input(1), gys[0])
        return [BinaryCrossEntropyBackward()(gy, p, t), (-Logit()(p) * gy) / Double(p.count)]
    }
}

/// torch's `binary_cross_entropy_backward(g, p, t)` (mean): `g·(p - t)/max((1 - p)·p, ε)/n`,
/// with torch's `float` ε = 1e-12 (9.99999996e-13). Its gradients are torch's
/// double-backward formulas, with a `double` ε = 1e-12 added rather
/// than clamped: for `g`, `Σ (p - t)/((p + ε)(1 - p + ε)) · gg/n`; for `p`,
/// `(p² - 2pt + t)/((p + ε)²(1 - p + ε)²) · gg·g/n`; for `t`, `-gg·g/max((1 - p)·p, ε)/n`
/// (where torch clamps without recording the clamp, so its derivative is that of `(1 - p)·p`).
final class BinaryCrossEntropyBackward: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let n = xs[1].count
        return [try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: "binary_cross_entropy_backward",
            { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: n) },
            { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: n) })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, p, t, gg) = (input(0), input(1), input(2), gys[0])
        let n = Double(p.count), eps = 1e-12
        let gradOutput = (((p - t) / ((p + eps) * ((1 - p) + eps))) * gg / n).summed(to: g.shape)
        let curvature = (p * p - 2 * p * t + t) / (square(p + eps) * square((1 - p) + eps))
        let gradInput = curvature * (gg * g) / n
        let denominator = UnrecordedClampMin(bound: eps)((1 - p) * p)
        let gradTarget = ((-gg) * g) / denominator / n
        return [gradOutput, gradInput, gradTarget]
    }
}

/// `y = log(p / (1 - p))` (∞ at `p = 1`). Gradient: `1/(p(1 - p))`, torch's
/// `infinitely_differentiable_logit_backward` for `p` in `0...1` (the only use here).
final class Logit: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        func logit<T: TensorScalar>(_ p: T) -> T { p == 1 ? T.infinity : T.log(p / (1 - p)) }
        switch xs[0].storage {
        case .float64(let a): return [Tensor(shape: xs[0].shape, storage: .float64(a.map(logit)))]
        case .float32(let a): return [Tensor(shape: xs[0].shape, storage: .float32(a.map(logit)))]
        }
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let p = input(0)
        return [gys[0] / (p * (1 - p))]
    }
}

/// `y = max(x, bound)` whose gradient is the identity: torch's `clamp_min_` under
/// no-grad mode, which changes values without entering the graph.
final class UnrecordedClampMin: UnaryFunction {
    let bound: Double

    init(bound: Double) {
        self.bound = bound
    }

    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.clip(min: bound, max: nil))
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0]]
    }
}

/// The mean binary cross-entropy between probabilities `p` (in `0...1`) and `targets`
/// of the same shape; logs are clamped at -100. Prefer
/// ``binaryCrossEntropyWithLogits(_:_:)`` on logits: it is stable.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `p` outside `0...1`,
///   ``AutogradError/shapesDiffer(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func binaryCrossEntropy(_ p: Variable, _ targets: Variable) throws(AutogradError) -> Variable {
    try BinaryCrossEntropy().apply([p, targets])[0]
}

// MARK: - Mean squared error

/// `L = mean((x - y)²)` over operands of one shape.
/// Gradients (torch's mse_loss_backward): `∂L/∂x = (2/n)·(x - y)·g`, `∂L/∂y = (2/n)·(y - x)·g`.
public final class MeanSquaredError: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let losses = try xs[0].zipSameShape(
            xs[1], op: "mean_squared_error", { LossMath.squaredError($0, $1) }, { LossMath.squaredError($0, $1) })
        return [losses.meanOfAll()]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        let norm = 2 / Double(x.count)
        return [(norm * (x - y)) * gy, (norm * (y - x)) * gy]
    }
}

/// The mean squared error. `x` and `y` broadcast together first (as torch's
/// `F.mse_loss` does, with a warning there), and the mean is over the broadcast shape.
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func meanSquaredError(_ x: Variable, _ y: Variable) throws(AutogradError) -> Variable {
    let (xFull, yFull) = try broadcastPair(x, y, op: "mean_squared_error")
    return try MeanSquaredError().apply([xFull, yFull])[0]
}

/// Both operands broadcast to their common shape (differentiably: the gradients are
/// summed back), as torch's `broadcast_tensors` in the losses.
private func broadcastPair(_ x: Variable, _ y: Variable, op: String) throws(AutogradError) -> (Variable, Variable) {
    let shape = try Shape.broadcast(x.shape, y.shape, op: op)
    return (try broadcastTo(x, shape), try broadcastTo(y, shape))
}

// MARK: - Huber

/// `L = mean(h(x - y))` with `h(d) = ½d²` for `|d| < delta`, else `delta·(|d| - ½delta)`.
/// Gradients: `HuberBackward` for `x` and, with the operands swapped, for `y`.
public final class HuberLoss: Function {
    public let delta: Double

    public init(delta: Double = 1) {
        self.delta = delta
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let delta = delta
        let losses = try xs[0].zipSameShape(
            xs[1], op: "huber_loss", { LossMath.huber($0, $1, delta: delta) }, { LossMath.huber($0, $1, delta: delta) })
        return [losses.meanOfAll()]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        return [HuberBackward(delta: delta)(gy, x, y), HuberBackward(delta: delta)(gy, y, x)]
    }
}

/// torch's `huber_loss_backward(g, a, b)` (mean): `clamp(a - b, -delta, delta)·g/n`.
/// Its gradients (derivatives.yaml): for `g`, `Σ huber_loss_backward(1, a, b) ⊙ gg`; for
/// `a`, `gg·g·[|a - b| < delta]/n` (0 at the kink `|a - b| = delta`); for `b`, minus that.
final class HuberBackward: Function {
    let delta: Double

    init(delta: Double) {
        self.delta = delta
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let delta = delta, n = xs[1].count
        return [try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: "huber_loss_backward",
            { LossMath.huberGradient($0, $1, $2, delta: delta, count: n) },
            { LossMath.huberGradient($0, $1, $2, delta: delta, count: n) })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, a, b, gg) = (input(0), input(1), input(2), gys[0])
        let ones = Variable.constant(g.data.filled(with: 1))
        let gradOutput = (HuberBackward(delta: delta)(ones, a, b) * gg).summed(to: g.shape)
        let limit = rounded(delta, to: a.dtype)
        let inside = Variable.constant((a - b).data.pointwise(.abs).indicator { $0 < limit })
        let gradA = ((gg * g) * inside) / Double(a.count)
        return [gradOutput, gradA, -gradA]
    }
}

/// The mean Huber loss: quadratic for differences below `delta`, linear beyond
/// (torch's `F.huber_loss`). `x` and `y` broadcast together first.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `delta ≤ 0`,
///   ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func huberLoss(_ x: Variable, _ y: Variable, delta: Double = 1) throws(AutogradError) -> Variable {
    guard delta > 0 else {
        throw .invalidArgument(op: "huber_loss", reason: "delta must be positive, got \(delta)")
    }
    let (xFull, yFull) = try broadcastPair(x, y, op: "huber_loss")
    return try HuberLoss(delta: delta).apply([xFull, yFull])[0]
}

// MARK: - Smooth L1

/// `L = mean(s(x - y))` with `s(d) = ½d²/beta` for `|d| < beta`, else `|d| - ½beta`.
/// Gradients: `SmoothL1Backward` for `x` and, with the operands swapped, for `y`.
public final class SmoothL1Loss: Function {
    public let beta: Double

    public init(beta: Double = 1) {
        self.beta = beta
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let beta = beta
        let losses = try xs[0].zipSameShape(
            xs[1], op: "smooth_l1_loss", { LossMath.smoothL1($0, $1, beta: beta) }, { LossMath.smoothL1($0, $1, beta: beta) })
        return [losses.meanOfAll()]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, y, gy) = (input(0), input(1), gys[0])
        return [SmoothL1Backward(beta: beta)(gy, x, y), SmoothL1Backward(beta: beta)(gy, y, x)]
    }
}

/// torch's `smooth_l1_loss_backward(g, a, b)` (mean): `clamp((a - b)/beta, -1, 1)·g/n`.
/// Its gradients: for `g`, `smooth_l1_loss_backward(gg, a, b)` summed; for `a`,
/// `gg·g·[|a - b| < beta]/beta/n`; for `b`, minus that.
final class SmoothL1Backward: Function {
    let beta: Double

    init(beta: Double) {
        self.beta = beta
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let beta = beta, n = xs[1].count
        return [try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: "smooth_l1_loss_backward",
            { LossMath.smoothL1Gradient($0, $1, $2, beta: beta, count: n) },
            { LossMath.smoothL1Gradient($0, $1, $2, beta: beta, count: n) })]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, a, b, gg) = (input(0), input(1), input(2), gys[0])
        let gradOutput = SmoothL1Backward(beta: beta)(gg, a, b).summed(to: g.shape)
        let limit = rounded(beta, to: a.dtype)
        let inside = Variable.constant((a - b).data.pointwise(.abs).indicator { $0 < limit })
        let gradA = ((gg * g) * inside) / beta / Double(a.count)
        return [gradOutput, gradA, -gradA]
    }
}

/// The mean smooth L1 loss: quadratic (`½d²/beta`) below `beta`, `|d| - ½beta` beyond
/// (torch's `F.smooth_l1_loss`). With `beta = 0` it is the L1 loss `mean(|x - y|)`,
/// as in torch. `x` and `y` broadcast together first.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `beta < 0`,
///   ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func smoothL1Loss(_ x: Variable, _ y: Variable, beta: Double = 1) throws(AutogradError) -> Variable {
    guard beta >= 0 else {
        throw .invalidArgument(op: "smooth_l1_loss", reason: "beta must not be negative, got \(beta)")
    }
    let (xFull, yFull) = try broadcastPair(x, y, op: "smooth_l1_loss")
    if beta == 0 { return mean(abs(try sub(xFull, yFull))) }
    return try SmoothL1Loss(beta: beta).apply([xFull, yFull])[0]
}
