extension OpTable {
    // MARK: - Linear algebra

    static let linearAlgebra: [Op] = [
        // `a @ b` in expressions is this op (OpTable.name(of: .matmul)).
        Op("matmul", operands: [.tensor, .tensor], torch: "torch.matmul",
           summary: "a @ b with torch.matmul's rules: dot, matrix, vector·matrix, batched with broadcasting"),
        Op("transpose", operands: [.tensor], options: [.init("axes", .ints, torch: "dims")],
           torch: "torch_ops.transpose",
           summary: "x with its axes permuted by `axes` (all reversed if absent)").acceptingInt64(),
        Op("linear", operands: [.tensor, .tensor, .tensor], torch: "torch_ops.linear",
           summary: "x @ W + b, W of shape [in, out] (DeZero's linear)"),
        Op("linear_nobias", operands: [.tensor, .tensor], torch: "torch_ops.linear_nobias",
           summary: "x @ W, W of shape [in, out] (linear without a bias)"),
        Op("addmm", operands: [.tensor, .tensor, .tensor], options: [.init("beta", .number), .init("alpha", .number)],
           torch: "torch.addmm",
           summary: "β·c + α·(a @ b), a [n, k], b [k, p], c broadcasting to [n, p] (β = α = 1; β = 0 ignores c, NaN included)"),
    ]
}
