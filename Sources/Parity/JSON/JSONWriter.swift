/// Writes JSON the way fixtures are committed: objects one member per line, arrays of
/// numbers on one line, doubles in their shortest round-trip form, and non-finite
/// numbers as the strings "nan", "inf" and "-inf" (JSON has no literal for them).
public enum JSONWriter {
    public static func write(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        out += "\n"
        return out
    }

    /// The whole value on one line, with a space after each `,` and `:` (how spec files
    /// write one case per line).
    public static func line(_ value: JSONValue) -> String {
        switch value {
        case .array(let items):
            return "[" + items.map(line).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { quote($0.key) + ": " + line($0.value) }.joined(separator: ", ") + "}"
        default:
            var out = ""
            write(value, indent: 0, into: &out)
            return out
        }
    }

    /// The fixture spelling of a double: shortest round-trip decimal, integral values
    /// with ".0" so that readers see a float, and strings for non-finite values.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "\"nan\"" }
        if x.isInfinite { return x > 0 ? "\"inf\"" : "\"-inf\"" }
        return x.description  // Swift prints the shortest string that reads back exactly
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        let inner = pad + "  "
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let n): out += String(n)
        case .number(let x): out += number(x)
        case .string(let s): out += quote(s)
        case .array(let items):
            if items.allSatisfy(\.isFlat) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    write(item, indent: indent + 1, into: &out)
                }
                out += "]"
            } else {
                out += "[\n"
                for (i, item) in items.enumerated() {
                    out += inner
                    write(item, indent: indent + 1, into: &out)
                    out += i + 1 < items.count ? ",\n" : "\n"
                }
                out += pad + "]"
            }
        case .object(let members):
            if members.isEmpty {
                out += "{}"
            } else if value.isCompact {
                out += "{"
                for (i, member) in members.enumerated() {
                    if i > 0 { out += ", " }
                    out += quote(member.key) + ": "
                    write(member.value, indent: indent + 1, into: &out)
                }
                out += "}"
            } else {
                out += "{\n"
                for (i, member) in members.enumerated() {
                    out += inner + quote(member.key) + ": "
                    write(member.value, indent: indent + 1, into: &out)
                    out += i + 1 < members.count ? ",\n" : "\n"
                }
                out += pad + "}"
            }
        }
    }

    /// JSON string literal with the escapes RFC 8259 requires.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

private extension JSONValue {
    /// Scalars and arrays of scalars print on one line.
    var isFlat: Bool {
        switch self {
        case .array(let items): items.allSatisfy(\.isFlat)
        case .object: isCompact
        default: true
        }
    }

    /// A tensor object (`{"shape": [...], "data": [...]}`) prints on one line.
    var isCompact: Bool {
        guard case .object(let members) = self else { return false }
        return members.count <= 3 && members.allSatisfy {
            if case .object = $0.value { return false }
            return $0.value.isFlat
        }
    }
}
