/// Everything that can go wrong when a user's shapes, axes or data reach the library.
///
/// Operators such as `+` cannot throw, so they stop the program with this error's
/// description (as an out-of-range array subscript does); the named functions
/// (`add(_:_:)`, `sum(_:axes:keepdims:)`, ...) and ``Function/apply(_:)`` throw it instead.
public enum AutogradError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that do not broadcast together (numpy/torch rules).
    case shapesDoNotBroadcast([Int], [Int], op: String)
    /// A shape that cannot be broadcast to (or summed down to) a target shape.
    case cannotBroadcast(from: [Int], to: [Int])
    /// An axis outside `-rank..<rank`.
    case axisOutOfRange(axis: Int, rank: Int)
    /// The same axis named twice in one reduction.
    case repeatedAxis(Int)
    /// Element count and shape disagree.
    case dataDoesNotMatchShape(count: Int, shape: [Int])
    /// A shape with a negative dimension.
    case negativeDimension([Int])
    /// Operands of different dtypes (convert one with `Variable.to(_:)`).
    case dtypeMismatch(DType, DType, op: String)
    /// A ``Function`` instance applied a second time; make a new instance per call.
    case functionReused(String)
    /// A seed gradient whose shape differs from the output's.
    case seedShapeMismatch(seed: [Int], output: [Int])
    /// An op received the wrong number of inputs.
    case wrongInputCount(op: String, expected: Int, got: Int)
    /// An index outside `-size..<size` along an axis.
    case indexOutOfRange(index: Int, axis: Int, size: Int)
    /// More subscript components than the tensor has axes.
    case tooManyIndices(given: Int, rank: Int)
    /// A subscript the library does not accept (a zero or negative slice step, two index arrays).
    case invalidIndex(String)
    /// An argument outside the values an op accepts (a probability outside 0...1, a
    /// clip with neither bound).
    case invalidArgument(op: String, reason: String)
    /// Two operands that must have exactly the same shape (a loss's input and target).
    case shapesDiffer([Int], [Int], op: String)
    /// A class label that is not an integer in `0..<classes`.
    case invalidClassLabel(label: Double, classes: Int)

    public var description: String {
        switch self {
        case let .shapesDoNotBroadcast(a, b, op):
            return "\(op): shapes \(a) and \(b) do not broadcast"
        case let .cannotBroadcast(from, to):
            return "cannot broadcast shape \(from) to \(to)"
        case let .axisOutOfRange(axis, rank):
            return "axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-max(rank, 1))...\(max(rank, 1) - 1))"
        case let .repeatedAxis(axis):
            return "axis \(axis) appears more than once"
        case let .dataDoesNotMatchShape(count, shape):
            return "\(count) values do not fill shape \(shape) (\(shape.reduce(1, *)) elements)"
        case let .negativeDimension(shape):
            return "shape \(shape) has a negative dimension"
        case let .dtypeMismatch(a, b, op):
            return "\(op): operands have different dtypes, \(a) and \(b)"
        case let .functionReused(name):
            return "\(name) was already applied; create a new instance for each call"
        case let .seedShapeMismatch(seed, output):
            return "seed gradient of shape \(seed) does not match the output's shape \(output)"
        case let .wrongInputCount(op, expected, got):
            return "\(op) takes \(expected) input(s), got \(got)"
        case let .indexOutOfRange(index, axis, size):
            return "index \(index) is out of bounds for axis \(axis) with size \(size)"
        case let .tooManyIndices(given, rank):
            return "too many indices: \(given) for a tensor of rank \(rank)"
        case let .invalidIndex(reason):
            return "invalid index: \(reason)"
        case let .invalidArgument(op, reason):
            return "\(op): \(reason)"
        case let .shapesDiffer(a, b, op):
            return "\(op): shapes \(a) and \(b) must be equal"
        case let .invalidClassLabel(label, classes):
            let shown = label.rounded() == label && Swift.abs(label) < 1e15 ? "\(Int(label))" : "\(label)"
            return "class label \(shown) is not an integer in 0..<\(classes)"
        }
    }
}

/// Runs a throwing library call from a non-throwing API (an operator), stopping the
/// program with the error's description if it fails, like an array subscript out of range.
@inline(__always)
func trapping<T>(_ body: () throws(AutogradError) -> T) -> T {
    do {
        return try body()
    } catch {
        preconditionFailure(error.description)
    }
}
