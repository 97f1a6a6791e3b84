/// Evaluates a parsed expression on any ``ParityBackend``: names are looked up among
/// the inputs and earlier statements, operators and calls go through ``OpTable``.
/// Both sides of a parity check run this same code, so they compute the same graph.
public struct Evaluator<Backend: ParityBackend> {
    public let backend: Backend
    /// The dtype of constants written in the expression.
    public let dtype: ScalarType

    public init(backend: Backend, dtype: ScalarType) {
        self.backend = backend
        self.dtype = dtype
    }

    /// What an expression evaluates to before it reaches an op.
    private enum Evaluated {
        case value(Backend.Value)
        /// The results of an op that returns several (`split`); index them.
        case values([Backend.Value])
        case number(Double)
        /// A list literal of numbers.
        case literal(HostTensor)
        /// A list literal with tensors in it: `[a, b]`.
        case list([Evaluated])
        case bool(Bool)
        /// `None`: an absent option or operand, or a new axis in a subscript.
        case none
        case string(String)
    }

    /// Runs `program` with `inputs` bound to their names and returns the last
    /// expression's value. Errors carry the column of the offending part of `expr`.
    public func evaluate(_ program: Program, inputs: [(name: String, value: Backend.Value)]) throws(ParityError) -> Backend.Value {
        var scope: [String: Evaluated] = [:]
        for (name, value) in inputs { scope[name] = .value(value) }
        let inputNames = Set(inputs.map(\.name))
        for statement in program.statements {
            if inputNames.contains(statement.name) {
                throw located("'\(statement.name)' is an input and cannot be assigned", statement.location)
            }
            if scope[statement.name] != nil {
                throw located("'\(statement.name)' is already assigned", statement.location)
            }
            scope[statement.name] = try evaluate(statement.value, scope)
        }
        return try tensor(try evaluate(program.result, scope), at: program.result.location)
    }

    private func evaluate(_ expression: Expression, _ scope: [String: Evaluated]) throws(ParityError) -> Evaluated {
        switch expression {
        case .number(let x, _):
            return .number(x)
        case .boolean(let b, _):
            return .bool(b)
        case .none:
            return .none
        case .string(let s, _):
            return .string(s)
        case .name(let name, let location):
            if let value = scope[name] { return value }
            if OpTable.operation(named: name) != nil {
                throw located("'\(name)' is an operation; call it as \(name)(...)", location)
            }
            let known = scope.keys.sorted().joined(separator: ", ")
            throw located("unknown name '\(name)' (defined here: \(known.isEmpty ? "nothing" : known))", location)
        case .list(let items, let location):
            var evaluated: [Evaluated] = []
            for item in items { evaluated.append(try evaluate(item, scope)) }
            if let numbers = try? numericLiteral(evaluated, at: location) { return .literal(numbers) }
            return .list(evaluated)
        case .negate(let operand, let location):
            if case .number(let x) = try evaluate(operand, scope) { return .number(-x) }
            return try call(OpTable.negation, [operand], [], scope, location)
        case .binary(let op, let lhs, let rhs, let location):
            return try call(OpTable.name(of: op), [lhs, rhs], [], scope, location)
        case .call(let name, let arguments, let keywords, let location):
            return try call(name, arguments, keywords, scope, location)
        case .subscript(let base, let components, let location):
            return try index(try evaluate(base, scope), components, scope, location)
        }
    }

