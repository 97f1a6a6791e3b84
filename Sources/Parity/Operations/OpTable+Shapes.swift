extension OpTable {
    // MARK: - Shapes

    /// Shape moves copy elements without arithmetic: int64 operands are passed on (``Op/takesInt64Operands``).
    static let shapes: [Op] = shapeMoves.map { $0.acceptingInt64() }

    private static let shapeMoves: [Op] = [
        Op("reshape", operands: [.tensor], options: [.init("shape", .ints)], required: ["shape"],
           torch: "torch.reshape",
           summary: "x with another shape of the same element count; one `-1` is inferred"),
        Op("broadcast_to", operands: [.tensor], options: [.init("shape", .ints, torch: "size")], required: ["shape"],
           torch: "torch.broadcast_to",
           summary: "x repeated along size-1 and new leading axes to `shape` (`-1` keeps a size)"),
        Op("sum_to", operands: [.tensor], options: [.init("shape", .ints, torch: "size")], required: ["shape"],
           torch: "torch.Tensor.sum_to_size",
           summary: "x summed down to `shape`, which broadcasts to x's shape (the adjoint of broadcast_to)"),
        unsqueeze("unsqueeze"),
        unsqueeze("expand_dims"),
        Op("squeeze", operands: [.tensor], options: [.init("axis", .axes, torch: "dim")], torch: "torch.squeeze",
           summary: "x without its size-1 axes (all, or those of `axis`; other sizes are kept)"),
        Op("flatten", operands: [.tensor],
           options: [.init("start", .int, torch: "start_dim"), .init("end", .int, torch: "end_dim")],
           torch: "torch.flatten",
           summary: "x with axes `start...end` (default all) merged into one"),
        concatenate("cat", torch: "torch.cat"),
        concatenate("concatenate", torch: "torch.concatenate"),
        Op("stack", operands: [.tensorList], options: [.init("axis", .int, torch: "dim")], torch: "torch.stack",
           summary: "[a, b, …] of equal shapes stacked along a new axis `axis` (default 0)"),
        Op("split", operands: [.tensor, .tensorOrNumber], options: [.init("axis", .int, torch: "dim")],
           torch: "torch_ops.split", returnsList: true,
           summary: "x cut along `axis` (default 0) into pieces of the listed sizes, or of a chunk size (the last one smaller)"),
        Op("flip", operands: [.tensor], options: [.init("axes", .axes, torch: "dims")], required: ["axes"],
           torch: "torch_ops.flip", summary: "x with the order of its elements reversed along each of `axes` (none if `[]`)"),
        Op("chunk", operands: [.tensor], options: [.init("chunks", .int), .init("axis", .int, torch: "dim")],
           required: ["chunks"], torch: "torch.chunk", returnsList: true,
           summary: "x cut along `axis` (default 0) into at most `chunks` pieces of ⌈n / chunks⌉ (the last one smaller)"),
        Op("unbind", operands: [.tensor], options: [.init("axis", .int, torch: "dim")], torch: "torch.unbind",
           returnsList: true, summary: "the slices x[…, i, …] along `axis` (default 0), that axis removed"),
        Op("gather", operands: [.tensor, .tensor], options: [.init("axis", .int, torch: "dim")], required: ["axis"],
           torch: "torch_ops.gather",
           summary: "y[p] = x[p with its coordinate along `axis` replaced by i[p]], i int64 of x's rank "
               + "(torch.gather; no gradient to i; repeated indices add up in x's gradient)").with(domains: [.any, .classLabel]),
    ]

    /// `unsqueeze(x, axis=1)`, under torch's name and numpy's (`expand_dims`).
    private static func unsqueeze(_ name: String) -> Op {
        Op(name, operands: [.tensor], options: [.init("axis", .int, torch: "dim")], required: ["axis"],
           torch: "torch.unsqueeze", summary: "x with a new size-1 axis at `axis` (in -(rank+1)...rank)")
    }

    /// `cat([a, b], axis=0)`, under torch's two names.
    private static func concatenate(_ name: String, torch: String) -> Op {
        Op(name, operands: [.tensorList], options: [.init("axis", .int, torch: "dim")], torch: torch,
           summary: "[a, b, …] joined along `axis` (default 0); the other sizes must agree")
    }
}
