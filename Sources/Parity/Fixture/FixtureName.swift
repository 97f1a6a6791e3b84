/// Suite and case names are names, not paths: they become file names under `--out`
/// (`SUITE.json`, `training/SUITE/CASE.safetensors`), log lines and report entries. One
/// character set for all: ASCII letters, digits, `_`, `-` and `.`, not starting with a
/// dot (no `..`, no hidden files), 1 to ``maximumLength`` characters.
public enum FixtureName {
    /// The longest name accepted.
    public static let maximumLength = 100

    /// Why `name` is not a valid suite or case name, or `nil` if it is.
    public static func problem(with name: String) -> String? {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty else { return "a name cannot be empty" }
        guard scalars.count <= maximumLength else { return "a name is at most \(maximumLength) characters long, not \(scalars.count)" }
        if let bad = scalars.first(where: { !isAllowed($0) }) {
            let shown = bad.value < 0x80 && bad.value >= 0x20 && bad.value != 0x7F ? "'\(bad)'" : "U+\(String(bad.value, radix: 16, uppercase: true))"
            return "\(shown) is not allowed in a name \"\(name.escapingControlCharacters)\" (only ASCII letters, digits, '_', '-' and '.')"
        }
        if scalars.first == "." { return "a name cannot start with '.'" }
        return nil
    }

    /// Throws unless `name` is a valid name; the error names `field`.
    public static func check(_ name: String, field: String) throws(ParityError) {
        if let problem = problem(with: name) { throw ParityError(problem, field: field) }
    }

    private static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": true
        default: false
        }
    }
}