    private func call(
        _ name: String, _ arguments: [Expression], _ keywords: [KeywordArgument],
        _ scope: [String: Evaluated], _ location: SourceLocation
    ) throws(ParityError) -> Evaluated {
        guard let operation = OpTable.operation(named: name) else {
            throw located("unknown operation '\(name)'\(suggestion(for: name))", location)
        }
        let count = operation.operands.count
        guard arguments.count <= count else {
            throw located("\(name) takes \(operandCountText(operation)), got \(arguments.count)", location)
        }
        // Each operand slot: its positional argument, or a keyword naming it (torch's name).
        var given: [Expression?] = arguments + Array(repeating: nil, count: count - arguments.count)
        var optionKeywords: [KeywordArgument] = []
        for keyword in keywords {
            guard let slot = operation.operandNames.firstIndex(of: keyword.name) else {
                optionKeywords.append(keyword)
                continue
            }
            if given[slot] != nil {
                throw located("\(name) got its operand '\(keyword.name)' both by position and by keyword", keyword.location)
            }
            given[slot] = keyword.value
        }
        var operands: [Operand<Backend.Value>] = []
        for (slot, kind) in operation.operands.enumerated() {
            guard let argument = given[slot] else {
                if operation.isOptionalOperand(slot) {
                    operands.append(.absent)
                    continue
                }
                if operation.operandNames.allSatisfy({ $0 == nil }) {
                    throw located("\(name) takes \(operandCountText(operation)), got \(arguments.count)", location)
                }
                throw located("\(name) needs its operand \(operandDescription(operation, slot))", location)
            }
            let value = try evaluate(argument, scope)
            switch (value, kind) {
            case (.none, _) where operation.isOptionalOperand(slot):
                operands.append(.absent)
            case (.none, _):
                throw located("\(name)'s operand \(operandDescription(operation, slot)) is required: it cannot be None",
                              argument.location)
            case (.number(let x), .tensorOrNumber):
                operands.append(.number(x))
            case (.list(let items), .tensorList):
                var values: [Backend.Value] = []
                for item in items { values.append(try tensor(item, at: argument.location)) }
                operands.append(.list(values))
            case (.values(let values), .tensorList):
                operands.append(.list(values))
            case (_, .tensorList):
                throw located("\(name) takes a list of tensors here: [a, b, ...]", argument.location)
            default:
                operands.append(.value(try tensor(value, at: argument.location)))
            }
        }
        // Python evaluates `2 * 3` without torch; here every op has a tensor operand.
        if operands.allSatisfy({ if case .number = $0 { true } else { false } }), case .number(let x) = operands[0] {
            operands[0] = .value(try constant(HostTensor(scalar: x), at: location))
        }
        let options = try self.options(optionKeywords, for: operation, scope, at: location)
        let results: [Backend.Value]
        do {
            results = try backend.apply(operation, operands, options)
        } catch {
            throw backendError(error, name, location)
        }
        if operation.returnsList { return .values(results) }
        guard results.count == 1 else { throw located("\(name) returned \(results.count) results, expected 1", location) }
        return .value(results[0])
    }

    /// "2 operand(s)", or "2 to 3 operands" for an op with optional ones.
    private func operandCountText(_ operation: Op) -> String {
        let count = operation.operands.count, required = operation.requiredOperandCount
        return required == count ? "\(count) operand(s)" : "\(required) to \(count) operands"
    }

    /// "2 ('target')": an operand's position, and its keyword if it has one.
    private func operandDescription(_ operation: Op, _ slot: Int) -> String {
        let keyword = operation.operandNames[slot].map { " ('\($0)')" } ?? ""
        return "\(slot + 1)\(keyword)"
    }

