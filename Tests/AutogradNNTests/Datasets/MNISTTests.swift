import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("MNIST")
struct MNISTTests {
    /// 3 images of 2 × 3 pixels: 0, 15, 30, …, 255 (as tools/make-data-fixtures.py's gzip files).
    static let pixels: [UInt8] = (0..<18).map { UInt8($0 * 15) }
    static let labels: [UInt8] = [7, 0, 9]

    static func idx(type: UInt8, shape: [UInt32], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for d in shape { withUnsafeBytes(of: d.bigEndian) { bytes += $0 } }
        return bytes + data
    }

    /// A directory with plain IDX files, written here.
    static func plainDirectory(separator: String = "-") throws -> String {
        let directory = try DataFixtures.temporaryDirectory()
        for split in ["train", "t10k"] {
            try Data(idx(type: 0x08, shape: [3, 2, 3], data: pixels))
                .write(to: URL(fileURLWithPath: "\(directory)/\(split)-images\(separator)idx3-ubyte"))
            try Data(idx(type: 0x08, shape: [3], data: labels))
                .write(to: URL(fileURLWithPath: "\(directory)/\(split)-labels\(separator)idx1-ubyte"))
        }
        return directory
    }

    @Test func readsScaledAndRawImagesFromPlainFiles() throws {
        let directory = try Self.plainDirectory()
        let scaled = try MNIST.loadImages(path: directory + "/train-images-idx3-ubyte")
        #expect(scaled.dtype == .float32 && scaled.shape == [3, 2, 3])
        #expect(scaled == (try Tensor(shape: [3, 2, 3], float32Scalars: Self.pixels.map { Float($0) / 255 })))
        #expect(scaled.scalars.first == 0 && scaled.scalars.last == 1)
        let raw = try MNIST.loadImages(path: directory + "/t10k-images-idx3-ubyte", pixels: .raw)
        #expect(raw == (try Tensor(shape: [3, 2, 3], float32Scalars: Self.pixels.map(Float.init))))
    }

    @Test func readsGzipFilesWrittenByPython() throws {
        let raw = try MNIST.loadImages(path: DataFixtures.path("idx-gz/train-images-idx3-ubyte.gz"), pixels: .raw)
        #expect(raw == (try Tensor(shape: [3, 2, 3], float32Scalars: Self.pixels.map(Float.init))))
    }

    @Test
    func loadsBothSplitsWithLabels() throws {
        for directory in [try Self.plainDirectory(), try Self.plainDirectory(separator: "."), DataFixtures.path("idx-gz")] {
            for split in [MNIST.Split.train, .test] {
                let (images, labels) = try MNIST.load(directory: directory, split: split)
                #expect(images.shape == [3, 2, 3])
                #expect(int64Values(of: labels) == [7, 0, 9])
            }
        }
    }


    @Test func aMissingDirectoryOrFileIsAFileError() {
        #expect(performing: { try MNIST.load(directory: "/nonexistent", split: .test) },
                throws: { if case .fileError = $0 as? NNError { true } else { false } })
    }

    @Test func damagedFilesAreRefused() throws {
        let directory = try DataFixtures.temporaryDirectory()
        let cases: [(String, [UInt8])] = [
            ("short", Self.idx(type: 0x08, shape: [3, 2, 3], data: Array(Self.pixels.dropLast()))),
            ("long", Self.idx(type: 0x08, shape: [3, 2, 3], data: Self.pixels + [0])),
            ("type", Self.idx(type: 0x0D, shape: [3, 2, 3], data: [UInt8](repeating: 0, count: 72))),
            ("rank", Self.idx(type: 0x08, shape: [18], data: Self.pixels)),
            ("magic", [1, 2, 3, 4]),
            ("overflow", Self.idx(type: 0x08, shape: [.max, .max, .max], data: [])),
            ("gzip", [0x1F, 0x8B, 8, 0, 0, 0]),
        ]
        for (name, bytes) in cases {
            let path = directory + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try MNIST.loadImages(path: path)
                Issue.record("\(name): accepted")
            } catch {
                guard case .malformedIDX = error else { Issue.record("\(name): \(error)"); continue }
            }
        }
    }
}
