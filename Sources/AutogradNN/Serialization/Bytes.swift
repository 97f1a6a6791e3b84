import Autograd
import Foundation

// Byte-level helpers the file formats share: fixed-width integers in either byte order,
// IEEE half and bfloat16 widening, checked element counts, whole-file reads and atomic
// writes, and tensors whose construction errors become the module's errors.

enum Bytes {
    /// `T` stored at `offset` in little-endian order. The caller has checked the bounds.
    @inline(__always)
    static func little<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// `T` stored at `offset` in big-endian order. The caller has checked the bounds.
    @inline(__always)
    static func big<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// `T` from `bytes[offset...]` in little-endian order, or `nil` past the end.
    static func little<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T? {
        guard offset >= 0, offset <= bytes.count - MemoryLayout<T>.size else { return nil }
        return bytes.withUnsafeBytes { little(T.self, $0, at: offset) }
    }

    static func appendLittle<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// An IEEE 754 binary16 value, widened exactly to `Float` (subnormals, infinities and
    /// NaNs included).
    static func float(half bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // ±0 and subnormals: fraction · 2⁻²⁴, exact in Float
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (fraction << 13))
        }
    }

    /// A bfloat16 value (the top half of a binary32), widened exactly to `Float`.
    static func float(bfloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The product of `shape`'s dimensions, or `nil` if a dimension is negative or the
    /// product (or the product times `itemSize`) overflows `Int`.
    static func checkedCount(_ shape: [Int], itemSize: Int = 1) -> (count: Int, bytes: Int)? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        let (size, overflow) = count.multipliedReportingOverflow(by: itemSize)
        return overflow ? nil : (count, size)
    }

    /// The contents of the file at `path`.
    /// - Throws: ``NNError/fileError(path:reason:)``.
    static func read(_ path: String) throws(NNError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .fileError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` atomically (a temporary file beside it, then renamed).
    /// - Throws: ``NNError/fileError(path:reason:)``.
    static func write(_ bytes: [UInt8], to path: String) throws(NNError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .fileError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

extension NNError {
    /// The same error with `path` named in its reason (formats' errors from `decode`
    /// become the errors of `read(from:)`).
    func inFile(_ path: String) -> NNError {
        switch self {
        case .malformedNpy(let reason): .malformedNpy("\(path): \(reason)")
        case .malformedArchive(let reason): .malformedArchive("\(path): \(reason)")
        case .malformedIDX(let reason): .malformedIDX("\(path): \(reason)")
        case .malformedSafetensors(let reason): .malformedSafetensors("\(path): \(reason)")
        default: self
        }
    }
}

extension Tensor {
    /// A float64 tensor, or a float32 one holding `float32` values, whose construction
    /// errors (a shape too large to address) become `makeError(description)`.
    static func checked(shape: [Int], float64 values: [Double], orThrow makeError: (String) -> NNError) throws(NNError) -> Tensor {
        do { return try Tensor(shape: shape, scalars: values) } catch { throw makeError("cannot make a tensor of shape \(shape): \(error)") }
    }

    static func checked(shape: [Int], float32 values: [Float], orThrow makeError: (String) -> NNError) throws(NNError) -> Tensor {
        do { return try Tensor(shape: shape, float32Scalars: values) } catch { throw makeError("cannot make a tensor of shape \(shape): \(error)") }
    }
}
