import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("Safetensors")
struct SafetensorsTests {
    /// A file by hand: one F32 tensor [2] = (1, −2), no metadata.
    static let handWritten: [UInt8] = {
        let header = Array(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#.utf8)  // 56 bytes
        var bytes: [UInt8] = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header
        bytes += [0x00, 0x00, 0x80, 0x3F]  // 1.0f, little-endian
        bytes += [0x00, 0x00, 0x00, 0xC0]  // -2.0f
        return bytes
    }()

    @Test func readsAHandWrittenFile() throws {
        let contents = try Safetensors.decode(Self.handWritten)
        #expect(contents.tensors.map(\.name) == ["t"])
        #expect(contents["t"] == (try Tensor(shape: [2], float32Scalars: [1, -2])))
        #expect(contents.metadata.isEmpty)
    }

    @Test func writesTheLayoutItReads() throws {
        let tensors: [(name: String, tensor: Tensor)] = [
            ("a.weight", try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])),
            ("b", try Tensor(shape: [3], float32Scalars: [0.1, -0.0, .infinity])),
            ("scalar", Tensor(2.5)),
            ("empty", try Tensor(shape: [0, 4], scalars: [])),
        ]
        let bytes = try Safetensors.encode(tensors, metadata: ["format": "pt", "note": "quote \" and newline \n"])
        let headerSize = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerSize) % 8 == 0, "the data is 8-byte aligned")
        #expect(bytes.count == 8 + headerSize + 6 * 8 + 3 * 4 + 8)
        let decoded = try Safetensors.decode(bytes)
        #expect(decoded.tensors.map(\.name) == ["a.weight", "b", "scalar", "empty"])
        for (written, read) in zip(tensors, decoded.tensors) {
            #expect(read.tensor == written.tensor && read.tensor.dtype == written.tensor.dtype, "\(written.name)")
        }
        #expect(decoded.metadata == ["format": "pt", "note": "quote \" and newline \n"])
        // Raw data of the first tensor: 1.0 as a little-endian double right after the header.
        #expect(Array(bytes[(8 + headerSize)..<(16 + headerSize)]) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func modulesRoundTripThroughFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nn-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let trained = MLP(sizes: [2, 8, 3], activation: .tanh, dtype: .float32, seed: 11)
        try trained.save(to: path, metadata: ["epoch": "300"])
        let fresh = MLP(sizes: [2, 8, 3], activation: .tanh, dtype: .float32, seed: 12)
        try fresh.load(from: path)
        #expect(fresh.stateDict().map(\.tensor) == trained.stateDict().map(\.tensor))
        #expect(try Safetensors.read(from: path).metadata == ["epoch": "300"])

        let wrongShape = MLP(sizes: [2, 4, 3], seed: 13)
        #expect(throws: NNError.self) { try wrongShape.load(from: path) }
    }

    @Test func refusesDuplicateNames() {
        #expect(throws: NNError.duplicateName("x")) { try Safetensors.encode([("x", Tensor(1.0)), ("x", Tensor(2.0))]) }
        #expect(throws: NNError.duplicateName("__metadata__")) { try Safetensors.encode([("__metadata__", Tensor(1.0))]) }
    }

    @Test func missingFileIsAFileError() {
        #expect {
            try Safetensors.read(from: "/nonexistent/model.safetensors")
        } throws: { error in
            guard case .fileError(let path, _) = error as? NNError else { return false }
            return path == "/nonexistent/model.safetensors"
        }
    }

    /// A file with `header` (padded to 8 bytes) followed by `data`.
    static func file(header: String, data: [UInt8] = []) -> [UInt8] {
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var length = UInt64(headerBytes.count).littleEndian
        return withUnsafeBytes(of: &length) { Array($0) } + headerBytes + data
    }

    /// Each malformed file names its problem; none crashes.
    @Test(arguments: [
        ("too short", Array([UInt8](repeating: 0, count: 5)), "fewer than the 8"),
        ("header length past the end", [200, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D], "runs past the end"),
        ("header too large", [0, 0, 0, 0, 0, 0, 0, 1], "exceeds the limit"),
        ("not an object", file(header: "[1, 2]"), "does not start with '{'"),
        ("not JSON", file(header: "{\"t\": "), "not valid JSON"),
        ("missing dtype", file(header: #"{"t":{"shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "t.dtype is missing"),
        ("shape of strings", file(header: #"{"t":{"dtype":"F64","shape":["a"],"data_offsets":[0,8]}}"#), "header: t.shape"),
        ("negative dimension", file(header: #"{"t":{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}}"#), "negative dimension"),
        ("three offsets", file(header: #"{"t":{"dtype":"F64","shape":[1],"data_offsets":[0,8,9]}}"#), "two non-negative integers"),
        ("size mismatch", file(header: #"{"t":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "needs 2 × 8 bytes"),
        ("gap", file(header: #"{"t":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#, data: Array(repeating: 0, count: 16)), "begins at byte 8"),
        ("overlap", file(header: #"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "begins at byte 0 of the data, expected 8"),
        ("data runs past the end", file(header: #"{"t":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 8)), "which has only 8 bytes"),
        ("trailing bytes", file(header: #"{"t":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 12)), "cover 8 bytes of data, the file holds 12"),
        ("metadata not strings", file(header: #"{"__metadata__":{"a":1}}"#), "header: __metadata__.a"),
        ("huge shape", file(header: #"{"t":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#), "too large"),
    ] as [(String, [UInt8], String)])
    func malformedFilesAreRefused(what: String, bytes: [UInt8], expected: String) {
        do {
            let contents = try Safetensors.decode(bytes)
            Issue.record("\(what): decoded \(contents.tensors.count) tensors instead of refusing")
        } catch {
            guard case .malformedSafetensors(let reason) = error else {
                Issue.record("\(what): \(error)")
                return
            }
            #expect(reason.contains(expected), "\(what): the message '\(reason)' does not say '\(expected)'")
        }
    }

    @Test func unsupportedDTypesAreNamed() {
        let bytes = Self.file(header: #"{"h":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        #expect(throws: NNError.unsupportedDType(name: "h", dtype: "F8_E4M3")) { try Safetensors.decode(bytes) }
    }

    // Expected values: what tools/make-data-fixtures.py gives safetensors.torch.save_file.

    @Test func readsHalfPrecisionsWrittenByTorch() throws {
        let contents = try Safetensors.read(from: DataFixtures.path("floats.safetensors"))
        #expect(contents["f64"] == (try Tensor(shape: [2], scalars: [0.5, -1.25])))
        #expect(contents["f32"] == (try Tensor(shape: [1, 2], float32Scalars: [1.5, -2])))
        // widened exactly to float32
        #expect(contents["f16"] == (try Tensor(shape: [5], float32Scalars: [1.5, -0.25, 65504, 0x1p-14, 0x1p-24])))
        #expect(contents["bf16"] == (try Tensor(shape: [5], float32Scalars: [1.5, -0.25, 256, 0x1p-100, 0x1p100])))
    }

    @Test
    func readsIntegersWrittenByTorchAndWritesI64() throws {
        let contents = try Safetensors.read(from: DataFixtures.path("integers.safetensors"))
        let expected: [(String, [Int64])] = [
            ("i64", [-(1 << 40), 0, 7]), ("i32", [-5, 6]), ("i16", [-300, 300]), ("i8", [-128, 127]),
            ("u8", [0, 255]), ("bool", [1, 0, 1]),
        ]
        for (name, values) in expected {
            let tensor = try #require(contents[name])
            #expect(tensor.shape == [values.count], "\(name)")
            #expect(int64Values(of: tensor) == values, "\(name)")
        }
        // I64 written: the header names it, and the values come back
        let i64 = try #require(contents["i64"])
        let bytes = try Safetensors.encode([("i64", i64)])
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""dtype":"I64""#))
        #expect(int64Values(of: try #require(try Safetensors.decode(bytes)["i64"])) == [-(1 << 40), 0, 7])
    }

}
