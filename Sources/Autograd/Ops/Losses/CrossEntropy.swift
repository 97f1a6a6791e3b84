// Negative log-likelihood and softmax cross-entropy, with torch's options: per-class
// weights, an ignored label, label smoothing, probability targets and the reduction.
//
// The class-index forms share one linear op, `NLLLoss`: each target's loss is a weighted
// sum of entries of the log-probabilities, `-Σₖ cₖ·x[offsetₖ]`; nll_loss takes one entry
// (the labelled class, weighted by its class weight), label smoothing takes every class
// of the target's row. Cross-entropy with class indices is `logSoftmax` then that op.
// Its gradient is the adjoint map `NLLLossBackward` (torch's nll_loss_backward, linear
// in the incoming gradient), whose own gradient is `NLLLoss` again (derivatives.yaml:
// `grad_output: nll_loss(grad, ...)`, zero for the input).

private let crossEntropyName = "softmax_cross_entropy"

// MARK: - The layout of class-index targets

/// Where the classes are in an input of `shape` and what targets fit it, as torch's:
/// `[N, C]` with targets `[N]`, `[C]` with a 0-d target, `[N, C, d₁, ...]` with `[N, d₁, ...]`.
struct ClassLayout {
    let classAxis: Int
    let classes: Int
    /// The shape of the targets: the input's without the class axis.
    let labelShape: [Int]
    /// The elements per class after the class axis (`d₁·…`, 1 for `[N, C]` and `[C]`).
    let inner: Int

    /// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for a 0-d input.
    init(_ shape: [Int], op: String, noun: String) throws(AutogradError) {
        guard !shape.isEmpty else {
            throw .invalidArgument(op: op, reason: "\(noun) must have a class axis, got a 0-d tensor")
        }
        classAxis = shape.count == 1 ? 0 : 1
        classes = shape[classAxis]
        var labels = shape
        labels.remove(at: classAxis)
        labelShape = labels
        inner = Shape.count(Array(shape[(classAxis + 1)...]))
    }

    /// The flat offset of class `c` of target `j` (row-major over ``labelShape``).
    func offset(target j: Int, class c: Int) -> Int {
        let (outer, position) = j.quotientAndRemainder(dividingBy: inner)
        return (outer * classes + c) * inner + position
    }

    /// `weight` checked against the classes and the input's dtype.
    /// - Throws: ``AutogradError/invalidArgument(op:reason:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
    func checkedWeight(_ weight: Tensor?, dtype: DType, op: String) throws(AutogradError) -> Tensor? {
        guard let weight else { return nil }
        guard weight.shape == [classes] else {
            throw .invalidArgument(op: op, reason: "weight of shape \(weight.shape) does not fit \(classes) classes (expected [\(classes)])")
        }
        guard weight.dtype == dtype else { throw .dtypeMismatch(dtype, weight.dtype, op: op) }
        return weight
    }
}

/// The sparse linear map of `NLLLoss`: target `j`'s loss is `-Σₖ cₖ·x[offsetₖ]` over its
/// entries `starts[j]..<starts[j + 1]`; the mean divides the sum of the losses by
/// `divisor` (the summed weight of the counted targets; 1 for the sum and `.none`).
struct NLLPlan {
    let inputShape: [Int]
    let labelShape: [Int]
    let starts: [Int]
    let offsets: [Int]
    let coefficients: [Double]
    let reduction: Reduction
    let divisor: Double

    var outputShape: [Int] { reduction == .none ? labelShape : [] }

