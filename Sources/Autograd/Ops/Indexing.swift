// Indexing: x[i], x[a:b:c], x[[i, j, k]], in any combination over the leading axes.
//
// Every subscript is reduced to one list of element offsets into `x` (row-major), so
// the forward pass is a gather and the backward pass scatters the gradient back into
// zeros of `x`'s shape, adding where an offset repeats (`x[[0, 0]]` gives x[0] a
// gradient of 2). Gather and scatter are each other's backward, so indexing is
// differentiable to any order.

/// One component of a subscript.
public enum Index: Sendable, Equatable {
    /// One position (negative counts from the end); the axis is dropped.
    case at(Int)
    /// Positions `start, start + step, ...` before `stop`, clamped to the axis as Python
    /// does; any part may be `nil`. The step must be positive (as in torch).
    case slice(start: Int? = nil, stop: Int? = nil, step: Int? = nil)
    /// The listed positions, in order, repeats allowed (an index array). At most one
    /// per subscript; the axis stays in place with the list's length.
    case indices([Int])
    /// The positions held by an ``DType/int64`` tensor (torch's `x[idx]` for a long
    /// tensor `idx`): a 1-d tensor acts as ``indices(_:)``, a 0-d one as ``at(_:)``. Other
    /// dtypes and ranks are refused when the subscript is applied, as torch refuses float
    /// index tensors.
    case tensor(Tensor)

    /// `x[:]`, the whole axis.
    public static let all = Index.slice()
}

/// `x[index...]`: numpy/torch basic indexing plus one index array.
/// Gradient: the incoming gradient scattered into zeros of `x`'s shape (accumulating repeats).
/// - Throws: ``AutogradError/indexOutOfRange(index:axis:size:)``,
///   ``AutogradError/tooManyIndices(given:rank:)``, ``AutogradError/invalidIndex(_:)``,
///   ``AutogradError/sizeOverflow(shape:op:)`` for a result too large to address (an
///   index array that lengthens an axis of a tensor with no elements).
public func getitem(_ x: Variable, _ index: [Index]) throws(AutogradError) -> Variable {
    let (offsets, shape) = try IndexPlan.offsets(of: index, in: x.shape)
    return try Gather(offsets: offsets, shape: shape).apply([x])[0]
}

extension Variable {
    /// `x[1]`, `x[.all, .slice(start: 0, stop: 2)]`, `x[.indices([0, 2])]`. Stops the
    /// program on an index out of range, as an array does; ``getitem(_:_:)`` throws instead.
    public subscript(_ index: Index...) -> Variable {
        trapping { () throws(AutogradError) in try getitem(self, index) }
    }

    /// `x[2]`: one position along the first axis.
    public subscript(_ i: Int) -> Variable {
        trapping { () throws(AutogradError) in try getitem(self, [.at(i)]) }
    }
}

/// `y = x.flat[offsets]` reshaped to `shape`. Gradient: ``ScatterAdd`` of the incoming
/// gradient at the same offsets.
///
/// `forward` throws ``AutogradError/invalidArgument(op:reason:)`` if `offsets` does not
/// fill `shape` or an offset is outside `0..<x.count`, and the errors of a shape check
/// (``AutogradError/negativeDimension(_:)``, ``AutogradError/sizeOverflow(shape:op:)``).
public final class Gather: UnaryFunction {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    public let offsets: [Int]
    public let shape: [Int]

    public init(offsets: [Int], shape: [Int]) {
        self.offsets = offsets
        self.shape = shape
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        let count = try Shape.checkedCount(shape, op: "gather")
        guard offsets.count == count else {
            throw .invalidArgument(op: "gather", reason: "\(offsets.count) offsets do not fill shape \(shape)")
        }
        if let bad = offsets.first(where: { $0 < 0 || $0 >= x.count }) {
            throw .invalidArgument(op: "gather", reason: "offset \(bad) is outside 0..<\(x.count)")
        }
        return x.gather(offsets, shape: shape)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [ScatterAdd(offsets: offsets, shape: input(0).shape)(gys[0])]
    }
}

/// `y = zeros(shape)` with `x`'s elements added at `offsets` (repeats add up).
/// Gradient: ``Gather`` of the incoming gradient at the same offsets.
///
/// `forward` throws ``AutogradError/invalidArgument(op:reason:)`` unless there is one
/// offset per element of `x`, each in `0..<count(shape)`, and the errors of a shape
/// check (``AutogradError/negativeDimension(_:)``, ``AutogradError/sizeOverflow(shape:op:)``).
public final class ScatterAdd: UnaryFunction {
    public let offsets: [Int]
    public let shape: [Int]

