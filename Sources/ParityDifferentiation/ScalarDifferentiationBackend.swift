import Autograd
import Parity

/// A value of ``ScalarDifferentiationBackend``: a register of its tape.
public struct ScalarNode: Hashable, Sendable {
    /// The instruction that computes the value.
    public let register: Int
}

/// A second backend for the parity harness, whose gradients the Swift compiler derives:
/// it runs cases whose inputs are all 0-d and whose ops all have a scalar form, in
/// float64 or float32, to any order the fixtures use (1 to 3).
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
    private func tape(_ dtype: DType) throws(ParityError) -> ScalarTape {
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

    public func input(_ tensor: HostTensor, dtype: DType) throws -> ScalarNode {
        let x = try scalar(tensor, "input")
        return ScalarNode(register: try tape(dtype).leaf(x))
    }

    public func constant(_ tensor: HostTensor, dtype: DType) throws -> ScalarNode {
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
        let register = switch shape {
        case .identity: registers[0]
        case .unary(let make): tape.record(make(registers[0]))
        case .binary(let make): tape.record(make(registers[0], registers[1]))
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
        /// `sum` and `mean` of a 0-d value are the value.
        case identity
        case unary(@Sendable (Int) -> ScalarInstruction)
        case binary(@Sendable (Int, Int) -> ScalarInstruction)

        var arity: Int {
            switch self {
            case .identity, .unary: 1
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
        "sum": .identity, "mean": .identity,
    ]

    /// The names of the ops the backend runs, sorted.
    public static var supportedOperations: [String] { scalarOperations.keys.sorted() }

    /// Why `options` are outside the scalar form of `name`, or `nil`: `sum` and `mean`
    /// take `keepdims` and an empty `axis` list (all axes), nothing else does.
    static func unsupportedOptions(_ name: String, _ options: OptionValues) -> String? {
        for (key, value) in options.values.sorted(by: { $0.key < $1.key }) {
            switch (name, key, value) {
            case ("sum", "keepdims", .bool), ("mean", "keepdims", .bool),
                 ("sum", "axis", .ints([])), ("mean", "axis", .ints([])):
                continue
            default:
                return "\(name)(\(key)=...) has no scalar form in the scalar backend"
            }
        }
        return nil
    }

    /// Why `fixture` is outside what this backend runs, or `nil` if it qualifies: every
    /// input 0-d, not a case torch refuses, and an expression of numbers, names,
    /// operators other than `@`, and calls of ``supportedOperations`` (no subscripts, no
    /// lists but `axis=[]`).
    public static func unsupportedReason(_ fixture: FixtureCase) -> String? {
        if fixture.refusal != nil { return "torch refuses the case" }
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
                return "a boolean outside keepdims"
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
                guard let shape = scalarOperations[name] else { return "\(name) has no scalar form" }
                guard arguments.count == shape.arity else { return "\(name) with \(arguments.count) operand(s)" }
                for keyword in keywords {
                    switch (shape, keyword.name, keyword.value) {
                    case (.identity, "keepdims", .boolean), (.identity, "axis", .list([], _)):
                        continue
                    default:
                        return "\(name)(\(keyword.name)=...) has no scalar form"
                    }
                }
                stack += arguments
            }
        }
        return nil
    }
}