    private func index(
        _ base: Evaluated, _ components: [SubscriptComponent], _ scope: [String: Evaluated], _ location: SourceLocation
    ) throws(ParityError) -> Evaluated {
        var items: [SubscriptOperand<Backend.Value>] = []
        for component in components {
            switch component {
            case .index(let expression):
                switch try evaluate(expression, scope) {
                case .number(let x):
                    items.append(.item(.index(try integer(x, expression.location))))
                case .literal(let t) where t.shape.count == 1:
                    var list: [Int] = []
                    for x in t.data { list.append(try integer(x, expression.location)) }
                    items.append(.item(.indices(list)))
                case .literal(let t) where t.shape.count > 1:
                    // A nested list is an index array of its shape, as an int64 constant.
                    for x in t.data { _ = try integer(x, expression.location) }
                    items.append(.tensor(try constant(HostTensor(shape: t.shape, data: t.data, dtype: .int64),
                                                      at: expression.location)))
                case .value(let v):
                    // An index tensor (`x[t]`, t int64); the backend refuses other dtypes, as torch does.
                    items.append(.tensor(v))
                case .none:
                    items.append(.item(.newAxis))
                default:
                    throw located("an index must be an integer, a list of integers, an int64 tensor or None", expression.location)
                }
            case let .slice(start, stop, step):
                func bound(_ e: Expression?) throws(ParityError) -> Int? {
                    guard let e else { return nil }
                    guard case .number(let x) = try evaluate(e, scope) else {
                        throw located("a slice bound must be an integer", e.location)
                    }
                    return try integer(x, e.location)
                }
                items.append(.item(.slice(start: try bound(start), stop: try bound(stop), step: try bound(step))))
            case .ellipsis:
                items.append(.item(.ellipsis))
            }
        }
        // The results of a multi-result op are picked by one integer: `s[1]`.
        if case .values(let values) = base {
            guard items.count == 1, case .item(.index(let i)) = items[0] else {
                throw located("pick one result of a list with a single integer: s[0]", location)
            }
            guard i >= -values.count && i < values.count else {
                throw located("index \(i) is out of range for \(values.count) results", location)
            }
            return .value(values[i < 0 ? i + values.count : i])
        }
        let value = try tensor(base, at: location)
        do {
            return .value(try backend.index(value, items))
        } catch {
            throw backendError(error, "indexing", location)
        }
    }

    /// The options of a call, by their names in the catalogue. A keyword may be an
    /// option's name or its torch name (`axis` or `dim`), not both; `None` leaves it out.
    private func options(
        _ keywords: [KeywordArgument], for operation: Op, _ scope: [String: Evaluated], at location: SourceLocation
    ) throws(ParityError) -> OptionValues {
        var values: [String: OptionValue] = [:]
        var spelledAs: [String: String] = [:]
        for keyword in keywords {
            guard let option = operation.options.first(where: { $0.name == keyword.name })
                    ?? operation.options.first(where: { $0.torchName == keyword.name }) else {
                throw located("\(operation.name) has no option '\(keyword.name)'\(knownKeywords(operation))", keyword.location)
            }
            if let earlier = spelledAs[option.name] {
                let both = earlier == keyword.name ? "twice" : "twice, as '\(earlier)' and as '\(keyword.name)'"
                throw located("\(operation.name) got the option '\(option.name)' \(both)", keyword.location)
            }
            spelledAs[option.name] = keyword.name
            let value = try evaluate(keyword.value, scope)
            let at = keyword.value.location
            switch (option.kind, value) {
            case (_, .none):
                continue  // None: the option is absent, as in Python.
            case (.bool, .bool(let b)):
                values[option.name] = .bool(b)
            case (.bool, _):
                throw located("option '\(option.name)' must be true or false", at)
            case (.number, .number(let x)):
                values[option.name] = .number(x)
            case (.number, _):
                throw located("option '\(option.name)' must be a number", at)
            case (.int, .number(let x)):
                values[option.name] = .int(try integer(x, at))
            case (.int, _):
                throw located("option '\(option.name)' must be an integer", at)
            case (.axes, .number(let x)), (.ints, .number(let x)):
                let n = try integer(x, at)
                values[option.name] = option.kind == .ints ? .ints([n]) : .int(n)
            case (.axes, .literal(let t)) where t.shape.count == 1, (.ints, .literal(let t)) where t.shape.count == 1:
                var list: [Int] = []
                for x in t.data { list.append(try integer(x, at)) }
                values[option.name] = .ints(list)
            case (.axes, _), (.ints, _):
                throw located("option '\(option.name)' must be an integer or a list of integers", at)
            case (.choice, .string(let s)):
                // Passed on as written: a backend refuses an unknown choice, as torch does.
                values[option.name] = .string(s)
            case (.choice(let choices), _):
                throw located("option '\(option.name)' must be a string: "
                              + choices.map { "'\($0)'" }.joined(separator: ", "), at)
            }
        }
        for required in operation.requiredOptions.sorted() where values[required] == nil {
            throw located("\(operation.name) needs the option '\(required)'", location)
        }
        return OptionValues(values)
    }

