// Binary cross-entropy, on logits and on probabilities, with torch's optional element
// weights (`weight`, broadcast to the input), positive-class weights (`pos_weight`, on
// logits only, broadcast to the input, so a `[C]` one weighs the last axis) and reduction.
//
// Gradients are torch's (derivatives.yaml, FunctionsManual.cpp): composites of
// differentiable ops for the logit form, and for the probability form a
// `BinaryCrossEntropyBackward` kernel whose own backward is torch's double-backward
// formula. `n` below is the element count for the mean and 1 otherwise; the weights are
// constants (torch refuses to differentiate them).

/// `w` broadcast to `shape` in `x`'s dtype, or `nil` if there is no `w`.
/// - Throws: ``AutogradError/cannotBroadcast(from:to:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
private func elementWeights(_ w: Tensor?, like x: Variable, op: String) throws(AutogradError) -> Tensor? {
    guard let w else { return nil }
    guard w.dtype == x.dtype else { throw .dtypeMismatch(x.dtype, w.dtype, op: op) }
    return try w.broadcast(to: x.shape)
}

// MARK: - Binary cross-entropy with logits

/// `Lᵢ = wᵢ·((1 - tᵢ)·xᵢ - (1 + (pᵢ - 1)·tᵢ)·log σ(xᵢ))`, then reduced: the binary
/// cross-entropy `-w·(p·t·log σ(x) + (1 - t)·log(1 - σ(x)))` of `σ(x)` against `t`, with
/// element weights `w` and positive-class weights `p` (both 1 if absent), computed from
/// the logit (`log σ(x) = min(x, 0) - log1p(e^(-|x|))`), so that logits of ±1000 give
/// exact, finite losses.
/// Gradients (torch's binary_cross_entropy_with_logits_backward and _target_backward):
/// `∂L/∂x = ((p·t + 1 - t)·σ(x) - p·t)·g·w/n` (`(σ(x) - t)·g·w/n` without `p`) and
/// `∂L/∂t = (log σ(-x) - p·log σ(x))·g·w/n` (`-x·g·w/n` without `p`), both composites of
/// differentiable ops, so differentiable again.
public final class BinaryCrossEntropyWithLogits: Function {
    /// The element weights, already broadcast to the input's shape.
    public let weight: Tensor?
    /// The positive-class weights, already broadcast to the input's shape.
    public let posWeight: Tensor?
    public let reduction: Reduction

    public init(weight: Tensor? = nil, posWeight: Tensor? = nil, reduction: Reduction = .mean) {
        self.weight = weight
        self.posWeight = posWeight
        self.reduction = reduction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let op = "binary_cross_entropy_with_logits"
        var losses: Tensor
        if let posWeight {
            guard xs[0].shape == xs[1].shape else { throw .shapesDiffer(xs[0].shape, xs[1].shape, op: op) }
            losses = try Tensor.lossKernel(
                posWeight, xs[0], xs[1], op: op,
                { LossMath.binaryCrossEntropyWithLogits($1, $2, posWeight: $0) },
                { LossMath.binaryCrossEntropyWithLogits($1, $2, posWeight: $0) })
        } else {
            losses = try xs[0].zipSameShape(
                xs[1], op: op,
                { LossMath.binaryCrossEntropyWithLogits($0, $1) }, { LossMath.binaryCrossEntropyWithLogits($0, $1) })
        }
        if let weight { losses = losses * weight }
        return [losses.reduced(reduction)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, t, gy) = (input(0), input(1), gys[0])
        var gradX: Variable, gradT: Variable
        if let posWeight {
            let p = Variable.constant(posWeight)
            let pt = p * t
            gradX = (((pt + 1) - t) * sigmoid(x) - pt) * gy
            gradT = (LogSigmoid()(-x) - LogSigmoid()(x) * p) * gy
        } else {
            gradX = (sigmoid(x) - t) * gy
            gradT = -x * gy
        }
        if let weight {
            gradX = gradX * Variable.constant(weight)
            gradT = gradT * Variable.constant(weight)
        }
        if reduction == .mean {
            gradX = gradX / Double(x.count)
            gradT = gradT / Double(t.count)
        }
        return [gradX, gradT]
    }
}

