// The lexer: the first stage of parsing.
//
// It reads the source one `Character` at a time and groups characters into
// tokens (numbers, names, operators, brackets), throwing away whitespace. The
// parser then only has to think about tokens, never about characters.
//
//     "sum(x, axis=1)"  →  name(sum) ( name(x) , name(axis) = number(1) ) end

/// One token: a "word" of the expression language.
struct ExpressionToken: Sendable, Equatable {
    /// What kind of token this is, with the value of numbers and booleans.
    /// (A name's spelling is its `text`.)
    ///
    /// The kinds carry no strings on purpose: a `Kind` is then a few plain
    /// bytes, cheap to copy and compare, which keeps the parser's stack frames
    /// small and so lets it nest deeply without running out of stack.
    enum Kind: Sendable, Equatable {
        case number(Double)
        case boolean(Bool)
        /// Python's `None`.
        case none
        /// A string literal, `'sum'` or `"sum"`: its value is `text` without the quotes.
        case string
        case name
        /// `...`, Python's Ellipsis (only meaningful in a subscript).
        case ellipsis
        case plus          // +
        case minus         // -
        case star          // *
        case doubleStar    // **
        case slash         // /
        case at            // @
        case leftParen     // (
        case rightParen    // )
        case leftBracket   // [
        case rightBracket  // ]
        case comma         // ,
        case colon         // :
        case semicolon     // ;
        case equals        // =
        /// The end of the input. The token list always finishes with one.
        case end
        /// Something that is not a token. The lexer stops at the first one; see
        /// ``ExpressionLexer/tokenize()``.
        case invalid
    }

    let kind: Kind
    /// Where the token starts.
    let location: SourceLocation
    /// The token's text exactly as written in the source (empty for `end`).
    let text: String

    /// The value of a string literal: its text without the quotes.
    var stringValue: String {
        String(text.dropFirst().dropLast())
    }

    /// The token as error messages describe it: `name 'x'`, `number '2.5'`,
    /// `'('`, `end of input`.
    var summary: String {
        switch kind {
        case .number: return "number '\(Self.abbreviated(text))'"
        case .name: return "name '\(Self.abbreviated(text))'"
        case .string: return "string \(Self.abbreviated(text))"
        case .end: return "end of input"
        case .invalid: return "an invalid token"
        default: return "'\(text)'"
        }
    }

    /// Shortens long texts (a 500-digit number, say) for error messages.
    static func abbreviated(_ text: String, limit: Int = 24) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "..."
    }

    /// Can this token be the first token of an expression?
    var canStartExpression: Bool {
        switch kind {
        case .number, .boolean, .none, .string, .name, .leftParen, .leftBracket, .minus, .plus:
            return true
        default:
            return false
        }
    }
}

/// Turns source text into a list of ``ExpressionToken``s.
struct ExpressionLexer {
    private let source: String
    private let characters: [Character]
    /// The offset of the next character to read.
    private var position = 0

    init(source: String) {
        self.source = source
        self.characters = Array(source)
    }

    /// Reads the whole source.
    ///
    /// The tokens always end with an `.end` token, or with an `.invalid`
    /// token if the lexer met something it could not read; `error` then says
    /// what. The lexer does not throw right away because a parse error
    /// *before* the bad character should be reported first, and only the
    /// parser knows about those. So the parser throws `error` when it reaches
    /// the `.invalid` token.
    mutating func tokenize() -> (tokens: [ExpressionToken], error: ExpressionSyntaxError?) {
        var tokens: [ExpressionToken] = []
        while true {
            skipWhitespace()
            do {
                let token = try nextToken()
                tokens.append(token)
                if token.kind == .end { return (tokens, nil) }
            } catch {
                tokens.append(ExpressionToken(kind: .invalid, location: error.location, text: ""))
                return (tokens, error)
            }
        }
    }

    // MARK: - Reading characters

    private var current: Character? {
        position < characters.count ? characters[position] : nil
    }

    private func peek(_ distance: Int = 1) -> Character? {
        position + distance < characters.count ? characters[position + distance] : nil
    }

    private mutating func skipWhitespace() {
        while let character = current, CharacterClass.isWhitespace(character) {
            position += 1
        }
    }

