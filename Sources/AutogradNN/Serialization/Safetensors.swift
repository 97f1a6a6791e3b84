import Autograd
import Foundation

/// Reading and writing the safetensors format (Hugging Face's, which PyTorch reads with
/// `safetensors.torch.load_file` and writes with `save_file`).
///
/// A file is:
///
///     ┌──────────────┬───────────────────────────────┬───────────────────────────┐
///     │ N: UInt64 LE │ header: N bytes of UTF-8 JSON │ data: raw little-endian   │
///     └──────────────┴───────────────────────────────┴───────────────────────────┘
///
/// The header is an object mapping each tensor's name to
/// `{"dtype": "F64", "shape": [d₀, d₁, ...], "data_offsets": [begin, end]}`, with
/// offsets in bytes from the start of the data; an optional `"__metadata__"` maps
/// strings to strings. Tensors are row-major and packed: sorted by offset, each begins
/// where the previous one ends, the first at 0, the last at the end of the file. The
/// writer pads the header with spaces to a multiple of 8 bytes, as the reference
/// implementation does, so that the data is aligned.
///
/// Reading checks all of that (and no more than 100 MB of header, as the reference
/// implementation) and reports the first problem as ``NNError/malformedSafetensors(_:)``.
///
/// | dtype                          | read as                                     | written from |
/// |--------------------------------|---------------------------------------------|--------------|
/// | `F64`                          | float64                                     | float64      |
/// | `F32`                          | float32                                     | float32      |
/// | `F16`, `BF16`                  | float32 (widened exactly)                   | –            |
/// | `I64` `I32` `I16` `I8` `U8` `BOOL` | int64 (bools as 0 and 1)                | int64 (`I64`) |
///
/// Other dtypes (`F8_E4M3`, `U16`, `C64`, …) are refused with
/// ``NNError/unsupportedDType(name:dtype:)``.
///
/// ```swift
/// try Safetensors.write([("w", w)], to: "model.safetensors")   // safetensors.torch.load_file
/// let w2 = try Safetensors.read(from: "model.safetensors")["w"]
/// ```
public enum Safetensors {
    /// The largest header accepted, as in the reference implementation.
    public static let maximumHeaderSize = 100_000_000

    /// The contents of a file: tensors in the order of their data, and the metadata.
    public struct Contents: Sendable {
        public var tensors: [(name: String, tensor: Tensor)]
        public var metadata: [String: String]

        public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }

