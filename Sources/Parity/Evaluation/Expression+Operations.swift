extension Expression {
    /// The op-table names this expression uses (operators included: `x * 2` uses `mul`),
    /// each once, in pre-order (an operation before its operands). Subscripts count as `getitem`.
    public var operationNames: [String] {
        var names: [String] = []
        var stack: [Expression] = [self]
        while let e = stack.popLast() {
            switch e {
            case .number, .boolean, .none, .string, .name:
                break
            case .list(let items, _):
                stack += items.reversed()
            case .negate(.number, _):
                break  // a negative number, folded by the evaluator
            case .negate(let operand, _):
                names.append(OpTable.negation)
                stack.append(operand)
            case let .binary(op, lhs, rhs, _):
                names.append(OpTable.name(of: op))
                stack += [rhs, lhs]
            case let .call(name, arguments, keywords, _):
                names.append(name)
                stack += keywords.map(\.value).reversed() + arguments.reversed()
            case let .subscript(base, components, _):
                names.append("getitem")
                for component in components {
                    switch component {
                    case .index(let e): stack.append(e)
                    case let .slice(a, b, c): stack += [a, b, c].compactMap { $0 }
                    case .ellipsis: break
                    }
                }
                stack.append(base)
            }
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension Program {
    /// The op-table names the whole program uses.
    public var operationNames: [String] {
        var seen = Set<String>()
        return (statements.map(\.value) + [result]).flatMap(\.operationNames).filter { seen.insert($0).inserted }
    }
}
