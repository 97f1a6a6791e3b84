import Testing
import Autograd
@testable import AutogradNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Every optimizer on one 2-parameter problem, against its update rule written out by
// hand below (plain arithmetic, no fused multiply-adds, in Double):
//
//     L(θ) = (θ₀ − 1)² + 2·θ₁²          ∇L(θ) = (2(θ₀ − 1), 4θ₁)
//
// starting from θ = (3, 1). The hand computation rounds differently from the library's
// fused operations, so the comparison allows a few ulps.

/// The problem's gradient at `theta`.
private func gradient(_ theta: [Double]) -> [Double] {
    [2 * (theta[0] - 1), 4 * theta[1]]
}

/// One parameter holding θ, and a closure that runs a training step: zeroGrad, the loss
/// L(θ) through the graph, backward, and the optimizer's step.
private func problem(_ theta: [Double] = [3, 1], dtype: DType = .float64) throws -> Parameter {
    Parameter(try Tensor(shape: [2], scalars: theta, dtype: dtype))
}

private func lossStep(_ p: Parameter, _ optimizer: any Optimizer) throws {
    optimizer.zeroGrad()
    let theta = p.variable
    let target = Variable.constant(try Tensor(shape: [2], scalars: [1, 0], dtype: p.dtype))
    let weights = Variable.constant(try Tensor(shape: [2], scalars: [1, 2], dtype: p.dtype))
    let loss = sum(weights * square(theta - target))  // (θ₀ − 1)² + 2θ₁²
    loss.backward()
    optimizer.step()
}

private func expectClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-14, atol: Double = 1e-15,
                         _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        #expect(abs(a - e) <= atol + rtol * abs(e), "\(what)[\(i)]: got \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}

@Suite("SGD")
struct SGDTests {
    /// θ ← θ − γ·g. With γ = 1/8 every number is a short binary fraction, so the three
    /// steps are exact: g = (4, 4) → θ = (2.5, 0.5); g = (3, 2) → θ = (2.125, 0.25);
    /// g = (2.25, 1) → θ = (1.84375, 0.125).
    @Test func plainStepsAreExact() throws {
        let p = try problem()
        let sgd = try SGD([p], lr: 0.125)
        let expected: [[Double]] = [[2.5, 0.5], [2.125, 0.25], [1.84375, 0.125]]
        for e in expected {
            try lossStep(p, sgd)
            #expect(p.data.scalars == e)
        }
    }

    /// Momentum μ, dampening τ, weight decay λ, with and without Nesterov:
    ///
    ///     g ← g + λθ;  b ← g (first step) or μb + (1 − τ)g;  g ← g + μb (Nesterov) or b;  θ ← θ − γg
    @Test(arguments: [
        (momentum: 0.9, dampening: 0.0, weightDecay: 0.0, nesterov: false),
        (momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false),
        (momentum: 0.5, dampening: 0.0, weightDecay: 0.1, nesterov: true),
    ])
    func momentumStepsFollowTheRule(momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool) throws {
        let p = try problem()
        let lr = 0.05
        let sgd = try SGD([p], lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
        var theta = [3.0, 1.0]
        var buffer: [Double]?
        for step in 1...4 {
            var g = gradient(theta)
            g = (0..<2).map { g[$0] + weightDecay * theta[$0] }
            if let b = buffer {
                buffer = (0..<2).map { momentum * b[$0] + (1 - dampening) * g[$0] }
            } else {
                buffer = g
            }
            let b = buffer ?? g
            let direction = nesterov ? (0..<2).map { g[$0] + momentum * b[$0] } : b
            theta = (0..<2).map { theta[$0] - lr * direction[$0] }

            try lossStep(p, sgd)
            expectClose(p.data.scalars, theta, "θ after step \(step)")
            expectClose(sgd.momentumBuffers[0]?.scalars ?? [], b, "momentum buffer after step \(step)")
        }
    }

    /// torch's ValueErrors, word for word.
    @Test func refusesInvalidSettings() throws {
        let p = try problem()
        #expect(throws: NNError.invalidHyperparameter("Invalid learning rate: -0.1")) { try SGD([p], lr: -0.1) }
        #expect(throws: NNError.invalidHyperparameter("Invalid momentum value: -1.0")) { try SGD([p], momentum: -1) }
        #expect(throws: NNError.invalidHyperparameter("Invalid weight_decay value: -1.0")) { try SGD([p], weightDecay: -1) }
        #expect(throws: NNError.invalidHyperparameter("Nesterov momentum requires a momentum and zero dampening")) {
            try SGD([p], momentum: 0.9, dampening: 0.1, nesterov: true)
        }
    }

