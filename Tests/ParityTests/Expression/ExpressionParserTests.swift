import Testing

@testable import Parity

/// Tests for the expression language: lexer, parser, syntax tree and printer.
///
/// Everything lives inside this one type so that no helper name can clash with
/// another test file of the module.
@Suite("Expression language")
struct ExpressionParserTests {
    // Expected trees are written by hand, locations included (offsets count
    // Characters from 0; the comment above each input marks the interesting
    // offsets).

    // MARK: - Tree-building shorthands

    // `Testing` has a `SourceLocation` of its own, hence the module prefix.
    static func at(_ offset: Int) -> Parity.SourceLocation { Parity.SourceLocation(offset: offset) }
    static func num(_ value: Double, _ offset: Int) -> Expression { .number(value, at: at(offset)) }
    static func bool(_ value: Bool, _ offset: Int) -> Expression { .boolean(value, at: at(offset)) }
    static func name(_ name: String, _ offset: Int) -> Expression { .name(name, at: at(offset)) }
    static func list(_ elements: [Expression], _ offset: Int) -> Expression { .list(elements, at: at(offset)) }
    static func neg(_ operand: Expression, _ offset: Int) -> Expression { .negate(operand, at: at(offset)) }
    static func bin(_ op: BinaryOperator, _ left: Expression, _ right: Expression, _ offset: Int) -> Expression {
        .binary(op, left, right, at: at(offset))
    }
    static func call(_ name: String, _ arguments: [Expression], _ offset: Int) -> Expression {
        .call(name, arguments: arguments, keywords: [], at: at(offset))
    }
    static func call(
        _ name: String, _ arguments: [Expression], _ keywords: [KeywordArgument], _ offset: Int
    ) -> Expression {
        .call(name, arguments: arguments, keywords: keywords, at: at(offset))
    }
    static func kw(_ name: String, _ value: Expression, _ offset: Int) -> KeywordArgument {
        KeywordArgument(name: name, value: value, location: at(offset))
    }
    static func sub(_ base: Expression, _ components: [SubscriptComponent], _ offset: Int) -> Expression {
        .subscript(base, components, at: at(offset))
    }

    /// Parses a program that must be a single expression.
    static func parseExpression(_ source: String) throws -> Expression {
        let program = try Program(parsing: source)
        #expect(program.statements.isEmpty)
        return program.result
    }

