// Structural edits of syntax trees, for the shrinker: a node's children, a node with
// new children, every tree with one node replaced, renaming and substituting names.

extension Expression {
    /// The direct children, in source order: operands, list items, keyword values,
    /// subscript bases and the expressions in subscript components.
    var children: [Expression] {
        switch self {
        case .number, .boolean, .none, .string, .name: []
        case .list(let items, _): items
        case .negate(let operand, _): [operand]
        case let .binary(_, lhs, rhs, _): [lhs, rhs]
        case let .call(_, arguments, keywords, _): arguments + keywords.map(\.value)
        case let .subscript(base, components, _): [base] + components.flatMap(\.expressions)
        }
    }

    /// The operands a value-level rewrite may put in this node's place: call arguments,
    /// operator operands, list items and a subscript's base (not keyword values or indices).
    var operands: [Expression] {
        switch self {
        case .number, .boolean, .none, .string, .name: []
        case .list(let items, _): items
        case .negate(let operand, _): [operand]
        case let .binary(_, lhs, rhs, _): [lhs, rhs]
        case let .call(_, arguments, _, _): arguments
        case let .subscript(base, _, _): [base]
        }
    }

    /// This node with its children (in the order of ``children``) replaced by `new`.
    func replacingChildren(_ new: [Expression]) -> Expression {
        var rest = new[...]
        func next() -> Expression { rest.popFirst() ?? .number(0, at: location) }
        switch self {
        case .number, .boolean, .none, .string, .name:
            return self
        case .list(let items, let at):
            return .list(items.map { _ in next() }, at: at)
        case .negate(_, let at):
            return .negate(next(), at: at)
        case let .binary(op, _, _, at):
            let lhs = next()
            return .binary(op, lhs, next(), at: at)
        case let .call(name, arguments, keywords, at):
            let newArguments = arguments.map { _ in next() }
            let newKeywords = keywords.map { KeywordArgument(name: $0.name, value: next(), location: $0.location) }
            return .call(name, arguments: newArguments, keywords: newKeywords, at: at)
        case let .subscript(_, components, at):
            let base = next()
            let newComponents = components.map { component -> SubscriptComponent in
                switch component {
                case .index: return .index(next())
                case let .slice(start, stop, step):
                    return .slice(start: start.map { _ in next() }, stop: stop.map { _ in next() }, step: step.map { _ in next() })
                case .ellipsis: return .ellipsis
                }
            }
            return .subscript(base, newComponents, at: at)
        }
    }

    /// Every tree that differs from this one in exactly one node, which `replacements`
    /// maps to what may stand in its place; the outermost nodes' variants come first.
    func rewrites(_ replacements: (Expression) -> [Expression]) -> [Expression] {
        var results = replacements(self)
        let children = self.children
        for (i, child) in children.enumerated() {
            for rewritten in child.rewrites(replacements) {
                var newChildren = children
                newChildren[i] = rewritten
                results.append(replacingChildren(newChildren))
            }
        }
        return results
    }

    /// This tree with every `.name(name)` replaced by `replacement`.
    func substituting(_ name: String, with replacement: Expression) -> Expression {
        if case .name(name, _) = self { return replacement }
        let children = self.children
        guard !children.isEmpty else { return self }
        return replacingChildren(children.map { $0.substituting(name, with: replacement) })
    }

    /// How many times `.name(name)` occurs.
    func uses(of name: String) -> Int {
        if case .name(name, _) = self { return 1 }
        return children.reduce(0) { $0 + $1.uses(of: name) }
    }

    /// The number of nodes, keyword arguments and subscript components included.
    var size: Int {
        var total = 1
        if case let .call(_, _, keywords, _) = self { total += keywords.count }
        if case let .subscript(_, components, _) = self { total += components.count }
        return total + children.reduce(0) { $0 + $1.size }
    }
}

extension SubscriptComponent {
    /// The expressions in this component, in source order.
    var expressions: [Expression] {
        switch self {
        case .index(let e): [e]
        case let .slice(start, stop, step): [start, stop, step].compactMap { $0 }
        case .ellipsis: []
        }
    }
}
