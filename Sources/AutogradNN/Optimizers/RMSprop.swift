import Autograd

/// RMSprop (Hinton), optionally centered and with momentum: torch's `torch.optim.RMSprop`,
/// with its defaults and its update rule operation for operation (`_single_tensor_rmsprop`,
/// the CPU path).
///
/// For each parameter `θ` with gradient `g` (γ = lr, α = alpha, ε = eps, λ = weight
/// decay, μ = momentum; `v`, `ḡ`, `b` start at 0):
///
///     g ← g + λ·θ                        if λ ≠ 0
///     v ← α·v + (1 − α)·g·g
///     ḡ ← ḡ + (1 − α)·(g − ḡ)            if centered (lerp)
///     d = √(v − ḡ·ḡ) + ε                 if centered
///     d = √v + ε                          otherwise (ε outside the square root)
///     b ← μ·b + g / d;  θ ← θ − γ·b      if μ > 0
///     θ ← θ + (−γ·g) / d                  otherwise
///
/// Order of operations, as torch's kernels: `v·α` is rounded, then
/// `+ ((1 − α)·g)·g` is one fused multiply-add (`addcmul_`); `v − ḡ·ḡ` is a fused
/// multiply-add too; `lerp` is as in ``Adam``; `addcdiv_` is `θ + (value·g) / d`;
/// `param.add_(b, alpha=−γ)` is `fma(b, −γ, θ)`. Coefficients are computed in `Double`
/// and rounded to the parameter's precision.
public final class RMSprop: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public let alpha: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let momentum: Double
    public let centered: Bool

    /// Per parameter: its step count, the running average of squared gradients `v`, of
    /// gradients `ḡ` (centered only) and the momentum buffer `b` (with momentum only),
    /// once it has taken a step.
    public private(set) var steps: [Int]
    public private(set) var squareAverages: [Tensor?]
    public private(set) var gradientAverages: [Tensor?]
    public private(set) var momentumBuffers: [Tensor?]

    /// - Parameters: torch's, with torch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no
    ///   weight decay, no momentum, not centered.
    /// - Throws: ``NNError/invalidHyperparameter(_:)`` with torch's message for a negative
    ///   learning rate, epsilon, momentum, weight decay or alpha.
    public init(_ parameters: [Parameter], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) throws(NNError) {
        guard lr >= 0 else { throw .invalidHyperparameter("Invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw .invalidHyperparameter("Invalid epsilon value: \(eps)") }
        guard momentum >= 0 else { throw .invalidHyperparameter("Invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw .invalidHyperparameter("Invalid weight_decay value: \(weightDecay)") }
        guard alpha >= 0 else { throw .invalidHyperparameter("Invalid alpha value: \(alpha)") }
        self.parameters = uniqueParameters(parameters)
        learningRate = lr
        self.alpha = alpha
        epsilon = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        let count = self.parameters.count
        steps = Array(repeating: 0, count: count)
        squareAverages = Array(repeating: nil, count: count)
        gradientAverages = Array(repeating: nil, count: count)
        momentumBuffers = Array(repeating: nil, count: count)
    }

    /// An optimizer of plain variables, each variable's `Variable/data` updated in place.
    /// - Throws: as the initializer taking parameters.
    public convenience init(_ variables: [Variable], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
                            weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, alpha: alpha, eps: eps,
                      weightDecay: weightDecay, momentum: momentum, centered: centered)
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

        if weightDecay != 0 {
            let decay = T(weightDecay)
            for k in g.indices { g[k] = fusedMultiplyAdd(theta[k], decay, g[k]) }  // grad.add(param, alpha=λ)
        }
        // square_avg.mul_(α).addcmul_(grad, grad, value=1 − α)
        let keep = T(alpha), fresh = T(1 - alpha)
        for k in v.indices { v[k] = fusedMultiplyAdd(fresh * g[k], g[k], v[k] * keep) }

        var d = [T](repeating: 0, count: theta.count)
        if centered {
            var gAvg: [T] = gradientAverages[i]?.elements() ?? Array(repeating: 0, count: theta.count)
            lerp(&gAvg, toward: g, weight: fresh)  // grad_avg.lerp_(grad, 1 − α)
            // square_avg.addcmul(grad_avg, grad_avg, value=−1).sqrt_()
            for k in d.indices { d[k] = fusedMultiplyAdd(-gAvg[k], gAvg[k], v[k]).squareRoot() }
            gradientAverages[i] = Tensor.of(shape: shape, elements: gAvg)
        } else {
            for k in d.indices { d[k] = v[k].squareRoot() }
        }
        let eps = T(epsilon)
        for k in d.indices { d[k] = d[k] + eps }  // avg.add_(eps)

        if momentum > 0 {
            var b: [T] = momentumBuffers[i]?.elements() ?? Array(repeating: 0, count: theta.count)
            let mu = T(momentum), negativeLR = T(-learningRate)
            for k in b.indices {
                b[k] = b[k] * mu + g[k] / d[k]  // buf.mul_(μ).addcdiv_(grad, avg)
                theta[k] = fusedMultiplyAdd(b[k], negativeLR, theta[k])  // param.add_(buf, alpha=−γ)
            }
            momentumBuffers[i] = Tensor.of(shape: shape, elements: b)
        } else {
            let negativeLR = T(-learningRate)
            for k in theta.indices { theta[k] = theta[k] + (negativeLR * g[k]) / d[k] }  // param.addcdiv_(grad, avg, value=−γ)
        }
        squareAverages[i] = Tensor.of(shape: shape, elements: v)
        parameter.data = Tensor.of(shape: shape, elements: theta)
    }
}

/// `start.lerp_(end, weight)` as torch's vectorised CPU kernel: `fma(w, end − start, start)`
/// for `|w| < ½`, else `fma(w − 1, end − start, end)`.
func lerp<T: TensorScalar>(_ start: inout [T], toward end: [T], weight: T) {
    if weight.magnitude < 0.5 {
        for k in start.indices { start[k] = fusedMultiplyAdd(weight, end[k] - start[k], start[k]) }
    } else {
        let coefficient = weight - 1
        for k in start.indices { start[k] = fusedMultiplyAdd(coefficient, end[k] - start[k], end[k]) }
    }
}
