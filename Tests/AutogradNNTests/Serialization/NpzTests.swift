import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("NPZ")
struct NpzTests {
    // Expected values: the arrays tools/make-data-fixtures.py gives np.savez and
    // np.savez_compressed, spelled out again here.

    @Test(arguments: ["floats.npz", "floats_compressed.npz"])
    func readsEveryFloatArrayNumpyWrote(file: String) throws {
        let archive = try NPZ.read(from: DataFixtures.path(file))
        #expect(archive.names == ["f8", "f4", "f2", "be_f8", "be_f4", "fortran2", "fortran3", "scalar", "empty"])
        #expect(archive["f8"] == (try Tensor(shape: [5, 3], scalars: (0..<15).map { (Double($0) - 7) / 4 })))
        #expect(archive["f4"] == (try Tensor(shape: [2, 2], float32Scalars: [0.5, -2, 3.25, 1024])))
        // float16, widened exactly: the largest half, the smallest normal, the smallest subnormal
        #expect(archive["f2"] == (try Tensor(shape: [5], float32Scalars: [1.5, -0.25, 65504, 0x1p-14, 0x1p-24])))
        #expect(archive["be_f8"] == (try Tensor(shape: [3], scalars: [1.5, -2, 0x1p1000])))
        #expect(archive["be_f4"] == (try Tensor(shape: [2], float32Scalars: [0.5, -8])))
        // Fortran order, read back in row-major order
        #expect(archive["fortran2"] == (try Tensor(shape: [2, 3], scalars: (0..<6).map(Double.init))))
        #expect(archive["fortran3"] == (try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))))
        #expect(archive["scalar"] == Tensor(7.5))
        #expect(archive["empty"] == (try Tensor(shape: [0, 3], scalars: [])))
        #expect(archive["missing"] == nil)
    }

    @Test(arguments: ["integers.npz", "integers_compressed.npz"])
    func readsEveryIntegerArrayNumpyWrote(file: String) throws {
        let archive = try NPZ.read(from: DataFixtures.path(file))
        #expect(archive.names == ["i8", "i4", "be_i4", "i2", "i1", "u1", "b1"])
        let expected: [(String, [Int], [Int64])] = [
            ("i8", [3], [-(1 << 40), 0, 7]), ("i4", [2, 2], [-5, 6, 7, -8]), ("be_i4", [3], [1, -2, 300]),
            ("i2", [2], [-300, 300]), ("i1", [2], [-128, 127]), ("u1", [2], [0, 255]), ("b1", [3], [1, 0, 1]),
        ]
        for (name, shape, values) in expected {
            let tensor = try #require(archive[name])
            #expect(tensor.shape == shape, "\(name)")
            #expect(int64Values(of: tensor) == values, "\(name)")
        }
    }


    @Test func writesStoredArchivesThatItReads() throws {
        let arrays: [(name: String, tensor: Tensor)] = [
            ("x", try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])),
            ("y", try Tensor(shape: [2], float32Scalars: [0.25, -1])),
            ("s", Tensor(3)),
        ]
        let path = try DataFixtures.temporaryDirectory() + "/a.npz"
        try NPZ.write(arrays, to: path)
        let back = try NPZ.read(from: path)
        #expect(back.names == ["x", "y", "s"])
        for (name, tensor) in arrays { #expect(back[name] == tensor) }
        // each member is what NPY.encode (checked against np.save) lays out, stored
        let bytes = try NPZ.encode(arrays)
        let members = try Zip.read(bytes)
        #expect(members.map(\.name) == ["x.npy", "y.npy", "s.npy"])
        #expect(members[0].bytes == NPY.encode(arrays[0].tensor))
        #expect(try NPZ.encode(arrays) == bytes)  // reproducible
    }

    @Test func duplicateKeysAreRefused() {
        #expect(throws: NNError.duplicateName("x")) { try NPZ.encode([("x", Tensor(1)), ("x", Tensor(2))]) }
    }

    // MARK: Damaged archives: a typed error, never a trap

    @Test func aChangedByteFailsTheChecksum() throws {
        var bytes = try DataFixtures.bytes("floats.npz")
        // the last byte of f8.npy's data: the first member's data ends before the second's local header
        let second = try #require(Self.offsets(of: [0x50, 0x4B, 0x03, 0x04], in: bytes).dropFirst().first)
        bytes[second - 1] ^= 0x01
        #expect(performing: { try NPZ.decode(bytes) }, throws: { ($0 as? NNError)?.description.contains("CRC-32") == true })
    }

    @Test func corruptDeflateDataIsRefused() throws {
        var bytes = try DataFixtures.bytes("floats_compressed.npz")
        let second = try #require(Self.offsets(of: [0x50, 0x4B, 0x03, 0x04], in: bytes).dropFirst().first)
        for i in (second - 40)..<(second - 20) { bytes[i] = 0xFF }
        #expect(throws: NNError.self) { try NPZ.decode(bytes) }
    }

    @Test func truncatedArchivesAreRefused() throws {
        let bytes = try DataFixtures.bytes("floats_compressed.npz")
        for length in [0, 10, 21, bytes.count / 2, bytes.count - 1] {
            #expect(throws: NNError.self) { try NPZ.decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: NNError.self) { try NPZ.decode(Array(bytes.dropFirst(100))) }
    }

    @Test func aNonArrayMemberNamesItsMember() throws {
        let bytes = try Zip.write([Zip.Member(name: "notes.npy", bytes: Array("hello".utf8))])
        #expect(performing: { try NPZ.decode(bytes) }, throws: { ($0 as? NNError)?.description.contains("member 'notes.npy'") == true })
    }

    static func offsets(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }
}
