// More elementwise ops: abs, clip, maximum/minimum, where (`select`), log1p, expm1, tan,
// softplus, leaky_relu, elu, gelu (erf and tanh forms), silu, dropout, and comparisons.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml and FunctionsManual.cpp,
// masks and order of operations included. Where torch's gradient is itself a kernel
// with its own derivative (softplus_backward, elu_backward, gelu_backward), that kernel is
// a `Function` here too, whose backward is torch's double-backward formula: the second
// derivative at a kink or threshold is then torch's, not the one a naive composition
// would give.

// MARK: - Abs

/// `y = |x|`. Gradient: `sign(x)`, torch's `sgn`: 0 at ±0 and at NaN. The sign is a
/// constant of the graph, so the second derivative is 0 (torch's `sgn_backward`).
public final class Abs: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.abs)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Variable.constant(input(0).data.pointwise(.sign))]
    }
}

/// The absolute value, elementwise.
public func abs(_ x: Variable) -> Variable { Abs().applyTrapping(x) }

// MARK: - Clip

/// `y = min(max(x, lower), upper)`, either bound optional (if `lower > upper` every
/// element is `upper`, as in torch). NaN propagates as in torch: a NaN element stays NaN,
/// and a NaN bound (either one) makes every element NaN.
/// Gradient: 1 strictly inside, where `lower < x < upper`, and 0 elsewhere: at a bound
/// itself, outside, at NaN, and everywhere when a bound is NaN (no comparison with NaN
/// holds; torch 2.15 gives 0 there too). This is torch 2.15's rule for number bounds (measured:
/// `torch.clamp(x, min=-1., max=1.)` has gradient 0 at `x = ±1`; with tensor bounds torch
/// splits a tie between `x` and the bound, as `maximum` does, and a number bound takes
/// no gradient, which leaves 0).
public final class Clip: UnaryFunction {
    public let lower: Double?
    public let upper: Double?

    public init(lower: Double?, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.clip(min: lower, max: upper))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0).data, gy = gys[0]
        // Compared in the tensor's precision, as torch compares with a Scalar bound.
        let low = lower.map { rounded($0, to: x.dtype) }, high = upper.map { rounded($0, to: x.dtype) }
        let inside = x.mask { v in (low.map { v > $0 } ?? true) && (high.map { v < $0 } ?? true) }
        return [select(inside, gy, zerosLike(gy))]
    }
}

/// `x` limited to `min...max` (`torch.clamp`); either bound may be omitted, not both.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if neither bound is given.
public func clip(_ x: Variable, min lower: Double? = nil, max upper: Double? = nil) throws(AutogradError) -> Variable {
    guard lower != nil || upper != nil else {
        throw .invalidArgument(op: "clip", reason: "at least one of min and max must be given")
    }
    return try Clip(lower: lower, upper: upper).apply([x])[0]
}

/// ``clip(_:min:max:)`` under torch's name.
public func clamp(_ x: Variable, min lower: Double? = nil, max upper: Double? = nil) throws(AutogradError) -> Variable {
    try clip(x, min: lower, max: upper)
}

// MARK: - Maximum, minimum

/// `y = max(a, b)` elementwise, broadcasting; NaN if either is NaN.
/// Gradients (torch's rule): the winner gets the incoming gradient, the loser 0, and a
/// tie splits it, `g/2` each: `a: where(a == b, g/2, g)` with 0 where `a < b`, and
/// symmetrically for `b`. At a NaN neither comparison holds, so both get `g`.
public final class Maximum: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .maximum)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        extremumGradients(gys[0], input(0), input(1), aLoses: .less, bLoses: .greater)
    }
}

/// `y = min(a, b)` elementwise, broadcasting; NaN if either is NaN.
/// Gradients: as ``Maximum``'s, with the loser the larger one.
public final class Minimum: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .minimum)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        extremumGradients(gys[0], input(0), input(1), aLoses: .greater, bLoses: .less)
    }
}

