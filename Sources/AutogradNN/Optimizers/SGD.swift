import Autograd

/// Stochastic gradient descent, with optional momentum, dampening, Nesterov momentum and
/// L2 weight decay: torch's `torch.optim.SGD`, with its defaults and update rule.
///
/// For each parameter `θ` with gradient `g`, at step `t` (γ = lr, λ = weight decay,
/// μ = momentum, τ = dampening):
///
///     g ← g + λ·θ                       if λ ≠ 0
///     if μ ≠ 0:
///         b ← g                         at the parameter's first step (no dampening)
///         b ← μ·b + (1 − τ)·g           afterwards
///         g ← g + μ·b                   with Nesterov
///         g ← b                         without
///     θ ← θ − γ·g
///
/// Each `x + α·y` is one fused multiply-add, as in torch's CPU kernels
/// (`grad.add(param, alpha=λ)`, `buf.mul_(μ).add_(grad, alpha=1−τ)`,
/// `param.add_(grad, alpha=−γ)`); `1 − τ` is computed in `Double`, then every
/// coefficient is rounded to the parameter's precision.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public let momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    public let nesterov: Bool
    /// The momentum buffer `b` of each parameter, once it has one.
    public private(set) var momentumBuffers: [Tensor?]

    /// - Parameters: torch's, with torch's defaults (`lr` = 1e-3, the rest 0 / false).
    /// - Throws: ``NNError/invalidHyperparameter(_:)`` with torch's message for a negative
    ///   learning rate, momentum or weight decay, and for Nesterov momentum without
    ///   momentum or with dampening.
    public init(_ parameters: [Parameter], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws(NNError) {
        guard lr >= 0 else { throw .invalidHyperparameter("Invalid learning rate: \(lr)") }
        guard momentum >= 0 else { throw .invalidHyperparameter("Invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw .invalidHyperparameter("Invalid weight_decay value: \(weightDecay)") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw .invalidHyperparameter("Nesterov momentum requires a momentum and zero dampening")
        }
        self.parameters = uniqueParameters(parameters)
        learningRate = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        momentumBuffers = Array(repeating: nil, count: self.parameters.count)
    }

    /// An optimizer of plain variables (not a module's parameters), as torch's take any
    /// tensors: each variable's `Variable/data` is updated in place.
    ///
    /// ```swift
    /// let x0 = Variable(0.0), x1 = Variable(2.0)
    /// let optimizer = try SGD([x0, x1], lr: 0.001)
    /// for _ in 0..<1000 {
    ///     optimizer.zeroGrad()
    ///     rosenbrock(x0, x1).backward()
    ///     optimizer.step()
    /// }
    /// ```
    /// - Throws: as ``init(_:lr:momentum:dampening:weightDecay:nesterov:)-([Parameter],_,_,_,_,_)``.
    public convenience init(_ variables: [Variable], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                            weightDecay: Double = 0, nesterov: Bool = false) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, momentum: momentum, dampening: dampening,
                      weightDecay: weightDecay, nesterov: nesterov)
    }

    public func step() {
        for (i, parameter, grad) in updatable(parameters) {
            withScalarType(of: parameter.dtype) { update(i, parameter, grad, as: $0) }
        }
    }

    private func update<T: TensorScalar>(_ i: Int, _ parameter: Parameter, _ gradient: Tensor, as _: T.Type) {
        var theta: [T] = parameter.data.elements()
        var g: [T] = gradient.elements()
        let decay = T(weightDecay), mu = T(momentum), keep = T(1 - dampening), step = T(-learningRate)

        if weightDecay != 0 {
            for k in g.indices { g[k] = fusedMultiplyAdd(theta[k], decay, g[k]) }  // grad.add(param, alpha=λ)
        }
        if momentum != 0 {
            var buffer: [T]
            if let existing = momentumBuffers[i] {
                buffer = existing.elements()
                for k in buffer.indices { buffer[k] = fusedMultiplyAdd(g[k], keep, buffer[k] * mu) }  // buf.mul_(μ).add_(g, alpha=1−τ)
            } else {
                buffer = g  // torch.clone(grad).detach()
            }
            momentumBuffers[i] = Tensor.of(shape: parameter.shape, elements: buffer)
            if nesterov {
                for k in g.indices { g[k] = fusedMultiplyAdd(buffer[k], mu, g[k]) }  // grad.add(buf, alpha=μ)
            } else {
                g = buffer
            }
        }
        for k in theta.indices { theta[k] = fusedMultiplyAdd(g[k], step, theta[k]) }  // param.add_(grad, alpha=−γ)
        parameter.data = Tensor.of(shape: parameter.shape, elements: theta)
    }
}