    /// The plan for `labels` against an input of `shape`: a target equal to
    /// `ignoreIndex` has no entries; any other must be a class index, and takes
    /// `(1 - ε)·w_y` at its class `y` and, with smoothing `ε > 0`, `ε·w_c/C` at every class `c`.
    /// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for labels of the wrong shape,
    ///   ``AutogradError/invalidClassLabel(label:classes:)``.
    init(
        layout: ClassLayout, inputShape: [Int], labels: Tensor, weight: Tensor?, ignoreIndex: Int,
        reduction: Reduction, labelSmoothing: Double, op: String, noun: String
    ) throws(AutogradError) {
        guard labels.shape == layout.labelShape else {
            throw .invalidArgument(
                op: op,
                reason: "labels of shape \(labels.shape) do not fit \(noun) of shape \(inputShape) (expected \(layout.labelShape))")
        }
        let classes = layout.classes
        let weights = weight?.scalars
        let ignored = Double(ignoreIndex)
        var starts = [0], offsets: [Int] = [], coefficients: [Double] = []
        starts.reserveCapacity(labels.count + 1)
        offsets.reserveCapacity(labelSmoothing > 0 ? labels.count * classes : labels.count)
        var totalWeight = 0.0
        // int64 labels widen exactly: any label that could be a class index is below 2⁵³.
        for (j, label) in labels.scalars.enumerated() {
            if label == ignored {
                starts.append(offsets.count)
                continue
            }
            guard label.rounded() == label, label >= 0, label < Double(classes) else {
                throw .invalidClassLabel(label: label, classes: classes)
            }
            let y = Int(label)
            let wy = weights?[y] ?? 1
            totalWeight += wy
            if labelSmoothing > 0 {
                let share = labelSmoothing / Double(classes)
                for c in 0..<classes {
                    let wc = weights?[c] ?? 1
                    offsets.append(layout.offset(target: j, class: c))
                    coefficients.append((c == y ? (1 - labelSmoothing) * wy : 0) + share * wc)
                }
            } else {
                offsets.append(layout.offset(target: j, class: y))
                coefficients.append(wy)
            }
            starts.append(offsets.count)
        }
        self.inputShape = inputShape
        self.labelShape = layout.labelShape
        self.starts = starts
        self.offsets = offsets
        self.coefficients = coefficients
        self.reduction = reduction
        // All targets ignored: the mean is 0/0 = NaN, as torch's.
        self.divisor = reduction == .mean ? totalWeight : 1
    }
}

// MARK: - NLL loss

/// `Lⱼ = -Σₖ cₖ·x[offsetₖ]` for each target `j` (for nll_loss one entry: `-w_y·x[j, y]`,
/// 0 for an ignored target), then summed, divided by the summed weight of the counted
/// targets (the mean), or left per target (`.none`).
/// Gradient (torch's nll_loss_backward): `NLLLossBackward`, which scatters `-cₖ·gⱼ/W`
/// to `offsetₖ`, `W` the mean's divisor (1 otherwise).
final class NLLLoss: UnaryFunction {
    let plan: NLLPlan

    init(plan: NLLPlan) {
        self.plan = plan
    }

    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        let plan = plan
        guard x.shape == plan.inputShape else { throw .shapesDiffer(x.shape, plan.inputShape, op: "nll_loss") }
        func losses<T: TensorScalar>(_ a: [T]) -> [T] {
            (0..<(plan.starts.count - 1)).map { j in
                var loss: T = 0
                for k in plan.starts[j]..<plan.starts[j + 1] { loss -= T(plan.coefficients[k]) * a[plan.offsets[k]] }
                return loss
            }
        }
        func reduce<T: TensorScalar>(_ l: [T]) -> [T] {
            if plan.reduction == .none { return l }
            let total = l.reduce(0.0) { $0 + Double($1) }
            return [T(plan.reduction == .mean ? total / plan.divisor : total)]
        }
        switch x.storage {
        case .float64(let a): return Tensor(shape: plan.outputShape, storage: .float64(reduce(losses(a))))
        case .float32(let a): return Tensor(shape: plan.outputShape, storage: .float32(reduce(losses(a))))
        }
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [NLLLossBackward(plan: plan)(gys[0])]
    }
}

/// torch's `nll_loss_backward(g, ...)`: zeros of the input's shape with `-cₖ·gⱼ/W` added
/// at `offsetₖ` for each entry of target `j` (`g` 0-d for the mean and the sum). Linear
/// in `g`, so its gradient is `NLLLoss` of the incoming gradient (derivatives.yaml's
/// `grad_output: nll_loss(grad, ...)`).
final class NLLLossBackward: UnaryFunction {
    let plan: NLLPlan

