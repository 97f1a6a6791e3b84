import Autograd

/// The op table: every operation the parity harness knows, with its Swift
/// implementation and its torch counterpart. Add an op here and both sides, the README
/// and the tests see it.
public enum OpTable {
    /// The operation an infix operator stands for.
    public static func name(of op: BinaryOperator) -> String {
        switch op {
        case .add: "add"
        case .subtract: "sub"
        case .multiply: "mul"
        case .divide: "div"
        case .power: "pow"
        case .matmul: "matmul"
        }
    }

    /// The operation unary minus stands for.
    public static let negation = "neg"

    /// Looks an operation up by name.
    public static func operation(named name: String) -> Operation? {
        byName[name]
    }

    /// All operations, in the order they are documented.
    public static let all: [Operation] = arithmetic + elementwise + reductions

    private static let byName: [String: Operation] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // MARK: - Arithmetic

    static let arithmetic: [Operation] = [
        binary("add", torch: "operator.add", summary: "a + b, broadcasting", add, +, +),
        binary("sub", torch: "operator.sub", summary: "a − b, broadcasting", sub, -, -),
        binary("mul", torch: "operator.mul", summary: "a · b, broadcasting", mul, *, *),
        binary("div", torch: "operator.truediv", summary: "a / b, broadcasting", div, /, /),
        binary("pow", torch: "operator.pow", summary: "a ** b (number or tensor exponent), broadcasting",
               pow, { a, b in pow(a, b) }, { a, b in pow(a, b) }),
        Operation("neg", operands: [.tensor], torch: "operator.neg", summary: "−x") { args, _ throws(AutogradError) in
            neg(try variable(args[0]))
        },
        unary("square", torch: "torch.square", summary: "x²", square),
    ]

    // MARK: - Elementwise

    static let elementwise: [Operation] = [
        unary("exp", torch: "torch.exp", summary: "eˣ", exp),
        unary("log", torch: "torch.log", summary: "ln x", log),
        unary("sqrt", torch: "torch.sqrt", summary: "√x", sqrt),
        unary("sin", torch: "torch.sin", summary: "sin x", sin),
        unary("cos", torch: "torch.cos", summary: "cos x", cos),
        unary("tanh", torch: "torch.tanh", summary: "tanh x", tanh),
        unary("sigmoid", torch: "torch.sigmoid", summary: "1 / (1 + e⁻ˣ)", sigmoid),
        unary("relu", torch: "torch.relu", summary: "max(x, 0)", relu),
    ]

    // MARK: - Reductions

    static let reductionOptions: [Operation.Option] = [
        .init("axis", .axes, torch: "dim"),
        .init("keepdims", .bool, torch: "keepdim"),
    ]

    static let reductions: [Operation] = [
        Operation("sum", operands: [.tensor], options: reductionOptions, torch: "torch.sum",
                  summary: "Σ x over `axis` (all if absent), `keepdims`") { args, options throws(AutogradError) in
            try sum(try variable(args[0]), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        Operation("mean", operands: [.tensor], options: reductionOptions, torch: "torch.mean",
                  summary: "mean of x over `axis` (all if absent), `keepdims`") { args, options throws(AutogradError) in
            try mean(try variable(args[0]), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
    ]

    // MARK: - Builders

    private static func unary(
        _ name: String, torch: String, summary: String, _ f: @escaping @Sendable (Variable) -> Variable
    ) -> Operation {
        Operation(name, operands: [.tensor], torch: torch, summary: summary) { args, _ throws(AutogradError) in
            f(try variable(args[0]))
        }
    }

    /// A binary op that accepts a number on either side, like Python's operators.
    private static func binary(
        _ name: String, torch: String, summary: String,
        _ tensors: @escaping @Sendable (Variable, Variable) throws(AutogradError) -> Variable,
        _ numberRight: @escaping @Sendable (Variable, Double) -> Variable,
        _ numberLeft: @escaping @Sendable (Double, Variable) -> Variable
    ) -> Operation {
        Operation(name, operands: [.tensorOrNumber, .tensorOrNumber], torch: torch, summary: summary) { args, _ throws(AutogradError) in
            switch (args[0], args[1]) {
            case let (.value(a), .value(b)): try tensors(a, b)
            case let (.value(a), .number(b)): numberRight(a, b)
            case let (.number(a), .value(b)): numberLeft(a, b)
            // The evaluator makes one side a tensor; this is for completeness.
            case let (.number(a), .number(b)): numberRight(Variable.constant(Tensor(a)), b)
            }
        }
    }

    private static func variable(_ argument: Operand<Variable>) throws(AutogradError) -> Variable {
        switch argument {
        case .value(let v): v
        case .number(let x): Variable.constant(Tensor(x))
        }
    }
}
