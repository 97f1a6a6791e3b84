// Softmax and log-softmax along an axis.
//
// Both subtract the maximum along the axis before exponentiating (torch's CPU kernel),
// so logits of ±1000 give exact 1s and 0s (softmax) and finite values (log-softmax)
// instead of ∞/∞ = NaN. The backward passes are torch's `_softmax_backward_data` and
// `_log_softmax_backward_data`, written with differentiable ops on the saved output, so
// that their own derivatives are torch's double-backward formulas.

/// `yᵢ = e^(xᵢ - m) / Σⱼ e^(xⱼ - m)` along `axis`, `m = maxⱼ xⱼ` (which cancels).
/// Gradient: `y ⊙ (g - Σ(g ⊙ y))`, the sum along `axis`.
public final class Softmax: Function {
    public let axis: Int
    private var normalizedAxis = 0

    public init(axis: Int = -1) {
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxis = try Shape.normalize(axis: axis, rank: xs[0].rank)
        return [xs[0].softmax(axis: normalizedAxis, log: false)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0], axis = normalizedAxis
        let y = output(0) ?? Softmax(axis: axis)(input(0))
        let dot = trapping { () throws(AutogradError) in try sum(gy * y, axes: [axis], keepdims: true) }
        return [y * (gy - dot)]
    }
}

/// `yᵢ = xᵢ - m - log Σⱼ e^(xⱼ - m)` along `axis` (`m = maxⱼ xⱼ`).
/// Gradient: `g - eʸ ⊙ Σ g`, the sum along `axis`.
public final class LogSoftmax: Function {
    public let axis: Int
    private var normalizedAxis = 0

    public init(axis: Int = -1) {
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxis = try Shape.normalize(axis: axis, rank: xs[0].rank)
        return [xs[0].softmax(axis: normalizedAxis, log: true)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0], axis = normalizedAxis
        let y = output(0) ?? LogSoftmax(axis: axis)(input(0))
        let total = trapping { () throws(AutogradError) in try sum(gy, axes: [axis], keepdims: true) }
        return [gy - exp(y) * total]
    }
}

/// Softmax along `axis` (negative counts from the end): positive values summing to 1.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func softmax(_ x: Variable, axis: Int = -1) throws(AutogradError) -> Variable {
    try Softmax(axis: axis).apply([x])[0]
}

/// The logarithm of ``softmax(_:axis:)``, computed directly (stable for large logits).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func logSoftmax(_ x: Variable, axis: Int = -1) throws(AutogradError) -> Variable {
    try LogSoftmax(axis: axis).apply([x])[0]
}

// Elementwise activations: softplus, leaky_relu, elu, gelu (erf and tanh forms), silu.
//
// Where torch's gradient is itself a kernel with its own derivative (softplus_backward,
// elu_backward, gelu_backward), that kernel is a `Function` here too, whose backward is
// torch's double-backward formula: the second derivative at a kink or threshold is then
// torch's, not the one a naive composition would give.

// MARK: - Softplus

/// `y = log(1 + e^(βx)) / β`, and `y = x` where `βx > threshold` (torch's linear
/// region, which keeps `exp` from overflowing).
/// Gradient: `SoftplusBackward`, `σ(βx)` below the threshold and 1 above it.
public final class Softplus: UnaryFunction {
    public let beta: Double
    public let threshold: Double

    public init(beta: Double = 1, threshold: Double = 20) {
        self.beta = beta
        self.threshold = threshold
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.softplus(beta: beta, threshold: threshold))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [SoftplusBackward(beta: beta, threshold: threshold)(gys[0], input(0))]
    }
}

/// torch's `softplus_backward(g, x)`: `g` where `βx > threshold`, else `g·z/(z + 1)` with
/// `z = e^(βx)`. Its own gradients (derivatives.yaml): `softplus_backward(gg, x)` for `g`,
/// and `softplus_double_backward(gg·g, x) = sigmoid_backward(gg·g, σ(βx)) · [βx < threshold] · β`
/// for `x`, which is 0 at the threshold itself.
final class SoftplusBackward: Function {
    let beta: Double
    let threshold: Double

    init(beta: Double, threshold: Double) {
        self.beta = beta
        self.threshold = threshold
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .softplusBackward(beta: beta, threshold: threshold))]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        let scaled = x * beta
        let s = sigmoid(scaled)
        let limit = rounded(threshold, to: x.dtype)
        let below = Variable.constant(scaled.data.indicator { $0 < limit })
        return [SoftplusBackward(beta: beta, threshold: threshold)(gg, x),
                (gg * g) * (1 - s) * s * below * beta]
    }
}

/// The softplus `log(1 + e^(βx)) / β`, linear (`x`) where `βx > threshold` (torch's
/// defaults: β = 1, threshold = 20).
public func softplus(_ x: Variable, beta: Double = 1, threshold: Double = 20) -> Variable {
    Softplus(beta: beta, threshold: threshold)(x)
}

// MARK: - Leaky ReLU

/// `y = x` where `x > 0`, else `slope · x`.
/// Gradient: 1 where `x > 0`, else `slope` (also at 0, and for NaN), as torch's
/// `leaky_relu_backward`; the second derivative is 0.
public final class LeakyReLU: UnaryFunction {
    public let slope: Double

