// Shape ops beyond reshape and broadcasting: expandDims (unsqueeze), squeeze, flatten,
// concatenate (cat), stack and split, with torch's semantics.
//
// expandDims, squeeze and flatten only relabel the dimensions of the same row-major
// elements, so each is a ``Reshape`` to a computed shape (its gradient reshapes back).
// concatenate and split are each other's backward: the gradient of a concatenation is
// the incoming gradient split into the inputs' sizes, and the gradient of a split is the
// outputs' gradients concatenated (zeros for an output that was not used). stack is
// expandDims of each input followed by concatenate. All of them are linear, so every
// derivative order goes through the same pair of functions.

// MARK: - expandDims / unsqueeze

/// `x` with a new axis of size 1 inserted at `axis` (torch's `unsqueeze`, numpy's
/// `expand_dims`). `axis` is in `-(rank + 1)...rank`; a negative one counts from after the
/// last axis (`-1` appends). Gradient: the incoming gradient reshaped back.
/// - Throws: ``AutogradError/newAxisOutOfRange(op:axis:rank:)``.
public func expandDims(_ x: Variable, axis: Int) throws(AutogradError) -> Variable {
    let position = try Shape.normalize(newAxis: axis, rank: x.rank, op: "unsqueeze")
    var shape = x.shape
    shape.insert(1, at: position)
    return try reshape(x, shape)
}

/// torch's name for ``expandDims(_:axis:)``.
public func unsqueeze(_ x: Variable, axis: Int) throws(AutogradError) -> Variable {
    try expandDims(x, axis: axis)
}

// MARK: - squeeze

/// `x` without its axes of size 1: all of them if `axes` is `nil`, otherwise those of
/// `axes` that have size 1 (as in torch, naming an axis of another size is not an
/// error, it is kept; an empty list removes nothing). Gradient: the incoming gradient
/// reshaped back.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func squeeze(_ x: Variable, axes: [Int]? = nil) throws(AutogradError) -> Variable {
    var removed = Set<Int>()
    if let axes {
        for axis in axes {
            let a = try Shape.normalize(axis: axis, rank: x.rank)
            guard removed.insert(a).inserted else { throw .repeatedAxis(axis) }
        }
    } else {
        removed = Set(x.shape.indices)
    }
    let shape = x.shape.enumerated().filter { !(removed.contains($0.offset) && $0.element == 1) }.map(\.element)
    return try reshape(x, shape)
}

/// ``squeeze(_:axes:)`` of one axis.
public func squeeze(_ x: Variable, axis: Int) throws(AutogradError) -> Variable {
    try squeeze(x, axes: [axis])
}

// MARK: - flatten

/// `x` with the axes `start...end` merged into one of their product's size (torch's
/// `flatten`; by default all axes, giving a 1-d tensor; a 0-d tensor becomes `[1]`).
/// Gradient: the incoming gradient reshaped back.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``,
///   ``AutogradError/invalidAxisRange(op:start:end:)`` if `start` comes after `end`.
public func flatten(_ x: Variable, start: Int = 0, end: Int = -1) throws(AutogradError) -> Variable {
    let from = try Shape.normalize(axis: start, rank: x.rank)
    let to = try Shape.normalize(axis: end, rank: x.rank)
    guard from <= to else { throw .invalidAxisRange(op: "flatten", start: start, end: end) }
    if x.rank == 0 { return try reshape(x, [1]) }
    let shape = Array(x.shape[..<from]) + [Shape.count(Array(x.shape[from...to]))] + Array(x.shape[(to + 1)...])
    return try reshape(x, shape)
}

// MARK: - concatenate / cat

/// `y` = the inputs joined along `axis`; their shapes must agree on every other axis.
/// Gradient: the incoming gradient split back into the inputs' sizes along `axis` (``Split``).
public final class Concatenate: Function {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    /// The axis as given (negative counts from the end).
    public let axis: Int
    /// The axis made non-negative, and each input's size along it (set by `forward`).
    private var normalizedAxis = 0
    private var sizes: [Int] = []

