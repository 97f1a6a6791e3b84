import Autograd

/// The op table: every operation the parity harness knows, with its Swift
/// implementation and its torch counterpart. Add an op here and both sides, the coverage matrix
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
    public static func operation(named name: String) -> Op? {
        byName[name]
    }

    /// All operations, in the order they are documented.
    public static let all: [Op] = arithmetic + elementwise + reductions
        + activations + losses + shapes + linearAlgebra + convolution + normalization

    private static let byName: [String: Op] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // MARK: - Arithmetic

    static let arithmetic: [Op] = [
        binary("add", torch: "operator.add", summary: "a + b, broadcasting", add, +, +),
        binary("sub", torch: "operator.sub", summary: "a − b, broadcasting", sub, -, -),
        binary("mul", torch: "operator.mul", summary: "a · b, broadcasting", mul, *, *),
        binary("div", torch: "operator.truediv", summary: "a / b, broadcasting", div, /, /)
            .with(domains: [.any, .nonzero]),
        binary("pow", torch: "operator.pow", summary: "a ** b (number or tensor exponent), broadcasting",
               pow, { a, b in pow(a, b) }, { a, b in pow(a, b) })
            .with(domains: [.positive, .any]),
        Op("neg", operands: [.tensor], torch: "operator.neg", summary: "−x") { args, _ throws(AutogradError) in
            neg(try args[0].variable())
        },
        unary("square", torch: "torch.square", summary: "x²", square),
    ]

    // MARK: - Builders

    static func unary(
        _ name: String, torch: String, summary: String, _ f: @escaping @Sendable (Variable) -> Variable
    ) -> Op {
        Op(name, operands: [.tensor], torch: torch, summary: summary) { args, _ throws(AutogradError) in
            f(try args[0].variable())
        }
    }

    /// A binary op that accepts a number on either side, like Python's operators.
    static func binary(
        _ name: String, torch: String, summary: String,
        _ tensors: @escaping @Sendable (Variable, Variable) throws(AutogradError) -> Variable,
        _ numberRight: @escaping @Sendable (Variable, Double) -> Variable,
        _ numberLeft: @escaping @Sendable (Double, Variable) -> Variable
    ) -> Op {
        Op(name, operands: [.tensorOrNumber, .tensorOrNumber], torch: torch, summary: summary) { args, _ throws(AutogradError) in
            switch (args[0], args[1]) {
            case let (.value(a), .number(b)): numberRight(a, b)
            case let (.number(a), .value(b)): numberLeft(a, b)
            default: try tensors(try args[0].variable(), try args[1].variable())
            }
        }
    }
}
