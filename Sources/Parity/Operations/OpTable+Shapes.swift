import Autograd

extension OpTable {
    // MARK: - Shapes

    /// Shape moves copy elements without arithmetic: int64 operands are passed on (``Op/takesInt64Operands``).
    static let shapes: [Op] = shapeMoves.map { $0.acceptingInt64() }

    private static let shapeMoves: [Op] = [
        Op("reshape", operands: [.tensor], options: [.init("shape", .ints)], required: ["shape"],
           torch: "torch.reshape",
           summary: "x with another shape of the same element count; one `-1` is inferred") {
            args, options throws(AutogradError) in
            try reshape(try args[0].variable(), options.ints("shape") ?? [])
        },
        Op("broadcast_to", operands: [.tensor], options: [.init("shape", .ints, torch: "size")], required: ["shape"],
           torch: "torch.broadcast_to",
           summary: "x repeated along size-1 and new leading axes to `shape` (`-1` keeps a size)") {
            args, options throws(AutogradError) in
            try broadcastTo(try args[0].variable(), options.ints("shape") ?? [])
        },
        Op("sum_to", operands: [.tensor], options: [.init("shape", .ints, torch: "size")], required: ["shape"],
           torch: "torch.Tensor.sum_to_size",
           summary: "x summed down to `shape`, which broadcasts to x's shape (the adjoint of broadcast_to)") {
            args, options throws(AutogradError) in
            try sumTo(try args[0].variable(), options.ints("shape") ?? [])
        },
        unsqueeze("unsqueeze"),
        unsqueeze("expand_dims"),
        Op("squeeze", operands: [.tensor], options: [.init("axis", .axes, torch: "dim")], torch: "torch.squeeze",
           summary: "x without its size-1 axes (all, or those of `axis`; other sizes are kept)") {
            args, options throws(AutogradError) in
            try squeeze(try args[0].variable(), axes: options.axes("axis"))
        },
        Op("flatten", operands: [.tensor],
           options: [.init("start", .int, torch: "start_dim"), .init("end", .int, torch: "end_dim")],
           torch: "torch.flatten",
           summary: "x with axes `start...end` (default all) merged into one") { args, options throws(AutogradError) in
            try flatten(try args[0].variable(), start: options.int("start") ?? 0, end: options.int("end") ?? -1)
        },
        concatenate("cat", torch: "torch.cat"),
        concatenate("concatenate", torch: "torch.concatenate"),
        Op("stack", operands: [.tensorList], options: [.init("axis", .int, torch: "dim")], torch: "torch.stack",
           summary: "[a, b, …] of equal shapes stacked along a new axis `axis` (default 0)") {
            args, options throws(AutogradError) in
            try stack(try args[0].variables(), axis: options.int("axis") ?? 0)
        },
        Op("split", operands: [.tensor, .tensorOrNumber], options: [.init("axis", .int, torch: "dim")],
           torch: "torch_ops.split", returnsList: true,
           summary: "x cut along `axis` (default 0) into pieces of the listed sizes, or of a chunk size (the last one smaller)") {
            args, options throws(AutogradError) in
            let x = try args[0].variable()
            let axis = options.int("axis") ?? 0
            switch args[1] {
            case .number(let size):
                return try split(x, chunkSize: try splitSize(size, of: x, axis: axis), axis: axis)
            default:
                // A list of sizes written in the expression arrives as a constant 1-d tensor.
                let sizes = try args[1].variable()
                guard sizes.rank == 1 else {
                    throw .invalidSplit(shape: x.shape, axis: axis,
                                        reason: "sizes must be an integer or a list of integers, not a tensor of shape \(sizes.shape)")
                }
                var list: [Int] = []
                for size in sizes.data.scalars { list.append(try splitSize(size, of: x, axis: axis)) }
                return try split(x, sizes: list, axis: axis)
            }
        },
    ]

    /// `unsqueeze(x, axis=1)`, under torch's name and numpy's (`expand_dims`).
    private static func unsqueeze(_ name: String) -> Op {
        Op(name, operands: [.tensor], options: [.init("axis", .int, torch: "dim")], required: ["axis"],
           torch: "torch.unsqueeze", summary: "x with a new size-1 axis at `axis` (in -(rank+1)...rank)") {
            args, options throws(AutogradError) in
            try expandDims(try args[0].variable(), axis: options.int("axis") ?? 0)
        }
    }

    /// `cat([a, b], axis=0)`, under torch's two names.
    private static func concatenate(_ name: String, torch: String) -> Op {
        Op(name, operands: [.tensorList], options: [.init("axis", .int, torch: "dim")], torch: torch,
           summary: "[a, b, …] joined along `axis` (default 0); the other sizes must agree") {
            args, options throws(AutogradError) in
            try Autograd.concatenate(try args[0].variables(), axis: options.int("axis") ?? 0)
        }
    }

    /// A split size written in an expression (a number), which must be an integer.
    private static func splitSize(_ value: Double, of x: Variable, axis: Int) throws(AutogradError) -> Int {
        guard value.rounded() == value, abs(value) < 1e12 else {
            throw .invalidSplit(shape: x.shape, axis: axis, reason: "split sizes must be integers, not \(value)")
        }
        return Int(value)
    }
}
