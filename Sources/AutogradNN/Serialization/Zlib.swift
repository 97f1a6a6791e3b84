import CZlib

// zlib through CZlib: raw deflate streams (ZIP members), gzip files, CRC-32.

enum Zlib {
    /// zlib's CRC-32 of `bytes` (the ZIP checksum).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: uLong = CZlib.crc32(0, nil, 0)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {  // crc32 takes a 32-bit length
                let length = min(buffer.count - start, 1 << 30)
                crc = CZlib.crc32(crc, buffer.baseAddress! + start, uInt(length))
                start += length
            }
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    enum Format {
        /// A raw deflate stream (windowBits −15): a ZIP member.
        case raw
        /// A gzip file (windowBits 16 + 15), possibly of several concatenated members.
        case gzip
    }

    /// The inflated bytes of `input`.
    /// - Parameters:
    ///   - expectedSize: For ``Format/raw``, the size the stream must inflate to (from a
    ///     ZIP directory): more or fewer bytes are an error. `nil` grows the output as needed.
    /// - Returns: the bytes, or a sentence saying what is wrong with the stream.
    static func inflate(_ input: [UInt8], format: Format, expectedSize: Int? = nil) -> Result<[UInt8], InflateError> {
        var stream = z_stream()
        let windowBits: Int32 = format == .raw ? -MAX_WBITS : 16 + MAX_WBITS
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(InflateError("zlib's inflateInit2 failed"))
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(expectedSize ?? input.count * 4, 64))
        var produced = 0
        var consumed = 0
        let chunk = Int(UInt32.max >> 1)
        return input.withUnsafeBufferPointer { (inBuffer) -> Result<[UInt8], InflateError> in
            while true {
                if produced == output.count {
                    if let expectedSize, produced >= expectedSize {
                        // the stream has more to give than the directory says
                        var probe: UInt8 = 0
                        let status = withUnsafeMutablePointer(to: &probe) { p -> Int32 in
                            stream.next_out = p
                            stream.avail_out = 1
                            return CZlib.inflate(&stream, Z_NO_FLUSH)
                        }
                        if status == Z_STREAM_END && stream.avail_out == 1 { break }
                        return .failure(InflateError("the member inflates to more than the \(expectedSize) bytes its directory entry declares"))
                    }
                    output += [UInt8](repeating: 0, count: output.count)
                }
                let availableIn = min(inBuffer.count - consumed, chunk)
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress.map { $0 + consumed })
                stream.avail_in = uInt(availableIn)
                let availableOut = min(output.count - produced, chunk)
                let status = output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = uInt(availableOut)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                consumed += availableIn - Int(stream.avail_in)
                produced += availableOut - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    if format == .gzip && consumed < inBuffer.count {
                        // another gzip member follows (as `cat a.gz b.gz` makes)
                        guard inflateReset(&stream) == Z_OK else { return .failure(InflateError("zlib's inflateReset failed")) }
                        continue
                    }
                    if let expectedSize, produced != expectedSize {
                        return .failure(InflateError("the member inflates to \(produced) bytes, its directory entry declares \(expectedSize)"))
                    }
                    return .success(Array(output[..<produced]))
                case Z_OK:
                    continue
                case Z_BUF_ERROR where consumed == inBuffer.count && stream.avail_out > 0:
                    return .failure(InflateError("the compressed data ends before its stream does (truncated)"))
                case Z_BUF_ERROR:
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(InflateError("the compressed data is corrupt (\(message))"))
                }
            }
            return .success(Array(output[..<produced]))
        }
    }

    struct InflateError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