        /// The tensor called `name`, if any.
        public subscript(name: String) -> Tensor? {
            tensors.first { $0.name == name }?.tensor
        }
    }

    // MARK: Writing

    /// The bytes of a file holding `tensors` (in this order) and `metadata`: float64
    /// tensors as `F64`, float32 as `F32`, int64 as `I64`.
    /// - Throws: ``NNError/duplicateName(_:)`` (also for a tensor called `__metadata__`).
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) throws(NNError) -> [UInt8] {
        var seen: Set<String> = ["__metadata__"]
        var header = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            let type = StoredType(writing: tensor)
            let size = tensor.count * type.width
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append("\(jsonString(name)):{\"dtype\":\"\(type.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        header += members.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        appendLittleEndian(UInt64(headerBytes.count), to: &bytes)
        bytes += headerBytes
        for (_, tensor) in tensors {
            if let ints = int64Values(of: tensor) {
                for x in ints { appendLittleEndian(x, to: &bytes) }
            } else if tensor.dtype == .float32 {
                for x in tensor.scalars { appendLittleEndian(Float(x).bitPattern, to: &bytes) }
            } else {
                for x in tensor.scalars { appendLittleEndian(x.bitPattern, to: &bytes) }
            }
        }
        return bytes
    }

    /// Writes a file atomically (to a temporary file beside it, then renamed).
    /// - Throws: ``NNError/fileError(path:reason:)``, ``NNError/duplicateName(_:)``.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             to path: String) throws(NNError) {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .fileError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    // MARK: Reading

    /// Reads a file.
    /// - Throws: ``NNError/fileError(path:reason:)``, and the errors of ``decode(_:)``.
    public static func read(from path: String) throws(NNError) -> Contents {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try decode(Array(data))
        } catch .malformedSafetensors(let reason) {
            throw .malformedSafetensors("\(path): \(reason)")
        }
    }

    /// Decodes the bytes of a file.
    /// - Throws: ``NNError/malformedSafetensors(_:)`` naming the problem (a truncated
    ///   file, a header that is not the expected JSON, offsets that leave gaps or overlap,
    ///   a size that does not match the shape), ``NNError/unsupportedDType(name:dtype:)``,
    ///   ``NNError/duplicateName(_:)``.
    public static func decode(_ bytes: [UInt8]) throws(NNError) -> Contents {
        guard bytes.count >= 8 else {
            throw .malformedSafetensors("the file has \(bytes.count) bytes, fewer than the 8 of the header length")
        }
        let declared = readLittleEndian(UInt64.self, bytes, at: 0)
        guard declared <= UInt64(maximumHeaderSize) else {
            throw .malformedSafetensors("the header length \(declared) exceeds the limit of \(maximumHeaderSize) bytes")
        }
        let headerSize = Int(declared)
        guard 8 + headerSize <= bytes.count else {
            throw .malformedSafetensors("the header length \(headerSize) runs past the end of the file (\(bytes.count) bytes)")
        }
        let headerBytes = bytes[8..<(8 + headerSize)]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw .malformedSafetensors("the header does not start with '{'")
        }
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw .malformedSafetensors("the header is not valid UTF-8")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(headerBytes))
        } catch let error as NNError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .malformedSafetensors("header: \(describe(context))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformedSafetensors("header: \(describe(context, then: key)) is missing")
        } catch {
            throw .malformedSafetensors("the header is not valid JSON")
        }

        let dataStart = 8 + headerSize
        let dataSize = bytes.count - dataStart
        var expectedBegin = 0
        var tensors: [(name: String, tensor: Tensor)] = []
        for entry in header.entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            let name = entry.name
            guard let type = StoredType(rawValue: entry.dtype) else { throw .unsupportedDType(name: name, dtype: entry.dtype) }
            guard entry.begin == expectedBegin else {
                throw .malformedSafetensors("tensor '\(name)' begins at byte \(entry.begin) of the data, expected \(expectedBegin) (tensors must be packed in order)")
            }
            guard entry.end >= entry.begin else {
                throw .malformedSafetensors("tensor '\(name)' ends (\(entry.end)) before it begins (\(entry.begin))")
            }
            var count = 1
            for dimension in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw .malformedSafetensors("tensor '\(name)' has a shape too large to hold: \(entry.shape)") }
                count = product
            }
            let (size, overflow) = count.multipliedReportingOverflow(by: type.width)
            guard !overflow, entry.end - entry.begin == size else {
                throw .malformedSafetensors("tensor '\(name)' of shape \(entry.shape) and dtype \(entry.dtype) needs \(count) × \(type.width) bytes, its offsets span \(entry.end - entry.begin)")
            }
            guard entry.end <= dataSize else {
                throw .malformedSafetensors("tensor '\(name)' ends at byte \(entry.end) of the data, which has only \(dataSize) bytes")
            }
            let tensor = try type.tensor(bytes, at: dataStart + entry.begin, count: count, shape: entry.shape, name: name)
            tensors.append((name, tensor))
            expectedBegin = entry.end
        }
        guard expectedBegin == dataSize else {
            throw .malformedSafetensors("the tensors cover \(expectedBegin) bytes of data, the file holds \(dataSize)")
        }
        return Contents(tensors: tensors, metadata: header.metadata)
    }

    // MARK: Format details

    /// The header as decoded: each tensor's entry, and the metadata.
    private struct Header: Decodable {
        struct Entry {
            let name: String
            let dtype: String
            let shape: [Int]
            let begin: Int
            let end: Int
        }

        struct Info: Decodable {
            let dtype: String
            let shape: [Int]
            let data_offsets: [Int]
        }

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var entries: [Entry] = []
        var metadata: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                    continue
                }
                let info = try container.decode(Info.self, forKey: key)
                let name = key.stringValue
                guard info.shape.allSatisfy({ $0 >= 0 }) else {
                    throw NNError.malformedSafetensors("tensor '\(name)' has a negative dimension in its shape \(info.shape)")
                }
                guard info.data_offsets.count == 2, info.data_offsets.allSatisfy({ $0 >= 0 }) else {
                    throw NNError.malformedSafetensors("tensor '\(name)': data_offsets must be two non-negative integers, found \(info.data_offsets)")
                }
                entries.append(Entry(name: name, dtype: info.dtype, shape: info.shape,
                                     begin: info.data_offsets[0], end: info.data_offsets[1]))
            }
        }
    }

    private static func describe(_ context: DecodingError.Context, then key: (any CodingKey)? = nil) -> String {
        let path = (context.codingPath + (key.map { [$0] } ?? [])).map(\.stringValue)
        let location = path.isEmpty ? "the header" : path.joined(separator: ".")
        return key == nil ? "\(location): \(context.debugDescription)" : location
    }

    /// A dtype of the format that this library reads.
    enum StoredType: String {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

        /// The type `tensor` is written as: I64 for int64, F32 for float32, F64 for float64.
        init(writing tensor: Tensor) {
            self = int64Values(of: tensor) != nil ? .i64 : tensor.dtype == .float32 ? .f32 : .f64
        }

        var width: Int {
            switch self {
            case .f64, .i64: 8
            case .f32, .i32: 4
            case .f16, .bf16, .i16: 2
            case .i8, .u8, .bool: 1
            }
        }

        /// The `count` elements at `bytes[base...]` as a tensor of `shape`: floats as
        /// float64 or float32 (half precisions widened), integers and bools as int64.
        func tensor(_ bytes: [UInt8], at base: Int, count: Int, shape: [Int], name: String) throws(NNError) -> Tensor {
            func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
                (0..<count).map { readLittleEndian(T.self, bytes, at: base + MemoryLayout<T>.size * $0) }
            }
            let malformed = { (reason: String) in NNError.malformedSafetensors("tensor '\(name)': \(reason)") }
            switch self {
            case .f64: return try .checked(shape: shape, float64: load(UInt64.self).map(Double.init(bitPattern:)), orThrow: malformed)
            case .f32: return try .checked(shape: shape, float32: load(UInt32.self).map(Float.init(bitPattern:)), orThrow: malformed)
            case .f16: return try .checked(shape: shape, float32: load(UInt16.self).map { Bytes.float(half: $0) }, orThrow: malformed)
            case .bf16: return try .checked(shape: shape, float32: load(UInt16.self).map { Bytes.float(bfloat16: $0) }, orThrow: malformed)
            case .i64: return try makeInt64Tensor(shape: shape, values: load(Int64.self))
            case .i32: return try makeInt64Tensor(shape: shape, values: load(Int32.self).map(Int64.init))
            case .i16: return try makeInt64Tensor(shape: shape, values: load(Int16.self).map(Int64.init))
            case .i8: return try makeInt64Tensor(shape: shape, values: load(Int8.self).map(Int64.init))
            case .u8: return try makeInt64Tensor(shape: shape, values: load(UInt8.self).map(Int64.init))
            case .bool: return try makeInt64Tensor(shape: shape, values: load(UInt8.self).map { $0 == 0 ? 0 : 1 })
            }
        }
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes += $0 }
    }

    private static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// A JSON string literal with RFC 8259's escapes.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
