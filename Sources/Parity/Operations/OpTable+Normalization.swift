import Autograd

extension OpTable {
    // MARK: - Normalisation and embedding

    static let normalization: [Op] = [
        Op("batch_norm", operands: [.tensor, .tensor, .tensor, .tensor, .tensor],
           options: [.init("training", .bool), .init("momentum", .number), .init("eps", .number)],
           torch: "torch_ops.batch_norm",
           summary: "F.batch_norm(x, running_mean, running_var, w, b): per channel (axis 1) (x − mean)/√(var + ε)·w + b, "
               + "batch statistics (biased variance) when training, else the running ones; the running "
               + "statistics are copies, updated and dropped") { args, options throws(AutogradError) in
            var runningMean = try args[1].variable().data
            var runningVar = try args[2].variable().data
            return try batchNorm(try args[0].variable(), runningMean: &runningMean, runningVar: &runningVar,
                                 weight: try args[3].variable(), bias: try args[4].variable(),
                                 training: options.bool("training", default: false),
                                 momentum: options.number("momentum") ?? 0.1, eps: options.number("eps") ?? 1e-5)
        },
        Op("layer_norm", operands: [.tensor, .tensor, .tensor],
           options: [.init("normalized_shape", .ints), .init("eps", .number)], required: ["normalized_shape"],
           torch: "torch_ops.layer_norm",
           summary: "F.layer_norm(x, normalized_shape, w, b): (x − mean)/√(var + ε)·w + b over the last axes "
               + "(biased variance)") { args, options throws(AutogradError) in
            try layerNorm(try args[0].variable(), normalizedShape: options.ints("normalized_shape") ?? [],
                          weight: try args[1].variable(), bias: try args[2].variable(), eps: options.number("eps") ?? 1e-5)
        },
        Op("embedding", operands: [.tensor, .tensor], options: [.init("padding_idx", .int)],
           torch: "torch_ops.embedding",
           summary: "F.embedding(indices, w, padding_idx): rows of w [V, D] at whole-number indices (as int64); "
               + "repeated rows add up in w's gradient, the padding row gets none") { args, options throws(AutogradError) in
            let indices = try args[0].variable().data
            guard indices.scalars.allSatisfy({ $0.rounded() == $0 && $0.magnitude < 9.0e15 }) else {
                throw .invalidIndex("embedding indices must be whole numbers")
            }
            return try embedding(indices: indices.converted(to: .int64), weight: try args[1].variable(),
                                 paddingIdx: options.int("padding_idx"))
        }.with(domains: [.classLabel, .any]),
    ]
}
