import Autograd

/// Reading and writing numpy's `.npy` format (`np.save`, `np.load`).
///
/// A file is:
///
///     ┌──────────────┬─────────┬──────────────┬────────────────────────┬──────────────┐
///     │ \x93NUMPY    │ major,  │ header       │ header: a Python dict  │ data: the    │
///     │ (6 bytes)    │ minor   │ length (LE)  │ literal, space-padded, │ elements     │
///     │              │ version │ 2 or 4 bytes │ ending in '\n'         │              │
///     └──────────────┴─────────┴──────────────┴────────────────────────┴──────────────┘
///
/// The header is `{'descr': '<f8', 'fortran_order': False, 'shape': (5, 3), }`. Version
/// 1.0 stores its length in 2 bytes, 2.0 in 4, and 3.0 is 2.0 with a UTF-8 (not latin-1)
/// header.
///
/// **Reading** accepts all three versions, C and Fortran order (a Fortran-order array is
/// transposed into the row-major order of a `Tensor`), 0-d arrays, and these `descr`s,
/// with either byte order (`<` little, `>` big, `|` or `=` for the platform's, little):
///
/// | descr                         | tensor                                     |
/// |-------------------------------|--------------------------------------------|
/// | `f8`                          | float64                                    |
/// | `f4`, `f2`                    | float32 (half precision widened exactly)   |
/// | `i8` `i4` `i2` `i1` `u4` `u2` `u1` `b1` | int64 (`u8` too, when every value fits) |
///
/// Anything else (complex numbers, strings, objects, structured types) is refused with
/// ``NNError/unsupportedDType(name:dtype:)``, and a damaged file with
/// ``NNError/malformedNpy(_:)``: it never traps.
///
/// **Writing** stores float64 as `<f8`, float32 as `<f4` and int64 as `<i8`, in C order,
/// with the header numpy itself writes (version 1.0, padded so that the data begins at a
/// multiple of 64 bytes): `np.save` and ``encode(_:)`` produce the same bytes.
///
/// ```swift
/// let x = try NPY.read(from: "x.npy")          // np.save("x.npy", np.eye(3))
/// try NPY.write(x * 2, to: "twice.npy")        // np.load("twice.npy")
/// ```
public enum NPY {
    /// The largest header accepted, in bytes. numpy's own reader stops at 10,000 unless
    /// told otherwise; this reader allows more, and stops well before a header could cost
    /// memory or time.
    public static let maximumHeaderSize = 1 << 20

    /// The magic string every `.npy` file begins with.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    // MARK: Reading

    /// Reads the array in the `.npy` file at `path`.
    ///
    /// ```swift
    /// let weights = try NPY.read(from: "weights.npy")   // np.save("weights.npy", w)
    /// ```
    /// - Parameter path: The file's path.
    /// - Returns: The array as a tensor of its shape (see ``NPY`` for the dtypes).
    /// - Throws: ``NNError/fileError(path:reason:)`` if the file cannot be read, and the
    ///   errors of ``decode(_:name:)``, their reasons prefixed with `path`.
    public static func read(from path: String) throws(NNError) -> Tensor {
        let bytes = try Bytes.read(path)
        do {
            return try decode(bytes, name: path)
        } catch {
            throw error.inFile(path)
        }
    }

