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
    /// A shape too large to address: the product of its dimensions, each 0 read as 1,
    /// does not fit in `Int` (64 bits). That product is the element count of a shape
    /// without zeros, and the size of the outermost row-major stride times its
    /// dimension in general, so a shape such as `[0, 1 << 40, 1 << 40]` is refused too
    /// (torch refuses both, with "Storage size" / "Stride calculation overflowed").
    /// `op` names the call whose shape it is (`"zeros"`, `"reshape"`, `"cat"`, ...).
    case sizeOverflow(shape: [Int], op: String)
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
    /// Operands of a matrix product whose shapes do not fit: `reason` says which
    /// dimensions disagree (inner dimensions, batch dimensions, or a 0-d operand).
    case incompatibleMatmulShapes([Int], [Int], reason: String)
    /// Transpose axes that are not a permutation of `0..<rank` (wrong count or a repeat).
    case invalidPermutation(axes: [Int], rank: Int)
    /// A maximum or minimum over no elements: an axis of size 0 (`axis`), or all axes of
    /// an empty tensor (`axis == nil`). Such a reduction has no value.
    case emptyReduction(op: String, axis: Int?)
    /// A reshape target with a `-1` (inferred) dimension that cannot be resolved: two
    /// `-1`s, an element count not divisible by the other dimensions, or an ambiguous
    /// `-1` for a tensor with no elements.
    case cannotReshape(from: [Int], to: [Int], reason: String)
    /// Tensors that `cat` or `stack` cannot join: `reason` names the offending shapes.
    case cannotJoin(op: String, shapes: [[Int]], reason: String)
    /// Split sizes that do not partition the axis (a wrong sum, a negative size, a zero
    /// chunk size for a non-empty axis), or a 0-d tensor, which has no axis to split.
    case invalidSplit(shape: [Int], axis: Int, reason: String)
    /// An axis for a new dimension (`unsqueeze`, `stack`) outside `-(rank + 1)...rank`.
    case newAxisOutOfRange(op: String, axis: Int, rank: Int)
    /// An axis range given backwards (`flatten` with `start` after `end`).
    case invalidAxisRange(op: String, start: Int, end: Int)
    /// An argument outside the values an op accepts (a probability outside 0...1, a
    /// clip with neither bound).
    case invalidArgument(op: String, reason: String)
    /// Two operands that must have exactly the same shape (a loss's input and target).
    case shapesDiffer([Int], [Int], op: String)
    /// A class label that is not an integer in `0..<classes`.
    case invalidClassLabel(label: Double, classes: Int)
    /// An op that does not accept tensors of this dtype: every floating-point op given
    /// an ``DType/int64`` tensor (convert it with ``Tensor/converted(to:)`` first), or an
    /// index tensor that is not int64.
    case unsupportedDType(DType, op: String)
    /// A value with no counterpart in `dtype`: NaN, an infinity, or a number outside
    /// `-2⁶³..<2⁶³` converted to ``DType/int64``.
    case unrepresentable(Double, dtype: DType)

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
            return "\(count) values do not fill shape \(shape) (\(Self.elementCount(shape)) elements)"
        case let .negativeDimension(shape):
            return "shape \(shape) has a negative dimension"
        case let .sizeOverflow(shape, op):
            return "\(op): shape \(shape) is too large: the product of its dimensions (0 counted as 1) exceeds \(Int.max)"
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
        case let .incompatibleMatmulShapes(a, b, reason):
            return "matmul: \(a) and \(b) are not compatible: \(reason)"
        case let .invalidPermutation(axes, rank):
            return "transpose: axes \(axes) are not a permutation of the axes of a rank-\(rank) tensor (each of 0..<\(rank) exactly once)"
        case let .emptyReduction(op, axis?):
            return "\(op): cannot reduce over axis \(axis), which has size 0"
        case let .emptyReduction(op, nil):
            return "\(op): cannot reduce a tensor with no elements"
        case let .cannotReshape(from, to, reason):
            return "cannot reshape a tensor of shape \(from) (\(Self.elementCount(from)) elements) to \(to): \(reason)"
        case let .cannotJoin(op, shapes, reason):
            return "\(op): cannot join tensors of shapes \(shapes.map(\.description).joined(separator: ", ")): \(reason)"
        case let .invalidSplit(shape, axis, reason):
            return "split: cannot split a tensor of shape \(shape) along axis \(axis): \(reason)"
        case let .newAxisOutOfRange(op, axis, rank):
            return "\(op): axis \(axis) is out of range for a new axis of a rank-\(rank) tensor (valid: \(-(rank + 1))...\(rank))"
        case let .invalidAxisRange(op, start, end):
            return "\(op): start axis \(start) comes after end axis \(end)"
        case let .invalidArgument(op, reason):
            return "\(op): \(reason)"
        case let .shapesDiffer(a, b, op):
            return "\(op): shapes \(a) and \(b) must be equal"
        case let .invalidClassLabel(label, classes):
            let shown = label.rounded() == label && Swift.abs(label) < 1e15 ? "\(Int(label))" : "\(label)"
            return "class label \(shown) is not an integer in 0..<\(classes)"
        case let .unsupportedDType(.int64, op):
            return "\(op) does not accept int64 tensors: int64 tensors support shape ops, indexing, comparisons, "
                + "argmax, argmin and sum; convert with converted(to: .float64) first"
        case let .unsupportedDType(dtype, op):
            return "\(op) does not accept \(dtype) tensors"
        case let .unrepresentable(value, dtype):
            return "\(value) cannot be converted to \(dtype): it needs a finite value in -2^63..<2^63"
        }
    }

    /// The product of `shape`'s dimensions as text, without trapping on overflow (a
    /// description may be asked of an error about any shape).
    private static func elementCount(_ shape: [Int]) -> String {
        var product = 1
        for d in shape {
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            if overflow { return "more than \(Int.max)" }
            product = p
        }
        return "\(product)"
    }
}

/// Runs a throwing library call from a non-throwing API (an operator), stopping the
/// program with the error's description if it fails, like an array subscript out of range.
///
/// It stops with `fatalError`, not `preconditionFailure`: in `-O` builds
/// `preconditionFailure` drops its message (a bare "illegal instruction"), while
/// `fatalError` prints it in every build configuration
/// (`tools/check-release-traps.sh` checks this on a release build).
@inline(__always)
func trapping<T>(_ body: () throws(AutogradError) -> T) -> T {
    do {
        return try body()
    } catch {
        fatalError(error.description)
    }
}
