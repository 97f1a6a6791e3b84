import Parity

/// A value of ``ScalarDifferentiationBackend``: a register of its tape.
public struct ScalarNode: Hashable, Sendable {
    /// The instruction that computes the value.
    public let register: Int
}

/// A second backend for the parity harness, whose gradients the Swift compiler derives:
/// it runs cases whose inputs are all 0-d and whose ops all have a scalar form
/// (``supportedOperations``: arithmetic, the elementwise functions, and reductions and
/// reshapings that leave a 0-d value as it is), in float64 or float32, to any order the
/// fixtures use (1 to 3).
///
/// It fits ``ParityBackend`` as a tracer: ``input(_:dtype:)``, ``constant(_:dtype:)`` and
/// ``apply(_:_:_:)`` record a scalar program (``ScalarInstruction``s on a tape) instead of
/// computing, and a value is a register of it. ``gradients(of:withRespectTo:upstream:createGraph:)``
/// is where `_Differentiation` comes in: the program is executed by one
/// `@differentiable(reverse)` interpreter (``ScalarProgram/run(_:_:through:)``), and
/// `valueWithPullback(at:of:)` gives its gradient. With `createGraph`, the compiler's
/// pullback runs on ``TracedScalar`` and records itself onto the tape, so the gradients
/// are registers that can be differentiated again (see ``TracedScalar`` for what that
/// borrows from the standard library's derivative rules).
///
/// Use one backend per case: its tape grows with every value it makes.
/// ``unsupportedReason(_:)`` says, without running it, whether a case qualifies.
public struct ScalarDifferentiationBackend: ParityBackend {
    public typealias Value = ScalarNode

    /// Holds the tape, made on the first input or constant, with that dtype.
    private final class Session {
        var tape: ScalarTape?
    }

    private let session = Session()

    public init() {}

    /// The instructions recorded so far (for tests and diagnostics).
    public var instructions: [ScalarInstruction] { session.tape?.instructions ?? [] }

    /// The tape, made with `dtype` if there is none; a case has one dtype.
    private func tape(_ dtype: ScalarType) throws(ParityError) -> ScalarTape {
        if let tape = session.tape {
            guard tape.dtype == dtype else {
                throw ParityError("the scalar backend runs a case in one dtype: \(tape.dtype), not also \(dtype)")
            }
            return tape
        }
        let tape = ScalarTape(dtype: dtype)
        session.tape = tape
        return tape
    }

    /// The tape values were made on.
    private func existingTape() throws(ParityError) -> ScalarTape {
        guard let tape = session.tape else { throw ParityError("the scalar backend has no values yet") }
        return tape
    }

    /// The 0-d value of `tensor`, or an error naming what it is.
    private func scalar(_ tensor: HostTensor, _ what: String) throws(ParityError) -> Double {
        guard tensor.shape.isEmpty, tensor.data.count == 1 else {
            throw ParityError("the scalar backend takes 0-d values only; this \(what) has shape \(tensor.shape)")
        }
        return tensor.data[0]
    }

    private func check(_ node: ScalarNode, on tape: ScalarTape) throws(ParityError) -> Int {
        guard node.register >= 0, node.register < tape.instructions.count else {
            throw ParityError("register \(node.register) is not a value of this scalar backend")
        }
        return node.register
    }

    // MARK: ParityBackend

    public func input(_ tensor: HostTensor, dtype: ScalarType) throws -> ScalarNode {
        let x = try scalar(tensor, "input")
        return ScalarNode(register: try tape(dtype).leaf(x))
    }

    public func constant(_ tensor: HostTensor, dtype: ScalarType) throws -> ScalarNode {
        let x = try scalar(tensor, "constant")
        return ScalarNode(register: try tape(dtype).constant(x))
    }

    public func apply(_ operation: Op, _ operands: [Operand<ScalarNode>], _ options: OptionValues) throws -> [ScalarNode] {
        let tape = try existingTape()
        var registers: [Int] = []
        for operand in operands {
            switch operand {
            case .value(let node): registers.append(try check(node, on: tape))
            case .number(let x): registers.append(tape.constant(x))
            case .list: throw ParityError("\(operation.name): the scalar backend has no tensor lists")
            case .absent: throw ParityError.unsupported("\(operation.name): the scalar backend has no optional operands")
            }
        }
        guard let shape = Self.scalarOperations[operation.name] else {
            throw ParityError("\(operation.name) has no scalar form in the scalar backend")
        }
        guard registers.count == shape.arity else {
            throw ParityError("\(operation.name) takes \(shape.arity) operand(s), got \(registers.count)")
        }
        if let problem = Self.unsupportedOptions(operation.name, options) {
            throw ParityError(problem)
        }
        let register: Int
        switch shape {
        case .identity:
            register = registers[0]
        case .unary(let make):
            register = tape.record(make(registers[0]))
        case .binary(let make):
            register = tape.record(make(registers[0], registers[1]))
        case .moment(let squareRoot):
            // One element: Σ (x − x̄)² / max(0, 1 − correction), with x̄ = x.
            let x = registers[0], deviation = tape.record(.subtract(x, x))
            let divisor = tape.constant(Swift.max(0, 1 - (options.number("correction") ?? 1)))
            let variance = tape.record(.divide(tape.record(.multiply(deviation, deviation)), divisor))
            register = squareRoot ? tape.record(.sqrt(variance)) : variance
        }
        return [ScalarNode(register: register)]
    }

