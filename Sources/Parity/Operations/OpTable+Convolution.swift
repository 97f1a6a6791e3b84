extension OpTable {
    // MARK: - Convolution and pooling

    /// torch's keyword names throughout; a size is one integer for both axes or `[h, w]`.
    static let convolution: [Op] = [
        convolution2D("conv2d", bias: true),
        convolution2D("conv2d_nobias", bias: false),
        transposedConvolution2D("conv_transpose2d", bias: true),
        transposedConvolution2D("conv_transpose2d_nobias", bias: false),
        Op("max_pool2d", operands: [.tensor],
           options: [.init("kernel_size", .ints), .init("stride", .ints), .init("padding", .ints),
                     .init("dilation", .ints), .init("ceil_mode", .bool)],
           required: ["kernel_size"], torch: "torch.nn.functional.max_pool2d",
           summary: "the maximum of each window of x [N, C, H, W] (stride = kernel_size by default; "
               + "a tie goes to the window's first maximum, as in torch)").with(smooth: false),
        Op("max_pool2d_with_indices", operands: [.tensor],
           options: [.init("kernel_size", .ints), .init("stride", .ints), .init("padding", .ints),
                     .init("dilation", .ints), .init("ceil_mode", .bool)],
           required: ["kernel_size"], torch: "torch_ops.max_pool2d_with_indices", returnsList: true,
           summary: "[max_pool2d(x), the int64 position row·W + column of each maximum in its H × W plane] "
               + "(F.max_pool2d with return_indices=True; no gradient to the indices)").with(smooth: false),
        Op("avg_pool2d", operands: [.tensor],
           options: [.init("kernel_size", .ints), .init("stride", .ints), .init("padding", .ints),
                     .init("ceil_mode", .bool), .init("count_include_pad", .bool), .init("divisor_override", .int)],
           required: ["kernel_size"], torch: "torch.nn.functional.avg_pool2d",
           summary: "the mean of each window of x [N, C, H, W] (stride = kernel_size by default; "
               + "padding counted in the divisor unless count_include_pad=false; divisor_override replaces every divisor)"),
        Op("im2col", operands: [.tensor],
           options: [.init("kernel_size", .ints), .init("stride", .ints), .init("padding", .ints), .init("dilation", .ints)],
           required: ["kernel_size"], torch: "torch_ops.unfold",
           summary: "the windows of x [N, C, H, W] as columns [N, C·KH·KW, OH·OW] (torch's unfold)"),
        Op("col2im", operands: [.tensor],
           options: [.init("output_size", .ints), .init("kernel_size", .ints), .init("stride", .ints),
                     .init("padding", .ints), .init("dilation", .ints)],
           required: ["output_size", "kernel_size"], torch: "torch_ops.fold",
           summary: "columns [N, C·KH·KW, L] summed back into an image [N, C, H, W] of output_size (torch's fold)"),
    ]

    /// `conv2d(x, w, b, stride=…, padding=…, dilation=…, groups=…)`, or without the bias.
    private static func convolution2D(_ name: String, bias: Bool) -> Op {
        Op(name, operands: bias ? [.tensor, .tensor, .tensor] : [.tensor, .tensor],
           options: [.init("stride", .ints), .init("padding", .ints), .init("dilation", .ints), .init("groups", .int)],
           torch: "torch.nn.functional.conv2d",
           summary: bias
               ? "the cross-correlation of x [N, C, H, W] with w [O, C/groups, KH, KW], plus b [O]"
               : "the cross-correlation of x [N, C, H, W] with w [O, C/groups, KH, KW], without bias")
    }

    /// `conv_transpose2d(x, w, b, stride=…, padding=…, output_padding=…, groups=…, dilation=…)`, or without the bias.
    private static func transposedConvolution2D(_ name: String, bias: Bool) -> Op {
        Op(name, operands: bias ? [.tensor, .tensor, .tensor] : [.tensor, .tensor],
           options: [.init("stride", .ints), .init("padding", .ints), .init("output_padding", .ints),
                     .init("groups", .int), .init("dilation", .ints)],
           torch: "torch.nn.functional.conv_transpose2d",
           summary: bias
               ? "the transposed convolution of x [N, C, H, W] with w [C, O/groups, KH, KW], plus b [O]"
               : "the transposed convolution of x [N, C, H, W] with w [C, O/groups, KH, KW], without bias")
    }
}