    /// A parameter without a gradient is left alone, and its buffer does not start.
    @Test func skipsParametersWithoutGradient() throws {
        let used = try problem(), unused = try problem([5, 5])
        let sgd = try SGD([used, unused], lr: 0.1, momentum: 0.9)
        try lossStep(used, sgd)
        #expect(unused.data.scalars == [5, 5])
        #expect(sgd.momentumBuffers[1] == nil)
        #expect(sgd.momentumBuffers[0] != nil)
    }

    /// A float32 parameter is updated in Float: each `θ − γg` is one fused multiply-add
    /// of Float operands, rounded once to Float.
    @Test func float32UpdatesInFloat() throws {
        let p = try problem([0.3, 0.7], dtype: .float32)
        let sgd = try SGD([p], lr: 0.1)
        try lossStep(p, sgd)
        #expect(p.dtype == .float32)
        let theta: [Float] = [0.3, 0.7]
        let g: [Float] = [2 * (theta[0] - 1), 4 * theta[1]]
        let expected = (0..<2).map { theta[$0].addingProduct(g[$0], Float(-0.1)) }
        #expect(p.data.scalars == expected.map(Double.init))
    }
}

@Suite("Adam and AdamW")
struct AdamTests {
    /// The textbook rule with torch's order (bias corrections in Double, √v divided by √c₂):
    ///
    ///     m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) (AMSGrad)
    ///     θ ← θ − (γ/(1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
    ///
    /// with weight decay either added to g (Adam, λθ) or applied first as θ ← θ(1 − γλ) (AdamW).
    @Test(arguments: [
        (weightDecay: 0.0, amsgrad: false, decoupled: false),
        (weightDecay: 0.1, amsgrad: false, decoupled: false),
        (weightDecay: 0.1, amsgrad: true, decoupled: false),
        (weightDecay: 0.1, amsgrad: false, decoupled: true),
        (weightDecay: 0.01, amsgrad: true, decoupled: true),
    ])
    func stepsFollowTheRule(weightDecay: Double, amsgrad: Bool, decoupled: Bool) throws {
        let p = try problem()
        let (lr, beta1, beta2, eps) = (0.1, 0.9, 0.999, 1e-8)
        let adam: Adam = decoupled
            ? try AdamW([p], lr: lr, weightDecay: weightDecay, amsgrad: amsgrad)
            : try Adam([p], lr: lr, weightDecay: weightDecay, amsgrad: amsgrad)
        var theta = [3.0, 1.0], m = [0.0, 0.0], v = [0.0, 0.0], vMax = [0.0, 0.0]
        for t in 1...5 {
            var g = gradient(theta)
            if decoupled {
                theta = theta.map { $0 * (1 - lr * weightDecay) }
            } else {
                g = (0..<2).map { g[$0] + weightDecay * theta[$0] }
            }
            m = (0..<2).map { beta1 * m[$0] + (1 - beta1) * g[$0] }
            v = (0..<2).map { beta2 * v[$0] + (1 - beta2) * g[$0] * g[$0] }
            vMax = (0..<2).map { max(vMax[$0], v[$0]) }
            let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
            let second = amsgrad ? vMax : v
            theta = (0..<2).map { theta[$0] - (lr / c1) * m[$0] / (second[$0].squareRoot() / c2.squareRoot() + eps) }

            try lossStep(p, adam)
            expectClose(p.data.scalars, theta, rtol: 1e-13, "θ after step \(t)")
            #expect(adam.steps[0] == t)
        }
    }

