/// A tensor's values as stored in spec and fixture files: a shape and row-major data,
/// as `Double` (float32 values are stored exactly, widened). Independent of any backend.
///
/// A floating-point tensor takes its dtype from the case (float64 or float32); an integer
/// one says so (``dtype`` `.int64`, `"dtype": "int64"` in JSON) and keeps it in every
/// case. Its values are whole numbers of magnitude at most 2⁵³ (``maxInt64Magnitude``),
/// which `Double` holds exactly.
public struct HostTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Double]
    /// `.int64` for integer values (class labels, indices, argmax results); `nil` for
    /// floating-point values, whose dtype is the case's.
    public var dtype: ScalarType?

    public init(shape: [Int], data: [Double], dtype: ScalarType? = nil) {
        self.shape = shape
        self.data = data
        self.dtype = dtype
    }

    /// The values as `type` holds them: float32 rounds each value to the nearest `Float`
    /// (as a backend computing in float32 receives it); float64 and int64 keep them.
    public func rounded(to type: ScalarType) -> HostTensor {
        guard type == .float32, !isInt64 else { return self }
        return HostTensor(shape: shape, data: data.map { Double(Float($0)) }, dtype: dtype)
    }

    /// Whether the values are integers (``dtype`` `.int64`): such a tensor never takes a gradient.
    public var isInt64: Bool { dtype == .int64 }

    /// The largest magnitude an int64 value may have in a spec or fixture: 2⁵³, up to which
    /// every integer is exact as a `Double` (the harness's storage). Beyond it is refused.
    public static let maxInt64Magnitude = 9_007_199_254_740_992.0

    /// A 0-d tensor.
    public init(scalar: Double) {
        self.init(shape: [], data: [scalar])
    }

    public static func == (a: HostTensor, b: HostTensor) -> Bool {
        a.shape == b.shape && a.dtype == b.dtype && a.data.count == b.data.count
            && zip(a.data, b.data).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// The values as `Int64`s, for an int64 host tensor.
    /// - Throws: ``ParityError`` for a value that is not a whole number within
    ///   ±``maxInt64Magnitude`` (the readers refuse those, so only a hand-made value can fail).
    public func int64Values() throws(ParityError) -> [Int64] {
        var values: [Int64] = []
        values.reserveCapacity(data.count)
        for x in data {
            if let message = Self.int64Problem(x) { throw ParityError(message) }
            values.append(Int64(x))
        }
        return values
    }

    /// Why `x` cannot be an int64 value here, or `nil` if it can.
    static func int64Problem(_ x: Double) -> String? {
        guard x.isFinite, x.rounded() == x else { return "an int64 value must be a whole number, not \(JSONWriter.number(x))" }
        guard abs(x) <= maxInt64Magnitude else {
            return "int64 value \(JSONWriter.number(x)) is out of range (the harness holds integers up to 2^53 in magnitude exactly)"
        }
        return nil
    }

    /// `{"shape": [...], "data": [...]}` with non-finite values as strings; an int64
    /// tensor adds `"dtype": "int64"` and writes its values as integers.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("shape", .array(shape.map { .integer($0) }))]
        if isInt64 {
            // Whole numbers within ±2⁵³ (int64Problem): exact as Int.
            members.append(("data", .array(data.map { Self.int64Problem($0) == nil ? .integer(Int($0)) : .number($0) })))
            members.append(("dtype", .string(ScalarType.int64.rawValue)))
        } else {
            members.append(("data", .array(data.map { .number($0) })))
        }
        return .object(members)
    }
}

extension FieldReader {
    /// A fixture tensor: `{"shape": [...], "data": [...]}`, with `"dtype": "int64"` for
    /// integer values (whole numbers within ±2⁵³; anything else is refused, naming the value).
    package func hostTensor() throws(ParityError) -> HostTensor {
        _ = try members(allowed: ["shape", "data", "dtype"])
        let shape = try required("shape").shape()
        let dtype = try optional("dtype")?.tensorDType()
        let dataField = try required("data")
        var data: [Double] = []
        for item in try dataField.array() {
            let x = try item.double()
            if dtype == .int64 {
                // An integer beyond 2⁵³ would round on its way to Double: refuse it before.
                if case .integer(let n) = item.value, n.magnitude > UInt(HostTensor.maxInt64Magnitude) {
                    throw item.error("int64 value \(n) is out of range (the harness holds integers up to 2^53 in magnitude exactly)")
                }
                if let problem = HostTensor.int64Problem(x) { throw item.error(problem) }
            }
            data.append(x)
        }
        let expected: Int
        do {
            expected = try HarnessLimits.elementCount(shape)
        } catch {
            throw ParityError(error.message, field: child("shape"))
        }
        guard data.count == expected else {
            throw dataField.error("\(data.count) values do not fill shape \(shape) (\(expected) elements)")
        }
        return HostTensor(shape: shape, data: data, dtype: dtype)
    }

    /// The `"dtype"` of one tensor: only `"int64"` (a floating-point tensor takes the case's dtype).
    func tensorDType() throws(ParityError) -> ScalarType {
        let name = try string()
        guard name == ScalarType.int64.rawValue else {
            throw error("a tensor's dtype can only be \"int64\", not '\(name)' (floating-point values take the case's dtype)")
        }
        return .int64
    }

    /// A number (0-d) or nested arrays of numbers (rectangular) as a tensor.
    func literalTensor() throws(ParityError) -> HostTensor {
        if case .array = value {
            let items = try array()
            if items.isEmpty { return HostTensor(shape: [0], data: []) }
            var parts: [HostTensor] = []
            for item in items { parts.append(try item.literalTensor()) }
            let inner = parts[0].shape
            if let ragged = parts.firstIndex(where: { $0.shape != inner }) {
                throw items[ragged].error("ragged nested array: shape \(parts[ragged].shape) where \(inner) was expected")
            }
            return HostTensor(shape: [parts.count] + inner, data: parts.flatMap(\.data))
        }
        return HostTensor(scalar: try double())
    }
}
