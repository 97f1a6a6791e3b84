// The printer: from a tree back to source text.
//
// The tree has no parentheses in it; they are implied by its shape. To print
// it, every node gets a *precedence* (how tightly its operator binds), and a
// child is wrapped in parentheses exactly when it binds more loosely than the
// place it sits in requires. That gives the fewest parentheses that keep the
// tree the same:
//
//     a - (b - c)   keeps its parentheses: the right operand of '-' must bind
//                   tighter than '-', and  b - c  does not
//     (a - b) - c   prints as  a - b - c
//     -(x ** 2)     prints as  -x ** 2   ('**' binds tighter than unary '-')
//     (-x) ** 2     keeps them: the left operand of '**' must be postfix

extension Expression: CustomStringConvertible {
    /// Source text that parses back to this tree (apart from locations), with
    /// as few parentheses as possible.
    ///
    /// Numbers use Swift's shortest round-trip spelling, without a trailing
    /// `.0` for integral values (`2.0` prints `2`, `0.001` prints `0.001`,
    /// `1e20` prints `1e+20`). Three kinds of number have no literal in the
    /// language, so they do not round-trip exactly:
    ///
    /// - negative numbers print with a minus sign (`-2`) and parse back as
    ///   `.negate(.number(2))`; the parser itself never produces them;
    /// - infinities print as `inf` (or `-inf`), which parses back as the
    ///   number (or its negation);
    /// - NaN prints as `nan`, which parses back as NaN (never `==` to itself).
    ///
    /// Names are printed as they are, so a hand-built `.name("a b")` will not
    /// parse back either.
    public var description: String {
        rendered()
    }
}

extension SubscriptComponent: CustomStringConvertible {
    /// `i`, or `start:stop:step` with absent parts left empty (`:`, `1:`, `::2`).
    public var description: String {
        switch self {
        case .index(let index):
            return index.rendered()
        case .slice(let start, let stop, let step):
            var text = (start?.rendered() ?? "") + ":" + (stop?.rendered() ?? "")
            if let step { text += ":" + step.rendered() }
            return text
        case .ellipsis:
            return "..."
        }
    }
}

extension KeywordArgument: CustomStringConvertible {
    /// `name=value`, as in `axis=1`.
    public var description: String { "\(name)=\(value.rendered())" }
}

extension Statement: CustomStringConvertible {
    /// `name = value`.
    public var description: String { "\(name) = \(value.rendered())" }
}

extension Program: CustomStringConvertible {
    /// The statements and the result separated by `; `, e.g.
    /// `a = square(x); square(a) + square(a)`.
    public var description: String {
        (statements.map(\.description) + [result.rendered()]).joined(separator: "; ")
    }
}

// MARK: - Printing

extension Expression {
    /// How tightly a kind of expression binds, from loosest to tightest.
    fileprivate enum Precedence: Int, Comparable {
        case additive = 1  // a + b, a - b
        case multiplicative  // a * b, a / b, a @ b
        case unary  // -a
        case power  // a ** b
        case postfix  // a[i]
        case atom  // 2, x, f(x), [1, 2], true

        static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The source text of this expression, in parentheses if it binds more
    /// loosely than `required`.
    fileprivate func rendered(atLeast required: Precedence = .additive) -> String {
        let text: String
        switch self {
        case .number(let value, _):
            text = Self.format(value)
        case .boolean(let value, _):
            text = value ? "true" : "false"
        case .none:
            text = "None"
        case .string(let value, _):
            text = value.contains("'") ? "\"" + value + "\"" : "'" + value + "'"
        case .name(let name, _):
            text = name
        case .list(let elements, _):
            text = "[" + elements.map { $0.rendered() }.joined(separator: ", ") + "]"
        case .negate(let operand, _):
            text = "-" + operand.rendered(atLeast: .unary)
        case .binary(let op, let left, let right, _):
            let required = Self.operandPrecedences(op)
            text = left.rendered(atLeast: required.left) + " \(op.rawValue) " + right.rendered(atLeast: required.right)
        case .call(let name, let arguments, let keywords, _):
            let parts = arguments.map { $0.rendered() } + keywords.map(\.description)
            text = name + "(" + parts.joined(separator: ", ") + ")"
        case .subscript(let base, let components, _):
            text = base.rendered(atLeast: .postfix) + "[" + components.map(\.description).joined(separator: ", ") + "]"
        }
        return precedence < required ? "(" + text + ")" : text
    }

    /// How tightly this expression binds.
    fileprivate var precedence: Precedence {
        switch self {
        case .number(let value, _):
            // A negative number prints with a leading '-', so it binds like -x.
            return value.sign == .minus && !value.isNaN ? .unary : .atom
        case .boolean, .none, .string, .name, .list, .call:
            return .atom
        case .negate:
            return .unary
        case .binary(let op, _, _, _):
            switch op {
            case .add, .subtract: return .additive
            case .multiply, .divide, .matmul: return .multiplicative
            case .power: return .power
            }
        case .subscript:
            return .postfix
        }
    }

    /// What the left and right operands of `op` must bind at least as tightly as.
    ///
    /// For the left-associative operators the right operand must bind strictly
    /// tighter, so `a - (b - c)` keeps its parentheses while `(a - b) - c` loses
    /// them. For the right-associative `**` it is the other way round, and its
    /// right operand may be a unary minus (`2 ** -x`) while its left may not.
    private static func operandPrecedences(_ op: BinaryOperator) -> (left: Precedence, right: Precedence) {
        switch op {
        case .add, .subtract: return (.additive, .multiplicative)
        case .multiply, .divide, .matmul: return (.multiplicative, .unary)
        case .power: return (.postfix, .unary)
        }
    }

    /// `2.0` → `2`, `0.5` → `0.5`, `1e-05` → `1e-05`, `-3.0` → `-3`,
    /// infinity → `inf`, NaN → `nan`.
    private static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        let sign = value.sign == .minus ? "-" : ""
        if value.isInfinite { return sign + "inf" }
        var digits = value.magnitude.description  // the shortest text that reads back exactly
        if digits.hasSuffix(".0") { digits.removeLast(2) }
        return sign + digits
    }
}
