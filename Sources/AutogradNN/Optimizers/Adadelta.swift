import Autograd

/// Adadelta (Zeiler): torch's `torch.optim.Adadelta`, with its defaults and its update
/// rule operation for operation (`_single_tensor_adadelta`).
///
/// For each parameter `θ` with gradient `g` (γ = lr, ρ = rho, ε = eps, λ = weight decay;
/// `v` and `u` start at 0):
///
///     g ← g + λ·θ                        if λ ≠ 0
///     v ← ρ·v + (1 − ρ)·g·g
///     Δ = √(u + ε) / √(v + ε) · g        (ε inside both square roots)
///     u ← ρ·u + (1 − ρ)·Δ·Δ
///     θ ← θ − γ·Δ
///
/// As torch's kernels: `v·ρ` is rounded, then `+ ((1 − ρ)·g)·g` is one fused
/// multiply-add (`addcmul_`), likewise for `u`; `Δ` is `(√(u + ε) / √(v + ε))·g`;
/// the last line is `fma(Δ, −γ, θ)`.
public final class Adadelta: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public let rho: Double
    public let epsilon: Double
    public let weightDecay: Double

    /// Per parameter: its step count, the running averages of squared gradients `v` and
    /// of squared updates `u`, once it has taken a step.
    public private(set) var steps: [Int]
    public private(set) var squareAverages: [Tensor?]
    public private(set) var accumulatedDeltas: [Tensor?]

    /// - Parameters: torch's, with torch's defaults: lr 1.0, rho 0.9, eps 1e-6, weight decay 0.
    /// - Throws: ``NNError/invalidHyperparameter(_:)`` with torch's message for a negative
    ///   learning rate, epsilon or weight decay, or a rho outside [0, 1].
    public init(_ parameters: [Parameter], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6,
                weightDecay: Double = 0) throws(NNError) {
        guard lr >= 0 else { throw .invalidHyperparameter("Invalid learning rate: \(lr)") }
        guard rho >= 0 && rho <= 1 else { throw .invalidHyperparameter("Invalid rho value: \(rho)") }
        guard eps >= 0 else { throw .invalidHyperparameter("Invalid epsilon value: \(eps)") }
        guard weightDecay >= 0 else { throw .invalidHyperparameter("Invalid weight_decay value: \(weightDecay)") }
        self.parameters = uniqueParameters(parameters)
        learningRate = lr
        self.rho = rho
        epsilon = eps
        self.weightDecay = weightDecay
        let count = self.parameters.count
        steps = Array(repeating: 0, count: count)
        squareAverages = Array(repeating: nil, count: count)
        accumulatedDeltas = Array(repeating: nil, count: count)
    }

    /// An optimizer of plain variables, each variable's `Variable/data` updated in place.
    /// - Throws: as the initializer taking parameters.
    public convenience init(_ variables: [Variable], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6,
                            weightDecay: Double = 0) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, rho: rho, eps: eps, weightDecay: weightDecay)
    }

    public func step() {
        for (i, parameter, grad) in updatable(parameters) {
            steps[i] += 1
            withScalarType(of: parameter.dtype) { update(i, parameter, grad, as: $0) }
        }
    }

    private func update<T: TensorScalar>(_ i: Int, _ parameter: Parameter, _ gradient: Tensor, as _: T.Type) {
        let shape = parameter.shape
        var theta: [T] = parameter.data.elements()
        var g: [T] = gradient.elements()
        var v: [T] = squareAverages[i]?.elements() ?? Array(repeating: 0, count: theta.count)
        var u: [T] = accumulatedDeltas[i]?.elements() ?? Array(repeating: 0, count: theta.count)
        if weightDecay != 0 {
            let decay = T(weightDecay)
            for k in g.indices { g[k] = fusedMultiplyAdd(theta[k], decay, g[k]) }  // grad.add(param, alpha=λ)
        }
        let keep = T(rho), fresh = T(1 - rho), eps = T(epsilon), negativeLR = T(-learningRate)
        for k in theta.indices {
            v[k] = fusedMultiplyAdd(fresh * g[k], g[k], v[k] * keep)  // square_avg.mul_(ρ).addcmul_(g, g, value=1 − ρ)
            let std = (v[k] + eps).squareRoot()  // square_avg.add(eps).sqrt_()
            let delta = ((u[k] + eps).squareRoot() / std) * g[k]  // acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
            u[k] = fusedMultiplyAdd(fresh * delta, delta, u[k] * keep)  // acc_delta.mul_(ρ).addcmul_(Δ, Δ, value=1 − ρ)
            theta[k] = fusedMultiplyAdd(delta, negativeLR, theta[k])  // param.add_(delta, alpha=−γ)
        }
        squareAverages[i] = Tensor.of(shape: shape, elements: v)
        accumulatedDeltas[i] = Tensor.of(shape: shape, elements: u)
        parameter.data = Tensor.of(shape: shape, elements: theta)
    }
}
