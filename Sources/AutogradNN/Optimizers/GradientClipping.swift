import Autograd

/// Scales all gradients together so that their total norm is at most `maxNorm`
/// (torch's `torch.nn.utils.clip_grad_norm_` with the 2-norm), and returns the total norm
/// before clipping.
///
///     ‖g‖ = √(Σₚ ‖gₚ‖²)                   (the norm of all gradients as one vector)
///     c   = min(maxNorm / (‖g‖ + 10⁻⁶), 1)
///     gₚ ← c·gₚ                           for every parameter with a gradient
///
/// As in torch, the computation is in the gradients' precision (that of the first
/// parameter with a gradient): each ‖gₚ‖ is rounded to it, `c` is computed as
/// `(‖g‖ + 10⁻⁶)⁻¹ · maxNorm` (torch's `max_norm / tensor` is a reciprocal and a product),
/// and the gradients are multiplied even when `c` is 1. The sums of squares are
/// accumulated in `Double`. Parameters without a gradient are skipped; with none, the
/// result is 0.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Double) -> Double {
    let withGradients = uniqueParameters(parameters).filter { $0.grad != nil }
    guard let first = withGradients.first else { return 0 }
    return withScalarType(of: first.dtype) { type in
        clipGradNorm(withGradients, maxNorm: maxNorm, as: type)
    }
}

private func clipGradNorm<T: TensorScalar>(_ parameters: [Parameter], maxNorm: Double, as _: T.Type) -> Double {
    var sumOfSquaredNorms = 0.0
    for parameter in parameters {
        guard let grad = parameter.grad?.data else { continue }
        let squares = grad.scalars.reduce(0.0) { $0 + $1 * $1 }
        let norm = T(squares.squareRoot())  // each tensor's norm, in its precision
        sumOfSquaredNorms += Double(norm) * Double(norm)
    }
    let total = T(sumOfSquaredNorms.squareRoot())
    var coefficient = (1 / (total + T(1e-6))) * T(maxNorm)
    if coefficient > 1 { coefficient = 1 }  // clamp(max=1); NaN passes through, as in torch
    for parameter in parameters {
        guard let grad = parameter.grad?.data else { continue }
        let scaled: [T] = grad.elements().map { $0 * coefficient }
        parameter.grad = Variable.constant(Tensor.of(shape: grad.shape, elements: scaled).converted(to: grad.dtype))
    }
    return Double(total)
}