    public init(axis: Int) {
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let shapes = xs.map(\.shape)
        guard let first = xs.first else {
            throw .cannotJoin(op: "cat", shapes: [], reason: "it needs at least one tensor")
        }
        if let scalar = xs.firstIndex(where: { $0.rank == 0 }) {
            throw .cannotJoin(op: "cat", shapes: shapes,
                              reason: "tensor \(scalar) is 0-d and has no axis to join along (use stack)")
        }
        normalizedAxis = try Shape.normalize(axis: axis, rank: first.rank)
        for (i, x) in xs.enumerated().dropFirst() {
            guard x.dtype == first.dtype else { throw .dtypeMismatch(first.dtype, x.dtype, op: "cat") }
            guard x.rank == first.rank else {
                throw .cannotJoin(op: "cat", shapes: shapes,
                                  reason: "tensor \(i) has rank \(x.rank), tensor 0 has rank \(first.rank)")
            }
            for d in first.shape.indices where d != normalizedAxis && x.shape[d] != first.shape[d] {
                throw .cannotJoin(op: "cat", shapes: shapes,
                                  reason: "sizes must match except along axis \(normalizedAxis), but tensor \(i) has size \(x.shape[d]) along axis \(d) where tensor 0 has \(first.shape[d])")
            }
        }
        _ = try Tensor.joinedShape(shapes, axis: normalizedAxis, op: "cat")
        sizes = xs.map { $0.shape[normalizedAxis] }
        return [Tensor.concatenated(xs, axis: normalizedAxis)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        trapping { () throws(AutogradError) in try Split(sizes: sizes, axis: normalizedAxis).apply([gys[0]]) }
    }
}

/// The tensors joined along `axis` (torch's `cat`): shapes must agree except along
/// `axis`. As in torch, a 1-d tensor with no elements (shape `[0]`) is skipped whatever
/// the others' shapes (the legacy "empty tensor" rule), and gets a zero gradient.
/// - Throws: ``AutogradError/cannotJoin(op:shapes:reason:)`` (no tensors, a 0-d tensor,
///   different ranks or sizes, sizes along `axis` whose sum overflows `Int`),
///   ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/dtypeMismatch(_:_:op:)``,
///   ``AutogradError/sizeOverflow(shape:op:)`` for a result too large to address.
public func concatenate(_ xs: [Variable], axis: Int = 0) throws(AutogradError) -> Variable {
    let joined = xs.filter { $0.shape != [0] }
    // Only legacy empty tensors: their concatenation along their one axis, as torch.
    if joined.isEmpty && !xs.isEmpty { return try Concatenate(axis: 0).apply(xs)[0] }
    return try Concatenate(axis: axis).apply(joined)[0]
}

/// torch's name for ``concatenate(_:axis:)``.
public func cat(_ xs: [Variable], axis: Int = 0) throws(AutogradError) -> Variable {
    try concatenate(xs, axis: axis)
}

// MARK: - stack

/// The tensors, which must all have the same shape, stacked along a new axis at `axis`
/// (in `-(rank + 1)...rank`), torch's `stack`: ``expandDims(_:axis:)`` of each, then
/// ``concatenate(_:axis:)``, whose backward gives the gradient.
/// - Throws: ``AutogradError/cannotJoin(op:shapes:reason:)`` (no tensors, unequal
///   shapes), ``AutogradError/newAxisOutOfRange(op:axis:rank:)``,
///   ``AutogradError/sizeOverflow(shape:op:)`` for a result too large to address
///   (four tensors of shape `[0, 1 << 62]` stack to `[4, 0, 1 << 62]`).
public func stack(_ xs: [Variable], axis: Int = 0) throws(AutogradError) -> Variable {
    guard let first = xs.first else {
        throw .cannotJoin(op: "stack", shapes: [], reason: "it needs at least one tensor")
    }
    if let i = xs.firstIndex(where: { $0.shape != first.shape }) {
        throw .cannotJoin(op: "stack", shapes: xs.map(\.shape),
                          reason: "every tensor must have the same shape, but tensor 0 has \(first.shape) and tensor \(i) has \(xs[i].shape)")
    }
    let position = try Shape.normalize(newAxis: axis, rank: first.rank, op: "stack")
    var expanded: [Variable] = []
    for x in xs { expanded.append(try expandDims(x, axis: position)) }
    return try Concatenate(axis: position).apply(expanded)[0]
}

// MARK: - split

/// `y₀, y₁, …` = consecutive pieces of `x` along `axis`, of the given `sizes` (which sum
/// to the axis's size). Gradient: the outputs' gradients concatenated along `axis`
/// (``Concatenate``); an output that was not used contributes zeros.
public final class Split: Function {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    public let sizes: [Int]
    /// The axis as given (negative counts from the end).
    public let axis: Int
    private var normalizedAxis = 0