    init(plan: NLLPlan) {
        self.plan = plan
    }

    override func forward(_ g: Tensor) throws(AutogradError) -> Tensor {
        let plan = plan
        guard g.shape == plan.outputShape else { throw .shapesDiffer(g.shape, plan.outputShape, op: "nll_loss_backward") }
        func scatter<T: TensorScalar>(_ gs: [T]) -> [T] {
            var out = [T](repeating: 0, count: Shape.count(plan.inputShape))
            let divisor = T(plan.divisor)
            for j in 0..<(plan.starts.count - 1) {
                let gj = gs[plan.reduction == .none ? j : 0]
                for k in plan.starts[j]..<plan.starts[j + 1] {
                    out[plan.offsets[k]] += -(T(plan.coefficients[k]) * gj) / divisor
                }
            }
            return out
        }
        switch g.storage {
        case .float64(let a): return Tensor(shape: plan.inputShape, storage: .float64(scatter(a)))
        case .float32(let a): return Tensor(shape: plan.inputShape, storage: .float32(scatter(a)))
        }
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [NLLLoss(plan: plan)(gys[0])]
    }
}

/// The negative log-likelihood of class-index targets (torch's `F.nll_loss`): for each
/// target `j` with class `yⱼ`, `Lⱼ = -w_{yⱼ}·x[j, yⱼ]`, reduced as `reduction` says. The
/// mean is `Σⱼ Lⱼ / Σⱼ w_{yⱼ}` over the counted targets: a weighted mean, the plain mean
/// without weights.
///
/// Shapes, as torch's: `x` `[N, C]` with labels `[N]`; `[C]` with a 0-d label;
/// `[N, C, d₁, ...]` with labels `[N, d₁, ...]` (the class axis is 1). Labels are int64
/// class indices or, as this library's extension, whole-numbered floats. The gradient
/// (`-w_y·g/W` at each labelled entry, 0 elsewhere) is differentiable again; the labels
/// and weights get none.
/// - Parameters:
///   - logProbabilities: The input `x`, normally ``logSoftmax(_:axis:)`` along the class axis.
///   - labels: The class index of each target.
///   - weight: Per-class weights `w`, shape `[C]`, in `x`'s dtype (1 if `nil`).
///   - ignoreIndex: A label that is not a class: such targets contribute 0 and are left
///     out of the mean's denominator. If every target is ignored, the mean is NaN (0/0),
///     as torch's.
///   - reduction: ``Reduction/mean`` (weighted), ``Reduction/sum``, or ``Reduction/none``
///     (a loss per target, 0 for ignored ones).
/// - Throws: ``AutogradError/invalidClassLabel(label:classes:)`` for a label that is
///   neither `ignoreIndex` nor an integer in `0..<C`, ``AutogradError/invalidArgument(op:reason:)``
///   for shapes that do not fit, ``AutogradError/dtypeMismatch(_:_:op:)`` for a weight of
///   another dtype, ``AutogradError/unsupportedDType(_:op:)`` for an int64 input.
public func nllLoss(
    _ logProbabilities: Variable, labels: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
    reduction: Reduction = .mean
) throws(AutogradError) -> Variable {
    try classIndexLoss(logProbabilities, labels: labels, weight: weight, ignoreIndex: ignoreIndex,
                       reduction: reduction, labelSmoothing: 0, op: "nll_loss", noun: "input", logSoftmaxFirst: false)
}

/// nll_loss with label smoothing, on `input` or, if `logSoftmaxFirst`, on its log-softmax
/// along the class axis (cross-entropy): the labels are checked first, then the input.
private func classIndexLoss(
    _ input: Variable, labels: Tensor, weight: Tensor?, ignoreIndex: Int, reduction: Reduction,
    labelSmoothing: Double, op: String, noun: String, logSoftmaxFirst: Bool
) throws(AutogradError) -> Variable {
    let layout = try ClassLayout(input.shape, op: op, noun: noun)
    let weight = try layout.checkedWeight(weight, dtype: input.dtype, op: op)
    let plan = try NLLPlan(
        layout: layout, inputShape: input.shape, labels: labels, weight: weight, ignoreIndex: ignoreIndex,
        reduction: reduction, labelSmoothing: labelSmoothing, op: op, noun: noun)
    let x = logSoftmaxFirst ? try logSoftmax(input, axis: layout.classAxis) : input
    return try NLLLoss(plan: plan).apply([x])[0]
}

