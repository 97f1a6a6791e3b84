// Vector norms over axes, torch.linalg.vector_norm (and torch.norm, which agrees), with
// the gradient of FunctionsManual.cpp's linalg_vector_norm_backward, written with Variable
// ops on the saved output so that second derivatives follow torch's.

/// `y = ‖x‖_p` over `axes` (all if `nil` or empty), keeping them as size 1 if `keepdims`:
/// `(Σ |x|^p)^(1/p)` for `p ≠ 0` (`√(Σ x²)` for 2, `Σ |x|` for 1, without rescaling: it
/// overflows where `Σ x²` does, as torch's; for `p < 0` a zero element makes the norm 0),
/// `max |x|` for ∞, `min |x|` for −∞, and the number of nonzero elements for 0 (NaN counts
/// as nonzero). NaN propagates otherwise.
///
/// Gradient (torch's `linalg_vector_norm_backward`), with `g` and `y` restored to the kept
/// shape and `sgn` the sign (0 at 0 and NaN, a constant):
/// - `p = 0`: 0;
/// - `p = 1`: `sgn(x) · g`;
/// - `p = 2`: `g · (x / y)`, 0 in slices where `y = 0` (an all-zero slice has gradient 0,
///   and second derivative NaN there, as torch's);
/// - `p = ±∞`: `sgn(x) · (g / count) · mask`, `mask` the elements with `|x| = y` or NaN and
///   `count` their number per slice: ties share the gradient;
/// - `p < 1` (negative too): `sgn(x) · |x|^(p−1) · g · y^(1−p)`, with `|x|^(p−1)` replaced by 0 where `x = 0`;
/// - `1 < p < 2`: `sgn(x) · |x|^(p−1) · (g / y^(p−1))`, the last factor 0 where `y = 0`;
/// - `p > 2`: `x · |x|^(p−2) · (g / y^(p−1))`, the last factor 0 where `y = 0`.
public final class Norm: Function {
    public let p: Double
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(p: Double = 2, axes: [Int]? = nil, keepdims: Bool = false) {
        self.p = p
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        guard !p.isNaN else { throw .invalidArgument(op: "norm", reason: "the order p must not be NaN") }
        if p.isInfinite {
            normalizedAxes = try Extrema.checkedAxes(axes, of: x, p > 0 ? .maximum : .minimum)
            return [x.pointwise(.abs).extremum(p > 0 ? .maximum : .minimum, axes: normalizedAxes, keepdims: keepdims)]
        }
        normalizedAxes = try Shape.normalize(axes: axes, rank: x.rank)
        switch p {
        case 0:
            return [x.indicator { $0 != 0 }.sum(axes: normalizedAxes, keepdims: keepdims)]
        case 1:
            return [x.pointwise(.abs).sum(axes: normalizedAxes, keepdims: keepdims)]
        case 2:
            return [x.map(.square).sum(axes: normalizedAxes, keepdims: keepdims).map(.sqrt)]
        default:
            let powered = x.pointwise(.abs).map(.power(p))
            return [powered.sum(axes: normalizedAxes, keepdims: keepdims).map(.power(1 / p))]
        }
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        if p == 0 { return [zerosLike(x)] }
        let kept = Shape.reduced(x.shape, axes: normalizedAxes, keepdims: true)
        let g = gys[0].reshaped(kept)
        let sgn = Variable.constant(x.data.pointwise(.sign))
        if p == 1 { return [sgn * g] }
        let y = (output(0) ?? Norm(p: p, axes: normalizedAxes, keepdims: keepdims)(x)).reshaped(kept)
        let normIsZero = y.data.mask { $0 == 0 }
        /// `v` with 0 where the slice's norm is 0 (`v` of the kept shape).
        func maskedWhereZeroNorm(_ v: Variable) -> Variable { select(normIsZero, zerosLike(v), v) }
        if p == 2 {
            let ratio = x / y
            let zeroSlices = trapping { () throws(AutogradError) in try y.data.broadcast(to: x.shape) }.mask { $0 == 0 }
            return [g * select(zeroSlices, zerosLike(ratio), ratio)]
        }
        if p.isInfinite {
            let yFull = trapping { () throws(AutogradError) in try y.data.broadcast(to: x.shape) }
            let magnitude = x.data.pointwise(.abs)
            let mask = Tensor.indicator(
                zip(magnitude.scalars, yFull.scalars).map { $0 == $1 || $0.isNaN }, shape: x.shape, dtype: x.dtype)
            let count = mask.sum(axes: normalizedAxes, keepdims: true)
            return [sgn * ((g / Variable.constant(count)) * Variable.constant(mask))]
        }
        if p < 1 {
            let powered = pow(abs(x), p - 1)
            let scaled = sgn * select(x.data.mask { $0 == 0 }, zerosLike(powered), powered)
            return [scaled * g * pow(y, 1 - p)]
        }
        let scale = maskedWhereZeroNorm(g / pow(y, p - 1))
        if p < 2 { return [sgn * pow(abs(x), p - 1) * scale] }
        return [x * pow(abs(x), p - 2) * scale]
    }
}

/// The vector `p`-norm over `axes` (negative axes count from the end; `nil` or `[]` = all),
/// `torch.linalg.vector_norm(x, p, dim, keepdim)`: `p` is 2 by default, or 1, ∞, −∞, 0, or
/// any other number, negative ones included (as torch's `ord`). See ``Norm`` for the
/// gradient, which is 0 at an all-zero slice.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for a NaN `p`,
///   ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``,
///   ``AutogradError/emptyReduction(op:axis:)`` for `p = ±∞` over no elements.
public func norm(_ x: Variable, p: Double = 2, axes: [Int]? = nil, keepdims: Bool = false) throws(AutogradError) -> Variable {
    guard !p.isNaN else { throw .invalidArgument(op: "norm", reason: "the order p must not be NaN") }
    return try Norm(p: p, axes: axes, keepdims: keepdims).apply([x])[0]
}