/// `masked_fill(where(a == b, g/2, g), a loses, 0)` for `a`, the same for `b`, summed
/// back to each operand's shape.
private func extremumGradients(_ gy: Variable, _ a: Variable, _ b: Variable, aLoses: PairMath, bLoses: PairMath) -> [Variable] {
    let (aFull, bFull) = trapping { () throws(AutogradError) in
        (try a.data.broadcast(to: gy.shape), try b.data.broadcast(to: gy.shape))
    }
    func mask(_ op: PairMath) -> [Bool] {
        trapping { () throws(AutogradError) in try aFull.pairwise(bFull, op) }.mask { $0 != 0 }
    }
    let shared = select(mask(.equal), gy / 2, gy)
    let zero = zerosLike(gy)
    return [select(mask(aLoses), zero, shared).summed(to: a.shape),
            select(mask(bLoses), zero, shared).summed(to: b.shape)]
}

/// The elementwise maximum of two tensors, broadcasting (`torch.maximum`).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func maximum(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Maximum().apply([a, b])[0]
}

/// The elementwise minimum of two tensors, broadcasting (`torch.minimum`).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func minimum(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Minimum().apply([a, b])[0]
}

// MARK: - Where

/// `y = condition ? a : b` elementwise (`torch.where`), all three broadcast together; an
/// element of `condition` counts as true when it is nonzero (NaN included).
/// Gradients: `a` gets the incoming gradient where the condition holds, `b` where it does
/// not (each summed back to its shape); `condition` gets none: it is only read.
/// (`where` is a Swift keyword, hence the name; the expression language calls it `where`.)
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func select(_ condition: Variable, _ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    let shape = try Shape.broadcast(try Shape.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let mask = try condition.data.broadcast(to: shape).mask { $0 != 0 }
    return try Select(mask: mask).apply([try broadcastTo(a, shape), try broadcastTo(b, shape)])[0]
}

// MARK: - log1p, expm1, tan

/// `y = ln(1 + x)`, accurate near 0 (`log1p(1e-300) = 1e-300`). Gradient: `1/(x + 1)`.
public final class Log1p: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.log1p)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / (input(0) + 1)]
    }
}

/// `ln(1 + x)`, elementwise.
public func log1p(_ x: Variable) -> Variable { Log1p().applyTrapping(x) }

/// `y = eˣ - 1`, accurate near 0. Gradient: `eˣ = y + 1`.
public final class Expm1: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.expm1)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * ((output(0) ?? expm1(input(0))) + 1)]
    }
}

/// `eˣ - 1`, elementwise.
public func expm1(_ x: Variable) -> Variable { Expm1().applyTrapping(x) }

/// `y = tan x`. Gradient: `1 + tan²x = 1 + y²`.
public final class Tan: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.tan)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * (1 + square(output(0) ?? tan(input(0))))]
    }
}

/// The tangent, elementwise (radians).
public func tan(_ x: Variable) -> Variable { Tan().applyTrapping(x) }

/// `y = cosh x`. Gradient: `sinh x`. (Internal: gelu_tanh's second derivative uses it.)
final class Cosh: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.cosh)
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Sinh()(input(0))]
    }
}

/// `y = sinh x`. Gradient: `cosh x`.
final class Sinh: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.sinh)
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Cosh()(input(0))]
    }
}

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

// MARK: - Dropout

/// `y = x · mask · scale` for a fixed keep-mask and `scale = 1/(1 - p)` (0 when `p = 1`),
/// torch's `native_dropout_backward(x, mask, scale)`.
/// Gradient: `mask · scale`, a constant (so the second derivative is 0); the mask gets none.
public final class Dropout: Function {
    /// Which elements are kept, row-major, one per element of the input.
    public let keep: [Bool]
    public let scale: Double

    public init(keep: [Bool], scale: Double) {
        self.keep = keep
        self.scale = scale
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        guard keep.count == x.count else {
            throw .dataDoesNotMatchShape(count: keep.count, shape: x.shape)
        }
        let kept = try x.zip(Tensor.indicator(keep, shape: x.shape, dtype: x.dtype), .multiply)
        return [try kept.zip(Tensor(scale, dtype: x.dtype), .multiply)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0).data
        let factor = trapping { () throws(AutogradError) in
            try Tensor.indicator(keep, shape: x.shape, dtype: x.dtype).zip(Tensor(scale, dtype: x.dtype), .multiply)
        }
        return [gys[0] * Variable.constant(factor)]
    }
}

