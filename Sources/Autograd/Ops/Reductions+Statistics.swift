// Smooth reductions: logsumexp, variance and standard deviation. Their backward passes
// are torch's (FunctionsManual.cpp: logsumexp_backward, var_backward, std_backward),
// written with Variable ops so that second and third derivatives follow.

// MARK: - logsumexp

/// `y = log Σ exp(x)` over `axes` (all if `nil` or empty), keeping them as size 1 if
/// `keepdims`. Computed stably, as torch does: `log Σ exp(x − m) + m` with `m` the slice's
/// maximum (0 where that is ±∞), so logits of ±1000 are exact, a slice of -∞ gives -∞,
/// and NaN propagates. Same as `torch.logsumexp`.
///
/// Gradient (torch's `logsumexp_backward`): `∂y/∂xᵢ = exp(xᵢ − y)`, the softmax of the
/// slice, applied as `grad · exp(x − y)` with `grad` and `y` restored to the kept shape.
/// `y` is this function's own output, so higher derivatives flow through it. Where `y`
/// is -∞ (a slice of -∞), `x − y` is NaN and so is the gradient, as in torch.
///
/// An empty axis list reduces every axis, as for the other reductions (torch 2.15 fails
/// on `dim=[]` with a shape error for inputs of rank ≥ 1).
public final class LogSumExp: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false) {
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Shape.normalize(axes: axes, rank: xs[0].rank)
        return [xs[0].logSumExp(axes: normalizedAxes, keepdims: keepdims)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        let kept = Shape.reduced(x.shape, axes: normalizedAxes, keepdims: true)
        let y = output(0) ?? trapping { () throws(AutogradError) in
            try logsumexp(x, axes: normalizedAxes, keepdims: keepdims)
        }
        return [gys[0].reshaped(kept) * exp(x - y.reshaped(kept))]
    }
}

/// `log Σ exp(x)` over all elements (a 0-d result).
public func logsumexp(_ x: Variable) -> Variable {
    LogSumExp()(x)
}

/// `log Σ exp(x)` over `axes` (negative axes count from the end; `nil` or `[]` = all).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func logsumexp(_ x: Variable, axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try LogSumExp(axes: axes, keepdims: keepdims).apply([x])[0]
}

/// `log Σ exp(x)` over one axis.
public func logsumexp(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try logsumexp(x, axes: [axis], keepdims: keepdims)
}

// MARK: - Variance

/// `y = Σ (x − x̄)² / max(0, n − correction)` over `axes` (all if `nil` or empty), with
/// `n` the number of elements reduced: `correction = 1` (the default, Bessel's) is the
/// unbiased sample variance, `0` the population variance. Same as
/// `torch.var(x, dim, correction=, keepdim=)`, computed as its CPU kernels do (see
/// `Tensor.variance`): one element with `correction = 1` gives NaN (0/0), `n < correction`
/// with a positive spread gives ∞.
///
/// Gradient (torch's `var_backward`): `∂y/∂xᵢ = 2 (xᵢ − x̄) / (n − correction)`, applied as
/// `(2 / (n − correction)) · grad · (x − mean(x))`. Like torch, it is written two ways:
/// - with `axes` given (and a tensor of rank ≥ 1), exactly that, whatever the sign of
///   `n − correction` (so for `n ≤ correction` it is ±∞, NaN, or even finite and negative,
///   while the value is ∞ or NaN: torch's formula, kept as is);
/// - with `axes == nil` or a 0-d tensor, and `n − correction ≤ 0`, `grad · (NaN where
///   x = x̄, else ∞)` instead.
///
/// The mean inside the gradient is a differentiable ``mean(_:axes:keepdims:)``, so the
/// second derivative is `(2 / (n − correction)) · (δᵢⱼ − 1/n)`.
///
/// An empty axis list reduces every axis, as in torch, and takes the axes-given formula
/// with `n` the element count. (torch's own backward for `dim=[]` uses `n = 1`, giving
/// ±∞ for `correction = 1`; that is not reproduced.)
public final class Variance: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    public let correction: Double
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false, correction: Double = 1) {
        self.axes = axes
        self.keepdims = keepdims
        self.correction = correction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Shape.normalize(axes: axes, rank: xs[0].rank)
        return [xs[0].variance(axes: normalizedAxes, keepdims: keepdims, correction: correction, squareRoot: false)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [Moments.varianceGradient(gys[0], input: input(0), axesGiven: axes != nil, axes: normalizedAxes,
                                  correction: correction)]
    }
}

