import Autograd

/// Updates parameters from their gradients (torch's `torch.optim.Optimizer`).
///
/// A training step is: ``zeroGrad()``, forward, `loss.backward()`, ``step()``. A step
/// skips parameters without a gradient (torch's `p.grad is None`), and their state
/// (momentum buffers, moment estimates, step counts) does not advance.
/// Frozen parameters (``Parameter/requiresGrad`` `false`) are skipped likewise, even if
/// they hold a gradient from before they were frozen.
///
/// Every update is computed in the parameter's dtype, element by element, with the
/// same operations in the same order as torch's single-tensor CPU implementation
/// (`_single_tensor_sgd`, `_single_tensor_adam`), including its fused multiply-adds, so
/// that float32 training agrees with torch's to rounding.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in order.
    var parameters: [Parameter] { get }
    /// The learning rate; may be changed between steps (a schedule).
    var learningRate: Double { get set }
    /// Updates every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Forgets every parameter's gradient (torch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// Each parameter once, in first-seen order: a parameter listed twice (or two parameters
/// wrapping one variable) would be updated twice.
func uniqueParameters(_ parameters: [Parameter]) -> [Parameter] {
    var seen = Set<ObjectIdentifier>()
    return parameters.filter { seen.insert(ObjectIdentifier($0.variable)).inserted }
}

/// The parameters a step updates, with their index and gradient: those that are not
/// frozen and have a gradient (torch skips `p.grad is None`).
func updatable(_ parameters: [Parameter]) -> [(index: Int, parameter: Parameter, gradient: Tensor)] {
    parameters.enumerated().compactMap { i, parameter in
        guard parameter.requiresGrad, let gradient = parameter.grad?.data else { return nil }
        return (i, parameter, gradient)
    }
}

/// Runs `body` in the parameter's precision: `Double` for float64, `Float` for float32.
func withScalarType<R>(of dtype: DType, _ body: (any TensorScalar.Type) -> R) -> R {
    switch dtype {
    case .float64: body(Double.self)
    case .float32: body(Float.self)
    case .int64: fatalError("optimizers update floating-point parameters; this one is int64 (integers are never differentiable)")
    }
}

/// `a·b + c` with a single rounding, as torch's vectorised CPU kernels compute
/// `add(self, other, alpha)` (`fmadd(other, alpha, self)`), `lerp` and `addcmul`.
@inline(__always)
func fusedMultiplyAdd<T: TensorScalar>(_ a: T, _ b: T, _ c: T) -> T {
    c.addingProduct(a, b)
}
