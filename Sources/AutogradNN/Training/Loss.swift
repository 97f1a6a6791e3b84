import Autograd

/// The losses a training run can name (in specs: `"mse"`, `"cross_entropy"`), each a
/// function of the model's output and a target tensor that returns a 0-d variable.
public enum Loss: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `mean((y − t)²)` over all elements (torch's `F.mse_loss`, DeZero's
    /// `mean_squared_error`); `t` has `y`'s shape. Gradient: `2(y − t)/n`.
    case meanSquaredError = "mse"
    /// `−(1/N) Σᵢ log softmax(xᵢ)[tᵢ]` over the rows `i` of logits `x` `[N, C]`, with class
    /// indices `t` `[N]`, int64 as in torch or whole-numbered floats (torch's
    /// `F.cross_entropy`, DeZero's `softmax_cross_entropy`).
    /// Gradient: `(softmax(xᵢ) − onehot(tᵢ))/N`.
    case softmaxCrossEntropy = "cross_entropy"

    public var description: String { rawValue }

    /// The loss of `prediction` against `target`: `meanSquaredError(_:_:)` or
    /// `softmaxCrossEntropy(_:labels:)`.
    /// - Throws: `AutogradError/cannotBroadcast(from:to:)` when an MSE target's shape is
    ///   not the prediction's (torch broadcasts `[N]` against `[N, 1]` with a warning, a
    ///   classic mistake, refused here); for cross-entropy,
    ///   `AutogradError/invalidClassLabel(label:classes:)` for a label that is not a class
    ///   index and `AutogradError/invalidArgument(op:reason:)` for shapes that do not fit.
    public func callAsFunction(_ prediction: Variable, _ target: Tensor) throws(AutogradError) -> Variable {
        switch self {
        case .meanSquaredError:
            guard prediction.shape == target.shape else { throw .cannotBroadcast(from: target.shape, to: prediction.shape) }
            return try Autograd.meanSquaredError(prediction, Variable.constant(target.converted(to: prediction.dtype)))
        case .softmaxCrossEntropy:
            return try Autograd.softmaxCrossEntropy(prediction, labels: target)
        }
    }
}

/// The fraction of rows of `logits` `[N, C]` whose largest entry is at the row's label
/// (DeZero's `accuracy`), with `Tensor/argmax(axis:keepdims:)`: ties go to the
/// first maximum and a NaN counts as the maximum, as in torch.
/// - Parameters:
///   - logits: Scores `[N, C]`.
///   - labels: The `N` class indices: an int64 tensor, or whole-numbered floats.
/// - Throws: ``NNError/invalidData(_:)`` for shapes that do not fit.
public func classificationAccuracy(_ logits: Tensor, labels: Tensor) throws(NNError) -> Double {
    guard logits.rank == 2, labels.rank == 1, labels.shape[0] == logits.shape[0] else {
        throw .invalidData("accuracy takes logits [N, C] and N labels; got \(logits.shape) and \(labels.shape)")
    }
    let rows = logits.shape[0], classes = logits.shape[1]
    guard classes >= 1 else { throw .invalidData("accuracy needs at least one class; logits have shape \(logits.shape)") }
    guard rows > 0 else { return 0 }
    let predicted: Tensor
    do {
        predicted = try logits.argmax(axis: 1)
    } catch {
        fatalError("internal: argmax over \(classes) classes failed: \(error)")
    }
    let targets = labels.scalars
    let correct = Swift.zip(predicted.scalars, targets).filter { $0 == $1 }.count
    return Double(correct) / Double(rows)
}