    /// Decodes the bytes of a `.npy` file.
    ///
    /// ```swift
    /// let t = try NPY.decode(NPY.encode(Tensor([1, 2, 3])))   // [1.0, 2.0, 3.0]
    /// ```
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - name: What to call the array in errors (an `.npz` member's key, a path).
    /// - Returns: The array as a tensor of its shape.
    /// - Throws: ``NNError/malformedNpy(_:)`` naming the problem (a wrong magic string or
    ///   version, a header that is too long, not a dict literal or lacks a key, a shape too
    ///   large to address, data shorter or longer than the shape needs),
    ///   ``NNError/unsupportedDType(name:dtype:)``.
    public static func decode(_ bytes: [UInt8], name: String = "") throws(NNError) -> Tensor {
        let header = try parseHeader(bytes)
        let dtype = try ElementType(descr: header.descr, name: name)
        guard let (count, size) = Bytes.checkedCount(header.shape, itemSize: dtype.size) else {
            throw .malformedNpy("the shape \(header.shape) is too large to address")
        }
        let available = bytes.count - header.dataOffset
        guard available >= size else {
            throw .malformedNpy("the data is truncated: shape \(header.shape) of \(header.descr) needs \(size) bytes, the file has \(available)")
        }
        guard available == size else {
            throw .malformedNpy("\(available - size) bytes follow the \(size) bytes of data that shape \(header.shape) of \(header.descr) needs")
        }
        let order = header.fortranOrder ? fortranToRowMajor(header.shape, count: count) : nil
        return try dtype.tensor(bytes, from: header.dataOffset, count: count, shape: header.shape, order: order)
    }

    /// A header as read: where the data begins, and the dict's three entries.
    struct Header {
        var descr: String
        var fortranOrder: Bool
        var shape: [Int]
        var dataOffset: Int
    }

    static func parseHeader(_ bytes: [UInt8]) throws(NNError) -> Header {
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else {
            throw .malformedNpy("the file does not begin with numpy's magic string \\x93NUMPY")
        }
        let (major, minor) = (bytes[6], bytes[7])
        let lengthSize: Int
        switch (major, minor) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default: throw .malformedNpy("format version \(major).\(minor) is not one of 1.0, 2.0, 3.0")
        }
        let length: Int
        if lengthSize == 2 {
            guard let n = Bytes.little(UInt16.self, bytes, at: 8) else { throw .malformedNpy("the file ends inside the header length") }
            length = Int(n)
        } else {
            guard let n = Bytes.little(UInt32.self, bytes, at: 8) else { throw .malformedNpy("the file ends inside the header length") }
            length = Int(n)
        }
        guard length <= maximumHeaderSize else {
            throw .malformedNpy("the header length \(length) exceeds the limit of \(maximumHeaderSize) bytes")
        }
        let start = 8 + lengthSize
        guard start + length <= bytes.count else {
            throw .malformedNpy("the header length \(length) runs past the end of the file (\(bytes.count) bytes)")
        }
        let headerBytes = bytes[start..<(start + length)]
        let text: String
        if major == 3 {
            guard let s = String(validating: headerBytes, as: UTF8.self) else { throw .malformedNpy("the header is not valid UTF-8") }
            text = s
        } else {
            text = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))  // latin-1
        }
        let value: PythonLiteral
        do {
            var parser = PythonLiteral.Parser(text)
            value = try parser.parseWhole()
        } catch {
            throw .malformedNpy("the header is not a Python dict literal: \(error.reason)")
        }
        guard case .dict(let entries) = value else { throw .malformedNpy("the header is not a dict") }
        let keys = Set(entries.map(\.key))
        guard keys == ["descr", "fortran_order", "shape"] else {
            throw .malformedNpy("the header's keys are \(entries.map(\.key).sorted()), expected ['descr', 'fortran_order', 'shape']")
        }
        let find = { (key: String) in entries.first { $0.key == key }!.value }
        let descr: String
        switch find("descr") {
        case .string(let s): descr = s
        case let other: throw .unsupportedDType(name: "", dtype: other.description)  // a structured dtype (a list)
        }
        guard case .bool(let fortranOrder) = find("fortran_order") else {
            throw .malformedNpy("'fortran_order' is \(find("fortran_order")), not True or False")
        }
        guard case .tuple(let items) = find("shape"),
              let shape = Optional(items.compactMap { if case .int(let n) = $0 { n } else { nil } }),
              shape.count == items.count else {
            throw .malformedNpy("'shape' is \(find("shape")), not a tuple of integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .malformedNpy("the shape \(shape) has a negative dimension") }
        return Header(descr: descr, fortranOrder: fortranOrder, shape: shape, dataOffset: start + length)
    }

    /// For each row-major position, the position of its element in Fortran (column-major)
    /// order.
    static func fortranToRowMajor(_ shape: [Int], count: Int) -> [Int] {
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropFirst() { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        var source = [Int](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: shape.count)
        var position = 0
        for i in 0..<count {
            source[i] = position
            // advance the row-major multi-index, the last axis fastest
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                position += fortranStrides[axis]
                if index[axis] < shape[axis] { break }
                position -= fortranStrides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return source
    }

    /// An element type as a `descr` names it.
    struct ElementType {
        enum Kind { case float, signed, unsigned, bool }
        let kind: Kind
        let size: Int
        let bigEndian: Bool

        init(descr: String, name: String) throws(NNError) {
            let characters = Array(descr.unicodeScalars)
            guard characters.count >= 3, let size = Int(String(String.UnicodeScalarView(characters[2...]))) else {
                throw .unsupportedDType(name: name, dtype: descr)
            }
            switch characters[0] {
            case "<", "|", "=": bigEndian = false
            case ">": bigEndian = true
            default: throw .unsupportedDType(name: name, dtype: descr)
            }
            switch (characters[1], size) {
            case ("f", 2), ("f", 4), ("f", 8): kind = .float
            case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
            case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
            case ("b", 1): kind = .bool
            default: throw .unsupportedDType(name: name, dtype: descr)
            }
            self.size = size
        }

        /// The `count` elements at `bytes[offset...]` as a tensor of `shape`; `order[i]`,
        /// if given, is the stored position of row-major element `i`.
        func tensor(_ bytes: [UInt8], from offset: Int, count: Int, shape: [Int], order: [Int]?) throws(NNError) -> Tensor {
            let big = bigEndian
            func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
                bytes.withUnsafeBytes { raw in
                    (0..<count).map { i in
                        let at = offset + (order?[i] ?? i) * MemoryLayout<T>.size
                        return big ? Bytes.big(T.self, raw, at: at) : Bytes.little(T.self, raw, at: at)
                    }
                }
            }
            let malformed = { NNError.malformedNpy($0) }
            switch (kind, size) {
            case (.float, 8):
                return try .checked(shape: shape, float64: load(UInt64.self).map(Double.init(bitPattern:)), orThrow: malformed)
            case (.float, 4):
                return try .checked(shape: shape, float32: load(UInt32.self).map(Float.init(bitPattern:)), orThrow: malformed)
            case (.float, _):
                return try .checked(shape: shape, float32: load(UInt16.self).map { Bytes.float(half: $0) }, orThrow: malformed)
            case (.signed, 8): return try makeInt64Tensor(shape: shape, values: load(Int64.self))
            case (.signed, 4): return try makeInt64Tensor(shape: shape, values: load(Int32.self).map(Int64.init))
            case (.signed, 2): return try makeInt64Tensor(shape: shape, values: load(Int16.self).map(Int64.init))
            case (.signed, _): return try makeInt64Tensor(shape: shape, values: load(Int8.self).map(Int64.init))
            case (.unsigned, 8):
                var values: [Int64] = []
                values.reserveCapacity(count)
                for v in load(UInt64.self) {
                    guard let exact = Int64(exactly: v) else {
                        throw .malformedNpy("the uint64 value \(v) does not fit in int64")
                    }
                    values.append(exact)
                }
                return try makeInt64Tensor(shape: shape, values: values)
            case (.unsigned, 4): return try makeInt64Tensor(shape: shape, values: load(UInt32.self).map(Int64.init))
            case (.unsigned, 2): return try makeInt64Tensor(shape: shape, values: load(UInt16.self).map(Int64.init))
            case (.unsigned, _): return try makeInt64Tensor(shape: shape, values: load(UInt8.self).map(Int64.init))
            case (.bool, _): return try makeInt64Tensor(shape: shape, values: load(UInt8.self).map { $0 == 0 ? 0 : 1 })
            }
        }
    }

    // MARK: Writing

    /// The bytes of a `.npy` file holding `tensor`, as `np.save` writes them: `<f8`,
    /// `<f4` or `<i8` by the tensor's dtype, C order, version 1.0 (2.0 for a header longer
    /// than 65,535 bytes, which only a tensor of thousands of axes needs).
    ///
    /// ```swift
    /// let bytes = NPY.encode(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    /// // np.load(io.BytesIO(bytes)) == np.array([[1., 2.], [3., 4.]])
    /// ```
    /// - Parameter tensor: The tensor to store.
    /// - Returns: The file's bytes.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let ints = int64Values(of: tensor)
        let descr = ints != nil ? "<i8" : tensor.dtype == .float32 ? "<f4" : "<f8"
        let shape = tensor.shape
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // numpy's spare room for growing the first axis in place
        if let first = shape.first { header += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        var headerBytes = Array(header.utf8)
        var version: UInt8 = 1
        var lengthSize = 2
        var padding = 64 - (8 + lengthSize + headerBytes.count + 1) % 64
        if headerBytes.count + 1 + padding > Int(UInt16.max) {
            version = 2
            lengthSize = 4
            padding = 64 - (8 + lengthSize + headerBytes.count + 1) % 64
        }
        headerBytes += [UInt8](repeating: UInt8(ascii: " "), count: padding) + [UInt8(ascii: "\n")]

        var bytes = magic + [version, 0]
        if lengthSize == 2 {
            Bytes.appendLittle(UInt16(headerBytes.count), to: &bytes)
        } else {
            Bytes.appendLittle(UInt32(headerBytes.count), to: &bytes)
        }
        bytes += headerBytes
        if let ints {
            bytes.reserveCapacity(bytes.count + 8 * ints.count)
            for v in ints { Bytes.appendLittle(v, to: &bytes) }
        } else if tensor.dtype == .float32 {
            let values = tensor.scalars
            bytes.reserveCapacity(bytes.count + 4 * values.count)
            for v in values { Bytes.appendLittle(Float(v).bitPattern, to: &bytes) }
        } else {
            let values = tensor.scalars
            bytes.reserveCapacity(bytes.count + 8 * values.count)
            for v in values { Bytes.appendLittle(v.bitPattern, to: &bytes) }
        }
        return bytes
    }

    /// Writes `tensor` to a `.npy` file at `path` (atomically: to a temporary file beside
    /// it, then renamed), as ``encode(_:)`` lays it out.
    ///
    /// ```swift
    /// try NPY.write(Tensor([0.5, 1.5]), to: "x.npy")   // np.load("x.npy") → array([0.5, 1.5])
    /// ```
    /// - Parameters:
    ///   - tensor: The tensor to store.
    ///   - path: Where to write.
    /// - Throws: ``NNError/fileError(path:reason:)``.
    public static func write(_ tensor: Tensor, to path: String) throws(NNError) {
        try Bytes.write(encode(tensor), to: path)
    }
}