// MARK: - Softmax cross-entropy

/// The mean cross-entropy between `softmax(logits)` along the class axis and integer
/// class labels: `-(1/N) Σᵢ log softmax(logits)[i, labelᵢ]` (torch's `F.cross_entropy`
/// with class indices and its defaults). See
/// ``softmaxCrossEntropy(_:labels:weight:ignoreIndex:reduction:labelSmoothing:)`` for
/// the options, the shapes and the errors.
public func softmaxCrossEntropy(_ logits: Variable, labels: Tensor) throws(AutogradError) -> Variable {
    try softmaxCrossEntropy(logits, labels: labels, weight: nil, ignoreIndex: -100, reduction: .mean, labelSmoothing: 0)
}

/// ``softmaxCrossEntropy(_:labels:)`` with the labels in a variable: class indices get
/// no gradient; probability targets (the logits' shape) get torch's `-w·log softmax(x)`.
public func softmaxCrossEntropy(_ logits: Variable, _ labels: Variable) throws(AutogradError) -> Variable {
    try softmaxCrossEntropy(logits, labels, weight: nil, ignoreIndex: -100, reduction: .mean, labelSmoothing: 0)
}

/// The cross-entropy between `softmax(logits)` along the class axis and the targets
/// (torch's `F.cross_entropy`), with its options.
///
/// Class-index targets (shape: the logits' without the class axis): `logSoftmax` then
/// ``nllLoss(_:labels:weight:ignoreIndex:reduction:)``. With label smoothing `ε`, target
/// `j` of class `y` costs `-(1 - ε)·w_y·log pⱼ[y] - (ε/C)·Σ_c w_c·log pⱼ[c]`, and the mean
/// divides the sum by `Σⱼ w_{yⱼ}` over the counted targets (torch's rule, with weights too).
///
/// Probability targets (a float tensor of the logits' shape): target `j` costs
/// `-Σ_c w_c·t[j, c]·log pⱼ[c]`, with `t` smoothed to `(1 - ε)·t + ε/C`; the mean divides
/// by the number of targets `N·d₁·…`, not by the weights (torch's rule), and
/// `ignoreIndex` must be negative (it does not apply; torch refuses it too).
///
/// Shapes, as torch's: logits `[N, C]` with labels `[N]`; logits `[C]` with a 0-d label;
/// logits `[N, C, d₁, ...]` with labels `[N, d₁, ...]` (the class axis is 1). Labels are an
/// ``DType/int64`` tensor of class indices, as torch requires (`Tensor(int64: [2, 0])`),
/// or, as this library's extension, a float tensor of whole numbers: both give the same
/// loss and gradient. The gradient to the logits (`(softmax - onehot)·w/W` without
/// smoothing) is differentiable again; class labels and weights get no gradient.
/// - Parameters:
///   - logits: Unnormalised scores, with the classes along axis 1 (axis 0 if 1-d).
///   - labels: Class indices (int64, or whole-numbered floats), or class probabilities.
///   - weight: Per-class weights, shape `[C]`, in the logits' dtype (1 if `nil`).
///   - ignoreIndex: A class-index label to leave out (contributes 0, not counted in the
///     mean; all ignored gives NaN for the mean, as torch's).
///   - reduction: ``Reduction/mean``, ``Reduction/sum`` or ``Reduction/none`` (a loss per target).
///   - labelSmoothing: `ε` in `0...1`.
/// - Throws: ``AutogradError/invalidClassLabel(label:classes:)`` for a label that is not
///   `ignoreIndex` or an integer in `0..<C`, ``AutogradError/invalidArgument(op:reason:)``
///   for shapes that do not fit, a smoothing outside `0...1` or a non-negative
///   `ignoreIndex` with probability targets, ``AutogradError/dtypeMismatch(_:_:op:)``,
///   ``AutogradError/unsupportedDType(_:op:)`` for int64 logits.
public func softmaxCrossEntropy(
    _ logits: Variable, labels: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
    reduction: Reduction = .mean, labelSmoothing: Double = 0
) throws(AutogradError) -> Variable {
    if isProbabilityTarget(labels, for: logits) {
        return try probabilityCrossEntropy(
            logits, Variable.constant(labels), weight: weight, ignoreIndex: ignoreIndex,
            reduction: reduction, labelSmoothing: labelSmoothing)
    }
    try checkSmoothing(labelSmoothing)
    return try classIndexLoss(logits, labels: labels, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction,
                              labelSmoothing: labelSmoothing, op: crossEntropyName, noun: "logits", logSoftmaxFirst: true)
}

