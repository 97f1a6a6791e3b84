import Autograd
import Parity

extension AutogradOps {
    // MARK: - Arithmetic

    static let arithmetic: [OpName: Implementation] = [
        .add: binary(add, +, +),
        .sub: binary(sub, -, -),
        .mul: binary(mul, *, *),
        .div: binary(div, /, /),
        .pow: binary(pow, { a, b in pow(a, b) }, { a, b in pow(a, b) }),
        .neg: single { args, _ throws(AutogradError) in
            neg(try args[0].variable())
        },
        .square: unary(square),
    ]
}
