import Autograd
import Parity

extension AutogradOps {
    // MARK: - Arithmetic

    static let arithmetic: [OpName: Implementation] = [
        .add: scaled(binary(add, +, +)),
        .sub: scaled(binary(sub, -, -)),
        .mul: binary(mul, *, *),
        .div: binary(div, /, /),
        .pow: binary(pow, { a, b in pow(a, b) }, { a, b in pow(a, b) }),
        .neg: single { args, _ throws(AutogradError) in
            neg(try args[0].variable())
        },
        .square: unary(square),
    ]

    /// `add` or `sub` with torch's `alpha=`: the second operand scaled by alpha first.
    static func scaled(_ operation: @escaping Implementation) -> Implementation {
        { (args, options) throws(AutogradError) in
            guard let alpha = options.number("alpha") else { return try operation(args, options) }
            let other: Operand<Variable> = switch args[1] {
            case .number(let x): .number(alpha * x)
            default: .value(try args[1].variable() * alpha)
            }
            return try operation([args[0], other], options)
        }
    }
}
