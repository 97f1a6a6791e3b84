import RealModule

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element type of a ``Tensor``.
///
/// ``int64`` (torch's `torch.long`, its default for class labels and indices) holds
/// integers: such tensors are never differentiable, and support construction,
/// conversion, printing, `Codable`, shape ops, indexing, comparisons, `argmax`/`argmin`
/// and `sum`. Arithmetic and the other float math need an explicit
/// ``Tensor/converted(to:)`` to a floating-point dtype first.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float64
    case float32
    /// 64-bit signed integers (`torch.int64`).
    case int64

    public var description: String { rawValue }

    /// Whether elements of this type are floating-point numbers (and so can carry gradients).
    public var isFloatingPoint: Bool { self != .int64 }
}

/// The scalar types a ``Tensor`` can hold: `Double` (``DType/float64``) and `Float` (``DType/float32``).
///
/// Kernels are written once, generic over this protocol, and run in the tensor's own
/// precision: float32 arithmetic is done in `Float`, as torch does on the CPU.
public protocol TensorScalar: Real, BinaryFloatingPoint, Sendable {
    static var dtype: DType { get }
    /// C's `pow`, which (unlike `Real.pow`) is defined for negative bases with
    /// integral exponents: `(-2) ** 2 == 4`, as in torch.
    static func cPow(_ x: Self, _ y: Self) -> Self
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    @inline(__always) public static func cPow(_ x: Double, _ y: Double) -> Double { libmPow(x, y) }
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    @inline(__always) public static func cPow(_ x: Float, _ y: Float) -> Float { libmPowf(x, y) }
}

// Free functions, so that the name `pow` is not looked up as `Real.pow` (which is NaN
// for every negative base) from inside the extensions above.
@inline(__always) private func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func libmPowf(_ x: Float, _ y: Float) -> Float { powf(x, y) }
