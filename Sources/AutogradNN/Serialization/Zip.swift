// ZIP archives as `.npz` files use them: reading stored and deflate members (with ZIP64
// sizes and offsets), checking CRC-32s, and writing stored members as `np.savez` does.
// Nothing is extracted to disk, so member names are kept as given.

enum Zip {
    struct Member {
        var name: String
        var bytes: [UInt8]
    }

    static let endOfDirectorySignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let directorySignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50

    // MARK: Reading

    /// The members of the archive in `bytes`, in the order of its central directory.
    /// - Throws: ``NNError/malformedArchive(_:)``.
    static func read(_ bytes: [UInt8]) throws(NNError) -> [Member] {
        func u16(_ at: Int) throws(NNError) -> Int {
            guard let v = Bytes.little(UInt16.self, bytes, at: at) else { throw .malformedArchive("the archive is truncated (at byte \(at))") }
            return Int(v)
        }
        func u32(_ at: Int) throws(NNError) -> Int {
            guard let v = Bytes.little(UInt32.self, bytes, at: at) else { throw .malformedArchive("the archive is truncated (at byte \(at))") }
            return Int(v)
        }
        func u64(_ at: Int) throws(NNError) -> Int {
            guard let v = Bytes.little(UInt64.self, bytes, at: at) else { throw .malformedArchive("the archive is truncated (at byte \(at))") }
            guard let n = Int(exactly: v) else { throw .malformedArchive("a ZIP64 size or offset \(v) is too large") }
            return n
        }

        // The end-of-central-directory record: 22 bytes and a comment of up to 65,535,
        // found by scanning backwards for its signature.
        guard bytes.count >= 22 else { throw .malformedArchive("\(bytes.count) bytes are too few for a ZIP archive") }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while end >= lowest {
            if Bytes.little(UInt32.self, bytes, at: end) == endOfDirectorySignature, try u16(end + 20) == bytes.count - end - 22 { break }
            end -= 1
        }
        guard end >= lowest else { throw .malformedArchive("no end-of-central-directory record (not a ZIP archive, or truncated)") }
        guard try u16(end + 4) == 0, try u16(end + 6) == 0 else { throw .malformedArchive("archives split over several disks are not supported") }
        var entryCount = try u16(end + 10)
        var directorySize = try u32(end + 12)
        var directoryOffset = try u32(end + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the record points to the ZIP64 end record
            let locator = end - 20
            guard locator >= 0, try u32(locator) == Int(zip64LocatorSignature) else {
                throw .malformedArchive("the end record needs ZIP64 values, and the ZIP64 locator is missing")
            }
            let record = try u64(locator + 8)
            guard try u32(record) == Int(zip64EndSignature) else { throw .malformedArchive("the ZIP64 end record is not where its locator says") }
            entryCount = try u64(record + 32)
            directorySize = try u64(record + 40)
            directoryOffset = try u64(record + 48)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw .malformedArchive("the central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the file")
        }

        var members: [Member] = []
        var at = directoryOffset
        for index in 0..<entryCount {
            guard try u32(at) == Int(directorySignature) else { throw .malformedArchive("central directory entry \(index) has a wrong signature") }
            let flags = try u16(at + 8)
            let method = try u16(at + 10)
            let crc = UInt32(try u32(at + 16))
            var compressedSize = try u32(at + 20)
            var size = try u32(at + 24)
            let nameLength = try u16(at + 28)
            let extraLength = try u16(at + 30)
            let commentLength = try u16(at + 32)
            var localOffset = try u32(at + 42)
            let nameStart = at + 46
            guard nameStart + nameLength + extraLength + commentLength <= bytes.count else {
                throw .malformedArchive("central directory entry \(index) runs past the end of the file")
            }
            let nameBytes = bytes[nameStart..<(nameStart + nameLength)]
            // bit 11: UTF-8 names; otherwise CP437, which for ASCII names is the same
            let name = String(decoding: nameBytes, as: UTF8.self)
            // The ZIP64 extra field (0x0001) holds, in this order, those of the sizes and
            // the offset whose 32-bit fields are all ones.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try u16(extra)
                let length = try u16(extra + 2)
                guard extra + 4 + length <= extraEnd else { throw .malformedArchive("member '\(name)' has a truncated extra field") }
                if id == 0x0001 {
                    var field = extra + 4
                    let fieldEnd = field + length
                    func next() throws(NNError) -> Int {
                        guard field + 8 <= fieldEnd else { throw .malformedArchive("member '\(name)' has a ZIP64 extra field too short for its sizes") }
                        defer { field += 8 }
                        return try u64(field)
                    }
                    if size == 0xFFFF_FFFF { size = try next() }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try next() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next() }
                }
                extra += 4 + length
            }
            guard size != 0xFFFF_FFFF, compressedSize != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else {
                throw .malformedArchive("member '\(name)' needs ZIP64 sizes and has no ZIP64 extra field")
            }
            guard flags & 1 == 0 else { throw .malformedArchive("member '\(name)' is encrypted") }

