/// A JSON document as read from a spec or fixture file, keeping the order of object
/// keys (inputs are listed in the order people wrote them) and where each value was.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits an `Int` (shapes, orders).
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.integer(x), .integer(y)): x == y
        case let (.number(x), .number(y)): x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value's kind, for messages: "a number", "an object", ...
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value of `key` in an object (first occurrence), else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// A syntax error in a JSON file, at a line and column (both 1-based).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
    /// Parses a JSON document (RFC 8259). Numbers are read with Swift's correctly rounded
    /// `Double(_:)`, so the shortest representation written by Python or Swift comes back
    /// bit-identical. Nesting deeper than `limits.maxJSONDepth` levels is refused rather
    /// than recursed into, and so is an array or object of more than `limits.maxJSONItems`
    /// items. A duplicate key in an object is an error.
    public init(parsing text: String, limits: HarnessLimits = .default) throws(JSONSyntaxError) {
        var parser = JSONParser(Array(text.utf8), limits: limits)
        self = try parser.parseDocument()
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    let maximumDepth: Int
    let maximumItems: Int

    init(_ bytes: [UInt8], limits: HarnessLimits) {
        self.bytes = bytes
        maximumDepth = limits.maxJSONDepth
        maximumItems = limits.maxJSONItems
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected \(describeCurrent()) after the document") }
        return value
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(offset ?? position, bytes.count)
        var line = 1, column = 1
        for byte in bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // count characters, not UTF-8 continuation bytes
                column += 1
            }
        }
        return JSONSyntaxError(message: message, line: line, column: column)
    }

    func describeCurrent() -> String {
        guard position < bytes.count else { return "end of file" }
        let byte = bytes[position]
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) {
            position += 1
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard position < bytes.count else { throw error("expected a value, found end of file") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try nested { (p: inout JSONParser) throws(JSONSyntaxError) in try p.parseObject() }
        case UInt8(ascii: "["): return try nested { (p: inout JSONParser) throws(JSONSyntaxError) in try p.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a value, found \(describeCurrent())")
        }
    }

    mutating func nested(_ body: (inout JSONParser) throws(JSONSyntaxError) -> JSONValue) throws(JSONSyntaxError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maximumDepth else { throw error("nested deeper than \(maximumDepth) levels (--max-json-depth)") }
        return try body(&self)
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw error("expected a value, found \(describeCurrent())")
        }
        position += expected.count
        return value
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        position += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()  // a linear duplicate check: a search of `members` is quadratic
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key, found \(describeCurrent())")
            }
            let keyStart = position
            let key = try parseString()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(key.escapingControlCharacters)\"", at: keyStart) }
            guard members.count < maximumItems else { throw error("more than \(maximumItems) members in an object (--max-json-items)", at: keyStart) }
            skipWhitespace()
            try expect(":", "after key \"\(key)\"")
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if try separatorOrEnd("}") { return .object(members) }
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        position += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            guard items.count < maximumItems else { throw error("more than \(maximumItems) items in an array (--max-json-items)") }
            items.append(try parseValue())
            skipWhitespace()
            if try separatorOrEnd("]") { return .array(items) }
        }
    }

    /// Consumes `,` (returning false) or the closing bracket (returning true).
    mutating func separatorOrEnd(_ close: Character) throws(JSONSyntaxError) -> Bool {
        guard position < bytes.count else { throw error("expected ',' or '\(close)', found end of file") }
        if bytes[position] == UInt8(ascii: ",") {
            position += 1
            return false
        }
        if bytes[position] == close.asciiValue {
            position += 1
            return true
        }
        throw error("expected ',' or '\(close)', found \(describeCurrent())")
    }

    mutating func expect(_ c: Character, _ context: String) throws(JSONSyntaxError) {
        guard position < bytes.count, bytes[position] == c.asciiValue else {
            throw error("expected '\(c)' \(context), found \(describeCurrent())")
        }
        position += 1
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var run = position  // start of the current unescaped run
        func flush(_ p: JSONParser, upTo end: Int) throws(JSONSyntaxError) {
            guard let text = String(validating: p.bytes[run..<end], as: UTF8.self) else {
                throw p.error("invalid UTF-8 in string", at: run)
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard position < bytes.count else { throw error("unterminated string", at: start) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try flush(self, upTo: position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character in string (escape it)") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            try flush(self, upTo: position)
            position += 1
            guard position < bytes.count else { throw error("unterminated string", at: start) }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {  // a surrogate pair
                    guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
                scalars.append(scalar)
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'", at: position - 2)
            }
            run = position
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4,
              let text = String(validating: bytes[position..<position + 4], as: UTF8.self),
              let code = UInt32(text, radix: 16) else {
            throw error("expected four hex digits after \\u")
        }
        position += 4
        return code
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        func digits(_ p: inout JSONParser) -> Int {
            let from = p.position
            while p.position < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.position]) {
                p.position += 1
            }
            return p.position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let intStart = position
        guard digits(&self) > 0 else { throw error("expected digits in number", at: start) }
        if bytes[intStart] == UInt8(ascii: "0") && position - intStart > 1 {
            throw error("leading zeros are not allowed in numbers", at: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw error("expected digits after '.'", at: start) }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits(&self) > 0 else { throw error("expected digits in exponent", at: start) }
        }
        guard let text = String(validating: bytes[start..<position], as: UTF8.self), let value = Double(text) else {
            throw error("invalid number", at: start)
        }
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int(text) {
            return .integer(integer)
        }
        guard value.isFinite else { throw error("number \(text) does not fit a double", at: start) }
        return .number(value)
    }
}
