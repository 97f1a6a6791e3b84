/// The op catalogue: every operation the expression language knows, with its operands,
/// options and torch counterpart. Add an op here and torch, the coverage matrix, the
/// fuzzer and the typed names (``OpName``) see it; each backend then supplies an
/// implementation, or reports the op's cases as unsupported.
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
        scaledBinary("add", torch: "torch_ops.add", summary: "a + alpha·b, broadcasting (alpha = 1; torch.add)"),
        scaledBinary("sub", torch: "torch_ops.sub", summary: "a − alpha·b, broadcasting (alpha = 1; torch.sub)"),
        binary("mul", torch: "operator.mul", summary: "a · b, broadcasting"),
        binary("div", torch: "operator.truediv", summary: "a / b, broadcasting")
            .with(domains: [.any, .nonzero]),
        binary("pow", torch: "operator.pow", summary: "a ** b (number or tensor exponent), broadcasting")
            .with(domains: [.positive, .any]),
        Op("neg", operands: [.tensor], torch: "operator.neg", summary: "−x"),
        unary("square", torch: "torch.square", summary: "x²"),
    ]

    // MARK: - Builders

    /// An op of one tensor operand and no options.
    static func unary(_ name: String, torch: String, summary: String) -> Op {
        Op(name, operands: [.tensor], torch: torch, summary: summary)
    }

    /// `add` and `sub`: Python's operator, or torch.add/torch.sub with `alpha=` scaling `b`.
    static func scaledBinary(_ name: String, torch: String, summary: String) -> Op {
        Op(name, operands: [.tensorOrNumber, .tensorOrNumber], options: [.init("alpha", .number)], torch: torch,
           summary: summary).naming(operands: ["input", "other"])
    }

    /// A binary op that accepts a number on either side, like Python's operators.
    static func binary(_ name: String, torch: String, summary: String) -> Op {
        Op(name, operands: [.tensorOrNumber, .tensorOrNumber], torch: torch, summary: summary)
    }
}
