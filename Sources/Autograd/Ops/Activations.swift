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

// MARK: - ELU, SELU, CELU

/// `y = scale · x` where `x > 0`, else `α · scale · (e^(inputScale · x) - 1)` (computed
/// with `expm1`): torch's `elu` kernel, with `scale = inputScale = 1` for elu itself,
/// `α = 1.6732632…, scale = 1.0507009…` for selu, and `inputScale = 1/α` for celu.
/// Gradient: `ELUBackward`, `inputScale · α · scale · e^(inputScale · x)` where `x ≤ 0`,
/// else `scale`.
public final class ELU: UnaryFunction {
    public let alpha: Double
    public let scale: Double
    public let inputScale: Double

    public init(alpha: Double = 1, scale: Double = 1, inputScale: Double = 1) {
        self.alpha = alpha
        self.scale = scale
        self.inputScale = inputScale
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.elu(alpha: alpha, scale: scale, inputScale: inputScale))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [ELUBackward(alpha: alpha, scale: scale, inputScale: inputScale)(gys[0], input(0))]
    }
}

/// torch's `elu_backward(g, x)`: `g · inputScale · α · scale · e^(inputScale · x)` where
/// `x ≤ 0`, else `g · scale`. Its gradients: `elu_backward(gg, x)` for `g`, and
/// `elu_double_backward = elu_backward(gg · g · inputScale, x) · [x < 0]` for `x` (0 at
/// `x = 0`, where the first derivative switches branch).
final class ELUBackward: Function {
    let alpha: Double
    let scale: Double
    let inputScale: Double

    init(alpha: Double, scale: Double = 1, inputScale: Double = 1) {
        self.alpha = alpha
        self.scale = scale
        self.inputScale = inputScale
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .eluBackward(alpha: alpha, scale: scale, inputScale: inputScale))]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        let negative = Variable.constant(x.data.indicator { $0 < 0 })
        let product = inputScale == 1 ? gg * g : gg * g * inputScale
        return [ELUBackward(alpha: alpha, scale: scale, inputScale: inputScale)(gg, x),
                ELUBackward(alpha: alpha, scale: scale, inputScale: inputScale)(product, x) * negative]
    }
}

/// The exponential linear unit, `x` for `x > 0` and `α(eˣ - 1)` otherwise.
public func elu(_ x: Variable, alpha: Double = 1) -> Variable {
    ELU(alpha: alpha)(x)
}

/// SELU's constants (torch's `selu`: Klambauer et al.'s α and λ).
enum SELUConstants {
    static let alpha = 1.6732632423543772848170429916717
    static let scale = 1.0507009873554804934193349852946
}

/// The scaled exponential linear unit `λ · elu(x, α)` with α = 1.6732632…, λ = 1.0507009…
/// (`torch.selu`): ``ELU`` with `scale = λ`. Gradient `λ` for `x > 0`, `λα·eˣ` for `x ≤ 0`
/// (also at 0: torch's elu_backward uses `x ≤ 0`).
public func selu(_ x: Variable) -> Variable {
    ELU(alpha: SELUConstants.alpha, scale: SELUConstants.scale)(x)
}

/// The continuously differentiable ELU `max(0, x) + min(0, α(e^(x/α) − 1))` (`torch.celu`):
/// ``ELU`` with `inputScale = 1/α`. Gradient 1 for `x > 0`, `e^(x/α)` for `x ≤ 0`.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `α = 0` (torch divides by it).
public func celu(_ x: Variable, alpha: Double = 1) throws(AutogradError) -> Variable {
    guard alpha != 0 else { throw .invalidArgument(op: "celu", reason: "alpha must not be 0") }
    return try ELU(alpha: alpha, scale: 1, inputScale: 1 / alpha).apply(x)
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

// MARK: - Softmin

/// Softmin along `axis`: ``softmax(_:axis:)`` of `-x` (`F.softmin`, which is written so in
/// torch too), small values getting the large weights. Composite: its gradient comes from
/// ``Softmax`` and ``Negate``.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func softmin(_ x: Variable, axis: Int = -1) throws(AutogradError) -> Variable {
    try softmax(-x, axis: axis)
}

// MARK: - Hardtanh, ReLU6

/// `y = min(max(x, min), max)`, the clamp kernel (NaN stays NaN), `F.hardtanh`.
/// Gradient (torch's `hardtanh_backward`): `g` strictly inside `(min, max)`, 0 at either
/// bound, outside and at NaN. (torch 2.15 is not consistent at NaN: its vectorised loop
/// gives 0 and its scalar loop, which takes the last few elements of a tensor, `g`; here
/// every NaN gets 0, as the bulk of a tensor does in torch and as ``Clip`` does.) The
/// bounds are compared in the tensor's precision. The second derivative is 0 (torch: the gradient of
/// hardtanh_backward is hardtanh_backward for `g` and zeros for `x`).
public final class Hardtanh: UnaryFunction {
    public let lower: Double
    public let upper: Double

    public init(lower: Double = -1, upper: Double = 1) {
        self.lower = lower
        self.upper = upper
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.clip(min: lower, max: upper))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0).data, gy = gys[0]
        let low = rounded(lower, to: x.dtype), high = rounded(upper, to: x.dtype)
        return [select(x.mask { $0 > low && $0 < high }, gy, zerosLike(gy))]
    }
}

/// `x` clamped to `min...max` (`F.hardtanh`, defaults -1 and 1).
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if `min > max`.
public func hardtanh(_ x: Variable, min lower: Double = -1, max upper: Double = 1) throws(AutogradError) -> Variable {
    guard !(lower > upper) else {
        throw .invalidArgument(op: "hardtanh", reason: "min \(lower) is greater than max \(upper)")
    }
    return try Hardtanh(lower: lower, upper: upper).apply(x)
}

