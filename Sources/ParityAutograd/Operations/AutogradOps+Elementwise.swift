import Autograd
import Parity

extension AutogradOps {
    // MARK: - Elementwise

    static let elementwise: [OpName: Implementation] = [
        .exp: unary(exp),
        .log: unary(log),
        .sqrt: unary(sqrt),
        .sin: unary(sin),
        .cos: unary(cos),
        .tanh: unary(tanh),
        .sigmoid: unary(sigmoid),
        .relu: unary(relu),
        .abs: unary(abs),
        // Numbers or tensors, as torch.clamp takes them (not one of each: torch refuses that).
        .clip: single { args, _ throws(AutogradError) in
            let x = try args[0].variable()
            switch (args[1], args[2]) {
            case (.value, .number), (.number, .value):
                throw .invalidArgument(op: "clip", reason: "the bounds must be both numbers or both tensors")
            case (.value, _), (_, .value):
                return try clip(x, min: try args[1].optionalVariable(), max: try args[2].optionalVariable())
            default:
                return try clip(x, min: args[1].number, max: args[2].number)
            }
        },
        .maximum: twoTensors(maximum),
        .minimum: twoTensors(minimum),
        .`where`: single { args, _ throws(AutogradError) in
            try select(try args[0].variable(), try args[1].variable(), try args[2].variable())
        },
        .log1p: unary(log1p),
        .expm1: unary(expm1),
        .tan: unary(tan),
        .softplus: single { args, options throws(AutogradError) in
            softplus(try args[0].variable(), beta: options.number("beta") ?? 1, threshold: options.number("threshold") ?? 20)
        },
        .leakyRelu: single { args, options throws(AutogradError) in
            leakyReLU(try args[0].variable(), slope: options.number("slope") ?? 0.01)
        },
        .elu: single { args, options throws(AutogradError) in
            elu(try args[0].variable(), alpha: options.number("alpha") ?? 1)
        },
        .gelu: unary(gelu),
        .geluTanh: unary(geluTanh),
        .silu: unary(silu),
        .dropout: single { args, options throws(AutogradError) in
            try dropout(try args[0].variable(), mask: try args[1].variable().data, p: options.number("p") ?? 0.5)
        },
        .dropoutEval: single { args, options throws(AutogradError) in
            var generator = SystemRandomNumberGenerator()
            return try dropout(try args[0].variable(), p: options.number("p") ?? 0.5, training: false, using: &generator)
        },
        .greater: twoTensors(greater),
        .less: twoTensors(less),
        .greaterEqual: twoTensors(greaterEqual),
        .lessEqual: twoTensors(lessEqual),
        .equal: twoTensors(equal),
        .notEqual: twoTensors(notEqual),
        .reciprocal: unary(reciprocal),
        .rsqrt: unary(rsqrt),
        .sign: unary(sign),
        .erf: unary(erf),
        .erfc: unary(erfc),
        .log2: unary(log2),
        .log10: unary(log10),
        .exp2: unary(exp2),
        .sinh: unary(sinh),
        .cosh: unary(cosh),
        .asin: unary(asin),
        .acos: unary(acos),
        .atan: unary(atan),
        .atan2: twoTensors(atan2),
        .asinh: unary(asinh),
        .acosh: unary(acosh),
        .atanh: unary(atanh),
        // The activations that act on each element.
        .hardtanh: single { args, options throws(AutogradError) in
            try hardtanh(try args[0].variable(), min: options.number("min") ?? -1, max: options.number("max") ?? 1)
        },
        .relu6: unary(relu6),
        .selu: unary(selu),
        .celu: single { args, options throws(AutogradError) in
            try celu(try args[0].variable(), alpha: options.number("alpha") ?? 1)
        },
        .mish: unary(mish),
        .softsign: unary(softsign),
        .logsigmoid: unary(logSigmoid),
        .hardsigmoid: unary(hardsigmoid),
        .hardswish: unary(hardswish),
    ]
}
