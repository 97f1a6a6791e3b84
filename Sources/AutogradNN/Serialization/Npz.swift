import Autograd

/// Reading and writing numpy's `.npz` archives (`np.savez`, `np.savez_compressed`,
/// `np.load`): a ZIP archive whose member `NAME.npy` holds the array with the key `NAME`.
///
/// Reading accepts stored and deflate-compressed members (through zlib), ZIP64 sizes and
/// offsets (numpy writes every member with a ZIP64 local header), and checks each
/// member's CRC-32; each array is read as ``NPY`` reads it. Writing stores the members
/// uncompressed, as `np.savez` does, with a fixed timestamp so that the same tensors
/// always give the same bytes.
///
/// ```swift
/// // np.savez("digits.npz", x=x, y=y)
/// let archive = try NPZ.read(from: "digits.npz")
/// let x = archive["x"]!                       // float64 [1797, 64]
/// try NPZ.write([("x", x)], to: "x-only.npz")
/// ```
public enum NPZ {
    /// The arrays of an archive, in the order of its directory (numpy's: the order of the
    /// keyword arguments).
    public struct Contents: Sendable {
        /// Each array's key (its member name without `.npy`) and tensor.
        public var arrays: [(name: String, tensor: Tensor)]

        /// Wraps arrays by key.
        /// - Parameter arrays: Keys and tensors, in order.
        public init(arrays: [(name: String, tensor: Tensor)]) {
            self.arrays = arrays
        }

        /// The keys, in order (`list(np.load(path).keys())`).
        public var names: [String] { arrays.map(\.name) }

        /// The array with key `name`, if any.
        public subscript(name: String) -> Tensor? {
            arrays.first { $0.name == name }?.tensor
        }
    }

    // MARK: Reading

    /// Reads the `.npz` archive at `path`.
    ///
    /// ```swift
    /// let arrays = try NPZ.read(from: "weights.npz")   // np.savez("weights.npz", w=w, b=b)
    /// let w = arrays["w"]
    /// ```
    /// - Parameter path: The archive's path.
    /// - Returns: Every array in the archive, by key.
    /// - Throws: ``NNError/fileError(path:reason:)`` if the file cannot be read, and the
    ///   errors of ``decode(_:)``, their reasons prefixed with `path`.
    public static func read(from path: String) throws(NNError) -> Contents {
        let bytes = try Bytes.read(path)
        do {
            return try decode(bytes)
        } catch {
            throw error.inFile(path)
        }
    }

    /// Decodes the bytes of an `.npz` archive.
    ///
    /// ```swift
    /// let arrays = try NPZ.decode(NPZ.encode([("a", Tensor([1, 2]))]))
    /// arrays["a"]   // [1.0, 2.0]
    /// ```
    /// - Parameter bytes: The whole archive.
    /// - Returns: Every array, by key: a member `NAME.npy` has the key `NAME`; a member
    ///   without that suffix keeps its whole name (numpy's `np.load` does the same).
    /// - Throws: ``NNError/malformedArchive(_:)`` for a damaged archive (no central
    ///   directory, a truncated member, a CRC-32 that differs, corrupt deflate data, an
    ///   encrypted member or another compression method),
    ///   ``NNError/duplicateName(_:)`` for two members with one key, and the errors of
    ///   ``NPY/decode(_:name:)`` for each member, their reasons naming the member.
    public static func decode(_ bytes: [UInt8]) throws(NNError) -> Contents {
        var arrays: [(name: String, tensor: Tensor)] = []
        var seen: Set<String> = []
        for member in try Zip.read(bytes) {
            let key = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
            guard seen.insert(key).inserted else { throw .duplicateName(key) }
            do {
                arrays.append((key, try NPY.decode(member.bytes, name: key)))
            } catch .malformedNpy(let reason) {
                throw .malformedNpy("member '\(member.name)': \(reason)")
            }
        }
        return Contents(arrays: arrays)
    }

    // MARK: Writing

    /// The bytes of an `.npz` archive holding `arrays` (in this order) as stored members
    /// `NAME.npy`, each laid out by ``NPY/encode(_:)``.
    ///
    /// ```swift
    /// let bytes = try NPZ.encode([("x", Tensor([0.5, 1.5])), ("y", Tensor(2))])
    /// // np.load(io.BytesIO(bytes))["x"] → array([0.5, 1.5])
    /// ```
    /// - Parameter arrays: Keys and tensors.
    /// - Returns: The archive's bytes.
    /// - Throws: ``NNError/duplicateName(_:)``, and ``NNError/malformedArchive(_:)`` for
    ///   an archive over 4 GiB (this writer does not write ZIP64).
    public static func encode(_ arrays: [(name: String, tensor: Tensor)]) throws(NNError) -> [UInt8] {
        var seen: Set<String> = []
        var members: [Zip.Member] = []
        for (name, tensor) in arrays {
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            members.append(Zip.Member(name: name + ".npy", bytes: NPY.encode(tensor)))
        }
        return try Zip.write(members)
    }

    /// Writes `arrays` to an `.npz` archive at `path` (atomically: to a temporary file
    /// beside it, then renamed), as ``encode(_:)`` lays it out.
    ///
    /// ```swift
    /// try NPZ.write([("w", w), ("b", b)], to: "model.npz")   // np.load("model.npz")["w"]
    /// ```
    /// - Parameters:
    ///   - arrays: Keys and tensors.
    ///   - path: Where to write.
    /// - Throws: ``NNError/fileError(path:reason:)``, and the errors of ``encode(_:)``.
    public static func write(_ arrays: [(name: String, tensor: Tensor)], to path: String) throws(NNError) {
        try Bytes.write(encode(arrays), to: path)
    }
}