    /// The error parsing `source` throws, or nil if it parses.
    static func parseError(_ source: String) -> ExpressionSyntaxError? {
        do {
            _ = try Program(parsing: source)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Structural comparison (ignoring locations)

    /// The same tree with every location set to 0, so that trees can be compared
    /// by shape alone.
    static func stripped(_ expression: Expression) -> Expression {
        let zero = Parity.SourceLocation(offset: 0)
        switch expression {
        case .number(let value, _): return .number(value, at: zero)
        case .boolean(let value, _): return .boolean(value, at: zero)
        case .none: return .none(at: zero)
        case .string(let value, _): return .string(value, at: zero)
        case .name(let name, _): return .name(name, at: zero)
        case .list(let elements, _): return .list(elements.map(stripped), at: zero)
        case .negate(let operand, _): return .negate(stripped(operand), at: zero)
        case .binary(let op, let left, let right, _): return .binary(op, stripped(left), stripped(right), at: zero)
        case .call(let name, let arguments, let keywords, _):
            return .call(
                name, arguments: arguments.map(stripped),
                keywords: keywords.map { KeywordArgument(name: $0.name, value: stripped($0.value), location: zero) },
                at: zero)
        case .subscript(let base, let components, _):
            return .subscript(
                stripped(base),
                components.map { component in
                    switch component {
                    case .index(let index): return .index(stripped(index))
                    case .slice(let start, let stop, let step):
                        return .slice(start: start.map(stripped), stop: stop.map(stripped), step: step.map(stripped))
                    case .ellipsis: return .ellipsis
                    }
                }, at: zero)
        }
    }

    static func stripped(_ program: Program) -> [String: Expression] {
        var result: [String: Expression] = [:]
        for (index, statement) in program.statements.enumerated() {
            result["\(index):\(statement.name)"] = stripped(statement.value)
        }
        result["result"] = stripped(program.result)
        return result
    }

    // MARK: - Parsing: hand-written trees

    @Suite("Trees")
    struct Trees {
        struct Case: CustomTestStringConvertible, Sendable {
            let source: String
            let expected: Expression
            var testDescription: String { source }
        }

        static let cases: [Case] = [
            // 0       8    13
            // sigmoid(tanh(x))
            Case(source: "sigmoid(tanh(x))", expected: call("sigmoid", [call("tanh", [name("x", 13)], 8)], 0)),
            // 0 2  5 7 9 11 13 15 18
            // x ** 4 - 2 * x ** 2
            Case(
                source: "x ** 4 - 2 * x ** 2",
                expected: bin(
                    .subtract, bin(.power, name("x", 0), num(4, 5), 2),
                    bin(.multiply, num(2, 9), bin(.power, name("x", 13), num(2, 18), 15), 11), 7)),
            // Unary minus binds more loosely than '**' on its left.
            Case(source: "-x ** 2", expected: neg(bin(.power, name("x", 1), num(2, 6), 3), 0)),
            Case(source: "-2 ** 2", expected: neg(bin(.power, num(2, 1), num(2, 6), 3), 0)),
            Case(source: "(-x) ** 2", expected: bin(.power, neg(name("x", 2), 1), num(2, 8), 5)),
            Case(source: "2 * x ** 2", expected: bin(.multiply, num(2, 0), bin(.power, name("x", 4), num(2, 9), 6), 2)),
            // ...and an exponent may itself start with a minus.
            Case(source: "x ** -y", expected: bin(.power, name("x", 0), neg(name("y", 6), 5), 2)),
            // 0 2 5 8 11
            // 2 ** -x ** 2   is   2 ** (-(x ** 2))
            Case(
                source: "2 ** -x ** 2",
                expected: bin(.power, num(2, 0), neg(bin(.power, name("x", 6), num(2, 11), 8), 5), 2)),
            // '**' is right-associative, '-' and '/' left-associative.
            Case(source: "a ** b ** c", expected: bin(.power, name("a", 0), bin(.power, name("b", 5), name("c", 10), 7), 2)),
            Case(source: "a - b - c", expected: bin(.subtract, bin(.subtract, name("a", 0), name("b", 4), 2), name("c", 8), 6)),
            Case(source: "a - (b - c)", expected: bin(.subtract, name("a", 0), bin(.subtract, name("b", 5), name("c", 9), 7), 2)),
            Case(
                source: "x / y / z * w",
                expected: bin(
                    .multiply, bin(.divide, bin(.divide, name("x", 0), name("y", 4), 2), name("z", 8), 6),
                    name("w", 12), 10)),
            Case(source: "x @ w + b", expected: bin(.add, bin(.matmul, name("x", 0), name("w", 4), 2), name("b", 8), 6)),
            Case(source: "a - -b", expected: bin(.subtract, name("a", 0), neg(name("b", 5), 4), 2)),
            Case(source: "-a * b", expected: bin(.multiply, neg(name("a", 1), 0), name("b", 5), 3)),
            // Unary plus leaves no node.
            Case(source: "+x", expected: name("x", 1)),
            Case(source: "+-+x", expected: neg(name("x", 3), 1)),
            // 0  3 5    10 12
            // .5 + 1e-3 * 1.5E+2
            Case(
                source: ".5 + 1e-3 * 1.5E+2",
                expected: bin(.add, num(0.5, 0), bin(.multiply, num(0.001, 5), num(150, 12), 10), 3)),
            // 0   4 6    11  15 19       28
            // sum(x * y, axis=1, keepdims=true)
            Case(
                source: "sum(x * y, axis=1, keepdims=true)",
                expected: call(
                    "sum", [bin(.multiply, name("x", 4), name("y", 8), 6)],
                    [kw("axis", num(1, 16), 11), kw("keepdims", bool(true, 28), 19)], 0)),
            // 0    5  8    13 17
            // mean(x, axis=[0, 1])
            Case(
                source: "mean(x, axis=[0, 1])",
                expected: call("mean", [name("x", 5)], [kw("axis", list([num(0, 14), num(1, 17)], 13), 8)], 0)),
            Case(source: "f(True, flag=False)", expected: call("f", [bool(true, 2)], [kw("flag", bool(false, 13), 8)], 0)),
            Case(source: "f()", expected: call("f", [], 0)),
            Case(source: "f(x,)", expected: call("f", [name("x", 2)], 0)),
            Case(source: "f (x)", expected: call("f", [name("x", 3)], 0)),
            // 0 2 5 7
            // x[:, 0:2]
            Case(
                source: "x[:, 0:2]",
                expected: sub(
                    name("x", 0),
                    [.slice(start: nil, stop: nil, step: nil), .slice(start: num(0, 5), stop: num(2, 7), step: nil)], 1)),
            Case(source: "x[::2]", expected: sub(name("x", 0), [.slice(start: nil, stop: nil, step: num(2, 4))], 1)),
            Case(source: "x[1:]", expected: sub(name("x", 0), [.slice(start: num(1, 2), stop: nil, step: nil)], 1)),
            Case(source: "x[::]", expected: sub(name("x", 0), [.slice(start: nil, stop: nil, step: nil)], 1)),
            Case(
                source: "x[a + 1:-1:2]",
                expected: sub(
                    name("x", 0),
                    [.slice(start: bin(.add, name("a", 2), num(1, 6), 4), stop: neg(num(1, 9), 8), step: num(2, 11))], 1)),
            // 0 2 3 6 10
            // x[[0, 2], -1]
            Case(
                source: "x[[0, 2], -1]",
                expected: sub(name("x", 0), [.index(list([num(0, 3), num(2, 6)], 2)), .index(neg(num(1, 11), 10))], 1)),
            Case(
                source: "x[0][1]",
                expected: sub(sub(name("x", 0), [.index(num(0, 2))], 1), [.index(num(1, 5))], 4)),
            Case(
                source: "f(x)[0] ** 2",
                expected: bin(.power, sub(call("f", [name("x", 2)], 0), [.index(num(0, 5))], 4), num(2, 11), 8)),
            // 0 2 5 9 13
            // [[1, 2], [], [3,],]
            Case(
                source: "[[1, 2], [], [3,],]",
                expected: list([list([num(1, 2), num(2, 5)], 1), list([], 9), list([num(3, 14)], 13)], 0)),
            Case(source: "(((x)))", expected: name("x", 3)),
            Case(source: "x;", expected: name("x", 0)),
            // "\r\n" is a single Character, so it takes one offset.
            Case(source: "x\r\n+ y", expected: bin(.add, name("x", 0), name("y", 4), 2)),
            Case(source: "\tx\n*\ty ", expected: bin(.multiply, name("x", 1), name("y", 5), 3)),
        ]

        @Test(arguments: cases)
        func parsesTree(_ testCase: Case) throws {
            let tree = try parseExpression(testCase.source)
            #expect(tree == testCase.expected)
        }

        @Test func statementsAndResult() throws {
            // 0   4      11   15     22  25 27     34
            // a = square(x); square(a) + square(a)
            let source = "a = square(x); square(a) + square(a)"
            let program = try Program(parsing: source)
            #expect(program.source == source)
            #expect(program.statements == [Statement(name: "a", value: call("square", [name("x", 11)], 4), location: at(0))])
            #expect(program.result == bin(.add, call("square", [name("a", 22)], 15), call("square", [name("a", 34)], 27), 25))
        }

        @Test func whitespaceAndNewlinesAreInsignificant() throws {
            // 0 1 3 6 8 11 13 15
            let program = try Program(parsing: "\ta =\n x ;\n a * 2;\n")
            #expect(program.statements == [Statement(name: "a", value: name("x", 6), location: at(1))])
            #expect(program.result == bin(.multiply, name("a", 11), num(2, 15), 13))
        }

        @Test func severalStatements() throws {
            let program = try Program(parsing: "a = x; b = a * 2; c = b - a; c ** 2")
            #expect(program.statements.map(\.name) == ["a", "b", "c"])
            #expect(program.statements.map(\.location.offset) == [0, 7, 18])
            #expect(stripped(program.result) == stripped(bin(.power, name("c", 0), num(2, 0), 0)))
        }

        @Test func locationProperty() throws {
            let tree = try parseExpression("f(x)[0] ** -2")
            #expect(tree.location == at(8))
            #expect(at(8).column == 9)
            guard case .binary(_, let base, let exponent, _) = tree else {
                Issue.record("expected a binary node")
                return
            }
            #expect(base.location == at(4))
            #expect(exponent.location == at(11))
        }

        @Test func numbers() throws {
            let cases: [(String, Double)] = [
                ("2", 2), ("2.5", 2.5), (".5", 0.5), ("1e-3", 0.001), ("1.5E+2", 150), ("2.", 2),
                ("2.e3", 2000), ("007", 7), ("1e-999", 0), ("1.7976931348623157e308", 1.7976931348623157e308),
                ("0.1", 0.1),
            ]
            for (source, value) in cases {
                #expect(try parseExpression(source) == num(value, 0), "\(source)")
            }
        }

        @Test func keywordsAreNotNames() throws {
            #expect(try parseExpression("true") == bool(true, 0))
            #expect(try parseExpression("False") == bool(false, 0))
            #expect(try parseExpression("truest") == name("truest", 0))
            #expect(try parseExpression("_x1") == name("_x1", 0))
        }
    }

    // MARK: - Errors

    @Suite("Errors")
    struct Errors {
        struct Case: CustomTestStringConvertible, Sendable {
            let source: String
            let column: Int
            let message: String
            var testDescription: String { source.debugDescription }
        }

        static let cases: [Case] = [
            Case(source: "", column: 1, message: "the program is empty: expected an expression"),
            Case(source: "   ", column: 4, message: "the program is empty: expected an expression"),
            Case(source: "x $ y", column: 3, message: "unexpected character '$'"),
            Case(source: "x ^ 2", column: 3, message: "unexpected character '^' (use '**' for powers)"),
            Case(source: "x + é", column: 5, message: "unexpected character 'é' (U+00E9)"),
            Case(source: "\u{A0}x", column: 1, message: "unexpected character U+00A0"),
            Case(source: "x + 🙂", column: 5, message: "unexpected character '🙂' (U+1F642)"),
            Case(source: "(x + 1", column: 7, message: "expected ')' to close '(' at column 1, found end of input"),
            Case(source: "sum(x, axis=1", column: 14, message: "expected ')' to close '(' at column 4, found end of input"),
            Case(source: "f(x y)", column: 5, message: "expected ')' to close '(' at column 2, found name 'y'"),
            Case(source: "[1, 2", column: 6, message: "expected ']' to close '[' at column 1, found end of input"),
            Case(source: "[1, ", column: 5, message: "expected ']' to close '[' at column 1, found end of input"),
            Case(source: "x[0:2", column: 6, message: "expected ']' to close '[' at column 2, found end of input"),
            Case(source: "x +", column: 4, message: "expected an expression after '+', found end of input"),
            Case(source: "x * * y", column: 5, message: "expected an expression after '*', found '*'"),
            Case(source: "x ** ", column: 6, message: "expected an expression after '**', found end of input"),
            Case(source: "-", column: 2, message: "expected an expression after '-', found end of input"),
            Case(source: "()", column: 2, message: "expected an expression after '(', found ')'"),
            Case(source: "x[]", column: 3, message: "expected an index or a slice, found ']'"),
            Case(source: "f(x, r='sum)", column: 8, message: "unterminated string: expected a closing ' on the same line"),
            Case(source: "x[..., 0, ...]", column: 11, message: "a subscript can have only one '...'"),
            Case(source: "f(...)", column: 3, message: "'...' can only be a component of a subscript, as in 'x[..., 0]'"),
            Case(source: "[1,,2]", column: 4, message: "expected an expression or ']', found ','"),
            Case(source: ") $", column: 1, message: "expected an expression, found ')'"),
            Case(source: "x = $", column: 5, message: "unexpected character '$'"),
            Case(source: "x)", column: 2, message: "unmatched ')'"),
            Case(source: "x]", column: 2, message: "unmatched ']'"),
            Case(source: "x y", column: 3, message: "expected an operator, ';' or end of input, found name 'y'"),
            Case(
                source: "x + 1 = 2", column: 7,
                message: "'=' can only follow a name at the start of a statement (as in 'a = x * 2') "
                    + "or a keyword in a call (as in 'sum(x, axis=1)')"),
            Case(
                source: "a = b = c", column: 7,
                message: "'=' can only follow a name at the start of a statement (as in 'a = x * 2') "
                    + "or a keyword in a call (as in 'sum(x, axis=1)')"),
            Case(
                source: "f(2=1)", column: 4,
                message: "'=' can only follow a name at the start of a statement (as in 'a = x * 2') "
                    + "or a keyword in a call (as in 'sum(x, axis=1)')"),
            Case(source: "a == b", column: 3, message: "'==' is not supported: the language has no comparisons"),
            Case(source: "a = x", column: 1, message: "the last statement must be an expression, not an assignment"),
            Case(source: "a = x;", column: 1, message: "the last statement must be an expression, not an assignment"),
            Case(
                source: "a = x; b = a;", column: 8,
                message: "the last statement must be an expression, not an assignment"),
            Case(
                source: "x; y", column: 1,
                message: "only the last statement can be a bare expression; give this one a name, as in 'a = ...'"),
            Case(source: ";", column: 1, message: "expected an expression, found ';'"),
            Case(source: "a = x;; a", column: 7, message: "expected an expression, found ';'"),
            Case(source: "f(axis=1, x)", column: 11, message: "positional argument follows keyword argument 'axis'"),
            Case(source: "f(x, axis=1, axis=2)", column: 14, message: "duplicate keyword argument 'axis'"),
            Case(source: "f(axis=)", column: 8, message: "expected a value for keyword argument 'axis', found ')'"),
            Case(source: "f(x)(y)", column: 5, message: "only a name can be called, as in 'f(x)'; found '(' after an expression"),
            Case(source: "1e999", column: 1, message: "the number '1e999' is too large for a Double"),
            Case(source: "x + 1e999", column: 5, message: "the number '1e999' is too large for a Double"),
            Case(
                source: "1" + String(repeating: "0", count: 400), column: 1,
                message: "the number '100000000000000000000000...' is too large for a Double"),
            Case(source: "2x", column: 2, message: "unexpected character 'x' right after the number '2'"),
            Case(source: "1.2.3", column: 4, message: "unexpected character '.' right after the number '1.2'"),
            Case(source: "2e+", column: 2, message: "malformed number '2e+': the exponent needs digits"),
            Case(source: "x.T", column: 2, message: "unexpected character '.'"),
        ]

        @Test(arguments: cases)
        func reportsError(_ testCase: Case) {
            guard let error = parseError(testCase.source) else {
                Issue.record("\(testCase.source.debugDescription) parsed without error")
                return
            }
            #expect(error.message == testCase.message)
            #expect(error.location.column == testCase.column)
            #expect(error.source == testCase.source)
        }

        @Test func descriptionPointsAtTheColumn() throws {
            let error = try #require(parseError("sum(x, axis=1"))
            let expected = """
                column 14: expected ')' to close '(' at column 4, found end of input
                  sum(x, axis=1
                               ^
                """
            #expect(error.description == expected)
            #expect("\(error)" == expected)
        }

        @Test func descriptionOfAMultilineSourceShowsTheLine() throws {
            let error = try #require(parseError("a = x;\n\tb = a $ 2;\nb"))
            let expected = "column 15 (line 2): unexpected character '$'\n  \tb = a $ 2;\n  \t      ^"
            #expect(error.description == expected)
        }

        @Test func firstErrorInSourceOrderWins() throws {
            // The lexer stops at '$', but the parser's complaint comes first.
            #expect(parseError("(x]) $")?.location.offset == 2)
            // And the lexer's complaint wins when it comes first.
            #expect(parseError("x $ )")?.location.offset == 2)
        }

        // MARK: Depth limits

        @Test func nestingAtTheLimitParses() throws {
            let limit = Program.maximumDepth
            let parens = String(repeating: "(", count: limit) + "x" + String(repeating: ")", count: limit)
            #expect(try parseExpression(parens) == name("x", limit))

            let calls = String(repeating: "f(", count: limit - 1) + "x" + String(repeating: ")", count: limit - 1)
            _ = try parseExpression(calls)

            let minuses = String(repeating: "-", count: limit - 1) + "x"
            let tree = try parseExpression(minuses)
            // The tree survives printing and reparsing at this depth.
            #expect(try parseExpression(tree.description) == tree)
        }

        @Test(arguments: [
            ("(", "x", ")"), ("[", "x", "]"), ("f(", "x", ")"), ("-", "x", ""), ("+", "x", ""), ("x ** ", "x", ""),
            ("x[", "0", "]"),
        ])
        func deepNestingIsAnErrorNotACrash(_ open: String, _ middle: String, _ close: String) {
            for count in [Program.maximumDepth + 1, 20_000] {
                let source = String(repeating: open, count: count) + middle + String(repeating: close, count: count)
                let error = parseError(source)
                #expect(error?.message == "expression nested too deeply (the limit is 256 levels)", "\(open) x \(count)")
                if let error {
                    #expect((0...source.count).contains(error.location.offset))
                }
            }
        }

        @Test func tallTreesFromLoopsAreRejectedToo() {
            // No recursion while parsing these, but the trees would be as tall as the
            // chains are long, which would overflow the stack of whoever walks them.
            let chain = "x" + String(repeating: " + x", count: 20_000)
            #expect(parseError(chain)?.message == "expression nested too deeply (the limit is 256 levels)")
            // The 256th '+' would make a tree of height 257.
            #expect(parseError(chain)?.location.offset == 2 + 4 * 255)
            #expect(parseError("x" + String(repeating: " + x", count: 255)) == nil)

            let subscripts = "x" + String(repeating: "[0]", count: 20_000)
            #expect(parseError(subscripts)?.message == "expression nested too deeply (the limit is 256 levels)")
            let products = "x" + String(repeating: " * x", count: 1000)
            #expect(parseError(products)?.message == "expression nested too deeply (the limit is 256 levels)")
        }

        @Test func wideButShallowInputsAreFine() throws {
            let elements = Array(repeating: "1", count: 50_000).joined(separator: ", ")
            guard case .list(let items, _) = try parseExpression("[" + elements + "]") else {
                Issue.record("expected a list")
                return
            }
            #expect(items.count == 50_000)

            let statements = (0..<5_000).map { "a\($0) = x" }.joined(separator: "; ") + "; a0"
            #expect(try Program(parsing: statements).statements.count == 5_000)
        }
    }

    // MARK: - Printing

    @Suite("Printer")
    struct Printer {
        @Test(arguments: [
            ("(a - b) - c", "a - b - c"),
            ("a - (b - c)", "a - (b - c)"),
            ("a + (b + c)", "a + (b + c)"),
            ("(a + b) * c", "(a + b) * c"),
            ("a * (b * c)", "a * (b * c)"),
            ("a / (b * c)", "a / (b * c)"),
            ("(a * b) / c", "a * b / c"),
            ("a @ (b @ c)", "a @ (b @ c)"),
            ("-(x ** 2)", "-x ** 2"),
            ("(-x) ** 2", "(-x) ** 2"),
            ("a ** (b ** c)", "a ** b ** c"),
            ("(a ** b) ** c", "(a ** b) ** c"),
            ("2 ** (-x)", "2 ** -x"),
            ("x ** (-2)", "x ** -2"),
            ("-(a + b)", "-(a + b)"),
            ("-(a * b)", "-(a * b)"),
            ("(-a) * b", "-a * b"),
            ("-(-x)", "--x"),
            ("+x", "x"),
            ("(x)", "x"),
            ("(x @ w)[0]", "(x @ w)[0]"),
            ("(-x)[0]", "(-x)[0]"),
            ("(x ** 2)[0]", "(x ** 2)[0]"),
            ("(x[0]) ** 2", "x[0] ** 2"),
            ("(2)[0]", "2[0]"),
            ("f(x)[0][1:2, ::3]", "f(x)[0][1:2, ::3]"),
            ("x[::]", "x[:]"),
            ("x[ : , 1 : , : 2, [0,1], ]", "x[:, 1:, :2, [0, 1]]"),
            ("sum( x,axis = 1 ,)", "sum(x, axis=1)"),
            ("sum(x * y, axis=1, keepdims=True)", "sum(x * y, axis=1, keepdims=true)"),
            ("[(a + b), -c, []]", "[a + b, -c, []]"),
            ("2.0 * x", "2 * x"),
            ("1e-3", "0.001"),
            ("1e-5", "1e-05"),
            ("1.5E+2", "150"),
            ("1e20", "1e+20"),
            (".5", "0.5"),
            ("0.1 + 0.2", "0.1 + 0.2"),
            ("a=x;b=a*2;b", "a = x; b = a * 2; b"),
            ("clip(x, None, t, max=-inf)", "clip(x, None, t, max=-inf)"),
            ("f(x, reduction=\"sum\", mode='a b')", "f(x, reduction='sum', mode='a b')"),
            ("f(x, k=\"it's\")", "f(x, k=\"it's\")"),
            ("sum(x, dim=1, keepdim=True)", "sum(x, dim=1, keepdim=true)"),
            ("x[...,None , 0]", "x[..., None, 0]"),
            ("x[None]", "x[None]"),
            ("x[[0, 1], [2, 0]]", "x[[0, 1], [2, 0]]"),
            ("a = square(x); square(a) + square(a);", "a = square(x); square(a) + square(a)"),
        ])
        func printsWithFewestParentheses(_ source: String, _ printed: String) throws {
            let program = try Program(parsing: source)
            #expect(program.description == printed)
            let reparsed = try Program(parsing: printed)
            #expect(stripped(reparsed) == stripped(program))
        }

        @Test func numbersWithoutLiterals() {
            #expect(Expression.number(.infinity, at: at(0)).description == "inf")
            #expect(Expression.number(-.infinity, at: at(0)).description == "-inf")
            #expect(Expression.number(.nan, at: at(0)).description == "nan")
            #expect(Expression.number(-2, at: at(0)).description == "-2")
            #expect(Expression.number(-0.0, at: at(0)).description == "-0")
            #expect(neg(num(-2, 0), 0).description == "--2")
            #expect(bin(.power, num(-2, 0), num(2, 0), 0).description == "(-2) ** 2")
            #expect(bin(.power, num(2, 0), num(-2, 0), 0).description == "2 ** -2")
            #expect(bin(.power, num(-.infinity, 0), num(2, 0), 0).description == "(-inf) ** 2")
        }

        @Test func componentsAndStatementsPrint() {
            #expect(SubscriptComponent.slice(start: nil, stop: nil, step: nil).description == ":")
            #expect(SubscriptComponent.slice(start: num(1, 0), stop: nil, step: num(2, 0)).description == "1::2")
            #expect(SubscriptComponent.index(list([], 0)).description == "[]")
            #expect(kw("axis", list([num(0, 0), num(1, 0)], 0), 0).description == "axis=[0, 1]")
            #expect(Statement(name: "a", value: neg(name("x", 0), 0), location: at(0)).description == "a = -x")
        }

        // MARK: Round trip on random trees

        @Test func randomTreesRoundTrip() throws {
            var generator = TreeGenerator(seed: 0x5EED)
            var failures = 0
            for _ in 0..<4_000 {
                let tree = generator.expression(depth: 6)
                let printed = tree.description
                do {
                    let reparsed = try parseExpression(printed)
                    if stripped(reparsed) != tree {
                        failures += 1
                        if failures <= 5 { Issue.record("\(printed) reparsed as a different tree: \(reparsed)") }
                    }
                    // Printing is a fixed point after one round.
                    if reparsed.description != printed {
                        failures += 1
                        if failures <= 5 { Issue.record("\(printed) reprinted as \(reparsed.description)") }
                    }
                } catch {
                    failures += 1
                    if failures <= 5 { Issue.record("\(printed) did not parse: \(error)") }
                }
            }
            #expect(failures == 0)
        }

        @Test func randomProgramsRoundTrip() throws {
            var generator = TreeGenerator(seed: 42)
            for _ in 0..<500 {
                let count = generator.int(0...3)
                let statements = (0..<count).map { index in
                    Statement(name: "t\(index)", value: generator.expression(depth: 4), location: at(0))
                }
                let program = Program(statements: statements, result: generator.expression(depth: 4), source: "")
                let reparsed = try Program(parsing: program.description)
                #expect(reparsed.statements.map(\.name) == statements.map(\.name))
                #expect(stripped(reparsed) == stripped(program))
            }
        }
    }

    // MARK: - Fuzzing

    @Suite("Fuzzing")
    struct Fuzzing {
        /// Parsing either succeeds or fails with a location inside the source, and
        /// whatever parses prints back to an equal tree.
        private static func check(_ source: String, failures: inout [String]) {
            do {
                let program = try Program(parsing: source)
                do {
                    let reparsed = try Program(parsing: program.description)
                    if stripped(reparsed) != stripped(program) {
                        failures.append("\(source.debugDescription): reprinted as a different program")
                    }
                } catch {
                    failures.append("\(source.debugDescription): printed \(program.description.debugDescription), which fails: \(error.message)")
                }
            } catch {
                if !(0...source.count).contains(error.location.offset) || error.message.isEmpty
                    || error.source != source || error.description.isEmpty
                {
                    failures.append("\(source.debugDescription): bad error \(error)")
                }
            }
        }

        private static func report(_ failures: [String]) {
            for failure in failures.prefix(10) { Issue.record(Comment(rawValue: failure)) }
            #expect(failures.isEmpty)
        }

        @Test func randomTokenSoup() {
            let pieces = [
                "x", "y", "w", "b", "a", "sum", "f", "axis", "keepdims", "true", "False", "0", "1", "2.5", ".5", "1e-3",
                "2E+2", "1e999", "e", "+", "-", "*", "**", "/", "@", "(", ")", "[", "]", ",", ":", ";", "=", " ", "  ",
                "\t", "\n", "\r\n", ".", "$", "é", "🙂", "\u{0}", "\u{301}", "_", "9x",
            ]
            var random = SplitMix64(seed: 7)
            var failures: [String] = []
            for _ in 0..<3_000 {
                let length = Int(random.next() % 30)
                var source = ""
                for _ in 0..<length { source += pieces[Int(random.next() % UInt64(pieces.count))] }
                Self.check(source, failures: &failures)
            }
            Self.report(failures)
        }

        @Test func randomCharacters() {
            let alphabet = Array("xyab_019.eE+-*/@()[],:;= \t\nTtrueFals\r$#é🙂\u{0}\u{301}\u{A0}")
            var random = SplitMix64(seed: 99)
            var failures: [String] = []
            for _ in 0..<3_000 {
                let length = Int(random.next() % 40)
                let source = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
                Self.check(source, failures: &failures)
            }
            // Raw bytes, invalid UTF-8 included (decoded with replacement characters).
            for _ in 0..<1_000 {
                let length = Int(random.next() % 40)
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                Self.check(String(decoding: bytes, as: UTF8.self), failures: &failures)
            }
            // Random Unicode scalars.
            for _ in 0..<1_000 {
                let length = Int(random.next() % 20)
                var source = ""
                for _ in 0..<length {
                    if let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: random.next() % 0x11_0000)) {
                        source.unicodeScalars.append(scalar)
                    }
                }
                Self.check(source, failures: &failures)
            }
            Self.report(failures)
        }

        @Test func mutatedValidPrograms() {
            let seeds = [
                "sigmoid(tanh(x))", "x ** 4 - 2 * x ** 2", "a = square(x); square(a) + square(a)",
                "sum(x * y, axis=1, keepdims=true)", "x @ w + b", "x[:, 0:2]", "mean(x, axis=[0, 1])",
                "-x ** 2 + (-x) ** 2", "x[[0, 2], ::-1] / 2.5e-3", "f(a, b=[1, [2, 3]],)",
            ]
            var random = SplitMix64(seed: 2024)
            var failures: [String] = []
            for _ in 0..<4_000 {
                var characters = Array(seeds[Int(random.next() % UInt64(seeds.count))])
                for _ in 0...Int(random.next() % 3) {
                    guard !characters.isEmpty else { break }
                    let i = Int(random.next() % UInt64(characters.count))
                    let j = Int(random.next() % UInt64(characters.count))
                    switch random.next() % 3 {
                    case 0: characters.remove(at: i)
                    case 1: characters.insert(characters[i], at: j)
                    default: characters.swapAt(i, j)
                    }
                }
                Self.check(String(characters), failures: &failures)
            }
            Self.report(failures)
        }
    }

