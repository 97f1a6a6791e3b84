// The abstract syntax tree (AST) of the expression language.
//
// A parity test case is a tiny program such as
//
//     a = square(x); square(a) + square(a)
//
// The lexer (`Lexer.swift`) cuts the source into tokens, the parser
// (`Parser.swift`) arranges the tokens into the tree defined here, and the
// printer (`Printer.swift`) turns a tree back into source text.
//
// Every node remembers where it came from (a `SourceLocation`), so later
// stages (say, an evaluator that meets an unknown function name) can point at
// the offending column just like the parser does.

/// A position in the source text of a program.
///
/// Offsets count `Character`s (extended grapheme clusters) of the source
/// `String`, starting at 0. A location equal to the length of the source
/// means "at the end of the input".
public struct SourceLocation: Sendable, Equatable, Hashable {
    /// The 0-based offset, in `Character`s, from the start of the source.
    public let offset: Int

    /// The 1-based column, as shown to people in error messages.
    public var column: Int { offset + 1 }

    /// Creates a location at the given 0-based `Character` offset.
    public init(offset: Int) {
        self.offset = offset
    }
}

/// An infix operator.
///
/// The raw value is the operator's spelling in source code.
///
/// Precedence follows Python, from loosest to tightest:
/// `+ -` , then `* / @`, then unary minus, then `**`.
public enum BinaryOperator: String, Sendable, CaseIterable {
    /// `a + b`
    case add = "+"
    /// `a - b`
    case subtract = "-"
    /// `a * b` (elementwise)
    case multiply = "*"
    /// `a / b` (elementwise)
    case divide = "/"
    /// `a ** b`, right-associative: `a ** b ** c` is `a ** (b ** c)`.
    case power = "**"
    /// `a @ b`, matrix multiplication.
    case matmul = "@"
}

/// An expression: one node of the syntax tree, together with its children.
///
/// Every case carries the ``SourceLocation`` of the token that identifies it
/// (see each case). The synthesized `==` compares locations too, so two trees
/// parsed from differently spaced sources are *not* equal.
///
/// There is no node for unary plus (`+x` parses to `x` itself) and none for
/// parentheses (`(x)` parses to `x` itself): both leave the tree unchanged.
public indirect enum Expression: Sendable, Equatable {
    /// A number literal such as `2`, `2.5`, `.5` or `1e-3`. Literals are never
    /// negative: `-2` is `.negate(.number(2))`.
    case number(Double, at: SourceLocation)
    /// `true` or `false` (`True` and `False` are accepted too).
    case boolean(Bool, at: SourceLocation)
    /// Python's `None`: an option or optional operand given `None` is absent, and in a
    /// subscript `None` inserts a new axis of size 1.
    case none(at: SourceLocation)
    /// A string literal, `'sum'` or `"sum"` (no escapes), for options that choose among
    /// strings (`reduction='sum'`).
    case string(String, at: SourceLocation)
    /// A variable or an input: `x`, `w_1`.
    case name(String, at: SourceLocation)
    /// A list `[e1, e2, ...]`, located at its `[`.
    case list([Expression], at: SourceLocation)
    /// Unary minus `-e`, located at its `-`.
    case negate(Expression, at: SourceLocation)
    /// `left op right`, located at the operator.
    case binary(BinaryOperator, Expression, Expression, at: SourceLocation)
    /// A function call `name(positional..., keyword=value...)`, located at the name.
    case call(String, arguments: [Expression], keywords: [KeywordArgument], at: SourceLocation)
    /// `base[c1, c2, ...]`, located at its `[`.
    case `subscript`(Expression, [SubscriptComponent], at: SourceLocation)

    /// Where this node starts or, for operators, where its operator is.
    public var location: SourceLocation {
        switch self {
        case .number(_, let at), .boolean(_, let at), .none(let at), .string(_, let at), .name(_, let at),
            .list(_, let at), .negate(_, let at), .binary(_, _, _, let at),
            .call(_, _, _, let at), .subscript(_, _, let at):
            return at
        }
    }
}

/// A keyword argument `name=value` of a call, such as `axis=1` in
/// `sum(x, axis=1)`.
public struct KeywordArgument: Sendable, Equatable {
    /// The keyword, e.g. `axis`.
    public let name: String
    /// The argument's value.
    public let value: Expression
    /// The location of the keyword's name.
    public let location: SourceLocation