/// ``softmaxCrossEntropy(_:labels:weight:ignoreIndex:reduction:labelSmoothing:)`` with the
/// targets in a variable: probability targets (the logits' shape) get torch's gradient
/// `-w·log softmax(x)` (smoothed by `1 - ε`, divided as the loss is); class indices get none.
public func softmaxCrossEntropy(
    _ logits: Variable, _ labels: Variable, weight: Tensor? = nil, ignoreIndex: Int = -100,
    reduction: Reduction = .mean, labelSmoothing: Double = 0
) throws(AutogradError) -> Variable {
    if isProbabilityTarget(labels.data, for: logits) {
        return try probabilityCrossEntropy(
            logits, labels, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
    }
    return try softmaxCrossEntropy(logits, labels: labels.data, weight: weight, ignoreIndex: ignoreIndex,
                                   reduction: reduction, labelSmoothing: labelSmoothing)
}

/// torch's test: targets of the input's shape are class probabilities (they must be floats).
private func isProbabilityTarget(_ labels: Tensor, for logits: Variable) -> Bool {
    labels.shape == logits.shape && labels.dtype.isFloatingPoint
}

private func checkSmoothing(_ labelSmoothing: Double) throws(AutogradError) {
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw .invalidArgument(op: crossEntropyName, reason: "label smoothing must be in 0...1, got \(labelSmoothing)")
    }
}

/// Cross-entropy against class probabilities, composed as torch's
/// cross_entropy_loss_prob_target: `-Σ log softmax(x) ⊙ t' ⊙ w` with `t' = (1 - ε)·t + ε/C`,
/// summed over the class axis (`.none`), over everything (`.sum`), or that divided by the
/// number of targets `count/C` (`.mean`).
private func probabilityCrossEntropy(
    _ logits: Variable, _ targets: Variable, weight: Tensor?, ignoreIndex: Int, reduction: Reduction,
    labelSmoothing: Double
) throws(AutogradError) -> Variable {
    try checkSmoothing(labelSmoothing)
    guard ignoreIndex < 0 else {
        throw .invalidArgument(op: crossEntropyName, reason: "ignoreIndex is not supported for probability targets")
    }
    guard targets.dtype == logits.dtype else { throw .dtypeMismatch(logits.dtype, targets.dtype, op: crossEntropyName) }
    let layout = try ClassLayout(logits.shape, op: crossEntropyName, noun: "logits")
    let weight = try layout.checkedWeight(weight, dtype: logits.dtype, op: crossEntropyName)
    let logProbabilities = try logSoftmax(logits, axis: layout.classAxis)
    let classes = Double(layout.classes)
    let smoothed = labelSmoothing > 0 ? targets * (1 - labelSmoothing) + labelSmoothing / classes : targets
    var product = logProbabilities * smoothed
    if let weight {
        var viewShape = [Int](repeating: 1, count: logits.rank)
        viewShape[layout.classAxis] = layout.classes
        product = product * Variable.constant(try weight.reshaped(viewShape))
    }
    switch reduction {
    case .none: return -(try sum(product, axis: layout.classAxis))
    case .sum: return -sum(product)
    case .mean: return -sum(product) / (Double(logits.count) / classes)
    }
}
