// The Python literals a `.npy` header holds (what numpy reads with `ast.literal_eval`):
// dicts with string keys, strings, True/False/None, integers, tuples and lists.

indirect enum PythonLiteral: Equatable, CustomStringConvertible {
    case dict([(key: String, value: PythonLiteral)])
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool { a.description == b.description }

    /// The value as Python's `repr` would print it (near enough for error messages).
    var description: String {
        switch self {
        case .dict(let entries): "{" + entries.map { "'\($0.key)': \($0.value)" }.joined(separator: ", ") + "}"
        case .string(let s): "'\(s)'"
        case .int(let n): String(n)
        case .bool(let b): b ? "True" : "False"
        case .none: "None"
        case .tuple(let items): items.count == 1 ? "(\(items[0]),)" : "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    struct ParseError: Error {
        let reason: String
    }

    /// A recursive-descent parser over the header's Unicode scalars, nested at most
    /// ``maximumDepth`` deep (so that hostile input cannot exhaust the stack).
    struct Parser {
        static let maximumDepth = 32
        private let scalars: [Unicode.Scalar]
        private var position = 0

        init(_ text: String) { scalars = Array(text.unicodeScalars) }

        /// One literal, with nothing but whitespace after it.
        mutating func parseWhole() throws(ParseError) -> PythonLiteral {
            let value = try parseValue(depth: 0)
            skipWhitespace()
            guard position == scalars.count else { throw fail("unexpected text after the literal") }
            return value
        }

        private func fail(_ reason: String) -> ParseError {
            ParseError(reason: "\(reason) at character \(position + 1)")
        }

        private mutating func skipWhitespace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }

        private mutating func peek() -> Unicode.Scalar? {
            skipWhitespace()
            return position < scalars.count ? scalars[position] : nil
        }

        private mutating func parseValue(depth: Int) throws(ParseError) -> PythonLiteral {
            guard depth < Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
            guard let c = peek() else { throw fail("the text ends where a value should be") }
            switch c {
            case "{": return try parseDict(depth: depth)
            case "(":
                let (items, trailingComma) = try parseSequence(open: "(", close: ")", depth: depth)
                return items.count == 1 && !trailingComma ? items[0] : .tuple(items)  // (5) is 5
            case "[": return .list(try parseSequence(open: "[", close: "]", depth: depth).items)
            case "'", "\"": return .string(try parseString())
            case "-", "+", "0"..."9": return .int(try parseInt())
            default:
                for (word, value) in [("True", PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                    let w = Array(word.unicodeScalars)
                    if position + w.count <= scalars.count, Array(scalars[position..<(position + w.count)]) == w {
                        position += w.count
                        return value
                    }
                }
                throw fail("unexpected '\(c)'")
            }
        }

        private mutating func parseDict(depth: Int) throws(ParseError) -> PythonLiteral {
            position += 1  // {
            var entries: [(key: String, value: PythonLiteral)] = []
            while true {
                guard let c = peek() else { throw fail("the dict is not closed") }
                if c == "}" { position += 1; return .dict(entries) }
                guard c == "'" || c == "\"" else { throw fail("a dict key that is not a string") }
                let key = try parseString()
                guard peek() == ":" else { throw fail("expected ':' after the key '\(key)'") }
                position += 1
                let value = try parseValue(depth: depth + 1)
                guard !entries.contains(where: { $0.key == key }) else { throw fail("the key '\(key)' appears twice") }
                entries.append((key, value))
                switch peek() {
                case ",": position += 1
                case "}": continue
                default: throw fail("expected ',' or '}' in the dict")
                }
            }
        }

        private mutating func parseSequence(open: Unicode.Scalar, close: Unicode.Scalar, depth: Int) throws(ParseError) -> (items: [PythonLiteral], trailingComma: Bool) {
            position += 1  // ( or [
            var items: [PythonLiteral] = []
            var trailingComma = false
            while true {
                guard let c = peek() else { throw fail("'\(open)' is not closed") }
                if c == close { position += 1; return (items, trailingComma) }
                items.append(try parseValue(depth: depth + 1))
                trailingComma = false
                switch peek() {
                case ",": position += 1; trailingComma = true
                case close: continue
                default: throw fail("expected ',' or '\(close)'")
                }
            }
        }

        private mutating func parseString() throws(ParseError) -> String {
            let quote = scalars[position]
            position += 1
            var out = String.UnicodeScalarView()
            while position < scalars.count {
                let c = scalars[position]
                position += 1
                if c == quote { return String(out) }
                if c == "\\" {
                    guard position < scalars.count else { break }
                    let e = scalars[position]
                    position += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "0": out.append("\0")
                    default: out.append(e)  // \\, \', \"
                    }
                } else {
                    out.append(c)
                }
            }
            throw fail("the string is not closed")
        }

        private mutating func parseInt() throws(ParseError) -> Int {
            var text = ""
            if scalars[position] == "-" || scalars[position] == "+" {
                text.unicodeScalars.append(scalars[position])
                position += 1
            }
            while position < scalars.count, ("0"..."9").contains(scalars[position]) || scalars[position] == "_" {
                if scalars[position] != "_" { text.unicodeScalars.append(scalars[position]) }
                position += 1
            }
            if position < scalars.count, scalars[position] == "L" || scalars[position] == "l" { position += 1 }  // Python 2's 5L
            guard let n = Int(text) else { throw fail("'\(text)' is not an integer that fits in 64 bits") }
            return n
        }
    }
}