    public func index(_ value: ScalarNode, _ items: [SubscriptItem]) throws -> ScalarNode {
        throw ParityError("the scalar backend does not index (a 0-d value has no axes)")
    }

    public func gradients(
        of output: ScalarNode, withRespectTo inputs: [ScalarNode], upstream: ScalarNode, createGraph: Bool
    ) throws -> [ScalarNode] {
        let tape = try existingTape()
        let output = try check(output, on: tape), seed = try check(upstream, on: tape)
        var leafNumbers: [Int] = []
        for input in inputs {
            guard let k = tape.leaves.firstIndex(of: try check(input, on: tape)) else {
                throw ParityError("the scalar backend differentiates with respect to inputs only")
            }
            leafNumbers.append(k)
        }
        let gradients = tape.gradients(of: output, seed: seed, createGraph: createGraph)
        return leafNumbers.map { ScalarNode(register: gradients[$0]) }
    }

    public func sumOfSums(_ values: [ScalarNode]) throws -> ScalarNode {
        let tape = try existingTape()
        guard let first = values.first else { throw ParityError("no values to sum") }
        var total = try check(first, on: tape)
        for value in values.dropFirst() {
            total = tape.record(.add(total, try check(value, on: tape)))
        }
        return ScalarNode(register: total)
    }

    public func read(_ value: ScalarNode) throws -> HostTensor {
        let tape = try existingTape()
        return HostTensor(scalar: tape.value(of: try check(value, on: tape)))
    }
}

// MARK: - Which ops and cases

extension ScalarDifferentiationBackend {
    /// How an op of the op table becomes scalar instructions.
    enum ScalarShape: Sendable {
        /// A reduction or reshaping of a 0-d value that leaves it as it is: `sum`, `mean`,
        /// `max`, `min`, `logsumexp` (log eˣ = x), `transpose`, `squeeze`, `sum_to` to `[]`.
        case identity
        case unary(@Sendable (Int) -> ScalarInstruction)
        case binary(@Sendable (Int, Int) -> ScalarInstruction)
        /// `var` (and `std`, its square root) of one element: `(x − x)² / max(0, 1 − correction)`,
        /// written out so that the compiler derives its gradient too (NaN for the default
        /// correction 1, as in torch).
        case moment(squareRoot: Bool)

        var arity: Int {
            switch self {
            case .identity, .unary, .moment: 1
            case .binary: 2
            }
        }
    }

    /// The ops of ``OpTable`` with a scalar form, by name.
    static let scalarOperations: [String: ScalarShape] = [
        "add": .binary(ScalarInstruction.add), "sub": .binary(ScalarInstruction.subtract),
        "mul": .binary(ScalarInstruction.multiply), "div": .binary(ScalarInstruction.divide),
        "pow": .binary(ScalarInstruction.power),
        "neg": .unary(ScalarInstruction.negate), "square": .unary(ScalarInstruction.square),
        "exp": .unary(ScalarInstruction.exp), "log": .unary(ScalarInstruction.log),
        "sqrt": .unary(ScalarInstruction.sqrt), "sin": .unary(ScalarInstruction.sin),
        "cos": .unary(ScalarInstruction.cos), "tanh": .unary(ScalarInstruction.tanh),
        "sigmoid": .unary(ScalarInstruction.sigmoid), "relu": .unary(ScalarInstruction.relu),
        "sum": .identity, "mean": .identity, "max": .identity, "min": .identity, "logsumexp": .identity,
        "transpose": .identity, "squeeze": .identity, "sum_to": .identity,
        "var": .moment(squareRoot: false), "std": .moment(squareRoot: true),
    ]

    /// The names of the ops the backend runs, sorted.
    public static var supportedOperations: [String] { scalarOperations.keys.sorted() }

