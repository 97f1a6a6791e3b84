import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Independent references for the op tests: floating-point distance, closeness checks,
// broadcasting by explicit index arithmetic, and the catalogue of binary ops with their
// values and partial derivatives written out by hand.

// MARK: - Floating-point distance

/// The number of representable doubles between `a` and `b` (0 if equal, +0 == -0;
/// `.max` if either is NaN).
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a == b { return 0 }
    if a.isNaN || b.isNaN { return .max }
    // Map the sign-magnitude bit pattern onto a monotonic two's-complement line.
    func ordered(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits < 0 ? Int64.min - bits : bits
    }
    let (difference, overflow) = ordered(a).subtractingReportingOverflow(ordered(b))
    return overflow ? .max : difference.magnitude
}

/// The number of representable floats between `a` and `b`.
func ulpDistance(_ a: Float, _ b: Float) -> UInt64 {
    if a == b { return 0 }
    if a.isNaN || b.isNaN { return .max }
    func ordered(_ x: Float) -> Int64 {
        let bits = Int64(Int32(bitPattern: x.bitPattern))
        return bits < 0 ? Int64(Int32.min) - bits : bits
    }
    return (ordered(a) - ordered(b)).magnitude
}

/// Expects `actual` within `ulps` representable doubles of `expected`.
func expectULPs(
    _ actual: Double, _ expected: Double, within ulps: UInt64, _ what: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let distance = ulpDistance(actual, expected)
    #expect(distance <= ulps,
            "\(what()): got \(actual), expected \(expected) (\(distance) ulps apart, allowed \(ulps))",
            sourceLocation: sourceLocation)
}

/// Expects `actual` within `ulps` representable floats of `expected`.
func expectULPs(
    _ actual: Float, _ expected: Float, within ulps: UInt64, _ what: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let distance = ulpDistance(actual, expected)
    #expect(distance <= ulps,
            "\(what()): got \(actual), expected \(expected) (\(distance) ulps apart, allowed \(ulps))",
            sourceLocation: sourceLocation)
}

/// Expects `|actual - expected| <= rtol·|expected|`.
func expectRelative(
    _ actual: Double, _ expected: Double, rtol: Double, _ what: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(abs(actual - expected) <= rtol * abs(expected),
            "\(what()): got \(actual), expected \(expected) (relative tolerance \(rtol))",
            sourceLocation: sourceLocation)
}

// MARK: - Broadcasting by index arithmetic

/// The row-major offset, in a tensor of `shape`, of the element that broadcasting reads
/// for the output index `outIndex`: dimensions align from the right, and a dimension of
/// size 1 is read at index 0.
func broadcastSourceOffset(_ outIndex: [Int], _ shape: [Int]) -> Int {
    let lead = outIndex.count - shape.count
    var offset = 0
    for d in shape.indices {
        let i = shape[d] == 1 ? 0 : outIndex[d + lead]
        offset = offset * shape[d] + i
    }
    return offset
}

/// `op` applied to `a` and `b` broadcast to `outShape`, element by element.
func referenceBinary(_ a: Tensor, _ b: Tensor, outShape: [Int], _ op: (Double, Double) -> Double) -> [Double] {
    let av = a.scalars, bv = b.scalars
    return (0..<outShape.reduce(1, *)).map { flat in
        let index = multiIndex(flat, in: outShape)
        return op(av[broadcastSourceOffset(index, a.shape)], bv[broadcastSourceOffset(index, b.shape)])
    }
}

/// `a` broadcast to `outShape`.
func referenceBroadcast(_ a: Tensor, to outShape: [Int]) -> [Double] {
    let av = a.scalars
    return (0..<outShape.reduce(1, *)).map { av[broadcastSourceOffset(multiIndex($0, in: outShape), a.shape)] }
}

// MARK: - Binary ops

/// The binary ops, each with a hand-written reference value and partial derivatives.
enum BinaryOp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case add, sub, mul, div, pow

    var testDescription: String { rawValue }

    /// The name the library puts in its error messages.
    var libraryName: String {
        switch self {
        case .add: "add"
        case .sub: "subtract"
        case .mul: "multiply"
        case .div: "divide"
        case .pow: "power"
        }
    }

    /// The operator form (`a + b`, ..., `a ** b`).
    func callAsFunction(_ a: Variable, _ b: Variable) -> Variable {
        switch self {
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .pow: a ** b
        }
    }

    /// The throwing named form (`add(a, b)`, ..., `pow(a, b)`).
    func named(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
        switch self {
        case .add: try Autograd.add(a, b)
        case .sub: try Autograd.sub(a, b)
        case .mul: try Autograd.mul(a, b)
        case .div: try Autograd.div(a, b)
        case .pow: try Autograd.pow(a, b)
        }
    }

    /// The value, from IEEE arithmetic and the C library's `pow`.
    func reference(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: a + b
        case .sub: a - b
        case .mul: a * b
        case .div: a / b
        case .pow: Glibc.pow(a, b)
        }
    }

    /// `(∂/∂a, ∂/∂b)` from calculus: 1,1; 1,-1; b,a; 1/b,-a/b²; b·a^(b-1), a^b·ln a.
    func partials(_ a: Double, _ b: Double) -> (Double, Double) {
        switch self {
        case .add: (1, 1)
        case .sub: (1, -1)
        case .mul: (b, a)
        case .div: (1 / b, -a / (b * b))
        case .pow: (b * Glibc.pow(a, b - 1), Glibc.pow(a, b) * Glibc.log(a))
        }
    }

    /// Inputs inside the domain where both partials are smooth: divisors away from 0,
    /// bases of `pow` positive (`ln a` in ∂/∂b).
    func sample(_ shapeA: [Int], _ shapeB: [Int], _ rng: inout SplitMix64) -> (Tensor, Tensor) {
        switch self {
        case .add, .sub, .mul:
            (rng.tensor(shapeA, in: -2...2), rng.tensor(shapeB, in: -2...2))
        case .div:
            (rng.tensor(shapeA, in: -2...2), rng.tensor(shapeB, magnitude: 0.5...2))
        case .pow:
            (rng.tensor(shapeA, in: 0.5...2.5), rng.tensor(shapeB, in: -2...2))
        }
    }
}
