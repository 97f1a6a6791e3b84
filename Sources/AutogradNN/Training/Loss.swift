import Autograd

/// The losses a training run can name (in specs: `"mse"`, `"cross_entropy"`), each a
/// function of the model's output and a target tensor that returns a 0-d variable.
public enum Loss: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `mean((y − t)²)` over all elements (torch's `F.mse_loss`, DeZero's
    /// `mean_squared_error`); `t` has `y`'s shape. Gradient: `2(y − t)/n`.
    case meanSquaredError = "mse"
    /// `mean(logsumexp(xᵢ) − xᵢ[tᵢ])` over the rows `i` of logits `x` `[N, C]`, with class
    /// indices `t` `[N]` (torch's `F.cross_entropy`, DeZero's `softmax_cross_entropy`).
    /// Gradient: `(softmax(xᵢ) − onehot(tᵢ))/N`.
    case softmaxCrossEntropy = "cross_entropy"

    public var description: String { rawValue }

    /// The loss of `prediction` against `target`.
    /// - Throws: ``AutogradError/cannotBroadcast(from:to:)`` when an MSE target's shape is
    ///   not the prediction's; ``AutogradError/indexOutOfRange(index:axis:size:)`` for a
    ///   class index outside `0..<C`; ``AutogradError/invalidIndex(_:)`` for one that is not
    ///   an integer, or for logits that are not `[N, C]` with `N` labels.
    public func callAsFunction(_ prediction: Variable, _ target: Tensor) throws(AutogradError) -> Variable {
        switch self {
        case .meanSquaredError:
            guard prediction.shape == target.shape else { throw .cannotBroadcast(from: target.shape, to: prediction.shape) }
            let difference = prediction - Variable.constant(target.converted(to: prediction.dtype))
            return mean(square(difference))
        case .softmaxCrossEntropy:
            guard prediction.rank == 2, target.rank == 1, target.shape[0] == prediction.shape[0] else {
                throw .invalidIndex("cross entropy takes logits [N, C] and N class indices; got logits \(prediction.shape) and labels \(target.shape)")
            }
            let classes = prediction.shape[1]
            let labels = try Self.classIndices(target, classes: classes)
            var oneHot = [Double](repeating: 0, count: labels.count * classes)
            for (row, label) in labels.enumerated() { oneHot[row * classes + label] = 1 }
            let mask = try Tensor(shape: prediction.shape, scalars: oneHot, dtype: prediction.dtype)
            let normaliser = try logsumexp(prediction, axis: 1)
            let picked = try sum(prediction * Variable.constant(mask), axis: 1)
            return mean(normaliser - picked)
        }
    }

    /// Class indices as integers, checked against `0..<classes`.
    static func classIndices(_ labels: Tensor, classes: Int) throws(AutogradError) -> [Int] {
        var result: [Int] = []
        for value in labels.scalars {
            guard value.rounded() == value, value.magnitude < 1e15 else {
                throw .invalidIndex("class index \(value) is not an integer")
            }
            let index = Int(value)
            guard index >= 0 && index < classes else { throw .indexOutOfRange(index: index, axis: 1, size: classes) }
            result.append(index)
        }
        return result
    }
}

/// The fraction of rows of `logits` `[N, C]` whose largest entry is at the row's label
/// (DeZero's `accuracy`); ties go to the first maximum, as `argmax` does.
/// - Throws: ``NNError/invalidData(_:)`` for shapes that do not fit or labels that are not class indices.
public func classificationAccuracy(_ logits: Tensor, labels: Tensor) throws(NNError) -> Double {
    guard logits.rank == 2, labels.rank == 1, labels.shape[0] == logits.shape[0] else {
        throw .invalidData("accuracy takes logits [N, C] and N labels; got \(logits.shape) and \(labels.shape)")
    }
    let rows = logits.shape[0], classes = logits.shape[1]
    guard rows > 0 else { return 0 }
    let values = logits.scalars, targets = labels.scalars
    var correct = 0
    for row in 0..<rows {
        var best = 0
        for c in 1..<max(classes, 1) where values[row * classes + c] > values[row * classes + best] { best = c }
        if Double(best) == targets[row] { correct += 1 }
    }
    return Double(correct) / Double(rows)
}