    public init(offsets: [Int], shape: [Int]) {
        self.offsets = offsets
        self.shape = shape
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        let count = try Shape.checkedCount(shape, op: "scatterAdd")
        guard offsets.count == x.count else {
            throw .invalidArgument(op: "scatterAdd", reason: "\(offsets.count) offsets for \(x.count) elements")
        }
        if let bad = offsets.first(where: { $0 < 0 || $0 >= count }) {
            throw .invalidArgument(op: "scatterAdd", reason: "offset \(bad) is outside 0..<\(count)")
        }
        return x.scatterAdd(offsets, shape: shape)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [Gather(offsets: offsets, shape: input(0).shape)(gys[0])]
    }
}

/// Turns a subscript into element offsets.
enum IndexPlan {
    static func offsets(of index: [Index], in shape: [Int]) throws(AutogradError) -> (offsets: [Int], shape: [Int]) {
        var index = index
        for (k, component) in index.enumerated() {
            if case .tensor(let t) = component { index[k] = try positions(t) }
        }
        guard index.count <= shape.count else { throw .tooManyIndices(given: index.count, rank: shape.count) }
        guard index.filter({ if case .indices = $0 { true } else { false } }).count <= 1 else {
            throw .invalidIndex("at most one index array per subscript")
        }
        // The positions each axis contributes (a slice as its range, so that nothing is
        // materialized before the result's size is known), and whether the axis survives.
        enum Positions {
            case list([Int])
            case range(StrideTo<Int>, count: Int)
        }
        var positions: [Positions] = []
        var outShape: [Int] = []
        for axis in shape.indices {
            let size = shape[axis]
            let component = axis < index.count ? index[axis] : .all
            switch component {
            case .at(let i):
                positions.append(.list([try wrap(i, axis: axis, size: size)]))
            case let .slice(start, stop, step):
                let (range, count) = try slice(start, stop, step, size: size)
                positions.append(.range(range, count: count))
                outShape.append(count)
            case .tensor:
                fatalError("internal: index tensors are resolved above")
            case .indices(let list):
                var p: [Int] = []
                for i in list { p.append(try wrap(i, axis: axis, size: size)) }
                positions.append(.list(p))
                outShape.append(p.count)
            }
        }
        // Checked before any position list is built: the offsets are as many as the
        // result's elements, and a result with none needs no walk at all (slicing a
        // `[0, 1 << 40]` tensor must not list 2⁴⁰ positions).
        guard try Shape.checkedCount(outShape, op: "getitem") > 0 else { return ([], outShape) }
        let strides = Shape.strides(shape)
        var offsets = [0]
        for axis in shape.indices {
            let step = strides[axis]
            switch positions[axis] {
            case .list(let p): offsets = offsets.flatMap { base in p.map { base + $0 * step } }
            case .range(let p, _): offsets = offsets.flatMap { base in p.map { base + $0 * step } }
            }
        }
        return (offsets, outShape)
    }

    /// An index tensor as the component it stands for: a 1-d int64 tensor as
    /// ``Index/indices(_:)``, a 0-d one as ``Index/at(_:)``.
    /// - Throws: ``AutogradError/invalidIndex(_:)`` for a floating-point tensor (torch
    ///   refuses those too) or a rank above 1.
    private static func positions(_ t: Tensor) throws(AutogradError) -> Index {
        guard t.dtype == .int64 else { throw .invalidIndex("an index tensor must be int64, not \(t.dtype)") }
        let list = t.int64Scalars.map { Int($0) }
        switch t.rank {
        case 0: return .at(list[0])
        case 1: return .indices(list)
        default: throw .invalidIndex("an index tensor must be 0-d or 1-d, not of shape \(t.shape)")
        }
    }

    private static func wrap(_ i: Int, axis: Int, size: Int) throws(AutogradError) -> Int {
        guard i >= -size && i < size else { throw .indexOutOfRange(index: i, axis: axis, size: size) }
        return i < 0 ? i + size : i
    }

    /// Python's slice rules for a positive step: negative bounds count from the end,
    /// out-of-range bounds are clamped. The positions `from, from + step, …` before `to`,
    /// and how many there are, `⌈(to − from) / step⌉` (0 if `to ≤ from`).
    private static func slice(
        _ start: Int?, _ stop: Int?, _ step: Int?, size: Int
    ) throws(AutogradError) -> (StrideTo<Int>, count: Int) {
        let step = step ?? 1
        guard step > 0 else { throw .invalidIndex("slice step must be positive, not \(step)") }
        func clamp(_ bound: Int?, _ default: Int) -> Int {
            guard let bound else { return `default` }
            // `bound + size` cannot overflow: `bound < 0 <= size`.
            return bound < 0 ? max(bound + size, 0) : min(bound, size)
        }
        let from = clamp(start, 0), to = clamp(stop, size)
        let count = from < to ? (to - from - 1) / step + 1 : 0
        return (stride(from: from, to: Swift.max(from, to), by: step), count)
    }
}

