import Autograd
import Foundation

/// MNIST and Fashion-MNIST from their IDX files, as distributed (plain or gzip-compressed).
///
/// A directory holds the four files of the two splits:
///
///     train-images-idx3-ubyte   train-labels-idx1-ubyte     (60,000 images and labels)
///     t10k-images-idx3-ubyte    t10k-labels-idx1-ubyte      (10,000)
///
/// each possibly ending in `.gz` (gzip, inflated through zlib), and with `.idx` spelled
/// `-idx` or `.idx` (both spellings circulate). Nothing is downloaded.
///
/// Images are float32 `[N, rows, columns]` (`[N, 28, 28]`), either scaled to [0, 1] (each
/// byte divided by 255, as DeZero's and torchvision's `ToTensor` do) or raw (the bytes
/// 0…255 as float32 values); labels are int64 `[N]`.
///
/// ```swift
/// let (images, labels) = try MNIST.load(directory: "data/mnist", split: .train)
/// images.shape   // [60000, 28, 28], values in [0, 1]
/// ```
public enum MNIST {
    /// Which of the two sets of files to read.
    public enum Split: String, Sendable {
        /// `train-*` (60,000 examples).
        case train
        /// `t10k-*` (10,000 examples).
        case test = "t10k"
    }

    /// How pixels become float32 values.
    public enum Pixels: Sendable {
        /// Each byte divided by 255: values in [0, 1].
        case scaled
        /// Each byte as it is: values 0…255.
        case raw
    }

    /// Reads a split's images and labels from `directory`.
    ///
    /// ```swift
    /// let (x, t) = try MNIST.load(directory: "fashion-mnist", split: .test, pixels: .raw)
    /// ```
    /// - Parameters:
    ///   - directory: The directory holding the IDX files.
    ///   - split: ``Split/train`` or ``Split/test``.
    ///   - pixels: ``Pixels/scaled`` (the default) or ``Pixels/raw``.
    /// - Returns: `images`, float32 `[N, rows, columns]`, and `labels`, int64 `[N]`.
    /// - Throws: ``NNError/fileError(path:reason:)`` for a missing file,
    ///   ``NNError/malformedIDX(_:)`` for a damaged one or image and label counts that
    ///   differ.
    public static func load(directory: String, split: Split, pixels: Pixels = .scaled) throws(NNError) -> (images: Tensor, labels: Tensor) {
        let images = try loadImages(path: try file(directory, "\(split.rawValue)-images", "idx3-ubyte"), pixels: pixels)
        let labels = try loadLabels(path: try file(directory, "\(split.rawValue)-labels", "idx1-ubyte"))
        guard images.shape[0] == labels.shape[0] else {
            throw .malformedIDX("\(directory): \(images.shape[0]) images and \(labels.shape[0]) labels")
        }
        return (images, labels)
    }

    /// Reads an IDX file of images (unsigned bytes, 3 dimensions: `[N, rows, columns]`).
    ///
    /// ```swift
    /// let x = try MNIST.loadImages(path: "train-images-idx3-ubyte.gz")   // [60000, 28, 28]
    /// ```
    /// - Parameters:
    ///   - path: The file (gzip-compressed if it begins with gzip's magic bytes).
    ///   - pixels: ``Pixels/scaled`` (the default) or ``Pixels/raw``.
    /// - Returns: A float32 tensor `[N, rows, columns]`.
    /// - Throws: ``NNError/fileError(path:reason:)``, ``NNError/malformedIDX(_:)`` (also for
    ///   a file of another type or rank).
    public static func loadImages(path: String, pixels: Pixels = .scaled) throws(NNError) -> Tensor {
        let array = try IDX.readArray(path)
        guard array.typeCode == 0x08, array.shape.count == 3 else {
            throw .malformedIDX("\(path): images are unsigned bytes of 3 dimensions; the file holds type 0x\(String(array.typeCode, radix: 16)) of shape \(array.shape)")
        }
        let divisor: Float = pixels == .scaled ? 255 : 1
        let values = array.data.map { Float($0) / divisor }
        return try .checked(shape: array.shape, float32: values) { .malformedIDX("\(path): \($0)") }
    }