            // The local header: its own name and extra lengths say where the data begins.
            guard try u32(localOffset) == Int(localSignature) else { throw .malformedArchive("member '\(name)': no local header at byte \(localOffset)") }
            let dataStart = localOffset + 30 + (try u16(localOffset + 26)) + (try u16(localOffset + 28))
            guard dataStart <= bytes.count, compressedSize <= bytes.count - dataStart else {
                throw .malformedArchive("member '\(name)' is truncated: \(compressedSize) bytes at \(dataStart), the file has \(bytes.count)")
            }
            let stored = Array(bytes[dataStart..<(dataStart + compressedSize)])
            let data: [UInt8]
            switch method {
            case 0:
                guard compressedSize == size else { throw .malformedArchive("stored member '\(name)' has sizes \(compressedSize) and \(size)") }
                data = stored
            case 8:
                switch Zlib.inflate(stored, format: .raw, expectedSize: size) {
                case .success(let inflated): data = inflated
                case .failure(let error): throw .malformedArchive("member '\(name)': \(error.reason)")
                }
            default:
                throw .malformedArchive("member '\(name)' uses compression method \(method); only stored (0) and deflate (8) are supported")
            }
            let actual = Zlib.crc32(data)
            guard actual == crc else {
                throw .malformedArchive("member '\(name)' fails its CRC-32 check (stored \(hex(crc)), computed \(hex(actual)))")
            }
            members.append(Member(name: name, bytes: data))
            at = extraEnd + commentLength
        }
        return members
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - s.count) + s
    }

    // MARK: Writing

    /// An archive of stored (uncompressed) members, with UTF-8 names and a fixed
    /// modification time (1980-01-01 00:00, the earliest ZIP can say), so that the same
    /// members always give the same bytes.
    /// - Throws: ``NNError/malformedArchive(_:)`` for an archive that would need ZIP64
    ///   (a member or the whole archive past 4 GiB, more than 65,535 members), which this
    ///   writer does not write.
    static func write(_ members: [Member]) throws(NNError) -> [UInt8] {
        var bytes: [UInt8] = []
        var directory: [UInt8] = []
        guard members.count < 0xFFFF else { throw .malformedArchive("\(members.count) members need ZIP64, which this writer does not write") }
        for member in members {
            let offset = bytes.count
            let name = Array(member.name.utf8)
            guard member.bytes.count < 0xFFFF_FFFF, offset < 0xFFFF_FFFF, name.count <= 0xFFFF else {
                throw .malformedArchive("member '\(member.name)' needs ZIP64 (over 4 GiB), which this writer does not write")
            }
            let crc = Zlib.crc32(member.bytes)
            let size = UInt32(member.bytes.count)
            // shared by the local header and the directory entry, from "version needed" on
            var common: [UInt8] = []
            Bytes.appendLittle(UInt16(20), to: &common)       // version needed: 2.0
            Bytes.appendLittle(UInt16(1 << 11), to: &common)  // flags: UTF-8 name
            Bytes.appendLittle(UInt16(0), to: &common)        // method: stored
            Bytes.appendLittle(UInt16(0), to: &common)        // time 00:00:00
            Bytes.appendLittle(UInt16(0x21), to: &common)     // date 1980-01-01
            Bytes.appendLittle(crc, to: &common)
            Bytes.appendLittle(size, to: &common)             // compressed
            Bytes.appendLittle(size, to: &common)             // uncompressed
            Bytes.appendLittle(UInt16(name.count), to: &common)
            Bytes.appendLittle(UInt16(0), to: &common)        // extra length

            Bytes.appendLittle(localSignature, to: &bytes)
            bytes += common + name + member.bytes

            Bytes.appendLittle(directorySignature, to: &directory)
            Bytes.appendLittle(UInt16(20), to: &directory)    // made by: 2.0, MS-DOS
            directory += common
            Bytes.appendLittle(UInt16(0), to: &directory)     // comment length
            Bytes.appendLittle(UInt16(0), to: &directory)     // disk
            Bytes.appendLittle(UInt16(0), to: &directory)     // internal attributes
            Bytes.appendLittle(UInt32(0o600 << 16), to: &directory)  // external: rw------- (as zipfile)
            Bytes.appendLittle(UInt32(offset), to: &directory)
            directory += name
        }
        let directoryOffset = bytes.count
        guard directoryOffset + directory.count < 0xFFFF_FFFF else {
            throw .malformedArchive("the archive needs ZIP64 (over 4 GiB), which this writer does not write")
        }
        bytes += directory
        Bytes.appendLittle(endOfDirectorySignature, to: &bytes)
        Bytes.appendLittle(UInt16(0), to: &bytes)  // this disk
        Bytes.appendLittle(UInt16(0), to: &bytes)  // the directory's disk
        Bytes.appendLittle(UInt16(members.count), to: &bytes)
        Bytes.appendLittle(UInt16(members.count), to: &bytes)
        Bytes.appendLittle(UInt32(directory.count), to: &bytes)
        Bytes.appendLittle(UInt32(directoryOffset), to: &bytes)
        Bytes.appendLittle(UInt16(0), to: &bytes)  // comment length
        return bytes
    }
}
