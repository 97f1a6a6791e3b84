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
                         correction: try correction(options))
        },
        .std: single {
            args, options throws(AutogradError) in
            try std(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false),
                    correction: try correction(options))
        },
        .prod: single { args, options throws(AutogradError) in
            let x = try args[0].variable()
            let keepdims = options.bool("keepdims", default: false)
            guard let axis = options.int("axis") else {
                // torch.prod has no keepdim without a dim, and refuses one.
                if options.values["keepdims"] != nil {
                    throw .invalidArgument(op: "prod", reason: "keepdims needs an axis (torch.prod takes keepdim only with dim)")
                }
                return prod(x)
            }
            return try prod(x, axis: axis, keepdims: keepdims)
        },
        .norm: single { args, options throws(AutogradError) in
            try norm(try args[0].variable(), p: options.number("p") ?? 2, axes: options.axes("axis"),
                     keepdims: options.bool("keepdims", default: false))
        },
        .cumsum: single { args, options throws(AutogradError) in
            try cumsum(try args[0].variable(), axis: options.int("axis") ?? 0)
        },
    ]

    /// `var`'s and `std`'s correction: `correction=`, or torch's `unbiased=` (false: 0), 1 by default.
    static func correction(_ options: OptionValues) throws(AutogradError) -> Double {
        let unbiased = options.values["unbiased"].map { _ in options.bool("unbiased", default: true) }
        switch (options.number("correction"), unbiased) {
        case (.some, .some):
            throw .invalidArgument(op: "var", reason: "cannot specify both correction and unbiased")
        case (.some(let c), nil): return c
        case (nil, .some(let u)):
            // torch's overloads take `unbiased` with a dim (`var(x, dim, unbiased, keepdim)`) or
            // alone (`var(x, unbiased)`): not with keepdim but no dim.
            if options.values["keepdims"] != nil && options.values["axis"] == nil {
                throw .invalidArgument(op: "var", reason: "unbiased with keepdim needs a dim (torch has no such overload)")
            }
            return u ? 1 : 0
        case (nil, nil): return 1
        }
    }
}