    /// Reads an IDX file of labels (unsigned bytes, 1 dimension).
    ///
    /// ```swift
    /// let t = try MNIST.loadLabels(path: "train-labels-idx1-ubyte.gz")   // int64 [60000]
    /// ```
    /// - Parameter path: The file (gzip-compressed if it begins with gzip's magic bytes).
    /// - Returns: An int64 tensor `[N]`.
    /// - Throws: ``NNError/fileError(path:reason:)``, ``NNError/malformedIDX(_:)``.
    public static func loadLabels(path: String) throws(NNError) -> Tensor {
        let array = try IDX.readArray(path)
        guard array.typeCode == 0x08, array.shape.count == 1 else {
            throw .malformedIDX("\(path): labels are unsigned bytes of 1 dimension; the file holds type 0x\(String(array.typeCode, radix: 16)) of shape \(array.shape)")
        }
        return try makeInt64Tensor(shape: array.shape, values: array.data.map(Int64.init))
    }

    /// The path of `stem` + `-`/`.` + `suffix` (+ `.gz`) in `directory`, whichever exists.
    private static func file(_ directory: String, _ stem: String, _ suffix: String) throws(NNError) -> String {
        let candidates = ["-", "."].flatMap { separator in
            ["", ".gz"].map { directory + "/" + stem + separator + suffix + $0 }
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .fileError(path: candidates[0], reason: "not found (nor with .gz, nor with '.\(suffix)')")
        }
        return found
    }
}

/// The IDX format (MNIST's): a big-endian header, then the elements, big-endian.
///
///     0x00 0x00 | type code | dimensions d | d sizes, UInt32 BE | elements
///
/// Type codes: 0x08 unsigned byte, 0x09 signed byte, 0x0B Int16, 0x0C Int32,
/// 0x0D Float32, 0x0E Float64.
enum IDX {
    struct RawArray {
        var typeCode: UInt8
        var shape: [Int]
        /// The element bytes, as stored.
        var data: ArraySlice<UInt8>
    }

    /// The file at `path`, inflated if it is gzip, parsed.
    static func readArray(_ path: String) throws(NNError) -> RawArray {
        var bytes = try Bytes.read(path)
        if bytes.starts(with: [0x1F, 0x8B]) {
            switch Zlib.inflate(bytes, format: .gzip) {
            case .success(let inflated): bytes = inflated
            case .failure(let error): throw .malformedIDX("\(path): gzip: \(error.reason)")
            }
        }
        do {
            return try parse(bytes)
        } catch {
            throw error.inFile(path)
        }
    }

    static func parse(_ bytes: [UInt8]) throws(NNError) -> RawArray {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw .malformedIDX("the file does not begin with IDX's two zero bytes")
        }
        let typeCode = bytes[2]
        let size: Int
        switch typeCode {
        case 0x08, 0x09: size = 1
        case 0x0B: size = 2
        case 0x0C, 0x0D: size = 4
        case 0x0E: size = 8
        default: throw .malformedIDX("unknown type code 0x\(String(typeCode, radix: 16))")
        }
        let rank = Int(bytes[3])
        guard bytes.count >= 4 + 4 * rank else { throw .malformedIDX("the file ends inside its \(rank) dimensions") }
        let shape = bytes.withUnsafeBytes { raw in (0..<rank).map { Int(Bytes.big(UInt32.self, raw, at: 4 + 4 * $0)) } }
        guard let (_, needed) = Bytes.checkedCount(shape, itemSize: size) else {
            throw .malformedIDX("the shape \(shape) is too large to address")
        }
        let start = 4 + 4 * rank
        guard bytes.count - start == needed else {
            throw .malformedIDX("shape \(shape) needs \(needed) bytes of data, the file has \(bytes.count - start)")
        }
        return RawArray(typeCode: typeCode, shape: shape, data: bytes[start...])
    }
}