/// The scale of kept elements for a drop probability `p`: `1/(1 - p)`, and 0 for `p = 1`
/// (everything is dropped), as torch.
private func dropoutScale(_ p: Double) throws(AutogradError) -> Double {
    guard p >= 0 && p <= 1 else {
        throw .invalidArgument(op: "dropout", reason: "probability has to be between 0 and 1, but got \(p)")
    }
    return p == 1 ? 0 : 1 / (1 - p)
}

/// Dropout: while `training`, each element is kept with probability `1 - p` (a
/// Bernoulli draw from `generator`: kept when a uniform number in `0..<1` is below
/// `1 - p`) and scaled by `1/(1 - p)`, else zeroed; the expected value is unchanged.
/// When not training it is the identity and returns `x` itself (torch's `F.dropout`).
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if `p` is outside `0...1`.
public func dropout<G: RandomNumberGenerator>(
    _ x: Variable, p: Double, training: Bool = true, using generator: inout G
) throws(AutogradError) -> Variable {
    let scale = try dropoutScale(p)
    guard training else { return x }
    let keep = (0..<x.count).map { _ in Double.random(in: 0..<1, using: &generator) < 1 - p }
    return try Dropout(keep: keep, scale: scale).apply([x])[0]
}

/// Dropout with the system's random number generator; see ``dropout(_:p:training:using:)``.
public func dropout(_ x: Variable, p: Double, training: Bool = true) throws(AutogradError) -> Variable {
    var generator = SystemRandomNumberGenerator()
    return try dropout(x, p: p, training: training, using: &generator)
}

/// Dropout with a given mask: `x · mask · 1/(1 - p)`, an element kept where `mask` is
/// nonzero (`mask` broadcasts to `x`'s shape). The mask gets no gradient.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `p` outside `0...1`,
///   ``AutogradError/cannotBroadcast(from:to:)`` for a mask that does not fit `x`.
public func dropout(_ x: Variable, mask: Tensor, p: Double) throws(AutogradError) -> Variable {
    let scale = try dropoutScale(p)
    let keep = try mask.broadcast(to: x.shape).mask { $0 != 0 }
    return try Dropout(keep: keep, scale: scale).apply([x])[0]
}

// MARK: - Comparisons

/// Compares two tensors elementwise (broadcasting): a constant of 1s where the relation
/// holds and 0s elsewhere, of `a`'s dtype. Comparisons produce no gradient, as in torch:
/// the result is a constant, not part of the graph.
private func compare(_ a: Variable, _ b: Variable, _ op: PairMath) throws(AutogradError) -> Variable {
    Variable.constant(try a.data.pairwise(b.data, op))
}

/// `a > b` as 1/0 (no gradient). - Throws: on shapes that do not broadcast, or mixed dtypes.
public func greater(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .greater) }
/// `a < b` as 1/0 (no gradient).
public func less(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .less) }
/// `a ≥ b` as 1/0 (no gradient).
public func greaterEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .greaterEqual) }
/// `a ≤ b` as 1/0 (no gradient).
public func lessEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .lessEqual) }
/// `a == b` as 1/0 (no gradient).
public func equal(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .equal) }
/// `a ≠ b` as 1/0 (no gradient; NaN ≠ NaN).
public func notEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .notEqual) }

/// `x > c` as 1/0 for a number `c` (no gradient).
public func greater(_ x: Variable, _ c: Double) -> Variable { compareWithNumber(x, c, .greater) }
/// `x < c` as 1/0 for a number `c` (no gradient).
public func less(_ x: Variable, _ c: Double) -> Variable { compareWithNumber(x, c, .less) }

private func compareWithNumber(_ x: Variable, _ c: Double, _ op: PairMath) -> Variable {
    trapping { () throws(AutogradError) in try compare(x, .constant(c, like: x), op) }
}

// MARK: - Helpers

extension Tensor {
    /// 1 where `predicate` holds for the element (as a `Double`), else 0, in this dtype
    /// (built with `Tensor.indicator(_:shape:dtype:)` of Tensor+Reductions.swift).
    func indicator(_ predicate: (Double) -> Bool) -> Tensor {
        Tensor.indicator(mask(predicate), shape: shape, dtype: dtype)
    }
}
