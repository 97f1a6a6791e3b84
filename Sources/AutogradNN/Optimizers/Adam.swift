import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma and Ba), optionally AMSGrad, with L2 or decoupled weight decay:
/// torch's `torch.optim.Adam`, with its defaults and its update rule operation for
/// operation (`_single_tensor_adam`, the CPU path).
///
/// For each parameter `θ` with gradient `g`, at its step `t` = 1, 2, ... (γ = lr,
/// β₁, β₂ = betas, ε = eps, λ = weight decay; `m`, `v`, `v̂` start at 0):
///
///     θ ← θ·(1 − γλ)                        if λ ≠ 0, decoupled (AdamW)
///     g ← g + λ·θ                           if λ ≠ 0, L2 (Adam)
///     m ← m + (1 − β₁)·(g − m)              (lerp: the same as β₁·m + (1 − β₁)·g)
///     v ← β₂·v + (1 − β₂)·g·g
///     c₁ = 1 − β₁ᵗ,  c₂ = 1 − β₂ᵗ           (in Double)
///     v̂ ← max(v̂, v)                        with AMSGrad; then v stands for v̂ below
///     d  = √v / √c₂ + ε
///     θ ← θ + (−γ/c₁)·m / d
///
/// Order of operations, as torch's: the step size `γ/c₁` and `√c₂` (as `c₂ ** 0.5`)
/// are computed in `Double` and rounded once to the parameter's precision; the bias
/// correction divides `√v` (not `v`) and is applied before `ε` is added; `lerp` with a
/// weight below ½ is the fused `m + w·(g − m)` (above ½, `g − (1 − w)·(g − m)`);
/// `v·β₂ + ((1 − β₂)·g)·g` is one fused multiply-add after the product `(1 − β₂)·g`;
/// the last line is `θ + ((−γ/c₁)·m) / d`, rounded at each operation.
public class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let amsgrad: Bool
    /// `true`: weight decay multiplies the parameter (AdamW); `false`: it adds `λθ` to the gradient.
    public let decoupledWeightDecay: Bool

    /// Per parameter: its step count `t`, and `m`, `v` (and `v̂`) once it has taken a step.
    public private(set) var steps: [Int]
    public private(set) var firstMoments: [Tensor?]
    public private(set) var secondMoments: [Tensor?]
    public private(set) var maxSecondMoments: [Tensor?]

    /// - Parameters: torch's, with torch's defaults: lr 1e-3, betas (0.9, 0.999), eps
    ///   1e-8, weight decay 0, no AMSGrad, L2 (not decoupled) weight decay.
    /// - Throws: ``NNError/invalidHyperparameter(_:)`` with torch's message for a negative
    ///   learning rate, epsilon or weight decay, or a beta outside [0, 1).
    public init(_ parameters: [Parameter], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false,
                decoupledWeightDecay: Bool = false) throws(NNError) {
        guard lr >= 0 else { throw .invalidHyperparameter("Invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw .invalidHyperparameter("Invalid epsilon value: \(eps)") }
        guard betas.0 >= 0 && betas.0 < 1 else { throw .invalidHyperparameter("Invalid beta parameter at index 0: \(betas.0)") }
        guard betas.1 >= 0 && betas.1 < 1 else { throw .invalidHyperparameter("Invalid beta parameter at index 1: \(betas.1)") }
        guard weightDecay >= 0 else { throw .invalidHyperparameter("Invalid weight_decay value: \(weightDecay)") }
        self.parameters = uniqueParameters(parameters)
        learningRate = lr
        beta1 = betas.0
        beta2 = betas.1
        epsilon = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
        let count = self.parameters.count
        steps = Array(repeating: 0, count: count)
        firstMoments = Array(repeating: nil, count: count)
        secondMoments = Array(repeating: nil, count: count)
        maxSecondMoments = Array(repeating: nil, count: count)
    }

    /// An optimizer of plain variables (not a module's parameters), as torch's take any
    /// tensors: each variable's `Variable/data` is updated in place.
    /// - Throws: as the initializer taking parameters.
    public convenience init(_ variables: [Variable], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false,
                            decoupledWeightDecay: Bool = false) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, betas: betas, eps: eps,
                      weightDecay: weightDecay, amsgrad: amsgrad, decoupledWeightDecay: decoupledWeightDecay)
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
        var m: [T] = firstMoments[i]?.elements() ?? Array(repeating: 0, count: theta.count)
        var v: [T] = secondMoments[i]?.elements() ?? Array(repeating: 0, count: theta.count)

        if weightDecay != 0 {
            if decoupledWeightDecay {
                let factor = T(1 - learningRate * weightDecay)
                for k in theta.indices { theta[k] = theta[k] * factor }  // param.mul_(1 − γλ)
            } else {
                let decay = T(weightDecay)
                for k in g.indices { g[k] = fusedMultiplyAdd(theta[k], decay, g[k]) }  // grad.add(param, alpha=λ)
            }
        }

        // exp_avg.lerp_(grad, 1 − β₁), as torch's vectorised lerp: fmadd(coeff, end − start, base).
        let weight = T(1 - beta1)
        if weight.magnitude < 0.5 {
            for k in m.indices { m[k] = fusedMultiplyAdd(weight, g[k] - m[k], m[k]) }
        } else {
            let coefficient = weight - 1
            for k in m.indices { m[k] = fusedMultiplyAdd(coefficient, g[k] - m[k], g[k]) }
        }
        // exp_avg_sq.mul_(β₂).addcmul_(grad, grad, value=1 − β₂).
        let decay2 = T(beta2), fresh2 = T(1 - beta2)
        for k in v.indices { v[k] = fusedMultiplyAdd(fresh2 * g[k], g[k], v[k] * decay2) }

        let t = Double(steps[i])
        let biasCorrection1 = 1 - pow(beta1, t)
        let biasCorrection2 = 1 - pow(beta2, t)
        let stepSize = learningRate / biasCorrection1
        let biasCorrection2Root = T(pow(biasCorrection2, 0.5))  // Python's `bias_correction2 ** 0.5`
        let eps = T(epsilon), negativeStep = T(-stepSize)

        var denominatorSource = v
        if amsgrad {
            var vMax: [T] = maxSecondMoments[i]?.elements() ?? Array(repeating: 0, count: theta.count)
            for k in vMax.indices {  // torch.maximum, which propagates NaN
                vMax[k] = vMax[k].isNaN || v[k].isNaN ? .nan : Swift.max(vMax[k], v[k])
            }
            maxSecondMoments[i] = Tensor.of(shape: shape, elements: vMax)
            denominatorSource = vMax
        }
        for k in theta.indices {
            let denominator = denominatorSource[k].squareRoot() / biasCorrection2Root + eps
            theta[k] = theta[k] + (negativeStep * m[k]) / denominator  // param.addcdiv_(m, d, value=−γ/c₁)
        }

        firstMoments[i] = Tensor.of(shape: shape, elements: m)
        secondMoments[i] = Tensor.of(shape: shape, elements: v)
        parameter.data = Tensor.of(shape: shape, elements: theta)
    }
}

