import RealModule

// Kernels of the extra elementwise ops, the activations and the losses. Each scalar
// function is written as torch's CPU kernel writes it (the same branch conditions, the
// same order of operations, constants rounded to the element type), and runs in the
// tensor's own precision, so that results agree with torch at the edges too.

/// `M_SQRT1_2`, `M_SQRT2` and `M_2_SQRTPI` of C's math.h (torch's gelu constants).
enum MathConstants {
    static let sqrtHalf = 0.70710678118654752440
    static let sqrt2 = 1.41421356237309504880
    static let twoOverSqrtPi = 1.12837916709551257390
    /// gelu's `kBeta = M_2_SQRTPI · M_SQRT1_2 · ½ = 1/√(2π)`, the standard normal density at 0.
    static let geluPdfScale = twoOverSqrtPi * sqrtHalf * 0.5
    /// The tanh approximation's `kBeta = M_SQRT2 · M_2_SQRTPI · ½ = √(2/π)`.
    static let geluTanhScale = sqrt2 * twoOverSqrtPi * 0.5
    /// The tanh approximation's `kKappa`.
    static let geluTanhCubic = 0.044715
}

/// Elementwise functions of one tensor.
enum PointwiseMath: Sendable {
    /// `|x|` (NaN stays NaN).
    case abs
    /// -1, 0 or 1; 0 for ±0 and for NaN, as `torch.sign`.
    case sign
    case log1p, expm1, tan, cosh, sinh
    /// `1/x` (`torch.reciprocal`), `1/√x` (`torch.rsqrt`).
    case reciprocal, rsqrt
    /// The error function and its complement.
    case erf, erfc
    /// The inverse trigonometric and inverse hyperbolic functions (NaN outside their domains).
    case asin, acos, atan, asinh, acosh, atanh
    /// `log₂ x`, `log₁₀ x`, `2ˣ`.
    case log2, log10, exp2
    /// `x · tanh(log1p(eˣ))`, torch's CPU formula.
    case mish
    /// `log σ(x) = min(x, 0) − log1p(e^(−|x|))`.
    case logSigmoid
    /// `min(max(x + 3, 0), 6) / 6`, NaN staying NaN (`std::max`/`std::min` order).
    case hardsigmoid
    /// `x · min(max(x + 3, 0), 6) / 6`.
    case hardswish
    /// `x` where `βx > threshold`, else `log1p(exp(βx)) / β`.
    case softplus(beta: Double, threshold: Double)
    /// `x` where `x > 0`, else `slope · x`.
    case leakyReLU(slope: Double)
    /// `scale · x` where `x > 0`, else `α · scale · expm1(inputScale · x)` (torch's elu
    /// kernel: selu and celu are elu with other scales).
    case elu(alpha: Double, scale: Double = 1, inputScale: Double = 1)
    /// `x · ½ · (1 + erf(x/√2))`.
    case gelu
    /// `½ · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
    case geluTanh
    /// `x / (1 + e⁻ˣ)`.
    case silu
    /// `min(max(x, min), max)` with either bound optional, NaN-propagating as torch's
    /// `clamp`: a NaN element stays NaN, and a NaN bound makes every element NaN.
    case clip(min: Double?, max: Double?)