    // MARK: - Random generation

    /// A small, seeded pseudo-random generator (SplitMix64), so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        private var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Generates random trees (with all locations 0) that the printer can express:
    /// numbers are finite and non-negative, names are valid and not `true`/`false`.
    struct TreeGenerator {
        private var random: SplitMix64
        init(seed: UInt64) { random = SplitMix64(seed: seed) }

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
        private mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

        private static let zero = Parity.SourceLocation(offset: 0)
        private static let names = ["x", "y", "w", "b", "_h", "a1", "truex", "False_", "inf_", "nan2", "Nonex", "T"]
        private static let functions = ["sum", "exp", "tanh", "reshape", "f", "g_2"]
        private static let keywords = ["axis", "keepdims", "shape", "dim", "k"]

        mutating func number() -> Double {
            switch int(0...5) {
            case 0: return Double(int(0...10))
            case 1: return Double(int(0...1_000_000)) / 64
            case 2: return Double.random(in: 0..<1, using: &random)
            case 3: return Double.random(in: 0..<1e300, using: &random)
            case 4:
                let value = Double(bitPattern: random.next() >> 1)  // sign bit clear: non-negative
                return value.isFinite ? value : 1
            default: return [0, 1e-7, .leastNonzeroMagnitude, 1e16, 1e22, .greatestFiniteMagnitude, 0.1][int(0...6)]
            }
        }