    /// " (options: axis or dim, keepdims or keepdim)", for an unknown keyword.
    private func knownKeywords(_ operation: Op) -> String {
        let options = operation.options.map { $0.torchName == $0.name ? $0.name : "\($0.name) or \($0.torchName)" }
        let operands = operation.operandNames.compactMap { $0 }
        var parts: [String] = []
        if !operands.isEmpty { parts.append("operands: " + operands.joined(separator: ", ")) }
        if !options.isEmpty { parts.append("options: " + options.joined(separator: ", ")) }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))"
    }

    private func integer(_ x: Double, _ location: SourceLocation) throws(ParityError) -> Int {
        guard x.rounded() == x, abs(x) < 1e12 else { throw located("\(x) is not an integer", location) }
        return Int(x)
    }

    private func tensor(_ value: Evaluated, at location: SourceLocation) throws(ParityError) -> Backend.Value {
        switch value {
        case .value(let v): return v
        case .number(let x): return try constant(HostTensor(scalar: x), at: location)
        case .literal(let t): return try constant(t, at: location)
        case .values(let vs): throw located("this is a list of \(vs.count) results; pick one with [i]", location)
        case .list: throw located("a list of tensors is not a tensor (only lists of numbers are)", location)
        case .bool: throw located("a boolean cannot be used as a tensor", location)
        case .none: throw located("None cannot be used as a tensor", location)
        case .string: throw located("a string cannot be used as a tensor", location)
        }
    }

    private func constant(_ t: HostTensor, at location: SourceLocation) throws(ParityError) -> Backend.Value {
        do {
            return try backend.constant(t, dtype: dtype)
        } catch {
            throw located("cannot make a constant: \(error)", location)
        }
    }

    /// A list of numbers (nested, rectangular) as a tensor; throws if anything else is in it.
    private func numericLiteral(_ items: [Evaluated], at location: SourceLocation) throws(ParityError) -> HostTensor {
        if items.isEmpty { return HostTensor(shape: [0], data: []) }
        var parts: [HostTensor] = []
        for item in items {
            switch item {
            case .number(let x): parts.append(HostTensor(scalar: x))
            case .literal(let t): parts.append(t)
            default: throw located("not a list of numbers", location)
            }
        }
        guard parts.allSatisfy({ $0.shape == parts[0].shape }) else {
            throw located("ragged list: the items have different shapes", location)
        }
        return HostTensor(shape: [parts.count] + parts[0].shape, data: parts.flatMap(\.data))
    }

    /// An op's failure, located at the op: a refusal by the backend.
    private func backendError(_ error: any Error, _ name: String, _ location: SourceLocation) -> ParityError {
        if let error = error as? ParityError, error.isUnsupported {
            var unsupported = located(error.message, location)
            unsupported.isUnsupported = true
            return unsupported
        }
        var located = if let error = error as? ParityError {
            located(error.message, location)
        } else if let message = backend.message(for: error) {
            located(message, location)
        } else {
            located("\(name): \(error)", location)
        }
        located.isRefusal = true
        return located
    }

    private func located(_ message: String, _ location: SourceLocation) -> ParityError {
        ParityError(message, column: location.column)
    }

    private func suggestion(for name: String) -> String {
        let names = OpTable.all.map(\.name)
        guard let best = names.min(by: { editDistance($0, name) < editDistance($1, name) }),
              editDistance(best, name) <= max(2, name.count / 3) else {
            return " (known: \(names.joined(separator: ", ")))"
        }
        return "; did you mean '\(best)'?"
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}