    public init(slope: Double = 0.01) {
        self.slope = slope
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.leakyReLU(slope: slope))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        return [select(input(0).data.mask { $0 > 0 }, gy, gy * slope)]
    }
}

/// The leaky rectifier, `x` for `x > 0` and `slope · x` otherwise (torch's `negative_slope`).
public func leakyReLU(_ x: Variable, slope: Double = 0.01) -> Variable {
    LeakyReLU(slope: slope)(x)
}

// MARK: - ELU

/// `y = x` where `x > 0`, else `α · (eˣ - 1)` (computed with `expm1`).
/// Gradient: `ELUBackward`, `α·eˣ` where `x ≤ 0`, else 1.
public final class ELU: UnaryFunction {
    public let alpha: Double

    public init(alpha: Double = 1) {
        self.alpha = alpha
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.elu(alpha: alpha))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [ELUBackward(alpha: alpha)(gys[0], input(0))]
    }
}

/// torch's `elu_backward(g, x)`: `g · α · eˣ` where `x ≤ 0`, else `g`. Its gradients:
/// `elu_backward(gg, x)` for `g`, and `elu_double_backward = elu_backward(gg·g, x) · [x < 0]`
/// for `x` (0 at `x = 0`, where the first derivative switches branch).
final class ELUBackward: Function {
    let alpha: Double

    init(alpha: Double) {
        self.alpha = alpha
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .eluBackward(alpha: alpha))]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        let negative = Variable.constant(x.data.indicator { $0 < 0 })
        return [ELUBackward(alpha: alpha)(gg, x), ELUBackward(alpha: alpha)(gg * g, x) * negative]
    }
}

/// The exponential linear unit, `x` for `x > 0` and `α(eˣ - 1)` otherwise.
public func elu(_ x: Variable, alpha: Double = 1) -> Variable {
    ELU(alpha: alpha)(x)
}

// MARK: - GELU

/// `y = x · Φ(x) = x · ½ · (1 + erf(x/√2))`, or with `approximateTanh` torch's
/// `approximate='tanh'`: `½ · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
/// Gradient: `GELUBackward`, `Φ(x) + x·φ(x)` (or the tanh form's derivative).
public final class GELU: UnaryFunction {
    public let approximateTanh: Bool

    public init(approximateTanh: Bool = false) {
        self.approximateTanh = approximateTanh
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(approximateTanh ? .geluTanh : .gelu)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [GELUBackward(approximateTanh: approximateTanh)(gys[0], input(0))]
    }
}

/// torch's `gelu_backward(g, x)`. Its gradients: `gelu_backward(gg, x)` for `g`, and
/// `gelu_double_backward(gg, g, x) = gg · g · gelu''(x)` for `x`, with torch's formulas:
/// `gelu''(x) = 2φ(x) - x²φ(x)`, and for the tanh form `2f'gh + g'fh + h'fg` with
/// `f = x/2`, `g = 1 - tanh²u`, `h = u' = √(2/π)(1 + 3·0.044715 x²)`, `g' = -2 sech²u tanh u · h`.
final class GELUBackward: Function {
    let approximateTanh: Bool

    init(approximateTanh: Bool) {
        self.approximateTanh = approximateTanh
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], approximateTanh ? .geluTanhBackward : .geluBackward)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        return [GELUBackward(approximateTanh: approximateTanh)(gg, x), gg * g * secondDerivative(x)]
    }

    private func secondDerivative(_ x: Variable) -> Variable {
        guard approximateTanh else {
            let xSquared = x * x
            let pdf = MathConstants.geluPdfScale * exp(-0.5 * xSquared)
            return 2 * pdf - xSquared * pdf
        }
        let kBeta = MathConstants.geluTanhScale, kKappa = MathConstants.geluTanhCubic
        let inner = kBeta * (x + kKappa * pow(x, 3))
        let tanhInner = tanh(inner)
        let sechInner = 1 / Cosh()(inner)
        let f = 0.5 * x
        let g = 1 - tanhInner * tanhInner
        let h = kBeta * (1 + (3 * kKappa) * x * x)
        let fPrimeGH = 0.5 * g * h
        let gPrime = (2 * sechInner) * (-sechInner * tanhInner) * h
        let gPrimeFH = f * h * gPrime
        let hPrime = (6 * kKappa) * x * kBeta
        let hPrimeFG = f * g * hPrime
        return 2 * fPrimeGH + gPrimeFH + hPrimeFG
    }
}

/// The Gaussian error linear unit `x · Φ(x)` (torch's `F.gelu`, erf form).
public func gelu(_ x: Variable) -> Variable {
    GELU(approximateTanh: false)(x)
}

/// GELU in its tanh approximation (torch's `F.gelu(x, approximate='tanh')`).
public func geluTanh(_ x: Variable) -> Variable {
    GELU(approximateTanh: true)(x)
}

// MARK: - SiLU

/// `y = x · σ(x) = x / (1 + e⁻ˣ)`. Gradient: `σ(x) · (1 + x·(1 - σ(x)))`, written with
/// differentiable ops (torch's `infinitely_differentiable_silu_backward`).
public final class SiLU: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.silu)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        let s = sigmoid(x)
        return [gys[0] * s * (1 + x * (1 - s))]
    }
}

/// The sigmoid linear unit (swish) `x · σ(x)`.
public func silu(_ x: Variable) -> Variable { SiLU().applyTrapping(x) }
