// The parser: the second stage of parsing.
//
// This is a *recursive-descent* parser. Each grammar rule becomes one function
// (its rule is in its doc comment), and a rule that mentions another rule
// calls that rule's function. Operator precedence falls out of the order of
// the calls: `parseExpression` handles `+` and `-` and asks `parseTerm` for
// its operands, so `*` binds tighter than `+`, and so on down to `parseAtom`.
//
// From loosest to tightest binding (as in Python):
//
//     program     statements separated by ';'
//     expression  + -          left-associative:  a - b - c  is  (a - b) - c
//     term        * / @        left-associative
//     unary       -x  +x       so  -a * b  is  (-a) * b
//     power       **           right-associative, and tighter than unary minus
//                              on its left:  -x ** 2  is  -(x ** 2)
//     postfix     f(...)  x[...]
//     atom        2.5  inf  true  None  'sum'  x  (expression)  [list]
//
// The parser looks at one token at a time (`current`), and occasionally one
// more (`nextKind`) to tell `a = ...` and `axis=...` from an expression that
// merely starts with a name.

/// Turns a list of tokens into a ``Program``.
///
/// A class rather than a struct only for the sake of the stack: in debug
/// builds a struct's non-mutating helpers (`currentKind`, `error(_:at:)`) work
/// on a fresh copy of the whole parser at every call site, which made each
/// level of recursion several kilobytes larger.
final class ExpressionParser {
    private let source: String
    private let tokens: [ExpressionToken]
    /// What is wrong with the last token, if the lexer could not read it.
    private let lexerError: ExpressionSyntaxError?
    /// The index of the current token in `tokens`.
    private var position = 0
    /// How many brackets, calls, unary signs and `**` operands enclose the
    /// current position. Each level is a few nested Swift calls, so this is
    /// what keeps `((((((...` from overflowing the stack.
    private var depth = 0

    init(source: String) {
        var lexer = ExpressionLexer(source: source)
        self.source = source
        (self.tokens, self.lexerError) = lexer.tokenize()
    }

    // MARK: - Rules

    /// ```
    /// program := statement (';' statement)* [';']
    /// statement := NAME '=' expression      (every statement but the last)
    ///            | expression               (the last statement)
    /// ```
    func parseProgram() throws(ExpressionSyntaxError) -> Program {
        try checkLexerError()
        if currentKind == .end {
            throw error("the program is empty: expected an expression", at: current.location)
        }

        var statements: [Statement] = []
        while true {
            // `NAME '='` starts an assignment. Looking two tokens ahead is how we
            // know that `a` in `a = x` is not the start of an expression.
            if currentKind == .name, nextKind == .equals {
                let nameToken = try advance()
                let name = nameToken.text
                try advance()  // the '='
                try expectExpression("an expression after '='")
                let value = try parseExpression()
                try expectEndOfStatement()
                let statement = Statement(name: name, value: value.expression, location: nameToken.location)
                if currentKind == .semicolon { try advance() }
                if currentKind == .end {
                    throw error(
                        "the last statement must be an expression, not an assignment",
                        at: statement.location)
                }
                statements.append(statement)
                continue
            }

            // Otherwise this must be the final, bare expression.
            let result = try parseExpression()
            try expectEndOfStatement()
            if currentKind == .semicolon {
                try advance()
                if currentKind != .end {
                    throw error(
                        "only the last statement can be a bare expression; "
                            + "give this one a name, as in 'a = ...'",
                        at: result.expression.location)
                }
            }
            return Program(statements: statements, result: result.expression, source: source)
        }
    }

    /// ```
    /// expression := term (('+' | '-') term)*
    /// ```
    /// A loop, not recursion, builds the left-leaning tree that makes `+` and
    /// `-` left-associative: `a - b - c` is `(a - b) - c`.
    private func parseExpression() throws(ExpressionSyntaxError) -> Subtree {
        var left = try parseTerm()
        while let op = currentKind.additiveOperator {
            let opToken = try advance()
            try expectExpression("an expression after '\(op.rawValue)'")
            let right = try parseTerm()
            left = try node(
                .binary(op, left.expression, right.expression, at: opToken.location),
                tallestChild: max(left.height, right.height))
        }
        return left
    }

    /// ```
    /// term := unary (('*' | '/' | '@') unary)*
    /// ```
    private func parseTerm() throws(ExpressionSyntaxError) -> Subtree {
        var left = try parseUnary()
        while let op = currentKind.multiplicativeOperator {
            let opToken = try advance()
            try expectExpression("an expression after '\(op.rawValue)'")
            let right = try parseUnary()
            left = try node(
                .binary(op, left.expression, right.expression, at: opToken.location),
                tallestChild: max(left.height, right.height))
        }
        return left
    }