    @inline(__always)
    func apply<T: TensorScalar>(_ x: T) -> T {
        switch self {
        case .abs:
            return x.magnitude
        case .sign:
            return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .log1p:
            return T.log(onePlus: x)
        case .expm1:
            return T.expMinusOne(x)
        case .tan:
            return T.tan(x)
        case .cosh:
            return T.cosh(x)
        case .sinh:
            return T.sinh(x)
        case let .softplus(beta, threshold):
            let scaled = x * T(beta)
            return scaled > T(threshold) ? x : T.log(onePlus: T.exp(scaled)) / T(beta)
        case .leakyReLU(let slope):
            return x > 0 ? x : x * T(slope)
        case let .elu(alpha, scale, inputScale):
            // torch: x <= 0 ? expm1(x · input_scale) · (α · scale) : x · scale.
            return x <= 0 ? T.expMinusOne(x * T(inputScale)) * T(alpha * scale) : x * T(scale)
        case .reciprocal:
            return 1 / x
        case .rsqrt:
            return 1 / x.squareRoot()
        case .erf:
            return T.erf(x)
        case .erfc:
            return T.erfc(x)
        case .asin:
            return T.asin(x)
        case .acos:
            return T.acos(x)
        case .atan:
            return T.atan(x)
        case .asinh:
            return T.asinh(x)
        case .acosh:
            return T.acosh(x)
        case .atanh:
            return T.atanh(x)
        case .log2:
            return T.log2(x)
        case .log10:
            return T.log10(x)
        case .exp2:
            return T.exp2(x)
        case .mish:
            return x * T.tanh(T.log(onePlus: T.exp(x)))
        case .logSigmoid:
            return LossMath.logSigmoid(x)
        case .hardsigmoid:
            return Self.relu6(x + 3) / 6
        case .hardswish:
            return x * Self.relu6(x + 3) / 6
        case .gelu:
            return x * T(0.5) * (1 + T.erf(x * T(MathConstants.sqrtHalf)))
        case .geluTanh:
            let inner = T(MathConstants.geluTanhScale) * (x + T(MathConstants.geluTanhCubic) * (x * x * x))
            return T(0.5) * x * (1 + T.tanh(inner))
        case .silu:
            return x / (1 + T.exp(-x))
        case let .clip(low, high):
            if x.isNaN { return x }
            if low?.isNaN == true || high?.isNaN == true { return .nan }
            var y = x
            if let low, y < T(low) { y = T(low) }
            if let high, y > T(high) { y = T(high) }
            return y
        }
    }
}

extension PointwiseMath {
    /// `std::min(std::max(v, 0), 6)`: NaN stays NaN, as in torch's kernels.
    @inline(__always)
    static func relu6<T: TensorScalar>(_ v: T) -> T {
        let low = v < 0 ? 0 : v
        return 6 < low ? 6 : low
    }
}

/// Elementwise functions of two tensors (broadcast).
enum PairMath: Sendable {
    /// `atan2(a, b)`, the angle of the point `(b, a)` (`torch.atan2(a, b)`).
    case atan2
    /// `log_sigmoid_backward(g, x)`: `g · (m − s · z/(1 + z))` with `z = e^(−|x|)`,
    /// `m = 1, s = 1` for `x < 0`, else `m = 0, s = −1`.
    case logSigmoidBackward
    /// `hardswish_backward(g, x)`: 0 for `x ≤ −3`, `g · (x/3 + ½)` for `x < 3`, else `g`.
    case hardswishBackward
    /// The larger of the two; NaN if either is NaN (`torch.maximum`).
    case maximum
    /// The smaller of the two; NaN if either is NaN (`torch.minimum`).
    case minimum
    /// 1 where the comparison holds, else 0.
    case greater, less, greaterEqual, lessEqual, equal, notEqual
    /// `softplus_backward(g, x)`: `g` where `βx > threshold`, else `g · z/(z + 1)`, `z = exp(βx)`.
    case softplusBackward(beta: Double, threshold: Double)
    /// `elu_backward(g, x)`: `g · inputScale · (α · scale) · exp(x · inputScale)` where
    /// `x ≤ 0`, else `g · scale`.
    case eluBackward(alpha: Double, scale: Double = 1, inputScale: Double = 1)
    /// `gelu_backward(g, x)`: `g · (Φ(x) + x·φ(x))`.
    case geluBackward
    /// The tanh approximation's `gelu_backward(g, x)`.
    case geluTanhBackward

    var name: String {
        switch self {
        case .maximum: "maximum"
        case .minimum: "minimum"
        case .greater: "greater"
        case .less: "less"
        case .greaterEqual: "greater_equal"
        case .lessEqual: "less_equal"
        case .equal: "equal"
        case .notEqual: "not_equal"
        case .atan2: "atan2"
        case .logSigmoidBackward: "log_sigmoid_backward"
        case .hardswishBackward: "hardswish_backward"
        case .softplusBackward: "softplus_backward"
        case .eluBackward: "elu_backward"
        case .geluBackward: "gelu_backward"
        case .geluTanhBackward: "gelu_tanh_backward"
        }
    }

