extension OpTable {
    // MARK: - Reductions

    static let reductionOptions: [Op.Option] = [
        .init("axis", .axes, torch: "dim"),
        .init("keepdims", .bool, torch: "keepdim"),
    ]

    static let reductions: [Op] = [
        Op("sum", operands: [.tensor], options: reductionOptions + [.dtype], torch: "torch_ops.reduce_sum",
                  summary: "Σ x over `axis` (all if absent), `keepdims`"),
        Op("mean", operands: [.tensor], options: reductionOptions + [.dtype], torch: "torch_ops.reduce_mean",
                  summary: "mean of x over `axis` (all if absent), `keepdims`"),
        Op("max", operands: [.tensor], options: reductionOptions, torch: "torch.amax",
                  summary: "largest element over `axis` (all if absent), `keepdims`; NaN propagates; ties share the gradient"),
        Op("min", operands: [.tensor], options: reductionOptions, torch: "torch.amin",
                  summary: "smallest element over `axis` (all if absent), `keepdims`; NaN propagates; ties share the gradient"),
        // torch.logsumexp has no default for `dim`, so neither has the expression.
        Op("logsumexp", operands: [.tensor], options: reductionOptions, required: ["axis"], torch: "torch.logsumexp",
                  summary: "log Σ exp(x) over `axis` (required), `keepdims`, shifted by the maximum"),
        Op("argmax", operands: [.tensor], options: argOptions, torch: "torch.argmax",
           summary: "position of the largest element along `axis` (of the flattened x if absent), `keepdims`; int64, no gradient; ties and NaN: the first").with(smooth: false).acceptingInt64(returnsInt64: true),
        Op("argmin", operands: [.tensor], options: argOptions, torch: "torch.argmin",
           summary: "position of the smallest element along `axis` (of the flattened x if absent), `keepdims`; int64, no gradient; ties and NaN: the first").with(smooth: false).acceptingInt64(returnsInt64: true),
        Op("var", operands: [.tensor], options: momentOptions, torch: "torch.var",
                  summary: "Σ (x − x̄)² / (n − `correction`) over `axis` (all if absent), `keepdims`; correction 1 by default"),
        Op("std", operands: [.tensor], options: momentOptions, torch: "torch.std",
                  summary: "√var(x) over `axis` (all if absent), `keepdims`, `correction` (1 by default); gradient 0 at zero spread"),
        // torch.prod takes one dim, and keepdim only with it.
        Op("prod", operands: [.tensor], options: argOptions + [.dtype], torch: "torch_ops.prod",
           summary: "Π x along `axis` (all if absent), `keepdims` (only with `axis`); gradient Π of the others, "
               + "also where some x are 0"),
        Op("norm", operands: [.tensor], options: [.init("p", .number)] + reductionOptions, torch: "torch_ops.norm",
           summary: "(Σ |x|^p)^(1/p) over `axis` (all if absent), `keepdims`, p = 2 by default "
               + "(p = 0: the number of nonzeros; torch.linalg.vector_norm); gradient 0 at an all-zero slice").with(smooth: false),
        Op("cumsum", operands: [.tensor], options: [.init("axis", .int, torch: "dim"), .dtype], required: ["axis"],
           torch: "torch_ops.cumsum", summary: "y_i = Σ_{j ≤ i} x_j along `axis` (required; gradient: the reversed cumsum of g)"),
    ]

    /// The options of `argmax` and `argmin`: one axis (torch's `dim` is a single integer).
    static let argOptions: [Op.Option] = [.init("axis", .int, torch: "dim"), .init("keepdims", .bool, torch: "keepdim")]

    /// The options of `var` and `std`: a reduction's, the number subtracted from the
    /// element count (torch's keyword `correction`), and torch's older spelling of it,
    /// `unbiased` (true: correction 1, false: 0; not both).
    static let momentOptions: [Op.Option] = reductionOptions + [.init("correction", .number), .init("unbiased", .bool)]
}
