// Making tensors: array literals, filled and ranged factories, and random tensors drawn from a
// ``SeededGenerator``.

// MARK: - Literals

/// One element of a tensor's array literal: a number, or a nested array literal.
///
/// Only arrays are tensor literals. A bare number is not (write `Tensor(3.5)`): a `Tensor`
/// that a number literal could become would make ordinary arithmetic such as `1 / 4.0`
/// ambiguous next to the operators that take a `Tensor` and a number. The elements of an
/// array literal are of this type instead, so that `[[1, 2], [3, 4]]` reads as a tensor
/// wherever one is expected, and `t == [[1, 2], [3, 4]]` compares with one.
public enum TensorLiteral: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// A number: one element.
    case number(Double)
    /// A nested array: one slice along the next axis.
    case array([TensorLiteral])

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(arrayLiteral elements: TensorLiteral...) { self = .array(elements) }

    /// The shape this literal describes and its numbers in row-major order. Traps with a
    /// message (in every build configuration) on ragged input or numbers beside arrays.
    func flattened() -> (shape: [Int], scalars: [Double]) {
        var scalars: [Double] = []
        let shape = flatten(into: &scalars, path: [])
        return (shape, scalars)
    }

    /// Appends this literal's numbers to `scalars` and returns its shape.
    private func flatten(into scalars: inout [Double], path: [Int]) -> [Int] {
        switch self {
        case .number(let x):
            scalars.append(x)
            return []
        case .array(let elements):
            var inner: [Int]? = nil
            for (i, element) in elements.enumerated() {
                let shape = element.flatten(into: &scalars, path: path + [i])
                if let expected = inner, shape != expected {
                    fatalError("ragged tensor literal: element \(Self.describe(path + [i])) has shape \(shape), "
                               + "element \(Self.describe(path + [0])) has shape \(expected)")
                }
                inner = shape
            }
            return [elements.count] + (inner ?? [])
        }
    }

    /// A position in a nested literal as torch prints it: `[1][0]`.
    private static func describe(_ path: [Int]) -> String {
        path.map { "[\($0)]" }.joined()
    }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// A float64 tensor from a (nested) array literal of numbers, as `torch.tensor` reads
    /// nested lists: each level of nesting is an axis.
    ///
    /// ```swift
    /// let m: Tensor = [[1, 2], [3, 4]]      // shape [2, 2], float64
    /// let v: Tensor = [0.5, -1, 2]          // shape [3]
    /// let empty: Tensor = []                // shape [0]
    /// m == [[1, 2], [3, 4]]                 // true
    /// ```
    /// A 0-d tensor has no literal: write `Tensor(3.5)`. Traps, naming the first element
    /// that differs, on ragged input (`[[1, 2], [3]]`) or a number beside an array (`[1, [2]]`).
    public init(arrayLiteral elements: TensorLiteral...) {
        let (shape, scalars) = TensorLiteral.array(elements).flattened()
        self.init(shape: shape, storage: .float64(scalars))
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
    ///   non-finite bounds, a step that points away from `end`, or more values than an
    ///   `Int` counts.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float64) throws(AutogradError) -> Tensor {
        guard step != 0 && step.isFinite && start.isFinite && end.isFinite else {
            throw .invalidArgument(op: "arange", reason: "needs finite bounds and a finite non-zero step; got \(start), \(end), step \(step)")
        }
        guard (end - start) * step >= 0 else {
            throw .invalidArgument(op: "arange", reason: "the step \(step) points away from \(end) (start \(start))")
        }
        let span = ((end - start) / step).rounded(.up)
        guard span < Double(Int.max) else {
            throw .invalidArgument(op: "arange", reason: "\(start) to \(end) by \(step) is more values than an Int counts")
        }
        let n = Int(span)
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
    ///   - dtype: The element type (default `float64`).
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
    /// - Throws: ``AutogradError/negativeDimension(_:)``, ``AutogradError/sizeOverflow(shape:op:)``.
    public static func rand(_ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator) throws(AutogradError) -> Tensor {
        let n = try Shape.checkedCount(shape, op: "rand")
        return try Tensor(shape: shape, scalars: (0..<n).map { _ in generator.nextUnit() }, dtype: dtype)
    }

    /// Standard normal values from `generator` (`torch.randn`; Box–Muller, see
    /// ``SeededGenerator/normal()``).
    /// - Throws: ``AutogradError/negativeDimension(_:)``, ``AutogradError/sizeOverflow(shape:op:)``.
    public static func randn(_ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator) throws(AutogradError) -> Tensor {
        let n = try Shape.checkedCount(shape, op: "randn")
        return try Tensor(shape: shape, scalars: (0..<n).map { _ in generator.normal() }, dtype: dtype)
    }

    /// Integers uniform on `low..<high` from `generator` (`torch.randint`), stored as
    /// `dtype` (pass ``DType/int64`` for torch's default).
    /// - Throws: ``AutogradError/negativeDimension(_:)``, ``AutogradError/invalidArgument(op:reason:)``
    ///   for an empty range.
    public static func randint(
        _ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .float64, using generator: inout SeededGenerator
    ) throws(AutogradError) -> Tensor {
        guard low < high else { throw .invalidArgument(op: "randint", reason: "needs low < high, got \(low) and \(high)") }
        let n = try Shape.checkedCount(shape, op: "randint")
        let values = (0..<n).map { _ in Double(low + generator.nextIndex(below: high - low)) }
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
    /// precision: `{"shape": [2], "dtype": "float32", "values": [0.1, 2]}` (int64 values
    /// as JSON integers).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
        try container.encode(dtype, forKey: .dtype)
        if let ints = int64Storage {
            try container.encode(ints, forKey: .values)
            return
        }
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
            case .int64: self = try Tensor(shape: shape, int64Scalars: container.decode([Int64].self, forKey: .values))
            }
        } catch let error as AutogradError {
            throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: error.description)
        }
    }
}
