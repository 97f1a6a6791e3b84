import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("NPY")
struct NpyTests {
    // Expected values: what tools/make-data-fixtures.py gives np.save.

    @Test func encodesTheBytesNpSaveWrites() throws {
        let f8 = try Tensor(shape: [5, 3], scalars: (0..<15).map { (Double($0) - 7) / 4 })
        #expect(NPY.encode(f8) == (try DataFixtures.bytes("saved_f8.npy")))
        let f4 = try Tensor(shape: [2, 2], float32Scalars: [0.5, -2, 3.25, 1024])
        #expect(NPY.encode(f4) == (try DataFixtures.bytes("saved_f4.npy")))
        #expect(NPY.encode(Tensor(7.5)) == (try DataFixtures.bytes("saved_scalar.npy")))
    }

    @Test func readsWhatNpSaveWrites() throws {
        let f8 = try NPY.read(from: DataFixtures.path("saved_f8.npy"))
        #expect(f8 == (try Tensor(shape: [5, 3], scalars: (0..<15).map { (Double($0) - 7) / 4 })))
        let f4 = try NPY.read(from: DataFixtures.path("saved_f4.npy"))
        #expect(f4 == (try Tensor(shape: [2, 2], float32Scalars: [0.5, -2, 3.25, 1024])))
        let scalar = try NPY.read(from: DataFixtures.path("saved_scalar.npy"))
        #expect(scalar.shape == [] && scalar.scalars == [7.5])
    }

    @Test(arguments: ["version2.npy", "version3.npy"])
    func readsFormatVersions2And3(file: String) throws {
        #expect(try NPY.read(from: DataFixtures.path(file)) == (try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])))
    }

    @Test
    func int64RoundTripsAsNpSaveWritesIt() throws {
        let tensor = try NPY.read(from: DataFixtures.path("saved_i8.npy"))
        #expect(tensor.shape == [3])
        #expect(int64Values(of: tensor) == [-(1 << 40), 0, 7])
        #expect(NPY.encode(tensor) == (try DataFixtures.bytes("saved_i8.npy")))
    }


    @Test func writesAndReadsAFile() throws {
        let path = try DataFixtures.temporaryDirectory() + "/t.npy"
        let t = try Tensor(shape: [2, 1, 3], float32Scalars: [1, -0, .infinity, 0.1, 2, 3])
        try NPY.write(t, to: path)
        #expect(try NPY.read(from: path) == t)
    }

    // MARK: Hostile input: a typed error, never a trap

    /// A version-1.0 file with `header` (padded as numpy pads it) and `data`.
    static func file(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        var h = Array(header.utf8)
        let lengthSize = version == 1 ? 2 : 4
        while (8 + lengthSize + h.count + 1) % 64 != 0 { h.append(0x20) }
        h.append(0x0A)
        var bytes = NPY.magic + [version, 0]
        let n = UInt32(h.count)
        bytes += lengthSize == 2 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n >> 16), 0]
        return bytes + h + data
    }

    @Test func aHandWrittenBigEndianFortranFileIsTransposed() throws {
        // >f8, Fortran order, shape (2, 3): stored column by column
        var data: [UInt8] = []
        for v in [0.0, 3, 1, 4, 2, 5] { withUnsafeBytes(of: v.bitPattern.bigEndian) { data += $0 } }
        let t = try NPY.decode(Self.file("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }", data: data))
        #expect(t == (try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])))
    }

    @Test func badMagicIsRefused() {
        #expect(throws: NNError.self) { try NPY.decode(Array("PK\u{3}\u{4} not npy".utf8)) }
        #expect(performing: { try NPY.decode([]) }, throws: { ($0 as? NNError)?.description.contains("magic") == true })
    }

    @Test func truncatedAndTrailingDataAreRefused() {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
        #expect(performing: { try NPY.decode(Self.file(header, data: [UInt8](repeating: 0, count: 15))) },
                throws: { ($0 as? NNError)?.description.contains("truncated") == true })
        #expect(throws: NNError.self) { try NPY.decode(Self.file(header, data: [UInt8](repeating: 0, count: 17))) }
        #expect(throws: NNError.self) { try NPY.decode(Array(Self.file(header).prefix(20))) }
    }

    @Test(arguments: ["<c16", "|O", "<U5", "<M8[ns]", "f8", "<f3"])
    func unsupportedDTypesAreNamed(descr: String) {
        let bytes = Self.file("{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 16))
        #expect(throws: NNError.unsupportedDType(name: "", dtype: descr)) { try NPY.decode(bytes) }
    }

    @Test func structuredDTypesAreRefused() {
        let bytes = Self.file("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8))
        #expect(throws: NNError.unsupportedDType(name: "", dtype: "[('a', '<f8')]")) { try NPY.decode(bytes) }
    }

    @Test func shapeOverflowIsRefused() {
        let bytes = Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")
        #expect(performing: { try NPY.decode(bytes) }, throws: { ($0 as? NNError)?.description.contains("too large") == true })
        let huge = Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }")
        #expect(throws: NNError.self) { try NPY.decode(huge) }
    }

    @Test func malformedHeadersAreRefused() {
        for header in ["{'descr': '<f8', 'shape': (1,), }", "not a dict", "{'descr': '<f8', 'fortran_order': 1, 'shape': (1,)}",
                       "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", "{'descr': '<f8'", String(repeating: "(", count: 1000)] {
            #expect(throws: NNError.self) { try NPY.decode(Self.file(header, data: [UInt8](repeating: 0, count: 8))) }
        }
    }

    @Test func aHeaderTooLargeIsRefused() {
        var bytes = NPY.magic + [2, 0]
        bytes += [0, 0, 0, 0x7F]  // 2 GiB
        #expect(performing: { try NPY.decode(bytes) }, throws: { ($0 as? NNError)?.description.contains("exceeds") == true })
    }

    @Test func versionsOtherThan1To3AreRefused() {
        #expect(throws: NNError.self) { try NPY.decode(NPY.magic + [4, 0, 0, 0]) }
    }
}
