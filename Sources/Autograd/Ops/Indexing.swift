// Indexing: x[i], x[a:b:c], x[[i, j, k]], x[..., None], in any combination, with
// several index arrays paired pointwise as in torch (and numpy).
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
    /// The listed positions, in order, repeats allowed (a 1-d index array).
    ///
    /// Several index arrays in one subscript are paired pointwise, their shapes
    /// broadcast together to `B`: `x[[0, 1], [2, 0]]` picks `x[0, 2]` and `x[1, 0]`.
    /// As in torch, integers (``at(_:)``) are applied first; of the rest, index arrays
    /// next to each other put `B` where they stand, index arrays separated by a slice,
    /// `...` or a new axis put `B` in front.
    case indices([Int])
    /// The positions held by an ``DType/int64`` tensor (torch's `x[idx]` for a long
    /// tensor `idx`): a 0-d tensor acts as ``at(_:)``, one of any other rank as an index
    /// array of its shape (see ``indices(_:)``). Other dtypes are refused when the
    /// subscript is applied, as torch refuses float index tensors.
    case tensor(Tensor)
    /// `...`: as many whole axes as the other components leave over (at most one).
    case ellipsis
    /// `None` in torch: a new axis of size 1, consuming no axis of `x`.
    case newAxis

    /// `x[:]`, the whole axis.
    public static let all = Index.slice()
}