    /// Creates a keyword argument.
    public init(name: String, value: Expression, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// One comma-separated part of a subscript: in `x[:, 0:2, 1]` the parts are
/// `:`, `0:2` and `1`; in `x[..., None]` they are `...` and `None` (an index whose
/// expression is `None`: a new axis).
public enum SubscriptComponent: Sendable, Equatable {
    /// A single index (possibly a list, for index arrays: `x[[0, 2]]`).
    case index(Expression)
    /// A slice `start:stop:step`; any part may be left out
    /// (`:`, `1:`, `:2`, `::2`). `x[::]` and `x[:]` parse to the same slice.
    case slice(start: Expression?, stop: Expression?, step: Expression?)
    /// `...`: as many whole axes (`:`) as the other components leave over; at most one.
    case ellipsis
}

/// An assignment statement `name = value`.
public struct Statement: Sendable, Equatable {
    /// The variable being assigned.
    public let name: String
    /// The assigned expression.
    public let value: Expression
    /// The location of the assigned name (the start of the statement).
    public let location: SourceLocation

    /// Creates an assignment statement.
    public init(name: String, value: Expression, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// A whole program: zero or more assignments followed by the expression whose
/// value is the program's output.
///
/// ```
/// program := statement (';' statement)* [';']
/// ```
///
/// Every statement but the last must be an assignment `name = expr`; the last
/// must be a bare expression:
///
/// ```swift
/// let program = try Program(parsing: "a = square(x); square(a) + square(a)")
/// program.statements.map(\.name)   // ["a"]
/// print(program.result)            // square(a) + square(a)
/// ```
public struct Program: Sendable, Equatable {
    /// The assignments, in source order.
    public let statements: [Statement]
    /// The final expression: the program's output.
    public let result: Expression
    /// The source text the program was parsed from.
    public let source: String

    /// The deepest nesting the parser accepts.
    ///
    /// Two things are limited to this many levels: how deeply brackets,
    /// calls, unary minus signs and `**` operands nest in the source (so the
    /// recursive-descent parser cannot overflow the stack), and the height of
    /// the resulting tree (so the printer, `==` and any recursive evaluator
    /// cannot either; a chain like `x + x + ... + x` is a tree of that height).
    public static let maximumDepth = 256

    /// Parses a program.
    ///
    /// - Throws: ``ExpressionSyntaxError`` describing the first problem, in
    ///   source order. Parsing never traps and never hangs, whatever the input.
    public init(parsing source: String) throws(ExpressionSyntaxError) {
        let parser = ExpressionParser(source: source)
        self = try parser.parseProgram()
    }

    init(statements: [Statement], result: Expression, source: String) {
        self.statements = statements
        self.result = result
        self.source = source
    }
}

/// A syntax error: what went wrong and where.
///
/// ```swift
/// do {
///     _ = try Program(parsing: "sum(x, axis=1")
/// } catch {
///     print(error)
///     // column 14: expected ')' to close '(' at column 4, found end of input
///     //   sum(x, axis=1
///     //                ^
/// }
/// ```
public struct ExpressionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A one-line explanation, e.g. `unexpected character '$'`.
    public let message: String
    /// Where the problem is; `location.offset == source.count` means "at the end".
    public let location: SourceLocation
    /// The whole source text, kept so the error can show it.
    public let source: String

    /// Creates a syntax error.
    public init(message: String, location: SourceLocation, source: String) {
        self.message = message
        self.location = location
        self.source = source
    }

    /// The message with its column, then the source line with a caret under
    /// the column:
    ///
    /// ```
    /// column 12: <message>
    ///   <source>
    ///   <spaces>^
    /// ```
    ///
    /// For a source with several lines only the line holding the error is
    /// shown, and the header says which line: `column 40 (line 3): ...`.
    /// The column always counts from the start of the whole source, like
    /// ``SourceLocation/column``.
    public var description: String {
        let characters = Array(source)
        let offset = min(max(location.offset, 0), characters.count)

        // Find the line that holds the offset.
        var lineStart = offset
        while lineStart > 0, !characters[lineStart - 1].isNewline {
            lineStart -= 1
        }
        var lineEnd = offset
        while lineEnd < characters.count, !characters[lineEnd].isNewline {
            lineEnd += 1
        }
        let lineNumber = characters[..<lineStart].count(where: \.isNewline) + 1
        let isMultiline = characters.contains(where: \.isNewline)

        // Keep tabs in the padding so the caret lines up under tabbed text.
        let padding = characters[lineStart..<offset].map { $0 == "\t" ? "\t" : " " }.joined()
        let header = isMultiline
            ? "column \(location.column) (line \(lineNumber)): \(message)"
            : "column \(location.column): \(message)"
        return header + "\n  " + String(characters[lineStart..<lineEnd]) + "\n  " + padding + "^"
    }
}
