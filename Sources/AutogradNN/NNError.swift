/// Everything that can go wrong when a state, a file, a setting or a dataset reaches the
/// neural-network module: each case names what was wrong, and its description says it in
/// a sentence (what `error:` lines print).
public enum NNError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A state dictionary that does not fit the module: names the module lacks, parameters
    /// the state lacks (with `strict` loading), and shapes that differ. Nothing was loaded.
    case stateDoesNotMatch(unexpected: [String], missing: [String], shapeMismatches: [ShapeMismatch])
    /// The same name twice in one state dictionary or file.
    case duplicateName(String)
    /// A file that is not a valid safetensors file: `reason` says what is wrong where.
    case malformedSafetensors(String)
    /// A stored array of an element type this library does not read: a safetensors dtype
    /// such as `F8_E4M3`, a numpy `descr` such as `<c16`, `|O` or a structured type, an
    /// IDX type code. `name` is the tensor's or array's name (empty when it has none).
    case unsupportedDType(name: String, dtype: String)
    /// A file that is not a valid numpy `.npy` array: `reason` says what is wrong where.
    case malformedNpy(String)
    /// A file that is not a valid ZIP archive (an `.npz`): `reason` says what is wrong
    /// where (a missing directory, a checksum that differs, a truncated member).
    case malformedArchive(String)
    /// A CSV table that does not hold numbers in rows of one length. `line` and `column`
    /// count from 1; `column` is `nil` when the whole line is wrong.
    case malformedCSV(line: Int, column: Int?, reason: String)
    /// A file that is not a valid IDX file (MNIST's format): `reason` says what is wrong.
    case malformedIDX(String)
    /// A file that cannot be read or written.
    case fileError(path: String, reason: String)
    /// An optimizer or layer setting outside its domain, as torch refuses it
    /// ("Invalid learning rate: -1.0").
    case invalidHyperparameter(String)
    /// Data that cannot be batched: row counts that differ, a batch size below 1, a 0-d tensor.
    case invalidData(String)
    /// A row index outside `0..<rows` when gathering a batch.
    case rowOutOfRange(index: Int, rows: Int)

    /// A parameter whose shape in a state differs from the module's.
    public struct ShapeMismatch: Equatable, Sendable, CustomStringConvertible {
        public let name: String
        /// The parameter's shape in the module.
        public let expected: [Int]
        /// The shape in the state being loaded.
        public let found: [Int]

        public init(name: String, expected: [Int], found: [Int]) {
            self.name = name
            self.expected = expected
            self.found = found
        }

        public var description: String {
            "size mismatch for \(name): the state has shape \(found), the module's parameter has shape \(expected)"
        }
    }

    public var description: String {
        switch self {
        case let .stateDoesNotMatch(unexpected, missing, shapeMismatches):
            var parts: [String] = []
            if !unexpected.isEmpty { parts.append("unexpected name(s) \(Self.list(unexpected))") }
            if !missing.isEmpty { parts.append("missing parameter(s) \(Self.list(missing))") }
            parts += shapeMismatches.map(\.description)
            return "the state does not match the module: " + parts.joined(separator: "; ")
        case let .duplicateName(name):
            return "the name '\(name)' appears more than once"
        case let .malformedSafetensors(reason):
            return "malformed safetensors file: \(reason)"
        case let .unsupportedDType(name, dtype):
            return name.isEmpty ? "the dtype \(dtype) is not supported" : "tensor '\(name)' has dtype \(dtype), which is not supported"
        case let .malformedNpy(reason):
            return "malformed .npy array: \(reason)"
        case let .malformedArchive(reason):
            return "malformed ZIP archive: \(reason)"
        case let .malformedCSV(line, column, reason):
            return "CSV line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(reason)"
        case let .malformedIDX(reason):
            return "malformed IDX file: \(reason)"
        case let .fileError(path, reason):
            return "\(path): \(reason)"
        case let .invalidHyperparameter(message):
            return message
        case let .invalidData(message):
            return message
        case let .rowOutOfRange(index, rows):
            return "row index \(index) is out of range for \(rows) rows"
        }
    }

    private static func list(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
