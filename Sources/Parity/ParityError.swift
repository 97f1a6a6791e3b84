import Foundation

/// An error in a spec, a fixture or a case, located as precisely as possible: the file,
/// the case, the field, and for expressions the column. Its description is what the
/// command-line tools print after `error: `.
public struct ParityError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var caseName: String?
    /// A dotted path into the case: `inputs.x.shape`, `grads[1].y`.
    public var field: String?
    /// The 1-based column in the case's `expr`.
    public var column: Int?
    public var message: String
    /// Whether the backend itself refused the computation (a shape mismatch, an index
    /// out of range), as opposed to a problem with the spec (a syntax error, an unknown
    /// name). Cases marked `"error": true` expect a refusal from both sides.
    public var isRefusal: Bool
    /// Whether the backend does not implement what the case needs (an operation, a
    /// dtype, an order, an option): the case is reported as unsupported, not as failed.
    public var isUnsupported: Bool

    public init(_ message: String, file: String? = nil, caseName: String? = nil, field: String? = nil, column: Int? = nil,
                isRefusal: Bool = false, isUnsupported: Bool = false) {
        self.message = message
        self.isRefusal = isRefusal
        self.isUnsupported = isUnsupported
        self.file = file
        self.caseName = caseName
        self.field = field
        self.column = column
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file.escapingControlCharacters) }
        // Names and fields come from files: no control character reaches a terminal or log.
        if let caseName { parts.append("case '\(caseName.escapingControlCharacters)'") }
        if let field { parts.append("field '\(field.escapingControlCharacters)'") }
        if let column { parts.append("expr column \(column)") }
        return (parts + [message]).joined(separator: ": ")
    }

    /// A backend's way of saying that it does not implement what a case needs (an
    /// option, a layout): the case counts as unsupported, apart from the failures.
    public static func unsupported(_ reason: String) -> ParityError {
        ParityError(reason, isUnsupported: true)
    }

    /// This error with the file filled in (if it had none).
    public func inFile(_ path: String) -> ParityError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }

    /// This error with the case filled in (if it had none).
    public func inCase(_ name: String) -> ParityError {
        var copy = self
        if copy.caseName == nil { copy.caseName = name }
        return copy
    }
}

/// Reads typed fields out of a ``JSONValue``, naming the field path in every error.
package struct FieldReader {
    package let value: JSONValue
    let path: String

    package init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The root of a JSON document, read within `limits` (depth, items).
    package init(document text: String, limits: HarnessLimits) throws(ParityError) {
        do {
            self.init(try JSONValue(parsing: text, limits: limits))
        } catch {
            throw ParityError("invalid JSON: \(error)")
        }
    }

    /// Reads the file at `path` (refused over `limits.maxFileBytes`) and parses it with
    /// `parse`; errors name the file.
    package static func readFile<T>(_ path: String, kind: String, limits: HarnessLimits,
                            _ parse: (String) throws(ParityError) -> T) throws(ParityError) -> T {
        let text: String
        do {
            text = try FixtureFiles.readText(path, maxBytes: limits.maxFileBytes)
        } catch {
            throw ParityError("cannot read \(kind): \(error.message)", file: path)
        }
        do {
            return try parse(text)
        } catch {
            throw error.inFile(path)
        }
    }

    package func error(_ message: String) -> ParityError {
        ParityError(message, field: path.isEmpty ? nil : path)
    }

    package func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The members of an object, in order, rejecting keys not in `allowed`.
    package func members(allowed: Set<String>? = nil) throws(ParityError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = value else { throw error("expected an object, found \(value.kind)") }
        if let allowed, let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw ParityError("unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))",
                              field: child(unknown.key))
        }
        return members
    }

    package func optional(_ key: String) throws(ParityError) -> FieldReader? {
        guard case .object = value else { throw error("expected an object, found \(value.kind)") }
        return value[key].map { FieldReader($0, path: child(key)) }
    }

    package func required(_ key: String) throws(ParityError) -> FieldReader {
        guard let field = try optional(key) else { throw ParityError("missing field", field: child(key)) }
        return field
    }

    package func string() throws(ParityError) -> String {
        guard case .string(let s) = value else { throw error("expected a string, found \(value.kind)") }
        return s
    }

    package func bool() throws(ParityError) -> Bool {
        guard case .bool(let b) = value else { throw error("expected true or false, found \(value.kind)") }
        return b
    }

    /// A number, or one of the strings "nan", "inf", "-inf".
    package func double() throws(ParityError) -> Double {
        switch value {
        case .integer(let n): return Double(n)
        case .number(let x): return x
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: throw error("expected a number (or \"nan\", \"inf\", \"-inf\"), found \(value.kind)")
        }
    }

    package func int() throws(ParityError) -> Int {
        switch value {
        case .integer(let n): return n
        case .number(let x) where x.rounded() == x && abs(x) < 1e15: return Int(x)
        case .number(let x) where x.rounded() == x: throw error("integer out of range: \(x)")
        case .number: throw error("expected an integer, found a fraction")
        default: throw error("expected an integer, found \(value.kind)")
        }
    }

    package func array() throws(ParityError) -> [FieldReader] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.kind)") }
        return items.enumerated().map { FieldReader($1, path: "\(path)[\($0)]") }
    }

    /// The cases of a suite file (this field: `"cases": [...]`), each read by `read` and
    /// checked by `check` (limits); a second case of the same name is refused, and an
    /// error of `check` names the case.
    package func cases<Case>(
        named name: (Case) -> String,
        read: (FieldReader) throws(ParityError) -> Case,
        check: (Case) throws(ParityError) -> Void
    ) throws(ParityError) -> [Case] {
        var cases: [Case] = []
        var names = Set<String>()
        for item in try array() {
            let c = try read(item)
            guard names.insert(name(c)).inserted else { throw ParityError("duplicate case name", caseName: name(c)) }
            do {
                try check(c)
            } catch {
                throw error.inCase(name(c))
            }
            cases.append(c)
        }
        return cases
    }

    /// A shape: an array of non-negative integers.
    package func shape() throws(ParityError) -> [Int] {
        var shape: [Int] = []
        for item in try array() {
            let n = try item.int()
            guard n >= 0 else { throw item.error("a dimension cannot be negative") }
            shape.append(n)
        }
        return shape
    }
}
