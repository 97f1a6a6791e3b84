import Autograd

/// Evaluates a parsed expression on any ``ParityBackend``: names are looked up among
/// the inputs and earlier statements, operators and calls go through ``OpTable``.
/// Both sides of a parity check run this same code, so they compute the same graph.
public struct Evaluator<Backend: ParityBackend> {
    public let backend: Backend
    /// The dtype of constants written in the expression.
    public let dtype: DType

    public init(backend: Backend, dtype: DType) {
        self.backend = backend
        self.dtype = dtype
    }

    /// What an expression evaluates to before it reaches an op.
    private enum Evaluated {
        case value(Backend.Value)
        case number(Double)
        case list(HostTensor)
        case bool(Bool)
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
        case .name(let name, let location):
            if let value = scope[name] { return value }
            if OpTable.operation(named: name) != nil {
                throw located("'\(name)' is an operation; call it as \(name)(...)", location)
            }
            let known = scope.keys.sorted().joined(separator: ", ")
            throw located("unknown name '\(name)' (defined here: \(known.isEmpty ? "nothing" : known))", location)
        case .list(_, let location):
            return .list(try literal(expression, at: location))
        case .negate(let operand, let location):
            if case .number(let x) = try evaluate(operand, scope) { return .number(-x) }
            return try call(OpTable.negation, [operand], [], scope, location)
        case .binary(let op, let lhs, let rhs, let location):
            return try call(OpTable.name(of: op), [lhs, rhs], [], scope, location)
        case .call(let name, let arguments, let keywords, let location):
            return try call(name, arguments, keywords, scope, location)
        case .subscript(_, _, let location):
            throw located("indexing is not supported yet", location)
        }
    }

    private func call(
        _ name: String, _ arguments: [Expression], _ keywords: [KeywordArgument],
        _ scope: [String: Evaluated], _ location: SourceLocation
    ) throws(ParityError) -> Evaluated {
        guard let operation = OpTable.operation(named: name) else {
            throw located("unknown operation '\(name)'\(suggestion(for: name))", location)
        }
        guard arguments.count == operation.operands.count else {
            throw located("\(name) takes \(operation.operands.count) operand(s), got \(arguments.count)", location)
        }
        var operands: [Operand<Backend.Value>] = []
        for (argument, kind) in zip(arguments, operation.operands) {
            let value = try evaluate(argument, scope)
            switch (value, kind) {
            case (.number(let x), .tensorOrNumber):
                operands.append(.number(x))
            default:
                operands.append(.value(try tensor(value, at: argument.location)))
            }
        }
        // Python evaluates `2 * 3` without torch; here every op has a tensor operand.
        if operands.allSatisfy({ if case .number = $0 { true } else { false } }), case .number(let x) = operands[0] {
            operands[0] = .value(try constant(HostTensor(scalar: x), at: location))
        }
        let options = try self.options(keywords, for: operation, scope)
        do {
            return .value(try backend.apply(operation, operands, options))
        } catch let error as AutogradError {
            throw located(error.description, location)
        } catch let error as ParityError {
            throw located(error.message, location)
        } catch {
            throw located("\(name): \(error)", location)
        }
    }

    private func options(
        _ keywords: [KeywordArgument], for operation: Operation, _ scope: [String: Evaluated]
    ) throws(ParityError) -> OptionValues {
        var values: [String: OptionValue] = [:]
        for keyword in keywords {
            guard let option = operation.options.first(where: { $0.name == keyword.name }) else {
                let known = operation.options.map(\.name)
                throw located("\(operation.name) has no option '\(keyword.name)'"
                              + (known.isEmpty ? "" : " (options: \(known.joined(separator: ", ")))"), keyword.location)
            }
            let value = try evaluate(keyword.value, scope)
            switch (option.kind, value) {
            case (.bool, .bool(let b)):
                values[option.name] = .bool(b)
            case (.axes, .number(let x)) where x.rounded() == x && abs(x) < 1e9:
                values[option.name] = .int(Int(x))
            case (.axes, .list(let t)) where t.shape.count == 1 && t.data.allSatisfy { $0.rounded() == $0 && abs($0) < 1e9 }:
                values[option.name] = .ints(t.data.map { Int($0) })
            case (.bool, _):
                throw located("option '\(option.name)' must be true or false", keyword.value.location)
            case (.axes, _):
                throw located("option '\(option.name)' must be an integer or a list of integers", keyword.value.location)
            }
        }
        return OptionValues(values)
    }

    private func tensor(_ value: Evaluated, at location: SourceLocation) throws(ParityError) -> Backend.Value {
        switch value {
        case .value(let v): return v
        case .number(let x): return try constant(HostTensor(scalar: x), at: location)
        case .list(let t): return try constant(t, at: location)
        case .bool: throw located("a boolean cannot be used as a tensor", location)
        }
    }

    private func constant(_ t: HostTensor, at location: SourceLocation) throws(ParityError) -> Backend.Value {
        do {
            return try backend.constant(t, dtype: dtype)
        } catch {
            throw located("cannot make a constant: \(error)", location)
        }
    }

    /// A list of numbers (nested, rectangular) as a tensor.
    private func literal(_ expression: Expression, at location: SourceLocation) throws(ParityError) -> HostTensor {
        switch expression {
        case .number(let x, _):
            return HostTensor(scalar: x)
        case .negate(.number(let x, _), _):
            return HostTensor(scalar: -x)
        case .list(let items, _):
            if items.isEmpty { return HostTensor(shape: [0], data: []) }
            var parts: [HostTensor] = []
            for item in items { parts.append(try literal(item, at: item.location)) }
            guard parts.allSatisfy({ $0.shape == parts[0].shape }) else {
                throw located("ragged list: the items have different shapes", location)
            }
            return HostTensor(shape: [parts.count] + parts[0].shape, data: parts.flatMap(\.data))
        default:
            throw located("a list may hold numbers and lists only", location)
        }
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
