import Autograd

/// Adagrad (Duchi et al.): torch's `torch.optim.Adagrad`, with its defaults and its
/// update rule operation for operation (`_single_tensor_adagrad`, dense gradients).
///
/// For each parameter `θ` with gradient `g`, at its step `t` = 1, 2, ... (γ = lr,
/// η = lr decay, λ = weight decay, ε = eps; the sum `s` starts at
/// `initial_accumulator_value`):
///
///     g ← g + λ·θ                      if λ ≠ 0
///     γₜ = γ / (1 + (t − 1)·η)         (in Double)
///     s ← s + g·g
///     θ ← θ + (−γₜ·g) / (√s + ε)       (ε outside the square root)
///
/// `s + g·g` is one fused multiply-add (`addcmul_`), `addcdiv_` is `θ + (value·g) / d`.
public final class Adagrad: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public let lrDecay: Double
    public let weightDecay: Double
    public let initialAccumulatorValue: Double
    public let epsilon: Double

    /// Per parameter: its step count and the sum of squared gradients `s`.
    public private(set) var steps: [Int]
    public private(set) var sums: [Tensor]

    /// - Parameters: torch's, with torch's defaults: lr 1e-2, lr decay 0, weight decay 0,
    ///   initial accumulator value 0, eps 1e-10.
    /// - Throws: ``NNError/invalidHyperparameter(_:)`` with torch's message for a negative
    ///   learning rate, lr decay, weight decay, initial accumulator value or epsilon.
    public init(_ parameters: [Parameter], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) throws(NNError) {
        guard lr >= 0 else { throw .invalidHyperparameter("Invalid learning rate: \(lr)") }
        guard lrDecay >= 0 else { throw .invalidHyperparameter("Invalid lr_decay value: \(lrDecay)") }
        guard weightDecay >= 0 else { throw .invalidHyperparameter("Invalid weight_decay value: \(weightDecay)") }
        guard initialAccumulatorValue >= 0 else {
            throw .invalidHyperparameter("Invalid initial_accumulator_value value: \(initialAccumulatorValue)")
        }
        guard eps >= 0 else { throw .invalidHyperparameter("Invalid epsilon value: \(eps)") }
        self.parameters = uniqueParameters(parameters)
        learningRate = lr
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        epsilon = eps
        steps = Array(repeating: 0, count: self.parameters.count)
        // torch fills the sums at construction (torch.full_like(p, initial_accumulator_value)).
        sums = self.parameters.map { p in
            (try? Tensor.full(p.shape, initialAccumulatorValue, dtype: p.dtype)) ?? p.data
        }
    }

    /// An optimizer of plain variables, each variable's `Variable/data` updated in place.
    /// - Throws: as the initializer taking parameters.
    public convenience init(_ variables: [Variable], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                            initialAccumulatorValue: Double = 0, eps: Double = 1e-10) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
                      initialAccumulatorValue: initialAccumulatorValue, eps: eps)
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
        var s: [T] = sums[i].elements()
        if weightDecay != 0 {
            let decay = T(weightDecay)
            for k in g.indices { g[k] = fusedMultiplyAdd(theta[k], decay, g[k]) }  // grad.add(param, alpha=λ)
        }
        let clr = learningRate / (1 + Double(steps[i] - 1) * lrDecay)
        let negativeLR = T(-clr), eps = T(epsilon)
        for k in theta.indices {
            s[k] = fusedMultiplyAdd(g[k], g[k], s[k])  // state_sum.addcmul_(grad, grad, value=1)
            let std = s[k].squareRoot() + eps  // state_sum.sqrt().add_(eps)
            theta[k] = theta[k] + (negativeLR * g[k]) / std  // param.addcdiv_(grad, std, value=−clr)
        }
        sums[i] = Tensor.of(shape: shape, elements: s)
        parameter.data = Tensor.of(shape: shape, elements: theta)
    }
}