    /// Why `options` leave the scalar form, or `nil`. On a 0-d value, torch accepts the
    /// axes 0 and −1 (one at a time) or none; `transpose` permutes no axes, `sum_to`
    /// keeps shape `[]`; `keepdims` and `correction` are free. The evaluator has already
    /// checked that each option belongs to the op.
    static func unsupportedOptions(_ name: String, _ options: OptionValues) -> String? {
        for (key, value) in options.values.sorted(by: { $0.key < $1.key }) {
            let scalar = switch (key, value) {
            case ("keepdims", .bool), ("correction", .number), ("correction", .int): true
            case ("axis", .int(let a)): a == 0 || a == -1
            case ("axis", .ints(let axes)): axes == [] || axes == [0] || axes == [-1]
            case ("axes", .ints(let axes)), ("shape", .ints(let axes)): axes.isEmpty
            default: false
            }
            if !scalar { return "\(name)(\(key)=...) has no scalar form in the scalar backend" }
        }
        return nil
    }

    /// Why `fixture` is outside what this backend runs, or `nil` if it qualifies: every
    /// input 0-d, not a case torch refuses, and an expression of numbers, names,
    /// operators other than `@`, and calls of ``supportedOperations`` with options that
    /// keep a value 0-d (no subscripts, no lists but as options).
    public static func unsupportedReason(_ fixture: FixtureCase) -> String? {
        if fixture.refusal != nil { return "torch refuses the case" }
        if let input = fixture.inputs.first(where: { $0.value.isInt64 }) { return "input '\(input.name)' is int64" }
        if fixture.output.isInt64 { return "the output is int64" }
        if let input = fixture.inputs.first(where: { !$0.value.shape.isEmpty }) {
            return "input '\(input.name)' has shape \(input.value.shape)"
        }
        let program: Program
        do {
            program = try Program(parsing: fixture.expr)
        } catch {
            return "the expression does not parse"
        }
        var stack = program.statements.map(\.value) + [program.result]
        while let expression = stack.popLast() {
            switch expression {
            case .number, .name:
                break
            case .boolean:
                return "a boolean outside an option"
            case .none, .string:
                return "None or a string outside an option"
            case .list:
                return "a list literal"
            case .subscript:
                return "a subscript"
            case .negate(let operand, _):
                stack.append(operand)
            case let .binary(op, lhs, rhs, _):
                let name = OpTable.name(of: op)
                guard scalarOperations[name] != nil else { return "'\(op.rawValue)' has no scalar form" }
                stack += [lhs, rhs]
            case let .call(name, arguments, keywords, _):
                guard let shape = scalarOperations[name], let operation = OpTable.operation(named: name) else {
                    return "\(name) has no scalar form"
                }
                guard arguments.count == shape.arity else { return "\(name) with \(arguments.count) operand(s)" }
                var options: [String: OptionValue] = [:]
                for keyword in keywords {
                    guard let option = operation.options.first(where: { $0.name == keyword.name }),
                          let value = optionValue(keyword.value, option.kind) else {
                        return "\(name)(\(keyword.name)=...) has no scalar form"
                    }
                    options[keyword.name] = value
                }
                if let missing = operation.requiredOptions.sorted().first(where: { options[$0] == nil }) {
                    return "\(name) without '\(missing)'"
                }
                if let problem = unsupportedOptions(name, OptionValues(options)) { return problem }
                stack += arguments
            }
        }
        return nil
    }

    /// A keyword's value as the evaluator would make it, for literal values (numbers,
    /// negated numbers, booleans, lists of integers); `nil` for anything else.
    private static func optionValue(_ expression: Expression, _ kind: Op.Option.Kind) -> OptionValue? {
        func number(_ e: Expression) -> Double? {
            switch e {
            case .number(let x, _): x
            case .negate(.number(let x, _), _): -x
            default: nil
            }
        }
        func integer(_ e: Expression) -> Int? {
            guard let x = number(e), x.rounded() == x, abs(x) < 1e12 else { return nil }
            return Int(x)
        }
        func integers(_ items: [Expression]) -> [Int]? {
            let list = items.compactMap(integer)
            return list.count == items.count ? list : nil
        }
        switch (kind, expression) {
        case (.bool, .boolean(let b, _)): return .bool(b)
        case (.number, _): return number(expression).map { .number($0) }
        case (.int, _): return integer(expression).map { .int($0) }
        case (.axes, .list(let items, _)), (.ints, .list(let items, _)): return integers(items).map { .ints($0) }
        case (.axes, _): return integer(expression).map { .int($0) }
        case (.ints, _): return integer(expression).map { .ints([$0]) }
        default: return nil
        }
    }
}
