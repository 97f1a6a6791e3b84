/// An n-dimensional array of `Double`, `Float` or `Int64`, stored row-major (C order).
///
/// A `Tensor` is a value: copies share storage until one is written (copy on write).
/// Rank 0 (`shape == []`) is a scalar holding one element. Tensors carry no gradient
/// information; ``Variable`` wraps one to take part in a graph.
///
/// An ``DType/int64`` tensor (class labels, indices: `Tensor(int64: [2, 0, 1])`) is never
/// differentiable. It supports shape ops, indexing, comparisons, `argmax`/`argmin` and
/// `sum`; arithmetic and the other float math refuse it (with
/// ``AutogradError/unsupportedDType(_:op:)``): convert it with ``converted(to:)`` first.
///
/// ```swift
/// let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// t.shape    // [2, 3]
/// t[1, 2]    // 6.0
/// ```
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public let shape: [Int]
    /// The elements. A 0-d tensor keeps its one element inline, so that scalar graphs
    /// (the seed's `sigmoid(tanh(x))`, a million-op chain) allocate no element buffers.
    private var elements: Elements

    private enum Elements: Sendable, Equatable {
        case float64([Double])
        case float32([Float])
        case int64([Int64])
        case scalar64(Double)
        case scalar32(Float)
        case scalarInt64(Int64)
    }

    /// The elements as an array of their precision: what the float kernels switch on.
    ///
    /// Deliberately float-only: int64 tensors reach only the shape, indexing, comparison,
    /// arg-extremum and sum kernels, which read ``int64Storage`` first, so the ~27 float
    /// kernels switching on this enum stay exhaustive over the two float cases. Every
    /// public entry point refuses int64 before it gets here (``Function/apply(_:)``,
    /// ``requireFloatingPoint(_:)``); ``storage`` on an int64 tensor is a safety net that
    /// stops the program naming the problem.
    enum Storage: Sendable, Equatable {
        case float64([Double])
        case float32([Float])
    }

    /// Wraps storage whose count the caller has checked against `shape`.
    init(shape: [Int], storage: Storage) {
        self.shape = shape
        switch storage {
        case .float64(let a): elements = shape.isEmpty ? .scalar64(a[0]) : .float64(a)
        case .float32(let a): elements = shape.isEmpty ? .scalar32(a[0]) : .float32(a)
        }
    }

    /// A 0-d float64 tensor holding `value`.
    init(scalar value: Double) {
        shape = []
        elements = .scalar64(value)
    }

    /// A 0-d float32 tensor holding `value`.
    init(scalar value: Float) {
        shape = []
        elements = .scalar32(value)
    }

    /// Wraps int64 elements whose count the caller has checked against `shape`.
    init(shape: [Int], int64Storage a: [Int64]) {
        self.shape = shape
        elements = shape.isEmpty ? .scalarInt64(a[0]) : .int64(a)
    }

    /// The elements of a floating-point tensor as an array (a 0-d tensor's one element is
    /// copied into one). Stops the program for an int64 tensor (see ``Storage``).
    var storage: Storage {
        switch elements {
        case .float64(let a): .float64(a)
        case .float32(let a): .float32(a)
        case .scalar64(let x): .float64([x])
        case .scalar32(let x): .float32([x])
        case .int64, .scalarInt64:
            fatalError("internal: a floating-point kernel was reached with an int64 tensor of shape \(shape); "
                       + "int64 tensors support shape ops, indexing, comparisons, argmax, argmin and sum: "
                       + "convert with converted(to: .float64) first")
        }
    }

    /// The elements of an int64 tensor (`nil` for floating-point ones): what the kernels
    /// that accept int64 read before switching on ``storage``.
    var int64Storage: [Int64]? {
        switch elements {
        case .int64(let a): a
        case .scalarInt64(let x): [x]
        case .float64, .float32, .scalar64, .scalar32: nil
        }
    }

    /// The same elements with another shape of the same count (checked by the caller).
    func withShape(_ newShape: [Int]) -> Tensor {
        if let ints = int64Storage { return Tensor(shape: newShape, int64Storage: ints) }
        return Tensor(shape: newShape, storage: storage)
    }

    /// The element of a 0-d floating-point tensor, read without building an array (`nil`
    /// for higher ranks and for int64).
    var inlineScalar: InlineScalar? {
        switch elements {
        case .scalar64(let x): .float64(x)
        case .scalar32(let x): .float32(x)
        case .float64, .float32, .int64, .scalarInt64: nil
        }
    }

    /// Throws ``AutogradError/unsupportedDType(_:op:)`` naming `op` unless the tensor is
    /// floating-point: the one check of the float-only public methods.
    /// - Parameter op: The name of the refusing op, for the message.
    /// - Throws: ``AutogradError/unsupportedDType(_:op:)`` for an int64 tensor.
    @inline(__always)
    func requireFloatingPoint(_ op: @autoclosure () -> String) throws(AutogradError) {
        if !dtype.isFloatingPoint { throw .unsupportedDType(dtype, op: op()) }
    }

    /// ``requireFloatingPoint(_:)`` for the operators and methods that cannot throw:
    /// stops the program with the error's description.
    @inline(__always)
    func trapUnlessFloatingPoint(_ op: @autoclosure () -> String) {
        if !dtype.isFloatingPoint { fatalError(AutogradError.unsupportedDType(dtype, op: op()).description) }
    }

    enum InlineScalar {
        case float64(Double)
        case float32(Float)
    }

    /// Makes a tensor from row-major values, stored as `dtype` (values are rounded to
    /// the nearest `Float` for ``DType/float32``, truncated toward zero for ``DType/int64``).
    /// - Parameters:
    ///   - shape: The size of each dimension.
    ///   - scalars: The elements in row-major order.
    ///   - dtype: The element type to store them as.
    /// - Throws: ``AutogradError/dataDoesNotMatchShape(count:shape:)`` if the count is
    ///   not the product of `shape`, ``AutogradError/negativeDimension(_:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)`` for a shape too large to address,
    ///   ``AutogradError/unrepresentable(_:dtype:)`` for a NaN, infinite or out-of-range
    ///   value stored as int64.
    public init(shape: [Int], scalars: [Double], dtype: DType = .float64) throws(AutogradError) {
        try Shape.validate(shape, count: scalars.count, op: "tensor")
        switch dtype {
        case .float64: self.init(shape: shape, storage: .float64(scalars))
        case .float32: self.init(shape: shape, storage: .float32(scalars.map { Float($0) }))
        case .int64: self.init(shape: shape, int64Storage: try Tensor.truncated(scalars))
        }
    }

    /// Makes a ``DType/int64`` tensor from row-major `Int64` values.
    /// - Parameters:
    ///   - shape: The size of each dimension.
    ///   - scalars: The elements in row-major order.
    /// - Throws: as ``init(shape:scalars:dtype:)``.
    public init(shape: [Int], int64Scalars scalars: [Int64]) throws(AutogradError) {
        try Shape.validate(shape, count: scalars.count, op: "tensor")
        self.init(shape: shape, int64Storage: scalars)
    }

    /// A 1-d ``DType/int64`` tensor: `Tensor(int64: [2, 0, 1])` (class labels, indices).
    /// A plain array literal (`Tensor([1, 2])`) still makes a float64 tensor.
    /// - Parameter values: The elements.
    public init(int64 values: [Int64]) {
        self.init(shape: [values.count], int64Storage: values)
    }

    /// A 1-d ``DType/int64`` tensor from `Int` values (see ``init(int64:)-([Int64])``).
    /// - Parameter values: The elements.
    public init(int64 values: [Int]) {
        self.init(shape: [values.count], int64Storage: values.map { Int64($0) })
    }

    /// A 0-d ``DType/int64`` tensor.
    /// - Parameter value: The element.
    public init(int64 value: Int64) {
        shape = []
        elements = .scalarInt64(value)
    }

    /// `x` truncated toward zero (torch's `.long()`), or the error for a NaN, infinite
    /// or out-of-range value.
    /// - Throws: ``AutogradError/unrepresentable(_:dtype:)``.
    @inline(__always)
    static func truncated(_ x: Double) throws(AutogradError) -> Int64 {
        // ±2⁶³ are exact as Doubles: -2⁶³ is Int64.min, 2⁶³ the first value past the range.
        guard x.isFinite, x >= -9_223_372_036_854_775_808.0, x < 9_223_372_036_854_775_808.0 else {
            throw .unrepresentable(x, dtype: .int64)
        }
        return Int64(x)
    }

    /// Every element of `values` truncated toward zero (see ``truncated(_:)-(Double)``).
    static func truncated(_ values: [Double]) throws(AutogradError) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(values.count)
        for x in values { result.append(try truncated(x)) }
        return result
    }

    /// Makes a ``DType/float32`` tensor from row-major `Float` values.
    /// - Throws: as ``init(shape:scalars:dtype:)``.
    public init(shape: [Int], float32Scalars scalars: [Float]) throws(AutogradError) {
        try Shape.validate(shape, count: scalars.count, op: "tensor")
        self.init(shape: shape, storage: .float32(scalars))
    }

    /// A 0-d tensor (a scalar). For ``DType/int64`` the value is truncated toward zero;
    /// a NaN, infinite or out-of-range value stops the program.
    public init(_ scalar: Double, dtype: DType = .float64) {
        shape = []
        switch dtype {
        case .float64: elements = .scalar64(scalar)
        case .float32: elements = .scalar32(Float(scalar))
        case .int64: elements = .scalarInt64(trapping { () throws(AutogradError) in try Tensor.truncated(scalar) })
        }
    }

    /// A 1-d tensor. For ``DType/int64`` the values are truncated toward zero; a NaN,
    /// infinite or out-of-range value stops the program.
    public init(_ values: [Double], dtype: DType = .float64) {
        switch dtype {
        case .float64: self.init(shape: [values.count], storage: .float64(values))
        case .float32: self.init(shape: [values.count], storage: .float32(values.map { Float($0) }))
        case .int64:
            self.init(shape: [values.count], int64Storage: trapping { () throws(AutogradError) in try Tensor.truncated(values) })
        }
    }

    /// A tensor of `shape` with every element equal to `value`.
    /// - Throws: ``AutogradError/negativeDimension(_:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)`` for a shape too large to address.
    public init(repeating value: Double, shape: [Int], dtype: DType = .float64) throws(AutogradError) {
        try self.init(repeating: value, shape: shape, dtype: dtype, op: "full")
    }

    /// ``init(repeating:shape:dtype:)`` whose errors name `op`.
    init(repeating value: Double, shape: [Int], dtype: DType, op: String) throws(AutogradError) {
        let n = try Shape.checkedCount(shape, op: op)
        switch dtype {
        case .float64: self.init(shape: shape, storage: .float64(Array(repeating: value, count: n)))
        case .float32: self.init(shape: shape, storage: .float32(Array(repeating: Float(value), count: n)))
        case .int64: self.init(shape: shape, int64Storage: Array(repeating: try Tensor.truncated(value), count: n))
        }
    }

    /// Zeros of `shape`.
    /// - Throws: as ``init(repeating:shape:dtype:)``.
    public static func zeros(_ shape: [Int], dtype: DType = .float64) throws(AutogradError) -> Tensor {
        try Tensor(repeating: 0, shape: shape, dtype: dtype, op: "zeros")
    }

    /// Ones of `shape`.
    /// - Throws: as ``init(repeating:shape:dtype:)``.
    public static func ones(_ shape: [Int], dtype: DType = .float64) throws(AutogradError) -> Tensor {
        try Tensor(repeating: 1, shape: shape, dtype: dtype, op: "ones")
    }

    /// A tensor of the same shape and dtype as `self`, filled with `value`.
    func filled(with value: Double) -> Tensor {
        if shape.isEmpty { return Tensor(value, dtype: dtype) }
        let n = count
        if dtype == .int64 {
            return Tensor(shape: shape, int64Storage: Array(repeating: trapping { () throws(AutogradError) in try Tensor.truncated(value) }, count: n))
        }
        switch storage {
        case .float64: return Tensor(shape: shape, storage: .float64(Array(repeating: value, count: n)))
        case .float32: return Tensor(shape: shape, storage: .float32(Array(repeating: Float(value), count: n)))
        }
    }

    /// The element type.
    public var dtype: DType {
        switch elements {
        case .float64, .scalar64: .float64
        case .float32, .scalar32: .float32
        case .int64, .scalarInt64: .int64
        }
    }

    /// The number of dimensions (0 for a scalar).
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int {
        switch elements {
        case .float64(let a): a.count
        case .float32(let a): a.count
        case .int64(let a): a.count
        case .scalar64, .scalar32, .scalarInt64: 1
        }
    }

    /// The elements in row-major order, widened to `Double` (exactly, for float32; for
    /// int64, exactly for magnitudes up to 2⁵³ and rounded to nearest beyond).
    public var scalars: [Double] {
        if let ints = int64Storage { return ints.map(Double.init) }
        switch storage {
        case .float64(let a): return a
        case .float32(let a): return a.map(Double.init)
        }
    }

    /// The elements in row-major order as `Int64`: exact for an int64 tensor; for a
    /// floating-point one, truncated toward zero as torch's `.long()` (`-2.7` → `-2`),
    /// stopping the program on a NaN, infinite or out-of-range element (see
    /// ``checkedConverted(to:)`` for a throwing conversion).
    public var int64Scalars: [Int64] {
        if let ints = int64Storage { return ints }
        return trapping { () throws(AutogradError) in try Tensor.truncated(scalars) }
    }

    /// The single element of a one-element tensor (any rank), otherwise `nil`.
    public var scalar: Double? {
        switch elements {
        case .scalar64(let x): x
        case .scalar32(let x): Double(x)
        case .scalarInt64(let x): Double(x)
        case .float64(let a): a.count == 1 ? a[0] : nil
        case .float32(let a): a.count == 1 ? Double(a[0]) : nil
        case .int64(let a): a.count == 1 ? Double(a[0]) : nil
        }
    }

    /// The element at a full index (one entry per dimension; negative entries count from
    /// the end), as a `Double`; setting it stores the value in the tensor's dtype
    /// (truncated toward zero for int64, stopping the program on a NaN, infinite or
    /// out-of-range value).
    ///
    /// A single index of a tensor of rank ≥ 1 picks a sub-tensor instead (torch's
    /// `t[0]`, see ``subscript(_:)-(Int)``), unless a `Double` is asked for: `let d: Double = v[0]`.
    /// Traps on a wrong number of indices or an index out of range.
    public subscript(_ index: Int...) -> Double {
        get {
            let offset = elementOffset(index)
            if let ints = int64Storage { return Double(ints[offset]) }
            switch storage {
            case .float64(let a): return a[offset]
            case .float32(let a): return Double(a[offset])
            }
        }
        set {
            let offset = elementOffset(index)
            switch elements {
            case .scalar64: elements = .scalar64(newValue)
            case .scalar32: elements = .scalar32(Float(newValue))
            case .float64(var a):
                elements = .float64([])  // drop the reference so that `a` is uniquely owned
                a[offset] = newValue
                elements = .float64(a)
            case .float32(var a):
                elements = .float32([])
                a[offset] = Float(newValue)
                elements = .float32(a)
            case .scalarInt64:
                elements = .scalarInt64(trapping { () throws(AutogradError) in try Tensor.truncated(newValue) })
            case .int64(var a):
                let value = trapping { () throws(AutogradError) in try Tensor.truncated(newValue) }
                elements = .int64([])
                a[offset] = value
                elements = .int64(a)
            }
        }
    }

    /// The row-major offset of a full index, trapping with a message if it does not fit.
    private func elementOffset(_ index: [Int]) -> Int {
        if index.count != rank { fatalError("subscript needs \(rank) indices, got \(index.count)") }
        var offset = 0
        for (d, i) in index.enumerated() {
            let j = i < 0 ? i + shape[d] : i
            if !(j >= 0 && j < shape[d]) { fatalError("index \(i) is out of range for dimension \(d) of size \(shape[d])") }
            offset = offset * shape[d] + j
        }
        return offset
    }

    /// The same values as another dtype: rounded to nearest for float64 → float32 and
    /// int64 → a float; truncated toward zero for a float → int64 (torch's `.long()`:
    /// `-2.7` → `-2`). Stops the program on a NaN, infinite or out-of-range value
    /// converted to int64; ``checkedConverted(to:)`` throws instead.
    /// - Parameter dtype: The element type of the result.
    public func converted(to dtype: DType) -> Tensor {
        if dtype == .int64 { return trapping { () throws(AutogradError) in try checkedConverted(to: .int64) } }
        if let ints = int64Storage {
            return dtype == .float64 ? Tensor(shape: shape, storage: .float64(ints.map { Double($0) }))
                : Tensor(shape: shape, storage: .float32(ints.map { Float($0) }))
        }
        switch (storage, dtype) {
        case (.float64, .float64), (.float32, .float32): return self
        case (.float64(let a), .float32): return Tensor(shape: shape, storage: .float32(a.map { Float($0) }))
        case (.float32(let a), .float64): return Tensor(shape: shape, storage: .float64(a.map(Double.init)))
        case (_, .int64): fatalError("unreachable: int64 is handled above")
        }
    }

    /// ``converted(to:)`` that throws instead of stopping the program: a float → int64
    /// conversion truncates each element toward zero as torch's `.long()` does
    /// (`-2.7` → `-2`); every other conversion cannot fail.
    /// - Parameter dtype: The element type of the result.
    /// - Throws: ``AutogradError/unrepresentable(_:dtype:)`` for the first NaN, infinite
    ///   or out-of-range element converted to int64 (torch gives an unspecified integer there).
    public func checkedConverted(to dtype: DType) throws(AutogradError) -> Tensor {
        guard dtype == .int64 else { return converted(to: dtype) }
        if self.dtype == .int64 { return self }
        return Tensor(shape: shape, int64Storage: try Tensor.truncated(scalars))
    }

    /// The same elements viewed with another shape of equal element count. One entry may
    /// be `-1`, the size that keeps the count (torch's `reshape`): `t.reshaped([-1, 2])`.
    /// - Throws: ``AutogradError/dataDoesNotMatchShape(count:shape:)`` if the count differs,
    ///   ``AutogradError/negativeDimension(_:)``, ``AutogradError/cannotReshape(from:to:reason:)``
    ///   for a `-1` that no size (or any size) satisfies, ``AutogradError/sizeOverflow(shape:op:)``.
    public func reshaped(_ newShape: [Int]) throws(AutogradError) -> Tensor {
        let target = newShape.contains(-1) ? try Shape.reshapeTarget(newShape, from: shape) : newShape
        try Shape.validate(target, count: count, op: "reshape")
        return withShape(target)
    }
}