    @inline(__always)
    func apply<T: TensorScalar>(_ a: T, _ b: T) -> T {
        switch self {
        case .maximum:
            // std::max(a, b) = a < b ? b : a, after torch's NaN check.
            return a.isNaN || b.isNaN ? T.nan : (a < b ? b : a)
        case .minimum:
            return a.isNaN || b.isNaN ? T.nan : (b < a ? b : a)
        case .greater: return a > b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        case .equal: return a == b ? 1 : 0
        case .notEqual: return a != b ? 1 : 0
        case let .softplusBackward(beta, threshold):
            let scaled = b * T(beta)
            let z = T.exp(scaled)
            return scaled > T(threshold) ? a : a * z / (z + 1)
        case let .eluBackward(alpha, scale, inputScale):
            return b <= 0 ? a * T(inputScale) * T(alpha * scale) * T.exp(b * T(inputScale)) : a * T(scale)
        case .atan2:
            return T.atan2(y: a, x: b)
        case .logSigmoidBackward:
            let negative = b < 0
            let z = T.exp(-b.magnitude)
            return a * ((negative ? 1 : 0) - (negative ? 1 : -1) * (z / (1 + z)))
        case .hardswishBackward:
            return b <= -3 ? 0 : (b < 3 ? a * ((b / 3) + T(0.5)) : a)
        case .geluBackward:
            let cdf = T(0.5) * (1 + T.erf(b * T(MathConstants.sqrtHalf)))
            let pdf = T(MathConstants.geluPdfScale) * T.exp(b * b * T(-0.5))
            return a * (cdf + b * pdf)
        case .geluTanhBackward:
            let kBeta = T(MathConstants.geluTanhScale), kKappa = T(MathConstants.geluTanhCubic)
            let xSquared = b * b
            let xCubed = xSquared * b
            let inner = kBeta * (b + kKappa * xCubed)
            let tanhInner = T.tanh(inner)
            let left = T(0.5) * b
            let right = 1 + tanhInner
            let leftDerivative = T(0.5) * right
            let tanhDerivative = 1 - tanhInner * tanhInner
            let innerDerivative = kBeta * (1 + 3 * kKappa * xSquared)
            let rightDerivative = left * tanhDerivative * innerDerivative
            return a * (leftDerivative + rightDerivative)
        }
    }
}

extension Tensor {
    /// `op` applied to every element. Stops the program for an int64 tensor.
    func pointwise(_ op: PointwiseMath) -> Tensor {
        // The case's name without its arguments: `clip`, `leakyReLU`.
        trapUnlessFloatingPoint(String("\(op)".prefix { $0 != "(" }))
        return switch storage {
        case .float64(let a): Tensor(shape: shape, storage: .float64(a.map { op.apply($0) }))
        case .float32(let a): Tensor(shape: shape, storage: .float32(a.map { op.apply($0) }))
        }
    }

    /// `op` applied pairwise after broadcasting `self` and `other` to a common shape.
    /// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
    func pairwise(_ other: Tensor, _ op: PairMath) throws(AutogradError) -> Tensor {
        if !dtype.isFloatingPoint || !other.dtype.isFloatingPoint {
            return try integerComparison(other, op)
        }
        let outShape = try Shape.broadcast(shape, other.shape, op: op.name)
        func combine<T: TensorScalar>(_ a: [T], _ b: [T]) -> [T] {
            if shape == other.shape {
                return Array(unsafeUninitializedCapacity: a.count) { out, initialized in
                    for i in 0..<a.count { out[i] = op.apply(a[i], b[i]) }
                    initialized = a.count
                }
            }
            let aStrides = Shape.broadcastStrides(shape, to: outShape)
            let bStrides = Shape.broadcastStrides(other.shape, to: outShape)
            var result: [T] = []
            result.reserveCapacity(Shape.count(outShape))
            forEachOffset(outShape, aStrides, bStrides) { i, j in result.append(op.apply(a[i], b[j])) }
            return result
        }
        switch (storage, other.storage) {
        case let (.float64(a), .float64(b)): return Tensor(shape: outShape, storage: .float64(combine(a, b)))
        case let (.float32(a), .float32(b)): return Tensor(shape: outShape, storage: .float32(combine(a, b)))
        default: throw .dtypeMismatch(dtype, other.dtype, op: op.name)
        }
    }