/// The variance over `axes` (negative axes count from the end; `nil` or `[]` = all), with
/// `correction` subtracted from the element count (1 = Bessel's). See ``Variance``.
/// (Named `variance` because `var` is a Swift keyword; `torch.var` and the expression `var`.)
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func variance(
    _ x: Variable, axes: [Int]? = nil, keepdims: Bool = false, correction: Double = 1
) throws(AutogradError) -> Variable {
    try Variance(axes: axes, keepdims: keepdims, correction: correction).apply([x])[0]
}

/// The variance over one axis.
public func variance(
    _ x: Variable, axis: Int, keepdims: Bool = false, correction: Double = 1
) throws(AutogradError) -> Variable {
    try variance(x, axes: [axis], keepdims: keepdims, correction: correction)
}

// MARK: - Standard deviation

/// `y = √var(x)` over `axes`, with ``Variance``'s `correction` (default 1). Same as
/// `torch.std`; the square root is taken before rounding to float32, as torch does.
///
/// Gradient (torch's `std_backward`): `∂y/∂x = ∂var/∂x / (2y)`, applied as the variance's
/// gradient of `grad / (2y)`, where that quotient is replaced by 0 wherever `y = 0`.
/// So a constant slice (zero spread, where √ is not differentiable) has gradient 0, not
/// NaN; torch's choice, kept. `y` is this function's own output, so higher derivatives
/// flow through it; the replacement by 0 passes no gradient through `grad / (2y)`.
/// (A slice whose mean is inexact, such as six copies of 0.1 reduced to one element, has
/// a spread of an ulp in torch too: its `y` is ~1e-17, not 0, and the gradient is not 0.)
public final class StandardDeviation: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    public let correction: Double
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false, correction: Double = 1) {
        self.axes = axes
        self.keepdims = keepdims
        self.correction = correction
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Shape.normalize(axes: axes, rank: xs[0].rank)
        return [xs[0].variance(axes: normalizedAxes, keepdims: keepdims, correction: correction, squareRoot: true)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        let y = output(0) ?? trapping { () throws(AutogradError) in
            try std(input(0), axes: normalizedAxes, keepdims: keepdims, correction: correction)
        }
        let zeroSpread = y.data.mask { $0 == 0 }
        let gradOfVariance = select(zeroSpread, zerosLike(gy), gy / (y * 2))
        return [Moments.varianceGradient(gradOfVariance, input: input(0), axesGiven: axes != nil,
                                         axes: normalizedAxes, correction: correction)]
    }
}

/// The standard deviation over `axes` (negative axes count from the end; `nil` or `[]` =
/// all), with `correction` subtracted from the element count (1 = Bessel's). See
/// ``StandardDeviation``.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func std(
    _ x: Variable, axes: [Int]? = nil, keepdims: Bool = false, correction: Double = 1
) throws(AutogradError) -> Variable {
    try StandardDeviation(axes: axes, keepdims: keepdims, correction: correction).apply([x])[0]
}

/// The standard deviation over one axis.
public func std(
    _ x: Variable, axis: Int, keepdims: Bool = false, correction: Double = 1
) throws(AutogradError) -> Variable {
    try std(x, axes: [axis], keepdims: keepdims, correction: correction)
}

/// What ``Variance`` and ``StandardDeviation`` share.
enum Moments {
    /// torch's `var_backward(grad, self, dim, correction, keepdim)`, with `axesGiven`
    /// standing for `dim` being given (`axes` are already normalized).
    static func varianceGradient(
        _ gy: Variable, input x: Variable, axesGiven: Bool, axes: [Int], correction: Double
    ) -> Variable {
        if x.rank == 0 || !axesGiven {
            let dof = Double(x.count) - correction
            let xMean = mean(x)
            guard dof > 0 else {
                // `grad * where(self == self.mean(), NaN, ∞)`: a constant, no gradient through x.
                let atMean = x.data.equalMask(xMean.data)
                let values = atMean.map { $0 ? Double.nan : Double.infinity }
                let factor = trapping { () throws(AutogradError) in
                    try Tensor(shape: x.shape, scalars: values, dtype: x.dtype)
                }
                return gy * Variable.constant(factor)
            }
            return gy * (2 / dof) * (x - xMean)
        }
        let kept = Shape.reduced(x.shape, axes: axes, keepdims: true)
        let n = Double(axes.reduce(1) { $0 * x.shape[$1] })
        let xMean = trapping { () throws(AutogradError) in try mean(x, axes: axes, keepdims: true) }
        return gy.reshaped(kept) * (2 / (n - correction)) * (x - xMean)
    }
}
