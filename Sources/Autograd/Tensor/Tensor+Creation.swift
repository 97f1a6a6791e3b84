// Making tensors: literals, filled and ranged factories, and random tensors drawn from a
// ``SeededGenerator``.

// MARK: - Literals

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// A 0-d float64 tensor: `let s: Tensor = 3.5`.
    public init(floatLiteral value: Double) {
        self.init(value)
    }

    /// A 0-d float64 tensor: `let s: Tensor = 3`.
    public init(integerLiteral value: Int) {
        self.init(Double(value))
    }

    /// A tensor from a (nested) array literal: each element is itself a tensor (a number,
    /// or a nested literal, or any tensor value), and the elements are stacked along a
    /// new first axis, as `torch.tensor([[1, 2], [3, 4]])` reads nested lists.
    ///
    /// ```swift
    /// let m: Tensor = [[1, 2], [3, 4]]      // shape [2, 2], float64
    /// let v: Tensor = [0.5, -1, 2]          // shape [3]
    /// let rows: Tensor = [m[1], m[0]]       // tensors stack too: shape [2, 2]
    /// let empty: Tensor = []                // shape [0]
    /// ```
    /// Traps on ragged input (`[[1, 2], [3]]`) and on elements of different dtypes, naming
    /// the first element that differs.
    public init(arrayLiteral elements: Tensor...) {
        self = Tensor.stacked(elements)
    }

    /// `parts` stacked along a new first axis; all must share shape and dtype.
    static func stacked(_ parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { return Tensor([]) }
        for (i, part) in parts.enumerated() {
            precondition(part.shape == first.shape,
                         "ragged tensor literal: element \(i) has shape \(part.shape), element 0 has \(first.shape)")
            precondition(part.dtype == first.dtype,
                         "tensor literal: element \(i) is \(part.dtype), element 0 is \(first.dtype)")
        }
        let rows = parts.map { Tensor(shape: [1] + $0.shape, storage: $0.storage) }
        return concatenated(rows, axis: 0)
    }
}

// MARK: - Factories