    /// ```
    /// unary := '-' unary | '+' unary | power
    /// ```
    /// Unary plus changes nothing, so it makes no node.
    private func parseUnary() throws(ExpressionSyntaxError) -> Subtree {
        guard currentKind == .minus || currentKind == .plus else {
            return try parsePower()
        }
        let sign = try advance()
        try enterNesting(at: sign)
        defer { leaveNesting() }
        try expectExpression("an expression after '\(sign.text)'")
        let operand = try parseUnary()
        if sign.kind == .plus { return operand }
        return try node(.negate(operand.expression, at: sign.location), tallestChild: operand.height)
    }

    /// ```
    /// power := postfix ['**' unary]
    /// ```
    /// The right operand is a `unary`, which may itself be a power; that
    /// recursion makes `**` right-associative (`a ** b ** c` is
    /// `a ** (b ** c)`) and allows `2 ** -x`. The left operand is a `postfix`,
    /// which is why `-x ** 2` is `-(x ** 2)`: the `-` was taken by `parseUnary`
    /// before we got here.
    private func parsePower() throws(ExpressionSyntaxError) -> Subtree {
        let base = try parsePostfix()
        guard currentKind == .doubleStar else { return base }
        let op = try advance()
        try enterNesting(at: op)
        defer { leaveNesting() }
        try expectExpression("an expression after '**'")
        let exponent = try parseUnary()
        return try node(
            .binary(.power, base.expression, exponent.expression, at: op.location),
            tallestChild: max(base.height, exponent.height))
    }

    /// ```
    /// postfix := atom ('[' subscript ']')*
    /// ```
    /// Calls are handled by `parseAtom`, because only a name can be called.
    private func parsePostfix() throws(ExpressionSyntaxError) -> Subtree {
        var base = try parseAtom()
        while true {
            switch currentKind {
            case .leftBracket:
                base = try parseSubscript(of: base)
            case .leftParen:
                throw error(
                    "only a name can be called, as in 'f(x)'; found '(' after an expression",
                    at: current.location)
            default:
                return base
            }
        }
    }