    public init(sizes: [Int], axis: Int) {
        self.sizes = sizes
        self.axis = axis
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        guard x.rank > 0 else { throw .invalidSplit(shape: x.shape, axis: axis, reason: "a 0-d tensor has no axis") }
        normalizedAxis = try Shape.normalize(axis: axis, rank: x.rank)
        let length = x.shape[normalizedAxis]
        if let negative = sizes.first(where: { $0 < 0 }) {
            throw .invalidSplit(shape: x.shape, axis: axis, reason: "size \(negative) in \(sizes) is negative")
        }
        var total = 0
        for size in sizes {
            let (sum, overflow) = total.addingReportingOverflow(size)
            guard !overflow else {
                throw .invalidSplit(shape: x.shape, axis: axis,
                                    reason: "sizes \(sizes) add up to more than \(Int.max), but the axis has length \(length)")
            }
            total = sum
        }
        guard total == length else {
            throw .invalidSplit(shape: x.shape, axis: axis,
                                reason: "sizes \(sizes) sum to \(total), but the axis has length \(length)")
        }
        return x.split(sizes: sizes, axis: normalizedAxis)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [trapping { () throws(AutogradError) in try Concatenate(axis: normalizedAxis).apply(gys)[0] }]
    }
}

/// `x` cut along `axis` into consecutive pieces of the given sizes, which must sum to the
/// axis's length (torch's `split` with a list of sizes; zeros are allowed).
/// - Throws: ``AutogradError/invalidSplit(shape:axis:reason:)`` (also for sizes whose
///   sum overflows `Int`), ``AutogradError/axisOutOfRange(axis:rank:)``.
public func split(_ x: Variable, sizes: [Int], axis: Int = 0) throws(AutogradError) -> [Variable] {
    try Split(sizes: sizes, axis: axis).apply([x])
}

/// `x` cut along `axis` into pieces of `chunkSize`, the last one smaller if the length is
/// not a multiple (torch's `split` with an integer): a length of 5 in chunks of 2 gives
/// pieces of 2, 2 and 1. An axis of length 0 gives one empty piece; a chunk size of 0 is
/// allowed only then.
/// - Throws: ``AutogradError/invalidSplit(shape:axis:reason:)``, ``AutogradError/axisOutOfRange(axis:rank:)``.
public func split(_ x: Variable, chunkSize: Int, axis: Int = 0) throws(AutogradError) -> [Variable] {
    guard x.rank > 0 else { throw .invalidSplit(shape: x.shape, axis: axis, reason: "a 0-d tensor has no axis") }
    let length = x.shape[try Shape.normalize(axis: axis, rank: x.rank)]
    guard chunkSize >= 0 else {
        throw .invalidSplit(shape: x.shape, axis: axis, reason: "the chunk size \(chunkSize) is negative")
    }
    guard chunkSize > 0 || length == 0 else {
        throw .invalidSplit(shape: x.shape, axis: axis,
                            reason: "a chunk size of 0 only splits an axis of length 0, and this one has length \(length)")
    }
    var sizes: [Int] = []
    var start = 0
    repeat {
        let size = min(chunkSize, length - start)
        sizes.append(size)
        start += size
    } while start < length
    return try split(x, sizes: sizes, axis: axis)
}

// MARK: - flip

/// `y = x` with the order of elements reversed along each of `axes` (`torch.flip`; an
/// empty list leaves `x` as it is). Gradient: the incoming gradient flipped back along the
/// same axes (a flip is its own inverse), so every derivative order is a flip.
public final class Flip: UnaryFunction {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    /// The axes as given (negative axes count from the end).
    public let axes: [Int]
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]) {
        self.axes = axes
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        var seen = Set<Int>()
        for axis in axes {
            let a = try Shape.normalize(axis: axis, rank: x.rank)
            guard seen.insert(a).inserted else { throw .repeatedAxis(axis) }
        }
        normalizedAxes = seen.sorted()
        guard x.rank > 0 else { return x }
        // Element i of y reads x at the mirrored index: a negative stride along a flipped
        // axis, starting from that axis's last position.
        let strides = Shape.strides(x.shape)
        var source = strides, base = 0
        for a in normalizedAxes where x.shape[a] > 0 {
            source[a] = -strides[a]
            base += (x.shape[a] - 1) * strides[a]
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(x.count)
        forEachOffset(x.shape, source, source) { i, _ in offsets.append(base + i) }
        return x.gather(offsets, shape: x.shape)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [Flip(axes: normalizedAxes)(gys[0])]
    }
}

