// Normalisation: batch normalisation (torch's F.batch_norm) and layer normalisation
// (F.layer_norm). Both normalise `x` over some axes with its mean and biased variance,
// then scale and shift it per feature:
//
//     x̂ = (x − mean) / √(var + ε),   y = x̂ · w + b
//
// and share one backward pass, written with Variable ops so that it is differentiable
// again (torch's batchnorm_double_backward / layer_norm_double_backward give the same
// second derivatives). The running statistics of batch normalisation are buffers: plain
// Tensors updated as a side effect of a training-mode forward pass, never differentiated.

// MARK: - The shared normalisation

/// `y = (x − mean(x)) / √(var(x) + ε) · w + b`, the statistics taken over `axes` (biased
/// variance), `w` and `b` broadcast to `x` from `affineShape` (`x`'s shape with size 1 on
/// the axes they do not cover). `w` and `b` are optional inputs; the inputs are
/// `[x, w?, b?]` in that order.
///
/// Gradient (torch's `batch_norm_backward` / `layer_norm_backward`), with n the number of
/// elements per statistic, `r = 1/√(var + ε)`, `ĝ = gy · w` (or `gy`) and means over `axes`:
///
///     ∂x = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))
///     ∂w = Σ gy · x̂   over the axes `w` is broadcast along
///     ∂b = Σ gy
///
/// `x̂` and `r` are recomputed from the input with Variable ops, so second and third
/// derivatives flow through them.
public final class Normalization: Function {
    /// The axes the statistics are taken over (normalised, sorted).
    public let axes: [Int]
    /// `x`'s shape with 1 on the axes `w` and `b` are broadcast along.
    public let affineShape: [Int]
    public let hasWeight: Bool
    public let hasBias: Bool
    public let eps: Double
    private let opName: String

    public init(axes: [Int], affineShape: [Int], hasWeight: Bool, hasBias: Bool, eps: Double, name: String = "normalization") {
        self.axes = axes
        self.affineShape = affineShape
        self.hasWeight = hasWeight
        self.hasBias = hasBias
        self.eps = eps
        self.opName = name
    }

    override public var name: String { opName }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        for t in xs.dropFirst() where t.dtype != x.dtype { throw .dtypeMismatch(x.dtype, t.dtype, op: opName) }
        let mean = try x.mean(axes: axes, keepdims: true)
        let variance = x.variance(axes: axes, keepdims: true, correction: 0, squareRoot: false)
        let invstd = 1.0 / (variance + eps).sqrt()
        var y = (x - mean) * invstd
        var next = 1
        if hasWeight { y = y * (try xs[next].reshaped(affineShape)); next += 1 }
        if hasBias { y = y + (try xs[next].reshaped(affineShape)) }
        return [y]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0), gy = gys[0]
        let (xhat, invstd) = trapping { () throws(AutogradError) in try Self.normalized(x, axes: axes, eps: eps) }
        var grads: [Variable] = []
        var next = 1
        let weight: Variable? = hasWeight ? input(1).reshaped(affineShape) : nil
        if hasWeight { next += 1 }
        let g = weight.map { gy * $0 } ?? gy
        let gx = trapping { () throws(AutogradError) in
            let meanG = try mean(g, axes: axes, keepdims: true)
            let meanGX = try mean(g * xhat, axes: axes, keepdims: true)
            return invstd * (g - meanG - xhat * meanGX)
        }
        grads.append(gx)
        if hasWeight {
            let w = input(1)
            grads.append(trapping { () throws(AutogradError) in try sumTo(gy * xhat, affineShape).reshaped(w.shape) })
        }
        if hasBias {
            let b = input(next)
            grads.append(trapping { () throws(AutogradError) in try sumTo(gy, affineShape).reshaped(b.shape) })
        }
        return grads
    }

    /// `x̂ = (x − mean) · r` and `r = 1/√(var + ε)` over `axes`, as Variable ops.
    static func normalized(_ x: Variable, axes: [Int], eps: Double) throws(AutogradError) -> (Variable, Variable) {
        let centred = x - (try mean(x, axes: axes, keepdims: true))
        let variance = try mean(centred * centred, axes: axes, keepdims: true)
        let invstd = 1.0 / sqrt(variance + eps)
        return (centred * invstd, invstd)
    }
}

/// `y = (x − m) · r · w + b` with fixed statistics `m` and `r = 1/√(v + ε)` (constants),
/// broadcast from `affineShape`: batch normalisation in evaluation mode. Inputs `[x, w?, b?]`.
///
/// Gradient: `∂x = gy · r · w`, `∂w = Σ gy · (x − m) · r`, `∂b = Σ gy` (the sums over the
/// axes `w` is broadcast along). Linear in `x`, so `∂²/∂x²` is 0, and `∂²/∂x∂w = gy · r`.
public final class FixedNormalization: Function {
    public let mean: Tensor
    public let invstd: Tensor
    public let affineShape: [Int]
    public let hasWeight: Bool
    public let hasBias: Bool

