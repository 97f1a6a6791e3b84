import _Differentiation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar type the compiler can differentiate the scalar interpreter over: `Double`
/// and `Float` (a case's float64 and float32), and ``TracedScalar`` (which records the
/// compiler's pullback, for gradients of gradients).
///
/// Why a protocol of its own rather than `BinaryFloatingPoint`: in generic code the
/// standard library's arithmetic is not differentiable (its protocol requirements are
/// not `@differentiable`), so every primitive the interpreter uses is restated here as a
/// `@differentiable(reverse)` requirement. For `Double` and `Float` each is a one-line
/// call of the operator or C math function whose derivative `_Differentiation`
/// registers; the compiler derives everything else by the chain rule.
public protocol DifferentiableScalar: Differentiable, AdditiveArithmetic where TangentVector == Self {
    /// A constant (no derivative).
    init(_ value: Double)
    /// The value, widened to `Double`, for branch decisions and for reading results.
    var doubleValue: Double { get }

    @differentiable(reverse) static func add(_ a: Self, _ b: Self) -> Self
    @differentiable(reverse) static func subtract(_ a: Self, _ b: Self) -> Self
    @differentiable(reverse) static func multiply(_ a: Self, _ b: Self) -> Self
    @differentiable(reverse) static func divide(_ a: Self, _ b: Self) -> Self
    /// `a ** b`, C's `pow`.
    @differentiable(reverse) static func power(_ a: Self, _ b: Self) -> Self
    @differentiable(reverse) static func negate(_ x: Self) -> Self
    @differentiable(reverse) static func exponential(_ x: Self) -> Self
    /// The natural logarithm.
    @differentiable(reverse) static func logarithm(_ x: Self) -> Self
    @differentiable(reverse) static func squareRoot(_ x: Self) -> Self
    @differentiable(reverse) static func sine(_ x: Self) -> Self
    @differentiable(reverse) static func cosine(_ x: Self) -> Self
    @differentiable(reverse) static func hyperbolicTangent(_ x: Self) -> Self
}

// The conformances call C's math functions through these file-scope wrappers: inside an
// extension of `Double`, an unqualified `exp` or `pow` resolves to a static member of the
// same name when one is visible (swift-numerics declares `Double.exp`, Autograd
// `Double.cPow`), and those have no registered derivative. The `ad` prefix keeps the
// wrappers' own names clear of such members. Each wrapper's derivative is the
// compiler's, from the one `_Differentiation` registers for the C function it calls.

@differentiable(reverse) private func adPow(_ a: Double, _ b: Double) -> Double { pow(a, b) }
@differentiable(reverse) private func adExp(_ x: Double) -> Double { exp(x) }
@differentiable(reverse) private func adLog(_ x: Double) -> Double { log(x) }
@differentiable(reverse) private func adSqrt(_ x: Double) -> Double { sqrt(x) }
@differentiable(reverse) private func adSin(_ x: Double) -> Double { sin(x) }
@differentiable(reverse) private func adCos(_ x: Double) -> Double { cos(x) }
@differentiable(reverse) private func adTanh(_ x: Double) -> Double { tanh(x) }

@differentiable(reverse) private func adPow(_ a: Float, _ b: Float) -> Float { pow(a, b) }
@differentiable(reverse) private func adExp(_ x: Float) -> Float { exp(x) }
@differentiable(reverse) private func adLog(_ x: Float) -> Float { log(x) }
@differentiable(reverse) private func adSqrt(_ x: Float) -> Float { sqrt(x) }
@differentiable(reverse) private func adSin(_ x: Float) -> Float { sin(x) }
@differentiable(reverse) private func adCos(_ x: Float) -> Float { cos(x) }
@differentiable(reverse) private func adTanh(_ x: Float) -> Float { tanh(x) }

/// float64: the operators and C's double-precision math functions.
extension Double: DifferentiableScalar {
    public var doubleValue: Double { self }

    @differentiable(reverse) public static func add(_ a: Double, _ b: Double) -> Double { a + b }
    @differentiable(reverse) public static func subtract(_ a: Double, _ b: Double) -> Double { a - b }
    @differentiable(reverse) public static func multiply(_ a: Double, _ b: Double) -> Double { a * b }
    @differentiable(reverse) public static func divide(_ a: Double, _ b: Double) -> Double { a / b }
    @differentiable(reverse) public static func power(_ a: Double, _ b: Double) -> Double { adPow(a, b) }
    @differentiable(reverse) public static func negate(_ x: Double) -> Double { -x }
    @differentiable(reverse) public static func exponential(_ x: Double) -> Double { adExp(x) }
    @differentiable(reverse) public static func logarithm(_ x: Double) -> Double { adLog(x) }
    @differentiable(reverse) public static func squareRoot(_ x: Double) -> Double { adSqrt(x) }
    @differentiable(reverse) public static func sine(_ x: Double) -> Double { adSin(x) }
    @differentiable(reverse) public static func cosine(_ x: Double) -> Double { adCos(x) }
    @differentiable(reverse) public static func hyperbolicTangent(_ x: Double) -> Double { adTanh(x) }
}

/// float32: computed in `Float` throughout, as torch computes float32 tensors.
extension Float: DifferentiableScalar {
    public var doubleValue: Double { Double(self) }

    @differentiable(reverse) public static func add(_ a: Float, _ b: Float) -> Float { a + b }
    @differentiable(reverse) public static func subtract(_ a: Float, _ b: Float) -> Float { a - b }
    @differentiable(reverse) public static func multiply(_ a: Float, _ b: Float) -> Float { a * b }
    @differentiable(reverse) public static func divide(_ a: Float, _ b: Float) -> Float { a / b }
    @differentiable(reverse) public static func power(_ a: Float, _ b: Float) -> Float { adPow(a, b) }
    @differentiable(reverse) public static func negate(_ x: Float) -> Float { -x }
    @differentiable(reverse) public static func exponential(_ x: Float) -> Float { adExp(x) }
    @differentiable(reverse) public static func logarithm(_ x: Float) -> Float { adLog(x) }
    @differentiable(reverse) public static func squareRoot(_ x: Float) -> Float { adSqrt(x) }
    @differentiable(reverse) public static func sine(_ x: Float) -> Float { adSin(x) }
    @differentiable(reverse) public static func cosine(_ x: Float) -> Float { adCos(x) }
    @differentiable(reverse) public static func hyperbolicTangent(_ x: Float) -> Float { adTanh(x) }
}