/// `x` reversed along `axes` (negative axes count from the end), `torch.flip`.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func flip(_ x: Variable, axes: [Int]) throws(AutogradError) -> Variable {
    try Flip(axes: axes).apply(x)
}

// MARK: - chunk, unbind

/// `x` cut along `axis` into at most `chunks` pieces of `⌈n/chunks⌉` elements each, the
/// last one smaller (`torch.chunk`): so there may be fewer than `chunks` pieces (a length
/// of 6 in 4 chunks gives 2, 2, 2). An axis of length 0 gives `chunks` empty pieces, as in
/// torch. Gradient: that of ``split(_:chunkSize:axis:)``.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `chunks < 1`,
///   ``AutogradError/invalidSplit(shape:axis:reason:)`` for a 0-d tensor,
///   ``AutogradError/axisOutOfRange(axis:rank:)``.
public func chunk(_ x: Variable, chunks: Int, axis: Int = 0) throws(AutogradError) -> [Variable] {
    guard chunks > 0 else {
        throw .invalidArgument(op: "chunk", reason: "chunks must be greater than 0, got \(chunks)")
    }
    guard x.rank > 0 else { throw .invalidSplit(shape: x.shape, axis: axis, reason: "a 0-d tensor has no axis") }
    let length = x.shape[try Shape.normalize(axis: axis, rank: x.rank)]
    if length == 0 { return try split(x, sizes: Array(repeating: 0, count: chunks), axis: axis) }
    return try split(x, chunkSize: (length + chunks - 1) / chunks, axis: axis)
}

/// The slices of `x` along `axis`, each without that axis (`torch.unbind`): a `[3, 2]`
/// matrix gives three vectors of 2. Gradient: the slices' gradients stacked back (zeros
/// for slices that were not used), through ``Split`` and ``Reshape``.
/// - Throws: ``AutogradError/invalidSplit(shape:axis:reason:)`` for a 0-d tensor,
///   ``AutogradError/axisOutOfRange(axis:rank:)``.
public func unbind(_ x: Variable, axis: Int = 0) throws(AutogradError) -> [Variable] {
    guard x.rank > 0 else { throw .invalidSplit(shape: x.shape, axis: axis, reason: "a 0-d tensor has no axis") }
    let a = try Shape.normalize(axis: axis, rank: x.rank)
    let length = x.shape[a]
    guard length > 0 else { return [] }
    var shape = x.shape
    shape.remove(at: a)
    var slices: [Variable] = []
    for piece in try split(x, sizes: Array(repeating: 1, count: length), axis: a) {
        slices.append(try reshape(piece, shape))
    }
    return slices
}