/// The mean binary cross-entropy between `σ(logits)` and `targets` (same shape), stable
/// for large logits. The targets get a gradient too (as in torch).
/// - Throws: ``AutogradError/shapesDiffer(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func binaryCrossEntropyWithLogits(_ logits: Variable, _ targets: Variable) throws(AutogradError) -> Variable {
    try binaryCrossEntropyWithLogits(logits, targets, weight: nil, posWeight: nil, reduction: .mean)
}

/// The binary cross-entropy between `σ(logits)` and `targets` (same shape), stable for
/// large logits (torch's `F.binary_cross_entropy_with_logits`): per element
/// `-w·(p·t·log σ(x) + (1 - t)·log(1 - σ(x)))`, reduced as `reduction` says. The targets
/// get a gradient too (as in torch); the weights do not.
/// - Parameters:
///   - logits: The logits `x`.
///   - targets: The targets `t`, of the logits' shape (probabilities in `0...1`).
///   - weight: Element weights `w`, broadcast to the logits' shape (1 if `nil`).
///   - posWeight: Weights `p` of the positive term, broadcast to the logits' shape as
///     torch's: a `[C]` tensor weighs the classes along the last axis (1 if `nil`).
///   - reduction: ``Reduction/mean`` (over all elements), ``Reduction/sum`` or ``Reduction/none``.
/// - Throws: ``AutogradError/shapesDiffer(_:_:op:)`` for targets of another shape,
///   ``AutogradError/cannotBroadcast(from:to:)`` for weights that do not broadcast to the
///   logits, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func binaryCrossEntropyWithLogits(
    _ logits: Variable, _ targets: Variable, weight: Tensor? = nil, posWeight: Tensor? = nil,
    reduction: Reduction = .mean
) throws(AutogradError) -> Variable {
    let op = "binary_cross_entropy_with_logits"
    let w = try elementWeights(weight, like: logits, op: op)
    let p = try elementWeights(posWeight, like: logits, op: op)
    return try BinaryCrossEntropyWithLogits(weight: w, posWeight: p, reduction: reduction).apply([logits, targets])[0]
}

// MARK: - Binary cross-entropy

/// `Lᵢ = -wᵢ·(tᵢ·log pᵢ + (1 - tᵢ)·log(1 - pᵢ))`, each log clamped at -100 (torch's rule:
/// `p = 0` or `1` gives a finite loss), then reduced. `p` must lie in `0...1`.
/// Gradients: `∂L/∂p` = `BinaryCrossEntropyBackward`, `g·w·(p - t)/max(p(1 - p), 1e-12)/n`;
/// `∂L/∂t = -logit(p)·g·w/n` (±∞ at `p = 0, 1`, as in torch).
public final class BinaryCrossEntropy: Function {
    /// The element weights, already broadcast to the input's shape.
    public let weight: Tensor?
    public let reduction: Reduction

    public init(weight: Tensor? = nil, reduction: Reduction = .mean) {
        self.weight = weight
        self.reduction = reduction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        if let outside = xs[0].scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument(op: "binary_cross_entropy",
                                   reason: "all elements of input should be between 0 and 1, found \(outside)")
        }
        var losses = try xs[0].zipSameShape(
            xs[1], op: "binary_cross_entropy",
            { LossMath.binaryCrossEntropy($0, $1) }, { LossMath.binaryCrossEntropy($0, $1) })
        if let weight { losses = losses * weight }
        return [losses.reduced(reduction)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (p, t, gy) = (input(0), input(1), gys[0])
        let n = reduction.divisor(count: p.count)
        var gradT = -Logit()(p) * gy
        if let weight { gradT = gradT * Variable.constant(weight) }
        return [BinaryCrossEntropyBackward(weight: weight, divisor: n)(gy, p, t), gradT / Double(n)]
    }
}

