import Autograd

/// A trainable tensor of a ``Module``: a leaf `Variable` that optimizers update in place.
///
/// `Parameter` wraps its variable (`Variable` is a final class): layers pass
/// ``variable`` to operations, optimizers read its gradient and replace its ``data``.
/// The variable stays the same object across updates, so a graph built after a step
/// uses the new values, and the gradient accumulates in one place until ``zeroGrad()``.
///
/// ```swift
/// let w = Parameter(try Tensor(shape: [2], scalars: [1, 2]))
/// let loss = sum(square(w.variable))
/// loss.backward()
/// w.grad?.data.scalars     // [2.0, 4.0]
/// ```
///
/// `Sendable` on the terms of `Variable` (it holds nothing else): graphs on several
/// threads may use it and backward passes may add into its gradient at once; an
/// optimizer step must not overlap them.
public final class Parameter: Sendable {
    /// The leaf variable that takes part in graphs.
    public let variable: Variable

    /// A parameter holding `data`; `name` labels its variable in descriptions and graphs.
    public init(_ data: Tensor, name: String? = nil) {
        variable = Variable(data, name: name)
    }

    /// A parameter that updates `variable` itself: what optimizers make of the plain
    /// variables they are given (torch's optimizers take any tensors), so that
    /// `SGD([x0, x1], lr: 0.001)` minimises a function of two variables.
    public init(wrapping variable: Variable) {
        self.variable = variable
    }

    /// The current value. Optimizers assign a new tensor of the same shape and dtype.
    public var data: Tensor {
        get { variable.data }
        set { variable.data = newValue }
    }

    /// The gradient accumulated by backward passes since the last ``zeroGrad()``
    /// (`nil` if the parameter took part in none, as torch's `p.grad is None`).
    public var grad: Variable? {
        get { variable.grad }
        set { variable.grad = newValue }
    }

    /// Whether the parameter is trained (torch's `p.requires_grad`); `false` freezes it.
    ///
    /// A frozen parameter's variable is a constant in graphs built afterwards (layers
    /// pass ``variable`` to operations, which record nothing for it), so backward passes
    /// give it no gradient, and optimizers skip it (even if it still holds a gradient
    /// from before it was frozen, which torch's optimizers would apply).
    public var requiresGrad: Bool {
        get { variable.requiresGrad }
        set { variable.requiresGrad = newValue }
    }

    public var shape: [Int] { variable.shape }
    public var dtype: DType { variable.dtype }
    /// The number of elements.
    public var count: Int { variable.count }

    /// Forgets the gradient (torch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        variable.cleargrad()
    }
}

extension Parameter: CustomStringConvertible {
    public var description: String { "parameter(\(data))" }
}