    /// `mean` and `invstd` already shaped as `affineShape`.
    public init(mean: Tensor, invstd: Tensor, affineShape: [Int], hasWeight: Bool, hasBias: Bool) {
        self.mean = mean
        self.invstd = invstd
        self.affineShape = affineShape
        self.hasWeight = hasWeight
        self.hasBias = hasBias
    }

    override public var name: String { "batch_norm" }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        for t in xs.dropFirst() where t.dtype != x.dtype { throw .dtypeMismatch(x.dtype, t.dtype, op: name) }
        var y = (x - mean) * invstd
        var next = 1
        if hasWeight { y = y * (try xs[next].reshaped(affineShape)); next += 1 }
        if hasBias { y = y + (try xs[next].reshaped(affineShape)) }
        return [y]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0), gy = gys[0]
        let r = Variable.constant(invstd), m = Variable.constant(mean)
        var grads: [Variable] = []
        if hasWeight {
            let w = input(1)
            grads.append(gy * (r * w.reshaped(affineShape)))
            grads.append(trapping { () throws(AutogradError) in try sumTo(gy * ((x - m) * r), affineShape).reshaped(w.shape) })
        } else {
            grads.append(gy * r)
        }
        if hasBias {
            let b = input(hasWeight ? 2 : 1)
            grads.append(trapping { () throws(AutogradError) in try sumTo(gy, affineShape).reshaped(b.shape) })
        }
        return grads
    }
}

// MARK: - Batch normalisation

/// Batch normalisation (torch's `F.batch_norm`) over the channel axis 1 of `x` (`[N, C]`,
/// `[N, C, L]`, `[N, C, H, W]`, any rank ≥ 2): each channel is normalised with statistics
/// over every other axis (N, and L or H, W).
///
/// - training: the batch's mean and *biased* variance normalise `x` (``Normalization``),
///   and the running statistics are updated in place, as torch does, with the batch's
///   mean and *unbiased* variance (`n/(n − 1)` times the biased one):
///
///       running_mean ← (1 − momentum) · running_mean + momentum · mean
///       running_var  ← (1 − momentum) · running_var  + momentum · var_unbiased
///
///   (computed in `Double`, as torch's CPU kernel accumulates, then rounded to the
///   buffers' dtype). The running statistics are buffers, never differentiated.
/// - evaluation: `y = (x − running_mean) / √(running_var + ε) · w + b` (``FixedNormalization``).
///
/// - Parameters:
///   - x: the input, `[N, C]` or `[N, C, …]` (the channel axis is 1).
///   - runningMean: the `[C]` running mean, of `x`'s dtype, updated when `training`.
///   - runningVar: the `[C]` running (unbiased) variance, updated when `training`.
///   - weight: `[C]`, or `nil` (torch's `affine=False`).
///   - bias: `[C]`, or `nil`.
///   - training: batch statistics (and an update of the running ones) if `true`, the
///     running statistics if `false`.
///   - momentum: the weight of the new batch in the running averages (torch's 0.1).
///   - eps: added to the variance (torch's 1e-5).
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for a rank below 2, for a
///   `weight`, `bias` or running statistic not of shape `[C]`, and in training for one
///   value per channel (torch: "Expected more than 1 value per channel when training");
///   ``AutogradError/dtypeMismatch(_:_:op:)``; ``AutogradError/unsupportedDType(_:op:)``.
public func batchNorm(
    _ x: Variable, runningMean: inout Tensor, runningVar: inout Tensor, weight: Variable?, bias: Variable?,
    training: Bool, momentum: Double = 0.1, eps: Double = 1e-5
) throws(AutogradError) -> Variable {
    let layout = try BatchNormLayout(x, weight: weight, bias: bias)
    for (label, t) in [("running_mean", runningMean), ("running_var", runningVar)] where t.shape != [layout.channels] {
        throw .invalidArgument(op: "batch_norm", reason: "\(label) should contain \(layout.channels) elements not \(t.count)")
    }
    guard training else {
        let invstd = 1.0 / (runningVar.converted(to: x.dtype) + eps).sqrt()
        let f = FixedNormalization(mean: try runningMean.converted(to: x.dtype).reshaped(layout.affineShape),
                                   invstd: try invstd.reshaped(layout.affineShape), affineShape: layout.affineShape,
                                   hasWeight: weight != nil, hasBias: bias != nil)
        return try f.apply(layout.inputs(x, weight, bias))[0]
    }
    try layout.checkTrainingBatch()
    let y = try Normalization(axes: layout.axes, affineShape: layout.affineShape, hasWeight: weight != nil,
                              hasBias: bias != nil, eps: eps, name: "batch_norm").apply(layout.inputs(x, weight, bias))[0]
    // The running averages, in Double (torch's accumulation type on the CPU).
    let x64 = x.data.converted(to: .float64)
    let n = Double(x.count / max(layout.channels, 1))
    let batchMean = try x64.mean(axes: layout.axes)
    let biasedVar = x64.variance(axes: layout.axes, keepdims: false, correction: 0, squareRoot: false)
    let unbiasedVar = biasedVar * (n / (n - 1))
    runningMean = ((1 - momentum) * runningMean.converted(to: .float64) + momentum * batchMean).converted(to: runningMean.dtype)
    runningVar = ((1 - momentum) * runningVar.converted(to: .float64) + momentum * unbiasedVar).converted(to: runningVar.dtype)
    return y
}