    /// `f(x, y)` for every pair of elements of two tensors of the same shape and dtype
    /// (the per-element losses), in the tensors' own precision.
    func zipSameShape(
        _ other: Tensor, op: String, _ f: (Double, Double) -> Double, _ f32: (Float, Float) -> Float
    ) throws(AutogradError) -> Tensor {
        guard shape == other.shape else { throw .shapesDiffer(shape, other.shape, op: op) }
        switch (storage, other.storage) {
        case let (.float64(a), .float64(b)):
            return Tensor(shape: shape, storage: .float64(Swift.zip(a, b).map { f($0, $1) }))
        case let (.float32(a), .float32(b)):
            return Tensor(shape: shape, storage: .float32(Swift.zip(a, b).map { f32($0, $1) }))
        default:
            throw .dtypeMismatch(dtype, other.dtype, op: op)
        }
    }

    /// The mean of all elements as a 0-d tensor: the sum (accumulated in `Double`)
    /// rounded to the dtype, divided by the count in the dtype, as `torch.mean` divides.
    func meanOfAll() -> Tensor {
        let total = sum(axes: Array(0..<rank), keepdims: false)
        switch total.storage {
        case .float64(let s): return Tensor(shape: [], storage: .float64([s[0] / Double(count)]))
        case .float32(let s): return Tensor(shape: [], storage: .float32([s[0] / Float(count)]))
        }
    }

    /// Softmax (or log-softmax) along `axis` (normalized; any axis of a 0-d tensor is
    /// its single element), torch's CPU kernel: with `m = max(x)` along the axis,
    /// `exp(x - m) · (1 / Σ exp(x - m))`, or `x - m - log Σ exp(x - m)`. Subtracting the
    /// maximum keeps `exp` from overflowing: logits of ±1000 are fine.
    func softmax(axis: Int, log: Bool) -> Tensor {
        let size = rank == 0 ? 1 : shape[axis]
        let inner = rank == 0 ? 1 : Shape.count(Array(shape[(axis + 1)...]))
        let outer = rank == 0 ? 1 : Shape.count(Array(shape[..<axis]))
        func kernel<T: TensorScalar>(_ a: [T]) -> [T] {
            var out = a
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    var m = -T.infinity
                    for k in 0..<size {
                        let v = a[base + k * inner]
                        if v.isNaN || v > m { m = v }
                        if m.isNaN { break }
                    }
                    var total: T = 0
                    for k in 0..<size {
                        let e = T.exp(a[base + k * inner] - m)
                        if !log { out[base + k * inner] = e }
                        total += e
                    }
                    if log {
                        let logTotal = T.log(total)
                        for k in 0..<size { out[base + k * inner] = a[base + k * inner] - m - logTotal }
                    } else {
                        let reciprocal = 1 / total
                        for k in 0..<size { out[base + k * inner] *= reciprocal }
                    }
                }
            }
            return out
        }
        switch storage {
        case .float64(let a): return Tensor(shape: shape, storage: .float64(kernel(a)))
        case .float32(let a): return Tensor(shape: shape, storage: .float32(kernel(a)))
        }
    }
}

/// `value` as a tensor of `dtype` would hold it (rounded to `Float` for float32), for
/// comparing elements with a bound the way torch does: in the tensor's own precision.
func rounded(_ value: Double, to dtype: DType) -> Double {
    dtype == .float32 ? Double(Float(value)) : value
}

extension Tensor {
    /// `f(g, a, b)` for every element of `a` and `b` (one shape, one dtype), with `g`
    /// broadcast to their shape: the kernels of the losses' gradients.
    static func lossKernel(
        _ g: Tensor, _ a: Tensor, _ b: Tensor, op: String,
        _ f: (Double, Double, Double) -> Double, _ f32: (Float, Float, Float) -> Float
    ) throws(AutogradError) -> Tensor {
        guard a.shape == b.shape else { throw .shapesDiffer(a.shape, b.shape, op: op) }
        let gFull = try g.broadcast(to: a.shape)
        switch (gFull.storage, a.storage, b.storage) {
        case let (.float64(gs), .float64(xs), .float64(ys)):
            return Tensor(shape: a.shape, storage: .float64(xs.indices.map { f(gs[$0], xs[$0], ys[$0]) }))
        case let (.float32(gs), .float32(xs), .float32(ys)):
            return Tensor(shape: a.shape, storage: .float32(xs.indices.map { f32(gs[$0], xs[$0], ys[$0]) }))
        default:
            throw .dtypeMismatch(a.dtype, a.dtype == b.dtype ? g.dtype : b.dtype, op: op)
        }
    }
}