/// Adam with decoupled weight decay (Loshchilov and Hutter): torch's `torch.optim.AdamW`,
/// which is ``Adam`` with `decoupledWeightDecay` and a default weight decay of 0.01:
///
///     θ ← θ·(1 − γλ)
///
/// before the moments are updated from the undecayed gradient (see ``Adam`` for the rest).
public final class AdamW: Adam {
    /// - Parameters: torch's, with torch's defaults: lr 1e-3, betas (0.9, 0.999), eps
    ///   1e-8, weight decay 0.01, no AMSGrad.
    /// - Throws: ``NNError/invalidHyperparameter(_:)``, as ``Adam``.
    public init(_ parameters: [Parameter], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0.01, amsgrad: Bool = false) throws(NNError) {
        try super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                       decoupledWeightDecay: true)
    }

    /// AdamW of plain variables (see ``Adam/init(_:lr:betas:eps:weightDecay:amsgrad:decoupledWeightDecay:)-([Variable],_,_,_,_,_,_)``).
    /// - Throws: ``NNError/invalidHyperparameter(_:)``, as ``Adam``.
    public convenience init(_ variables: [Variable], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0.01, amsgrad: Bool = false) throws(NNError) {
        try self.init(variables.map(Parameter.init(wrapping:)), lr: lr, betas: betas, eps: eps,
                      weightDecay: weightDecay, amsgrad: amsgrad)
    }
}