extension Tensor {
    /// A tensor of `shape` with every element equal to `value` (`torch.full`).
    /// - Throws: ``AutogradError/negativeDimension(_:)``.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        try Tensor(repeating: value, shape: shape, dtype: dtype)
    }

    /// `0, 1, …` up to but not including `end` (`torch.arange(end)`).
    /// - Throws: as ``arange(_:_:step:dtype:)``.
    public static func arange(_ end: Double, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        try arange(0, end, step: 1, dtype: dtype)
    }

    /// `start, start + step, …` up to but not including `end`: `⌈(end − start) / step⌉`
    /// values, element `i` computed as `start + i · step` (`torch.arange`).
    ///
    /// ```swift
    /// try Tensor.arange(5)                   // tensor([0., 1., 2., 3., 4.], dtype=float64)
    /// try Tensor.arange(1, 2, step: 0.25)    // tensor([1.0000, 1.2500, 1.5000, 1.7500], ...)
    /// ```
    /// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for a zero or non-finite step,
    ///   non-finite bounds, or a step that points away from `end`.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        guard step != 0 && step.isFinite && start.isFinite && end.isFinite else {
            throw .invalidArgument(op: "arange", reason: "needs finite bounds and a finite non-zero step; got \(start), \(end), step \(step)")
        }
        guard (end - start) * step >= 0 else {
            throw .invalidArgument(op: "arange", reason: "the step \(step) points away from \(end) (start \(start))")
        }
        let n = Int(((end - start) / step).rounded(.up))
        return Tensor((0..<n).map { start + Double($0) * step }, dtype: dtype)
    }

    /// `count` evenly spaced values from `start` to `end`, both included (`torch.linspace`).
    ///
    /// As torch computes them: with `step = (end − start) / (count − 1)`, the first half
    /// is `start + i · step` and the second half `end − (count − 1 − i) · step`, so both
    /// ends are exact.
    /// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for a negative count.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        guard count >= 0 else { throw .invalidArgument(op: "linspace", reason: "needs a non-negative count, got \(count)") }
        if count == 1 { return Tensor([start], dtype: dtype) }
        let step = (end - start) / Double(count - 1)
        let half = count / 2
        return Tensor((0..<count).map { i in i < half ? start + step * Double(i) : end - step * Double(count - i - 1) }, dtype: dtype)
    }

    /// The `rows × columns` matrix with ones on the diagonal and zeros elsewhere (`torch.eye`).
    /// - Parameters:
    ///   - rows: The number of rows.
    ///   - columns: The number of columns (`nil`: square).
    /// - Throws: ``AutogradError/negativeDimension(_:)``.
    public static func eye(_ rows: Int, _ columns: Int? = nil, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        var t = try zeros([rows, columns ?? rows], dtype: dtype)
        for i in 0..<Swift.min(rows, columns ?? rows) { t[i, i] = 1 }
        return t
    }

    // MARK: Random

    /// Uniform values on [0, 1) from `generator` (`torch.rand`, with this module's
    /// generator: the same seed gives the same values on every machine, not torch's values).
    ///
    /// ```swift
    /// var generator = SeededGenerator(seed: 0)
    /// let noise = try Tensor.rand([100, 1], using: &generator)
    /// ```
    /// - Throws: ``AutogradError/negativeDimension(_:)``.
    public static func rand(_ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator) throws(AutogradError) -> Tensor {
        try Shape.validate(shape, count: nil)
        return try Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { _ in generator.nextUnit() }, dtype: dtype)
    }

    /// Standard normal values from `generator` (`torch.randn`; Box–Muller, see
    /// ``SeededGenerator/normal()``).
    /// - Throws: ``AutogradError/negativeDimension(_:)``.
    public static func randn(_ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator) throws(AutogradError) -> Tensor {
        try Shape.validate(shape, count: nil)
        return try Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { _ in generator.normal() }, dtype: dtype)
    }

    /// Integers uniform on `low..<high` from `generator` (`torch.randint`), as float64
    /// values until integer tensors exist.
    /// - Throws: ``AutogradError/negativeDimension(_:)``, ``AutogradError/invalidArgument(op:reason:)``
    ///   for an empty range.
    public static func randint(
        _ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator
    ) throws(AutogradError) -> Tensor {
        guard low < high else { throw .invalidArgument(op: "randint", reason: "needs low < high, got \(low) and \(high)") }
        try Shape.validate(shape, count: nil)
        let values = (0..<Shape.count(shape)).map { _ in Double(low + generator.nextIndex(below: high - low)) }
        return try Tensor(shape: shape, scalars: values, dtype: dtype)
    }
}

// MARK: - Codable

extension DType: Codable {}

extension Tensor: Codable {
    private enum CodingKeys: String, CodingKey {
        case shape, dtype, values
    }

    /// Encodes the shape, the dtype and the elements in row-major order, each in its own
    /// precision: `{"shape": [2], "dtype": "float32", "values": [0.1, 2]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
        try container.encode(dtype, forKey: .dtype)
        switch storage {
        case .float64(let a): try container.encode(a, forKey: .values)
        case .float32(let a): try container.encode(a, forKey: .values)
        }
    }

    /// Decodes what ``encode(to:)`` writes.
    /// - Throws: `DecodingError.dataCorrupted` if the values do not fill the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        let dtype = try container.decode(DType.self, forKey: .dtype)
        do {
            switch dtype {
            case .float64: self = try Tensor(shape: shape, scalars: container.decode([Double].self, forKey: .values))
            case .float32: self = try Tensor(shape: shape, float32Scalars: container.decode([Float].self, forKey: .values))
            }
        } catch let error as AutogradError {
            throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: error.description)
        }
    }
}