/// Batch normalisation with the batch's statistics and no running statistics (torch's
/// `F.batch_norm(x, None, None, weight, bias, training=True)`, a `BatchNorm` with
/// `track_running_stats=False`).
/// - Throws: as ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)`` in training.
public func batchNorm(_ x: Variable, weight: Variable?, bias: Variable?, eps: Double = 1e-5) throws(AutogradError) -> Variable {
    let layout = try BatchNormLayout(x, weight: weight, bias: bias)
    try layout.checkTrainingBatch()
    return try Normalization(axes: layout.axes, affineShape: layout.affineShape, hasWeight: weight != nil,
                             hasBias: bias != nil, eps: eps, name: "batch_norm").apply(layout.inputs(x, weight, bias))[0]
}

/// The axes and shapes of a batch normalisation of `x`.
private struct BatchNormLayout {
    let shape: [Int]
    let channels: Int
    let axes: [Int]
    let affineShape: [Int]

    init(_ x: Variable, weight: Variable?, bias: Variable?) throws(AutogradError) {
        guard x.rank >= 2 else {
            throw .invalidArgument(op: "batch_norm", reason: "expected an input of rank 2 or more ([N, C, ...]), got shape \(x.shape)")
        }
        shape = x.shape
        channels = x.shape[1]
        axes = x.shape.indices.filter { $0 != 1 }
        affineShape = x.shape.indices.map { $0 == 1 ? x.shape[1] : 1 }
        for (label, v) in [("weight", weight), ("bias", bias)] {
            guard let v else { continue }
            guard v.shape == [channels] else {
                throw .invalidArgument(op: "batch_norm", reason: "\(label) should be of shape [\(channels)], not \(v.shape)")
            }
        }
    }

    /// torch's `_verify_batch_size`: training needs more than one value per channel.
    func checkTrainingBatch() throws(AutogradError) {
        let perChannel = shape.enumerated().filter { $0.offset != 1 }.map(\.element).reduce(1, *)
        guard perChannel > 1 else {
            throw .invalidArgument(op: "batch_norm", reason: "expected more than 1 value per channel when training, got input of shape \(shape)")
        }
    }

    func inputs(_ x: Variable, _ weight: Variable?, _ bias: Variable?) -> [Variable] {
        [x] + [weight, bias].compactMap { $0 }
    }
}

// MARK: - Layer normalisation

/// Layer normalisation (torch's `F.layer_norm`): `x` normalised over its last
/// `normalizedShape.count` axes (which must equal `normalizedShape`) with their mean and
/// biased variance, then `· weight + bias` (both of shape `normalizedShape`, optional).
/// See ``Normalization`` for the gradient.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for an empty `normalizedShape`,
///   an input whose trailing shape is not `normalizedShape` (torch: "Given
///   normalized_shape=…, expected input with shape [*, …]"), or a weight or bias not of
///   shape `normalizedShape`; ``AutogradError/dtypeMismatch(_:_:op:)``.
public func layerNorm(
    _ x: Variable, normalizedShape: [Int], weight: Variable? = nil, bias: Variable? = nil, eps: Double = 1e-5
) throws(AutogradError) -> Variable {
    let k = normalizedShape.count
    guard k > 0 else { throw .invalidArgument(op: "layer_norm", reason: "normalized_shape must not be empty") }
    guard x.rank >= k, Array(x.shape.suffix(k)) == normalizedShape else {
        throw .invalidArgument(op: "layer_norm", reason: "given normalized_shape=\(normalizedShape), expected input with shape [*, \(normalizedShape.map(String.init).joined(separator: ", "))], but got input of shape \(x.shape)")
    }
    for (label, v) in [("weight", weight), ("bias", bias)] {
        guard let v else { continue }
        guard v.shape == normalizedShape else {
            throw .invalidArgument(op: "layer_norm", reason: "expected \(label) of shape \(normalizedShape), got \(v.shape)")
        }
    }
    let axes = Array((x.rank - k)..<x.rank)
    let affineShape = Array(repeating: 1, count: x.rank - k) + normalizedShape
    return try Normalization(axes: axes, affineShape: affineShape, hasWeight: weight != nil, hasBias: bias != nil,
                             eps: eps, name: "layer_norm").apply([x] + [weight, bias].compactMap { $0 })[0]
}
