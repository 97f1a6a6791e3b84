import Autograd
import Parity

extension AutogradOps {
    // MARK: - Convolution and pooling

    static let convolution: [OpName: Implementation] = [
        .conv2d: convolution2D(bias: true),
        .conv2dNobias: convolution2D(bias: false),
        .convTranspose2d: transposedConvolution2D(bias: true),
        .convTranspose2dNobias: transposedConvolution2D(bias: false),
        .maxPool2d: single { args, options throws(AutogradError) in
            let op = "max_pool2d"
            return try maxPool2d(
                try args[0].variable(), kernelSize: try pair(options, "kernel_size", op: op, default: 1),
                stride: try poolingStride(options, op: op), padding: try pair(options, "padding", op: op, default: 0),
                dilation: try pair(options, "dilation", op: op, default: 1),
                ceilMode: options.bool("ceil_mode", default: false))
        },
        .maxPool2dWithIndices: many { args, options throws(AutogradError) in
            let op = "max_pool2d"
            let (values, indices) = try maxPool2dWithIndices(
                try args[0].variable(), kernelSize: try pair(options, "kernel_size", op: op, default: 1),
                stride: try poolingStride(options, op: op), padding: try pair(options, "padding", op: op, default: 0),
                dilation: try pair(options, "dilation", op: op, default: 1),
                ceilMode: options.bool("ceil_mode", default: false))
            return [values, Variable.constant(indices)]
        },
        .avgPool2d: single { args, options throws(AutogradError) in
            let op = "avg_pool2d"
            return try avgPool2d(
                try args[0].variable(), kernelSize: try pair(options, "kernel_size", op: op, default: 1),
                stride: try poolingStride(options, op: op), padding: try pair(options, "padding", op: op, default: 0),
                ceilMode: options.bool("ceil_mode", default: false),
                countIncludePad: options.bool("count_include_pad", default: true),
                divisorOverride: options.int("divisor_override"))
        },
        .im2col: single {
            args, options throws(AutogradError) in
            let op = "im2col"
            return try im2col(
                try args[0].variable(), kernelSize: try pair(options, "kernel_size", op: op, default: 1),
                stride: try pair(options, "stride", op: op, default: 1), padding: try pair(options, "padding", op: op, default: 0),
                dilation: try pair(options, "dilation", op: op, default: 1))
        },
        .col2im: single {
            args, options throws(AutogradError) in
            let op = "col2im"
            return try col2im(
                try args[0].variable(), outputSize: try pair(options, "output_size", op: op, default: 1),
                kernelSize: try pair(options, "kernel_size", op: op, default: 1),
                stride: try pair(options, "stride", op: op, default: 1), padding: try pair(options, "padding", op: op, default: 0),
                dilation: try pair(options, "dilation", op: op, default: 1))
        },
    ]

    /// `conv2d(x, w, b, …)`, or without the bias.
    private static func convolution2D(bias: Bool) -> Implementation {
        let name = bias ? "conv2d" : "conv2d_nobias"
        return single { args, options throws(AutogradError) in
            try conv2d(
                try args[0].variable(), try args[1].variable(), bias ? try args[2].variable() : nil,
                stride: try pair(options, "stride", op: name, default: 1),
                padding: try pair(options, "padding", op: name, default: 0),
                dilation: try pair(options, "dilation", op: name, default: 1), groups: options.int("groups") ?? 1)
        }
    }

    /// `conv_transpose2d(x, w, b, …)`, or without the bias.
    private static func transposedConvolution2D(bias: Bool) -> Implementation {
        let name = bias ? "conv_transpose2d" : "conv_transpose2d_nobias"
        return single { args, options throws(AutogradError) in
            try convTranspose2d(
                try args[0].variable(), try args[1].variable(), bias ? try args[2].variable() : nil,
                stride: try pair(options, "stride", op: name, default: 1),
                padding: try pair(options, "padding", op: name, default: 0),
                outputPadding: try pair(options, "output_padding", op: name, default: 0),
                dilation: try pair(options, "dilation", op: name, default: 1), groups: options.int("groups") ?? 1)
        }
    }

    /// A size option (`stride=2`, `padding=[1, 0]`) as an `IntPair`.
    private static func pair(_ options: OptionValues, _ name: String, op: String, default value: Int) throws(AutogradError) -> IntPair {
        try optionalPair(options, name, op: op) ?? IntPair(value)
    }

    /// A pooling stride: absent or an empty list (`stride=[]`) means the kernel size, as in torch.
    private static func poolingStride(_ options: OptionValues, op: String) throws(AutogradError) -> IntPair? {
        if options.ints("stride") == [] { return nil }
        return try optionalPair(options, "stride", op: op)
    }

    private static func optionalPair(_ options: OptionValues, _ name: String, op: String) throws(AutogradError) -> IntPair? {
        guard let list = options.ints(name) else { return nil }
        return try IntPair(list, op: op, name: name)
    }
}