/// torch's `binary_cross_entropy_backward(g, p, t)`: `g·(p - t)/max((1 - p)·p, ε)·w/n`,
/// with torch's `float` ε = 1e-12 (9.99999996e-13). Its gradients are torch's
/// double-backward formulas, with a `double` ε = 1e-12 added rather
/// than clamped: for `g`, `(p - t)/((p + ε)(1 - p + ε)) · gg·w/n` summed to `g`'s shape;
/// for `p`, `(p² - 2pt + t)/((p + ε)²(1 - p + ε)²) · gg·g·w/n`; for `t`,
/// `-gg·g·w/max((1 - p)·p, ε)/n` (where torch clamps without recording the clamp, so
/// its derivative is that of `(1 - p)·p`).
final class BinaryCrossEntropyBackward: Function {
    let weight: Tensor?
    /// `n`: the element count for the mean, 1 for the sum and for no reduction.
    let divisor: Int

    init(weight: Tensor?, divisor: Int) {
        self.weight = weight
        self.divisor = divisor
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let op = "binary_cross_entropy_backward"
        guard let weight else {
            let n = divisor
            return [try Tensor.lossKernel(
                xs[0], xs[1], xs[2], op: op,
                { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: n) },
                { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: n) })]
        }
        // torch's order: the kernel, then the weight, then the division by n.
        let unweighted = try Tensor.lossKernel(
            xs[0], xs[1], xs[2], op: op,
            { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: 1) },
            { LossMath.binaryCrossEntropyGradient($0, $1, $2, count: 1) })
        return [unweighted * weight / Double(divisor)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, p, t, gg) = (input(0), input(1), input(2), gys[0])
        let n = Double(divisor), eps = 1e-12
        let w = weight.map { Variable.constant($0) }
        func weighted(_ v: Variable) -> Variable { w.map { v * $0 } ?? v }
        let gradOutput = (weighted((p - t) / ((p + eps) * ((1 - p) + eps)) * gg) / n).summed(to: g.shape)
        let curvature = (p * p - 2 * p * t + t) / (square(p + eps) * square((1 - p) + eps))
        let gradInput = weighted(curvature * (gg * g)) / n
        let denominator = UnrecordedClampMin(bound: eps)((1 - p) * p)
        let gradTarget = weighted((-gg) * g) / denominator / n
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
    try binaryCrossEntropy(p, targets, weight: nil, reduction: .mean)
}

/// The binary cross-entropy between probabilities `p` (in `0...1`) and `targets` of the
/// same shape (torch's `F.binary_cross_entropy`): per element
/// `-w·(t·log p + (1 - t)·log(1 - p))`, logs clamped at -100, reduced as `reduction` says.
/// The targets get a gradient too; the weights do not.
/// - Parameters:
///   - p: The probabilities, in `0...1`.
///   - targets: The targets `t`, of `p`'s shape.
///   - weight: Element weights, broadcast to `p`'s shape (1 if `nil`).
///   - reduction: ``Reduction/mean`` (over all elements), ``Reduction/sum`` or ``Reduction/none``.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `p` outside `0...1`,
///   ``AutogradError/shapesDiffer(_:_:op:)``, ``AutogradError/cannotBroadcast(from:to:)``
///   for a weight that does not broadcast to `p`, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func binaryCrossEntropy(
    _ p: Variable, _ targets: Variable, weight: Tensor? = nil, reduction: Reduction = .mean
) throws(AutogradError) -> Variable {
    let w = try elementWeights(weight, like: p, op: "binary_cross_entropy")
    return try BinaryCrossEntropy(weight: w, reduction: reduction).apply([p, targets])[0]
}
