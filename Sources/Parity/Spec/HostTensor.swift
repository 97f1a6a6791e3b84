import Autograd

/// A tensor's values as stored in spec and fixture files: a shape and row-major data,
/// as `Double` (float32 values are stored exactly, widened). Independent of any backend.
public struct HostTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Double]

    public init(shape: [Int], data: [Double]) {
        self.shape = shape
        self.data = data
    }

    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, data: tensor.scalars)
    }

    /// A 0-d tensor.
    public init(scalar: Double) {
        self.init(shape: [], data: [scalar])
    }

    public static func == (a: HostTensor, b: HostTensor) -> Bool {
        a.shape == b.shape && a.data.count == b.data.count
            && zip(a.data, b.data).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// The values as an Autograd tensor of `dtype`.
    public func tensor(_ dtype: DType) throws(ParityError) -> Tensor {
        do {
            return try Tensor(shape: shape, scalars: data, dtype: dtype)
        } catch {
            throw ParityError(error.description)
        }
    }

    /// `{"shape": [...], "data": [...]}` with non-finite values as strings.
    public var json: JSONValue {
        .object([
            ("shape", .array(shape.map { .integer($0) })),
            ("data", .array(data.map { .number($0) })),
        ])
    }
}

extension FieldReader {
    /// A fixture tensor: `{"shape": [...], "data": [...]}`.
    func hostTensor() throws(ParityError) -> HostTensor {
        _ = try members(allowed: ["shape", "data"])
        let shape = try required("shape").shape()
        let dataField = try required("data")
        var data: [Double] = []
        for item in try dataField.array() { data.append(try item.double()) }
        let expected: Int
        do {
            expected = try HarnessLimits.elementCount(shape)
        } catch {
            throw ParityError(error.message, field: child("shape"))
        }
        guard data.count == expected else {
            throw dataField.error("\(data.count) values do not fill shape \(shape) (\(expected) elements)")
        }
        return HostTensor(shape: shape, data: data)
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
