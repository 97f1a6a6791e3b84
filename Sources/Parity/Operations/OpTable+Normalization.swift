extension OpTable {
    // MARK: - Normalisation and embedding

    static let normalization: [Op] = [
        Op("batch_norm", operands: [.tensor, .tensor, .tensor, .tensor, .tensor],
           options: [.init("training", .bool), .init("momentum", .number), .init("eps", .number)],
           torch: "torch_ops.batch_norm",
           summary: "F.batch_norm(x, running_mean, running_var, w, b): per channel (axis 1) (x − mean)/√(var + ε)·w + b, "
               + "batch statistics (biased variance) when training, else the running ones; the running "
               + "statistics are copies, updated and dropped"),
        Op("layer_norm", operands: [.tensor, .tensor, .tensor],
           options: [.init("normalized_shape", .ints), .init("eps", .number)], required: ["normalized_shape"],
           torch: "torch_ops.layer_norm",
           summary: "F.layer_norm(x, normalized_shape, w, b): (x − mean)/√(var + ε)·w + b over the last axes "
               + "(biased variance)"),
        Op("embedding", operands: [.tensor, .tensor], options: [.init("padding_idx", .int)],
           torch: "torch_ops.embedding",
           summary: "F.embedding(indices, w, padding_idx): rows of w [V, D] at whole-number indices (as int64); "
               + "repeated rows add up in w's gradient, the padding row gets none").with(domains: [.classLabel, .any]),
    ]
}