/// The per-element formulas of the losses, as torch's CPU kernels write them.
enum LossMath {
    /// `log σ(x) = min(x, 0) - log1p(e^(-|x|))`, finite for every finite `x`.
    static func logSigmoid<T: TensorScalar>(_ x: T) -> T {
        (x < 0 ? x : 0) - T.log(onePlus: T.exp(-x.magnitude))
    }

    /// Binary cross-entropy on a logit: `(1 - t)·x - log σ(x)`.
    static func binaryCrossEntropyWithLogits<T: TensorScalar>(_ x: T, _ t: T) -> T {
        (1 - t) * x - logSigmoid(x)
    }

    /// Binary cross-entropy on a logit with a positive-class weight `p`, torch's
    /// `(1 - t)·x - (1 + (p - 1)·t)·log σ(x)`.
    static func binaryCrossEntropyWithLogits<T: TensorScalar>(_ x: T, _ t: T, posWeight p: T) -> T {
        (1 - t) * x - ((p - 1) * t + 1) * logSigmoid(x)
    }

    /// Binary cross-entropy on a probability, each log clamped at -100 (torch's rule,
    /// which keeps `0 · log 0` finite): `(t - 1)·max(log1p(-p), -100) - t·max(log p, -100)`.
    static func binaryCrossEntropy<T: TensorScalar>(_ p: T, _ t: T) -> T {
        func atLeastMinus100(_ v: T) -> T { v < -100 ? -100 : v }
        return (t - 1) * atLeastMinus100(T.log(onePlus: -p)) - t * atLeastMinus100(T.log(p))
    }

    /// `g·(p - t) / max((1 - p)·p, ε) / n`: binary_cross_entropy_backward. torch's ε here
    /// is the `float` 1e-12 (9.99999996e-13, measured: the gradient at p = 0, t = 1, n = 1
    /// is -1/ε = -1.000000004e12), also for float64.
    static func binaryCrossEntropyGradient<T: TensorScalar>(_ g: T, _ p: T, _ t: T, count: Int) -> T {
        let epsilon = T(Float(1e-12))
        let denominator = (1 - p) * p
        return g * (p - t) / (denominator < epsilon ? epsilon : denominator) / T(count)
    }

    /// `(x - y)²`.
    static func squaredError<T: TensorScalar>(_ x: T, _ y: T) -> T {
        let d = x - y
        return d * d
    }

    /// Huber: with `z = |x - y|`, `½z²` below `delta`, else `delta·(z - ½delta)`.
    static func huber<T: TensorScalar>(_ x: T, _ y: T, delta: Double) -> T {
        let z = (x - y).magnitude, delta = T(delta)
        return z < delta ? T(0.5) * z * z : delta * (z - T(0.5) * delta)
    }

    /// huber_loss_backward: with `d = a - b`, `-norm·g·delta` below `-delta`,
    /// `norm·g·delta` above `delta`, else `norm·d·g` (`norm = 1/n`).
    static func huberGradient<T: TensorScalar>(_ g: T, _ a: T, _ b: T, delta: Double, count: Int) -> T {
        let norm = T(1 / Double(count)), delta = T(delta), d = a - b
        return d <= -delta ? -norm * g * delta : (d >= delta ? norm * g * delta : norm * d * g)
    }

    /// Smooth L1: with `z = |x - y|`, `½z²/beta` below `beta`, else `z - ½beta`.
    static func smoothL1<T: TensorScalar>(_ x: T, _ y: T, beta: Double) -> T {
        let z = (x - y).magnitude, beta = T(beta)
        return z < beta ? T(0.5) * z * z / beta : z - T(0.5) * beta
    }

    /// smooth_l1_loss_backward: with `d = a - b`, `-norm·g` below `-beta`, `norm·g`
    /// above `beta`, else `norm·d·g/beta` (`norm = 1/n`).
    static func smoothL1Gradient<T: TensorScalar>(_ g: T, _ a: T, _ b: T, beta: Double, count: Int) -> T {
        let norm = T(1 / Double(count)), beta = T(beta), d = a - b
        return d <= -beta ? -norm * g : (d >= beta ? norm * g : norm * d * g / beta)
    }
}
