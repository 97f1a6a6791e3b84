import Autograd
import Parity

extension AutogradOps {
    // MARK: - Linear algebra

    static let linearAlgebra: [OpName: Implementation] = [
        .matmul: single {
            args, _ throws(AutogradError) in
            try matmul(try args[0].variable(), try args[1].variable())
        },
        .transpose: single { args, options throws(AutogradError) in
            let x = try args[0].variable()
            guard let axes = options.ints("axes") else { return transpose(x) }
            return try transpose(x, axes: axes)
        },
        .linear: single { args, _ throws(AutogradError) in
            try linear(try args[0].variable(), try args[1].variable(), try args[2].variable())
        },
        .linearNobias: single { args, _ throws(AutogradError) in
            try linear(try args[0].variable(), try args[1].variable())
        },
        .addmm: single { args, options throws(AutogradError) in
            try addmm(try args[0].variable(), try args[1].variable(), try args[2].variable(),
                      beta: options.number("beta") ?? 1, alpha: options.number("alpha") ?? 1)
        },
    ]
}
