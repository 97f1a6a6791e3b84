import Autograd
import Parity

extension AutogradOps {
    // MARK: - Shapes

    static let shapes: [OpName: Implementation] = [
        .unsqueeze: unsqueeze,
        .expandDims: unsqueeze,
        .cat: concatenate,
        .concatenate: concatenate,
        .reshape: single {
            args, options throws(AutogradError) in
            try reshape(try args[0].variable(), options.ints("shape") ?? [])
        },
        .broadcastTo: single {
            args, options throws(AutogradError) in
            try broadcastTo(try args[0].variable(), options.ints("shape") ?? [])
        },
        .sumTo: single {
            args, options throws(AutogradError) in
            try sumTo(try args[0].variable(), options.ints("shape") ?? [])
        },
        .squeeze: single {
            args, options throws(AutogradError) in
            try squeeze(try args[0].variable(), axes: options.axes("axis"))
        },
        .flatten: single { args, options throws(AutogradError) in
            try flatten(try args[0].variable(), start: options.int("start") ?? 0, end: options.int("end") ?? -1)
        },
        .stack: single {
            args, options throws(AutogradError) in
            try stack(try args[0].variables(), axis: options.int("axis") ?? 0)
        },
        .split: many {
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
        .flip: single { args, options throws(AutogradError) in
            try flip(try args[0].variable(), axes: options.axes("axes") ?? [])
        },
        .chunk: many { args, options throws(AutogradError) in
            try chunk(try args[0].variable(), chunks: options.int("chunks") ?? 1, axis: options.int("axis") ?? 0)
        },
        .unbind: many { args, options throws(AutogradError) in
            try unbind(try args[0].variable(), axis: options.int("axis") ?? 0)
        },
        .gather: single { args, options throws(AutogradError) in
            try gather(try args[0].variable(), axis: options.int("axis") ?? 0, index: try args[1].variable().data)
        },
    ]

    /// `unsqueeze(x, axis=1)`, under torch's name and numpy's (`expand_dims`).
    private static let unsqueeze = single { args, options throws(AutogradError) in
        try expandDims(try args[0].variable(), axis: options.int("axis") ?? 0)
    }

    /// `cat([a, b], axis=0)`, under torch's two names.
    private static let concatenate = single { args, options throws(AutogradError) in
        try Autograd.concatenate(try args[0].variables(), axis: options.int("axis") ?? 0)
    }

    /// A split size written in an expression (a number), which must be an integer.
    private static func splitSize(_ value: Double, of x: Variable, axis: Int) throws(AutogradError) -> Int {
        guard value.rounded() == value, abs(value) < 1e12 else {
            throw .invalidSplit(shape: x.shape, axis: axis, reason: "split sizes must be integers, not \(value)")
        }
        return Int(value)
    }
}
