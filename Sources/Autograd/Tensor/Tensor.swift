/// An n-dimensional array of `Double` or `Float`, stored row-major (C order).
///
/// A `Tensor` is a value: copies share storage until one is written (copy on write).
/// Rank 0 (`shape == []`) is a scalar holding one element. Tensors carry no gradient
/// information; ``Variable`` wraps one to take part in a graph.
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
        case scalar64(Double)
        case scalar32(Float)
    }

    /// The elements as an array of their precision: what the kernels switch on.
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

    /// The elements as an array (a 0-d tensor's one element is copied into one).
    var storage: Storage {
        switch elements {
        case .float64(let a): .float64(a)
        case .float32(let a): .float32(a)
        case .scalar64(let x): .float64([x])
        case .scalar32(let x): .float32([x])
        }
    }

    /// The element of a 0-d tensor, read without building an array (`nil` for higher ranks).
    var inlineScalar: InlineScalar? {
        switch elements {
        case .scalar64(let x): .float64(x)
        case .scalar32(let x): .float32(x)
        case .float64, .float32: nil
        }
    }

    enum InlineScalar {
        case float64(Double)
        case float32(Float)
    }

    /// Makes a tensor from row-major values, stored as `dtype` (values are rounded to
    /// the nearest `Float` for ``DType/float32``).
    /// - Throws: ``AutogradError/dataDoesNotMatchShape(count:shape:)`` if the count is
    ///   not the product of `shape`, ``AutogradError/negativeDimension(_:)``,
    ///   ``AutogradError/sizeOverflow(shape:op:)`` for a shape too large to address.
    public init(shape: [Int], scalars: [Double], dtype: DType = .float64) throws(AutogradError) {
        try Shape.validate(shape, count: scalars.count, op: "tensor")
        switch dtype {
        case .float64: self.init(shape: shape, storage: .float64(scalars))
        case .float32: self.init(shape: shape, storage: .float32(scalars.map { Float($0) }))
        }
    }

    /// Makes a ``DType/float32`` tensor from row-major `Float` values.
    /// - Throws: as ``init(shape:scalars:dtype:)``.
    public init(shape: [Int], float32Scalars scalars: [Float]) throws(AutogradError) {
        try Shape.validate(shape, count: scalars.count, op: "tensor")
        self.init(shape: shape, storage: .float32(scalars))
    }

    /// A 0-d tensor (a scalar).
    public init(_ scalar: Double, dtype: DType = .float64) {
        shape = []
        elements = dtype == .float64 ? .scalar64(scalar) : .scalar32(Float(scalar))
    }

    /// A 1-d tensor.
    public init(_ values: [Double], dtype: DType = .float64) {
        self.init(shape: [values.count], storage: dtype == .float64 ? .float64(values) : .float32(values.map { Float($0) }))
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
        }
    }

    /// The number of dimensions (0 for a scalar).
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int {
        switch elements {
        case .float64(let a): a.count
        case .float32(let a): a.count
        case .scalar64, .scalar32: 1
        }
    }

    /// The elements in row-major order, widened to `Double` (exactly, for float32).
    public var scalars: [Double] {
        switch storage {
        case .float64(let a): a
        case .float32(let a): a.map(Double.init)
        }
    }

    /// The single element of a one-element tensor (any rank), otherwise `nil`.
    public var scalar: Double? {
        switch elements {
        case .scalar64(let x): x
        case .scalar32(let x): Double(x)
        case .float64(let a): a.count == 1 ? a[0] : nil
        case .float32(let a): a.count == 1 ? Double(a[0]) : nil
        }
    }

    /// The element at a full index (one entry per dimension; negative entries count from
    /// the end), as a `Double`; setting it stores the value in the tensor's dtype.
    ///
    /// A single index of a tensor of rank ≥ 1 picks a sub-tensor instead (torch's
    /// `t[0]`, see ``subscript(_:)-(Int)``), unless a `Double` is asked for: `let d: Double = v[0]`.
    /// Traps on a wrong number of indices or an index out of range.
    public subscript(_ index: Int...) -> Double {
        get {
            let offset = elementOffset(index)
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

    /// The same values in another precision (rounded to nearest for float64 → float32).
    public func converted(to dtype: DType) -> Tensor {
        switch (storage, dtype) {
        case (.float64, .float64), (.float32, .float32): return self
        case (.float64(let a), .float32): return Tensor(shape: shape, storage: .float32(a.map { Float($0) }))
        case (.float32(let a), .float64): return Tensor(shape: shape, storage: .float64(a.map(Double.init)))
        }
    }

    /// The same elements viewed with another shape of equal element count. One entry may
    /// be `-1`, the size that keeps the count (torch's `reshape`): `t.reshaped([-1, 2])`.
    /// - Throws: ``AutogradError/dataDoesNotMatchShape(count:shape:)`` if the count differs,
    ///   ``AutogradError/negativeDimension(_:)``, ``AutogradError/cannotReshape(from:to:reason:)``
    ///   for a `-1` that no size (or any size) satisfies, ``AutogradError/sizeOverflow(shape:op:)``.
    public func reshaped(_ newShape: [Int]) throws(AutogradError) -> Tensor {
        let target = newShape.contains(-1) ? try Shape.reshapeTarget(newShape, from: shape) : newShape
        try Shape.validate(target, count: count, op: "reshape")
        return Tensor(shape: target, storage: storage)
    }
}