        mutating func leaf() -> Expression {
            switch int(0...3) {
            case 0, 1: return .name(Self.names[int(0..<Self.names.count)], at: Self.zero)
            case 2:
                let value = number()
                return .number(value.isFinite ? value : 1, at: Self.zero)
            default: return .boolean(chance(50), at: Self.zero)
            }
        }

        mutating func expression(depth: Int) -> Expression {
            if depth <= 0 || chance(20) { return leaf() }
            let d = depth - 1
            switch int(0...9) {
            case 0, 1, 2:
                let op = BinaryOperator.allCases[int(0..<BinaryOperator.allCases.count)]
                return .binary(op, expression(depth: d), expression(depth: d), at: Self.zero)
            case 3:
                return .negate(expression(depth: d), at: Self.zero)
            case 4:
                return .list((0..<int(0...3)).map { _ in expression(depth: d) }, at: Self.zero)
            case 5, 6:
                let arguments = (0..<int(0...2)).map { _ in expression(depth: d) }
                let keywordNames = Self.keywords.shuffled(using: &random).prefix(int(0...2))
                let keywords = keywordNames.map { KeywordArgument(name: $0, value: expression(depth: d), location: Self.zero) }
                return .call(
                    Self.functions[int(0..<Self.functions.count)], arguments: arguments, keywords: keywords, at: Self.zero)
            case 7, 8:
                let components = (0..<int(1...3)).map { _ -> SubscriptComponent in
                    if chance(40) { return .index(expression(depth: d)) }
                    return .slice(
                        start: chance(50) ? expression(depth: d) : nil,
                        stop: chance(50) ? expression(depth: d) : nil,
                        step: chance(40) ? expression(depth: d) : nil)
                }
                return .subscript(expression(depth: d), components, at: Self.zero)
            default:
                return leaf()
            }
        }
    }
}