    /// ```
    /// atom := NUMBER | BOOLEAN | 'None' | STRING | NAME | call | '(' expression ')' | list
    /// ```
    /// (`inf` and `nan` are NUMBERs, made by the lexer.)
    private func parseAtom() throws(ExpressionSyntaxError) -> Subtree {
        let token = current
        switch token.kind {
        case .number(let value):
            try advance()
            return Subtree(expression: .number(value, at: token.location), height: 1)
        case .boolean(let value):
            try advance()
            return Subtree(expression: .boolean(value, at: token.location), height: 1)
        case .none:
            try advance()
            return Subtree(expression: .none(at: token.location), height: 1)
        case .string:
            try advance()
            return Subtree(expression: .string(token.stringValue, at: token.location), height: 1)
        case .ellipsis:
            throw error("'...' can only be a component of a subscript, as in 'x[..., 0]'", at: token.location)
        case .name:
            try advance()
            if currentKind == .leftParen {
                return try parseCall(token.text, at: token)
            }
            return Subtree(expression: .name(token.text, at: token.location), height: 1)
        case .leftParen:
            // Parentheses only group; they leave no trace in the tree.
            let open = try advance()
            try enterNesting(at: open)
            defer { leaveNesting() }
            try expectExpression("an expression after '('")
            let inner = try parseExpression()
            try expectClosing(.rightParen, opened: open)
            return inner
        case .leftBracket:
            return try parseList()
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// ```
    /// list := '[' [expression (',' expression)* [',']] ']'
    /// ```
    private func parseList() throws(ExpressionSyntaxError) -> Subtree {
        let open = try advance()
        try enterNesting(at: open)
        defer { leaveNesting() }
        var elements: [Subtree] = []
        while currentKind != .rightBracket, currentKind != .end {
            try expectExpression("an expression or ']'")
            elements.append(try parseExpression())
            guard currentKind == .comma else { break }
            try advance()
        }
        try expectClosing(.rightBracket, opened: open)
        return try node(.list(elements.map(\.expression), at: open.location), tallestChild: elements.tallest)
    }

    /// ```
    /// call     := NAME '(' [argument (',' argument)* [',']] ')'
    /// argument := NAME '=' expression | expression
    /// ```
    /// Positional arguments come first, then keyword arguments, each keyword
    /// at most once (as in Python).
    private func parseCall(_ name: String, at nameToken: ExpressionToken) throws(ExpressionSyntaxError) -> Subtree {
        let open = try advance()
        try enterNesting(at: open)
        defer { leaveNesting() }
        var arguments: [Expression] = []
        var keywords: [KeywordArgument] = []
        var tallestArgument = 0
        while currentKind != .rightParen, currentKind != .end {
            if currentKind == .name, nextKind == .equals {
                let keyword = try advance()
                if keywords.contains(where: { $0.name == keyword.text }) {
                    throw duplicateKeywordError(keyword)
                }
                try advance()  // the '='
                try expectExpression("a value for keyword argument '\(keyword.text)'")
                let value = try parseExpression()
                keywords.append(
                    KeywordArgument(name: keyword.text, value: value.expression, location: keyword.location))
                tallestArgument = max(tallestArgument, value.height)
            } else {
                try expectExpression("an argument or ')'")
                if let last = keywords.last {
                    throw positionalAfterKeywordError(last)
                }
                let value = try parseExpression()
                arguments.append(value.expression)
                tallestArgument = max(tallestArgument, value.height)
            }
            guard currentKind == .comma else { break }
            try advance()
        }
        try expectClosing(.rightParen, opened: open)
        let call = Expression.call(name, arguments: arguments, keywords: keywords, at: nameToken.location)
        return try node(call, tallestChild: tallestArgument)
    }

    /// ```
    /// subscript := component (',' component)* [',']
    /// component := expression
    ///            | [expression] ':' [expression] [':' [expression]]
    ///            | '...'
    /// ```
    /// At most one `...` per subscript.
    private func parseSubscript(of base: Subtree) throws(ExpressionSyntaxError) -> Subtree {
        let open = try advance()
        try enterNesting(at: open)
        defer { leaveNesting() }
        var components: [SubscriptComponent] = []
        var children = [base]
        repeat {
            if currentKind == .ellipsis {
                let ellipsis = try advance()
                if components.contains(.ellipsis) {
                    throw error("a subscript can have only one '...'", at: ellipsis.location)
                }
                components.append(.ellipsis)
                guard currentKind == .comma else { break }
                try advance()
                continue
            }
            components.append(try parseSubscriptComponent(children: &children))
            guard currentKind == .comma else { break }
            try advance()
        } while currentKind != .rightBracket && currentKind != .end
        try expectClosing(.rightBracket, opened: open)
        return try node(
            .subscript(base.expression, components, at: open.location), tallestChild: children.tallest)
    }

    /// One `component` of a subscript: an index or a slice. The parsed parts
    /// are appended to `children` so the caller can work out the tree height.
    private func parseSubscriptComponent(
        children: inout [Subtree]
    ) throws(ExpressionSyntaxError) -> SubscriptComponent {
        // Every part of a slice is optional, so first see which are present.
        var start: Subtree?
        if currentKind != .colon {
            try expectExpression("an index or a slice")
            let index = try parseExpression()
            children.append(index)
            guard currentKind == .colon else { return .index(index.expression) }
            start = index
        }
        try advance()  // the first ':'
        let stop = try parseOptionalSlicePart(children: &children)
        var step: Subtree?
        if currentKind == .colon {
            try advance()
            step = try parseOptionalSlicePart(children: &children)
        }
        return .slice(start: start?.expression, stop: stop?.expression, step: step?.expression)
    }

    /// The `[expression]` after a ':' in a slice, if there is one.
    private func parseOptionalSlicePart(children: inout [Subtree]) throws(ExpressionSyntaxError) -> Subtree? {
        guard current.canStartExpression else { return nil }
        let part = try parseExpression()
        children.append(part)
        return part
    }

    // MARK: - Tokens

    private var current: ExpressionToken { tokens[position] }

    /// `current.kind`, without copying the whole token (which matters in
    /// debug builds, where every copy takes stack space).
    private var currentKind: ExpressionToken.Kind { tokens[position].kind }

    /// The token after `current` (`end` stays `end`).
    private var nextKind: ExpressionToken.Kind { tokens[min(position + 1, tokens.count - 1)].kind }

    /// Consumes the current token and returns it. If the new current token is
    /// one the lexer could not read, this is the moment to report it.
    @discardableResult
    private func advance() throws(ExpressionSyntaxError) -> ExpressionToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        try checkLexerError()
        return token
    }

    /// Throws the lexer's error once the parser has reached the bad token.
    private func checkLexerError() throws(ExpressionSyntaxError) {
        if currentKind == .invalid, let lexerError { throw lexerError }
    }

    /// Consumes the closing bracket of a group, or explains what is missing.
    private func expectClosing(
        _ closing: ExpressionToken.Kind, opened open: ExpressionToken
    ) throws(ExpressionSyntaxError) {
        guard currentKind == closing else {
            let bracket = closing == .rightParen ? "')'" : "']'"
            throw unexpected(expected: "\(bracket) to close '\(open.text)' at column \(open.location.column)")
        }
        try advance()
    }

    /// Throws unless the current token can begin an expression. Checking this
    /// before descending gives "expected an expression after '+'" instead of
    /// the vaguer message `parseAtom` would produce.
    /// (`what` is an autoclosure so the message is only built when needed.)
    private func expectExpression(_ what: @autoclosure () -> String) throws(ExpressionSyntaxError) {
        guard current.canStartExpression else { throw unexpected(expected: what()) }
    }

    /// After a statement only ';' or the end of the input may follow.
    private func expectEndOfStatement() throws(ExpressionSyntaxError) {
        switch currentKind {
        case .semicolon, .end:
            return
        case .rightParen, .rightBracket:
            throw error("unmatched '\(current.text)'", at: current.location)
        default:
            throw unexpected(expected: "an operator, ';' or end of input")
        }
    }

    /// "expected X, found Y", except that a stray `=` gets its own message,
    /// since it is by far the most common way to end up here.
    private func unexpected(expected what: String) -> ExpressionSyntaxError {
        if currentKind == .equals {
            if position > 0, tokens[position - 1].kind == .equals,
                tokens[position - 1].location.offset + 1 == current.location.offset
            {
                return error(
                    "'==' is not supported: the language has no comparisons", at: tokens[position - 1].location)
            }
            return error(
                "'=' can only follow a name at the start of a statement (as in 'a = x * 2') "
                    + "or a keyword in a call (as in 'sum(x, axis=1)')",
                at: current.location)
        }
        if currentKind == .ellipsis {
            return error("'...' can only be a component of a subscript, as in 'x[..., 0]'", at: current.location)
        }
        return error("expected \(what), found \(current.summary)", at: current.location)
    }

    private func duplicateKeywordError(_ keyword: ExpressionToken) -> ExpressionSyntaxError {
        error("duplicate keyword argument '\(keyword.text)'", at: keyword.location)
    }

    private func positionalAfterKeywordError(_ keyword: KeywordArgument) -> ExpressionSyntaxError {
        error("positional argument follows keyword argument '\(keyword.name)'", at: current.location)
    }

    private func error(_ message: String, at location: SourceLocation) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message: message, location: location, source: source)
    }

    // MARK: - Depth limits

    /// Called before every recursive descent into a nested construct.
    private func enterNesting(at token: ExpressionToken) throws(ExpressionSyntaxError) {
        guard depth < Program.maximumDepth else { throw tooDeep(at: token.location) }
        depth += 1
    }

    private func leaveNesting() {
        depth -= 1
    }

    /// Wraps a freshly built node with its height, refusing trees taller than
    /// ``Program/maximumDepth``. The nesting check above does not catch
    /// `x + x + ... + x`, which the parser builds with a loop, but whose tree
    /// is as tall as the chain is long.
    private func node(_ expression: Expression, tallestChild: Int) throws(ExpressionSyntaxError) -> Subtree {
        let height = 1 + tallestChild
        guard height <= Program.maximumDepth else { throw tooDeep(at: expression.location) }
        return Subtree(expression: expression, height: height)
    }

    private func tooDeep(at location: SourceLocation) -> ExpressionSyntaxError {
        error("expression nested too deeply (the limit is \(Program.maximumDepth) levels)", at: location)
    }
}

extension ExpressionParser {
    /// A parsed expression together with its height: 1 for a leaf, and one
    /// more than its tallest child for any other node.
    fileprivate struct Subtree {
        let expression: Expression
        let height: Int
    }
}

extension [ExpressionParser.Subtree] {
    /// The height of the tallest subtree, 0 if there are none.
    fileprivate var tallest: Int {
        reduce(0) { Swift.max($0, $1.height) }
    }
}

extension ExpressionToken.Kind {
    /// The operator of a `+` or `-` token.
    fileprivate var additiveOperator: BinaryOperator? {
        switch self {
        case .plus: return .add
        case .minus: return .subtract
        default: return nil
        }
    }

    /// The operator of a `*`, `/` or `@` token.
    fileprivate var multiplicativeOperator: BinaryOperator? {
        switch self {
        case .star: return .multiply
        case .slash: return .divide
        case .at: return .matmul
        default: return nil
        }
    }
}