    /// The first step moves each coordinate by almost exactly γ against its gradient's
    /// sign: m̂ = g and √v̂ = |g|, so the step is γ·g/(|g| + ε).
    @Test func firstStepIsTheLearningRate() throws {
        let p = try problem()
        let adam = try Adam([p], lr: 0.01)
        try lossStep(p, adam)
        expectClose(p.data.scalars, [3 - 0.01, 1 - 0.01], rtol: 1e-9, "θ after one step")
    }

    @Test func defaultsAreTorchs() throws {
        let p = try problem()
        let adam = try Adam([p])
        #expect(adam.learningRate == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-8)
        #expect(adam.weightDecay == 0 && !adam.amsgrad && !adam.decoupledWeightDecay)
        let adamW = try AdamW([p])
        #expect(adamW.weightDecay == 0.01 && adamW.decoupledWeightDecay && adamW.learningRate == 1e-3)
    }

    @Test func refusesInvalidSettings() throws {
        let p = try problem()
        #expect(throws: NNError.invalidHyperparameter("Invalid learning rate: -1.0")) { try Adam([p], lr: -1) }
        #expect(throws: NNError.invalidHyperparameter("Invalid beta parameter at index 0: 1.0")) { try Adam([p], betas: (1, 0.999)) }
        #expect(throws: NNError.invalidHyperparameter("Invalid beta parameter at index 1: -0.5")) { try AdamW([p], betas: (0.9, -0.5)) }
        #expect(throws: NNError.invalidHyperparameter("Invalid epsilon value: -1.0")) { try Adam([p], eps: -1) }
        #expect(throws: NNError.invalidHyperparameter("Invalid weight_decay value: -0.01")) { try AdamW([p], weightDecay: -0.01) }
    }

    /// A float32 parameter's moments and value stay float32.
    @Test func float32StaysFloat32() throws {
        let p = try problem(dtype: .float32)
        let adam = try AdamW([p], lr: 0.1, amsgrad: true)
        for _ in 0..<3 { try lossStep(p, adam) }
        #expect(p.dtype == .float32)
        #expect(adam.firstMoments[0]?.dtype == .float32 && adam.secondMoments[0]?.dtype == .float32)
        #expect(adam.maxSecondMoments[0]?.dtype == .float32)
    }
}

@Suite("Gradient clipping")
struct GradientClippingTests {
    /// Gradients (3, 4) and (12) have total norm √(9 + 16 + 144) = 13; clipped to 1.3, each
    /// is multiplied by 1.3 / (13 + 10⁻⁶).
    @Test func scalesByTheTotalNorm() throws {
        let a = Parameter(try Tensor(shape: [2], scalars: [0, 0])), b = Parameter(Tensor([0.0]))
        a.grad = Variable.constant(try Tensor(shape: [2], scalars: [3, 4]))
        b.grad = Variable.constant(Tensor([12.0]))
        let total = clipGradNorm([a, b], maxNorm: 1.3)
        #expect(total == 13)
        let c = (1 / (13 + 1e-6)) * 1.3
        #expect(a.grad?.data.scalars == [3 * c, 4 * c])
        #expect(b.grad?.data.scalars == [12 * c])
    }

    /// Below the limit the coefficient is clamped to 1: gradients are unchanged.
    @Test func leavesSmallGradientsAlone() throws {
        let a = Parameter(try Tensor(shape: [2], scalars: [0, 0]))
        a.grad = Variable.constant(try Tensor(shape: [2], scalars: [0.3, 0.4]))
        #expect(abs(clipGradNorm([a], maxNorm: 1) - 0.5) < 1e-16)
        #expect(a.grad?.data.scalars == [0.3, 0.4])
    }

    @Test func withoutGradientsTheNormIsZero() throws {
        let a = Parameter(Tensor([1.0]))
        #expect(clipGradNorm([a], maxNorm: 1) == 0)
        #expect(a.grad == nil)
    }
}
