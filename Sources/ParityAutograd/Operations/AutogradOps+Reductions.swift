import Autograd
import Parity

extension AutogradOps {
    // MARK: - Reductions

    static let reductions: [OpName: Implementation] = [
        .sum: single { args, options throws(AutogradError) in
            try sum(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        .mean: single { args, options throws(AutogradError) in
            try mean(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        .max: single {
            args, options throws(AutogradError) in
            try max(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        .min: single {
            args, options throws(AutogradError) in
            try min(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        .logsumexp: single {
            args, options throws(AutogradError) in
            try logsumexp(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        .argmax: single {
            args, options throws(AutogradError) in
            Variable(try args[0].variable().data.argmax(axis: options.int("axis"), keepdims: options.bool("keepdims", default: false)))
        },
        .argmin: single {
            args, options throws(AutogradError) in
            Variable(try args[0].variable().data.argmin(axis: options.int("axis"), keepdims: options.bool("keepdims", default: false)))
        },
        .`var`: single {
            args, options throws(AutogradError) in
            try variance(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false),
                         correction: options.number("correction") ?? 1)
        },
        .std: single {
            args, options throws(AutogradError) in
            try std(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false),
                    correction: options.number("correction") ?? 1)
        },
    ]
}