/// `min(max(x, 0), 6)` (`F.relu6`, which torch computes as `hardtanh(x, 0, 6)`): gradient 1
/// strictly inside `(0, 6)`, 0 at 0, at 6, outside and at NaN (see ``Hardtanh``).
public func relu6(_ x: Variable) -> Variable {
    Hardtanh(lower: 0, upper: 6).applyTrapping(x)
}

// MARK: - Mish, softsign

/// `y = x · tanh(softplus(x))`, computed as torch's CPU kernel: `x · tanh(log1p(eˣ))`
/// (`x` itself for large `x`, -0 for very negative `x`).
/// Gradient: torch's `infinitely_differentiable_mish_backward`, with `s = σ(x)` and
/// `t = tanh(log1p(eˣ))`: `g · (t + x · s · (1 − t²))`, written with differentiable ops so
/// the second derivative is the derivative of that expression. As in torch, `t` is built
/// from `exp` and `log1p` (not the thresholded softplus), so where `eˣ` overflows
/// (`x ≳ 710`) the second derivative is NaN (`0 · ∞` in exp's backward), as torch 2.15 gives.
public final class Mish: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.mish)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        let s = sigmoid(x)
        let t = tanh(log1p(exp(x)))
        return [gys[0] * (t + x * s * (1 - t * t))]
    }
}

/// The mish activation `x · tanh(softplus(x))`.
public func mish(_ x: Variable) -> Variable { Mish().applyTrapping(x) }

/// `x / (1 + |x|)` (`F.softsign`), composite as in torch (`input / (input.abs() + 1)`):
/// its gradient `1/(1 + |x|)²` comes from ``Divide`` and ``Abs`` (1 at 0, NaN at ±∞ where
/// the value is `∞/∞`).
public func softsign(_ x: Variable) -> Variable {
    x / (abs(x) + 1)
}

// MARK: - Log-sigmoid

/// `y = log σ(x) = min(x, 0) − log1p(e^(−|x|))`, finite for every finite `x` (`F.logsigmoid`:
/// `-1000` gives -1000, not `log 0`).
/// Gradient: `LogSigmoidBackward`, `1 − σ(x)` written as torch's `log_sigmoid_backward`.
public final class LogSigmoid: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.logSigmoid)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [LogSigmoidBackward()(gys[0], input(0))]
    }
}

/// torch's `log_sigmoid_backward(g, x)`: with `z = e^(−|x|)`, `g · (1 − z/(1 + z))` for
/// `x < 0` and `g · z/(1 + z)` otherwise (both `g · σ(−x)`). Its gradients
/// (derivatives.yaml): `log_sigmoid_backward(gg, x)` for `g`, and
/// `log_sigmoid_double_backward(gg · g, x) = gg · g · (σ(x) − 1) · σ(x)` for `x`.
final class LogSigmoidBackward: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .logSigmoidBackward)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        let s = sigmoid(x)
        return [LogSigmoidBackward()(gg, x), (gg * g) * (s - 1) * s]
    }
}

/// `log σ(x)`, elementwise, stable for large `|x|`.
public func logSigmoid(_ x: Variable) -> Variable { LogSigmoid().applyTrapping(x) }

// MARK: - Hardsigmoid, hardswish

/// `y = min(max(x + 3, 0), 6) / 6` (`F.hardsigmoid`; NaN stays NaN).
/// Gradient (torch's `hardsigmoid_backward`): `g · ⅙` strictly inside `(−3, 3)`, 0 at ±3,
/// outside and at NaN. torch's ⅙ there is the `float` `1.0f/6.0f` (0.1666666716337204),
/// also for float64, and so is this one. The second derivative is 0 (torch 2.15 does not
/// implement it and raises).
public final class Hardsigmoid: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.hardsigmoid)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        let inside = input(0).data.mask { $0 > -3 && $0 < 3 }
        return [select(inside, gy * Double(Float(1) / Float(6)), zerosLike(gy))]
    }
}

/// The hard sigmoid `relu6(x + 3) / 6`, elementwise.
public func hardsigmoid(_ x: Variable) -> Variable { Hardsigmoid().applyTrapping(x) }

/// `y = x · min(max(x + 3, 0), 6) / 6` (`F.hardswish`).
/// Gradient: `HardswishBackward`, torch's `hardswish_backward`: 0 for `x ≤ −3`,
/// `g · (x/3 + ½)` for `−3 < x < 3`, `g` for `x ≥ 3` and NaN: so 0 at −3 and 1 at 3.
public final class Hardswish: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.hardswish)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [HardswishBackward()(gys[0], input(0))]
    }
}

/// torch's `hardswish_backward(g, x)`. Its gradients (derivatives.yaml):
/// `hardswish_backward(gg, x)` for `g`, and `gg · g / 3` strictly inside `(−3, 3)`, else 0,
/// for `x`.
final class HardswishBackward: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .hardswishBackward)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let (g, x, gg) = (input(0), input(1), gys[0])
        let curvature = (gg * g) / 3
        let inside = x.data.mask { $0 > -3 && $0 < 3 }
        return [HardswishBackward()(gg, x), select(inside, curvature, zerosLike(curvature))]
    }
}

/// The hard swish `x · relu6(x + 3) / 6`, elementwise.
public func hardswish(_ x: Variable) -> Variable { Hardswish().applyTrapping(x) }