    private func error(_ message: String, at offset: Int) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message: message, location: SourceLocation(offset: offset), source: source)
    }

    // MARK: - Tokens

    /// Reads one token starting at `position` (which is not whitespace).
    private mutating func nextToken() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        guard let character = current else {
            return ExpressionToken(kind: .end, location: SourceLocation(offset: start), text: "")
        }

        if CharacterClass.isDigit(character) || (character == "." && peek().map(CharacterClass.isDigit) == true) {
            return try number()
        }
        if CharacterClass.isIdentifierStart(character) {
            return identifier()
        }
        if character == "'" || character == "\"" {
            return try string(quote: character)
        }
        if character == ".", peek() == ".", peek(2) == "." {
            position += 3
            return ExpressionToken(kind: .ellipsis, location: SourceLocation(offset: start), text: "...")
        }

        // Operators and punctuation. `**` is the only two-character token.
        let kind: ExpressionToken.Kind
        switch character {
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = peek() == "*" ? .doubleStar : .star
        case "/": kind = .slash
        case "@": kind = .at
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case ",": kind = .comma
        case ":": kind = .colon
        case ";": kind = .semicolon
        case "=": kind = .equals
        default:
            throw error(CharacterClass.unexpectedCharacterMessage(character), at: start)
        }
        position += kind == .doubleStar ? 2 : 1
        let text = String(characters[start..<position])
        return ExpressionToken(kind: kind, location: SourceLocation(offset: start), text: text)
    }

    /// ```
    /// number   := digits ['.' [digits]] [exponent]
    ///           | '.' digits [exponent]
    /// exponent := ('e' | 'E') ['+' | '-'] digits
    /// ```
    private mutating func number() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        skipDigits()
        if current == "." {
            position += 1
            skipDigits()
        }
        if current == "e" || current == "E" {
            let exponentStart = position
            position += 1
            if current == "+" || current == "-" { position += 1 }
            guard let digit = current, CharacterClass.isDigit(digit) else {
                let text = String(characters[start..<position])
                throw error(
                    "malformed number '\(ExpressionToken.abbreviated(text))': the exponent needs digits",
                    at: exponentStart)
            }
            skipDigits()
        }
        let text = String(characters[start..<position])

        // `2x`, `1.2.3` or `3e2e1` are not numbers followed by something else:
        // they are almost certainly typos, so say so instead of guessing.
        if let next = current, CharacterClass.isIdentifierCharacter(next) || next == "." {
            throw error(
                "unexpected character '\(next)' right after the number '\(ExpressionToken.abbreviated(text))'",
                at: position)
        }

        // The text is digits, '.', 'e', signs: exactly what `Double(_:)` reads.
        guard let value = Double(text), value.isFinite else {
            throw error("the number '\(ExpressionToken.abbreviated(text))' is too large for a Double", at: start)
        }
        return ExpressionToken(kind: .number(value), location: SourceLocation(offset: start), text: text)
    }

    /// ```
    /// name := [A-Za-z_] [A-Za-z0-9_]*
    /// ```
    /// `true`, `false`, `True` and `False` are booleans, not names; `None` is Python's
    /// None; `inf` and `nan` are numbers (so `-inf` is minus infinity).
    private mutating func identifier() -> ExpressionToken {
        let start = position
        while let character = current, CharacterClass.isIdentifierCharacter(character) {
            position += 1
        }
        let text = String(characters[start..<position])
        let location = SourceLocation(offset: start)
        switch text {
        case "true", "True": return ExpressionToken(kind: .boolean(true), location: location, text: text)
        case "false", "False": return ExpressionToken(kind: .boolean(false), location: location, text: text)
        case "None": return ExpressionToken(kind: .none, location: location, text: text)
        case "inf": return ExpressionToken(kind: .number(.infinity), location: location, text: text)
        case "nan": return ExpressionToken(kind: .number(.nan), location: location, text: text)
        default: return ExpressionToken(kind: .name, location: location, text: text)
        }
    }

    /// ```
    /// string := "'" [^'\n]* "'" | '"' [^"\n]* '"'
    /// ```
    /// No escapes: the strings of the language are option values such as `'sum'`.
    private mutating func string(quote: Character) throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        position += 1
        while let character = current, character != quote, !character.isNewline {
            position += 1
        }
        guard current == quote else {
            throw error("unterminated string: expected a closing \(quote) on the same line", at: start)
        }
        position += 1
        let text = String(characters[start..<position])
        return ExpressionToken(kind: .string, location: SourceLocation(offset: start), text: text)
    }

    private mutating func skipDigits() {
        while let character = current, CharacterClass.isDigit(character) {
            position += 1
        }
    }
}

// MARK: - Character classes

extension ExpressionLexer {
    /// Which characters are digits, letters and whitespace.
    ///
    /// Only ASCII counts: `é` is not a letter of this language and `٣` is not a
    /// digit. (`asciiValue` is nil for every non-ASCII character. It is 10 for
    /// the single Character "\r\n", which is whitespace here anyway.)
    fileprivate enum CharacterClass {
        static func isDigit(_ character: Character) -> Bool {
            guard let value = character.asciiValue else { return false }
            return value >= 48 && value <= 57  // 0-9
        }

        static func isIdentifierStart(_ character: Character) -> Bool {
            guard let value = character.asciiValue else { return false }
            return (value >= 65 && value <= 90) || (value >= 97 && value <= 122) || value == 95  // A-Z a-z _
        }

        static func isIdentifierCharacter(_ character: Character) -> Bool {
            isIdentifierStart(character) || isDigit(character)
        }

        static func isWhitespace(_ character: Character) -> Bool {
            switch character {
            case " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}": return true
            default: return false
            }
        }

        /// `unexpected character '$'`, with hints for characters people often
        /// reach for, and code points for characters that do not print well.
        static func unexpectedCharacterMessage(_ character: Character) -> String {
            let shown: String
            if let value = character.asciiValue, value >= 32, value < 127 {
                shown = "'\(character)'"
            } else {
                let codePoints = character.unicodeScalars.map { scalar in
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }.joined(separator: " ")
                let printable = character.unicodeScalars.allSatisfy { scalar in
                    scalar.value > 127 && !scalar.properties.isWhitespace
                        && scalar.properties.generalCategory != .control
                        && scalar.properties.generalCategory != .format
                }
                shown = printable ? "'\(character)' (\(codePoints))" : codePoints
            }
            let hint: String
            switch character {
            case "^": hint = " (use '**' for powers)"
            case "−": hint = " (use the ASCII '-' for minus)"
            case "×", "·": hint = " (use '*' or '@' to multiply)"
            default: hint = ""
            }
            return "unexpected character \(shown)\(hint)"
        }
    }
}