/// `x[index...]`: torch's basic indexing (integers, slices, `...`, new axes) and
/// advanced indexing (index arrays, paired pointwise; see ``Index/indices(_:)``).
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
    /// An index array: its shape and its positions (already wrapped into the axis).
    private struct IndexArray {
        var shape: [Int]
        var positions: [Int]
    }

    /// One axis (or group of axes) of the result, as the offsets it contributes.
    private enum Part {
        /// A range of positions times a stride (a slice).
        case range(StrideTo<Int>, count: Int, stride: Int)
        /// A new axis of size 1: contributes offset 0.
        case newAxis
        /// The paired index arrays: one offset per element of their broadcast shape.
        case advanced([Int])
    }

    static func offsets(of index: [Index], in shape: [Int]) throws(AutogradError) -> (offsets: [Int], shape: [Int]) {
        // Index tensors: a 0-d one is an integer, others are index arrays.
        var components: [Index] = []
        var arrays: [Int: IndexArray] = [:]  // by position in `components`
        for component in index {
            switch component {
            case .tensor(let t):
                let (array, integer) = try positions(t)
                if let integer {
                    components.append(.at(integer))
                } else {
                    arrays[components.count] = array
                    components.append(.indices([]))
                }
            case .indices(let list):
                arrays[components.count] = IndexArray(shape: [list.count], positions: list)
                components.append(component)
            default:
                components.append(component)
            }
        }
        // `...` (or the end) stands for the axes the other components leave over.
        let consuming = components.count { if case .ellipsis = $0 { false } else if case .newAxis = $0 { false } else { true } }
        guard components.count(where: { $0 == .ellipsis }) <= 1 else {
            throw .invalidIndex("a subscript can have only one '...'")
        }
        guard consuming <= shape.count else { throw .tooManyIndices(given: consuming, rank: shape.count) }
        let fill = [Index](repeating: .all, count: shape.count - consuming)
        var expanded: [(component: Index, array: IndexArray?)] = []
        for (k, component) in components.enumerated() {
            if case .ellipsis = component {
                expanded += fill.map { ($0, nil) }
            } else {
                expanded.append((component, arrays[k]))
            }
        }
        if !components.contains(.ellipsis) { expanded += fill.map { ($0, nil) } }

        // Walk the axes: integers add a fixed offset; slices and new axes make parts;
        // index arrays are wrapped, and their place in the result decided below.
        let strides = Shape.strides(shape)
        var base = 0
        var parts: [Part] = []
        var outShape: [Int] = []
        var advanced: [(array: IndexArray, stride: Int)] = []
        var advancedSlots: [Int] = []  // where each index array stands among the parts
        var axis = 0
        for (component, array) in expanded {
            switch component {
            case .at(let i):
                base += try wrap(i, axis: axis, size: shape[axis]) * strides[axis]
                axis += 1
            case let .slice(start, stop, step):
                let (range, count) = try slice(start, stop, step, size: shape[axis])
                parts.append(.range(range, count: count, stride: strides[axis]))
                outShape.append(count)
                axis += 1
            case .newAxis:
                parts.append(.newAxis)
                outShape.append(1)
            case .indices, .tensor:
                guard var array else { fatalError("internal: an index array without its positions") }
                for k in array.positions.indices {
                    array.positions[k] = try wrap(array.positions[k], axis: axis, size: shape[axis])
                }
                advancedSlots.append(parts.count)
                advanced.append((array, strides[axis]))
                axis += 1
            case .ellipsis:
                fatalError("internal: '...' is expanded above")
            }
        }
        if !advanced.isEmpty {
            let broadcastShape = try broadcastShapes(advanced.map(\.array.shape))
            let adjacent = zip(advancedSlots, advancedSlots.dropFirst()).allSatisfy { $0 == $1 }
            let slot = adjacent ? advancedSlots[0] : 0
            let outSlot = parts[..<slot].count  // every part is one axis of the result
            let count = try Shape.checkedCount(broadcastShape, op: "getitem")
            let resultShape = Array(outShape[..<outSlot]) + broadcastShape + outShape[outSlot...]
            guard try Shape.checkedCount(resultShape, op: "getitem") > 0 else { return ([], resultShape) }
            var offsets = [Int](repeating: 0, count: count)
            for (array, stride) in advanced {
                let source = broadcastIndex(from: array.shape, to: broadcastShape)
                for k in 0..<count { offsets[k] += array.positions[source[k]] * stride }
            }
            parts.insert(.advanced(offsets), at: slot)
            outShape.insert(contentsOf: broadcastShape, at: outSlot)
        }
        // Checked before any offset is listed: a result with no elements needs no walk
        // at all (slicing a `[0, 1 << 40]` tensor must not list 2⁴⁰ positions).
        guard try Shape.checkedCount(outShape, op: "getitem") > 0 else { return ([], outShape) }
        var offsets = [base]
        for part in parts {
            switch part {
            case let .range(range, _, stride): offsets = offsets.flatMap { b in range.map { b + $0 * stride } }
            case .newAxis: break
            case .advanced(let list): offsets = offsets.flatMap { b in list.map { b + $0 } }
            }
        }
        return (offsets, outShape)
    }

    /// The broadcast shape of the index arrays (numpy's rules), or an error naming them.
    private static func broadcastShapes(_ shapes: [[Int]]) throws(AutogradError) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            for (k, size) in shape.enumerated() {
                let r = rank - shape.count + k
                if result[r] == 1 {
                    result[r] = size
                } else if size != 1 && size != result[r] {
                    throw .invalidIndex("index arrays of shapes \(shapes.map { "\($0)" }.joined(separator: ", ")) do not broadcast together")
                }
            }
        }
        return result
    }

    /// For each element of `target` (row-major), the element of an array of `shape`
    /// that broadcasts to it.
    private static func broadcastIndex(from shape: [Int], to target: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: target.count - shape.count) + shape
        let strides = Shape.strides(padded)
        var result = [0]
        for (k, size) in target.enumerated() {
            let step = padded[k] == 1 ? 0 : strides[k]
            result = result.flatMap { b in (0..<size).map { b + $0 * step } }
        }
        return result
    }

    /// An index tensor as an index array, or as an integer if it is 0-d.
    /// - Throws: ``AutogradError/invalidIndex(_:)`` for a floating-point tensor (torch
    ///   refuses those too).
    private static func positions(_ t: Tensor) throws(AutogradError) -> (IndexArray, integer: Int?) {
        guard t.dtype == .int64 else { throw .invalidIndex("an index tensor must be int64, not \(t.dtype)") }
        let list = t.int64Scalars.map { Int($0) }
        return (IndexArray(shape: t.shape, positions: list), t.rank == 0 ? list[0] : nil)
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