extension Tensor {
    /// The elements at `offsets`, as a tensor of `shape`.
    func gather(_ offsets: [Int], shape: [Int]) -> Tensor {
        if let ints = int64Storage { return Tensor(shape: shape, int64Storage: offsets.map { ints[$0] }) }
        return switch storage {
        case .float64(let a): Tensor(shape: shape, storage: .float64(offsets.map { a[$0] }))
        case .float32(let a): Tensor(shape: shape, storage: .float32(offsets.map { a[$0] }))
        }
    }

    /// Zeros of `shape` with this tensor's elements added at `offsets`.
    func scatterAdd(_ offsets: [Int], shape: [Int]) -> Tensor {
        func scatter<T: TensorScalar>(_ a: [T]) -> [T] {
            var out = [T](repeating: 0, count: Shape.count(shape))
            for (i, offset) in offsets.enumerated() { out[offset] += a[i] }
            return out
        }
        switch storage {
        case .float64(let a): return Tensor(shape: shape, storage: .float64(scatter(a)))
        case .float32(let a): return Tensor(shape: shape, storage: .float32(scatter(a)))
        }
    }
}

// MARK: - gather along an axis

/// `y[p] = x[p with its coordinate along axis replaced by index[p]]` (`torch.gather(x, axis,
/// index)`): `y` has `index`'s shape, `index` is an int64 tensor of `x`'s rank whose sizes
/// are at most `x`'s on every other axis, and whose values are in `0..<x.shape[axis]`.
/// Gradient: the incoming gradient added into zeros of `x`'s shape at the gathered
/// positions (scatter-add: a position gathered twice gets both gradients), itself
/// differentiable: its gradient is the same gather. Both are ``Gather`` and ``ScatterAdd``
/// on the element offsets, as for subscripts.
/// As torch, a 0-d `x` or `index` counts as 1-d (so either may be 0-d with the other 1-d),
/// and an empty `index` gives an empty result without any shape check.
/// - Throws: ``AutogradError/invalidIndex(_:)`` for an index that is not int64, of another
///   rank, or larger than `x` on another axis; ``AutogradError/indexOutOfRange(index:axis:size:)``
///   for a value outside `0..<x.shape[axis]` (negative values too, as torch);
///   ``AutogradError/axisOutOfRange(axis:rank:)``.
public func gather(_ x: Variable, axis: Int, index: Tensor) throws(AutogradError) -> Variable {
    guard index.dtype == .int64 else { throw .invalidIndex("gather's index must be int64, not \(index.dtype)") }
    let a = try Shape.normalize(axis: axis, rank: x.rank)
    // torch checks the shapes only for a nonempty index, and counts a 0-d tensor as 1-d.
    if index.count == 0 { return try Gather(offsets: [], shape: index.shape).apply(x) }
    guard Swift.max(index.rank, 1) == Swift.max(x.rank, 1) else {
        throw .invalidIndex("gather's index has rank \(index.rank) but the input has rank \(x.rank)")
    }
    if index.rank == x.rank {
        for d in x.shape.indices where d != a && index.shape[d] > x.shape[d] {
            throw .invalidIndex("gather's index \(index.shape) is larger than the input \(x.shape) along axis \(d)")
        }
    }
    let size = x.rank == 0 ? 1 : x.shape[a]
    let strides = Shape.strides(x.shape)
    let axisStride = x.rank == 0 ? 0 : strides[a]
    // The offset of every index position with its own coordinates (the axis's counted 0),
    // then the index value along the axis added. A 0-d and a 1-d operand have no other
    // axis: every position's own offset is 0.
    var positionStrides = index.rank == x.rank ? strides : Array(repeating: 0, count: index.rank)
    if x.rank > 0 && index.rank == x.rank { positionStrides[a] = 0 }
    let values = index.int64Scalars
    var offsets: [Int] = []
    offsets.reserveCapacity(values.count)
    var k = 0
    var failure: AutogradError?
    forEachOffset(index.shape, positionStrides, positionStrides) { base, _ in
        let v = Int(values[k])
        k += 1
        guard v >= 0 && v < size else {
            if failure == nil { failure = .indexOutOfRange(index: v, axis: a, size: size) }
            return
        }
        offsets.append(base + v * axisStride)
    }
    if let failure { throw failure }
    return try Gather(offsets: offsets, shape: index.shape).apply(x)
}
