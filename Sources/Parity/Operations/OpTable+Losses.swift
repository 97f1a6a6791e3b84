extension OpTable {
    // MARK: - Losses

    /// torch's `reduction=`: `'mean'` (the default), `'sum'` or `'none'` (a loss per element or target).
    static let reduction = Op.Option("reduction", .choice(["mean", "sum", "none"]))

    /// Losses under torch's names and keywords (F.cross_entropy, F.nll_loss, …), besides
    /// `softmax_cross_entropy` and `mean_squared_error` (this library's names). Weights are
    /// optional operands named as in torch (`weight=`, `pos_weight=`); they get no gradient,
    /// and torch refuses weights that require one.
    static let losses: [Op] = [
        twoTensors("softmax_cross_entropy", torch: "torch_ops.softmax_cross_entropy", summary: "−mean log softmax(x)[label], x [N, C] (or [C], or [N, C, d…]), int64 labels t [N] (or whole-numbered floats; no gradient to t)").with(domains: [.any, .classLabel]).acceptingInt64(),
        Op("cross_entropy", operands: [.tensor, .tensor, .tensor],
           options: [.init("ignore_index", .int), reduction, .init("label_smoothing", .number)],
           torch: "torch_ops.cross_entropy",
           summary: "F.cross_entropy(x, t, weight): −w_t·log softmax(x)[t] per target, x [N, C] (or [C], or [N, C, d…]); "
               + "t int64 class indices (whole-numbered floats too) or probabilities of x's shape (these get a gradient); "
               + "ignore_index, label_smoothing ε, reduction (a weighted mean by default)")
            .naming(operands: ["input", "target", "weight"], required: 2)
            .with(domains: [.any, .classLabel, .any]).acceptingInt64(),
        Op("nll_loss", operands: [.tensor, .tensor, .tensor], options: [.init("ignore_index", .int), reduction],
           torch: "torch_ops.nll_loss",
           summary: "F.nll_loss(x, t, weight): −w_t·x[t] per target (x: log-probabilities [N, C], [C] or [N, C, d…]; "
               + "t int64 class indices, or whole-numbered floats), ignore_index, reduction (a weighted mean by default)")
            .naming(operands: ["input", "target", "weight"], required: 2)
            .with(domains: [.any, .classLabel, .any]).acceptingInt64(),
        Op("binary_cross_entropy_with_logits", operands: [.tensor, .tensor, .tensor, .tensor], options: [reduction],
           torch: "torch.nn.functional.binary_cross_entropy_with_logits",
           summary: "−w·(p·t·log σ(x) + (1 − t)·log(1 − σ(x))), same shapes (t gets a gradient), "
               + "weight w and pos_weight p broadcast to x, reduction (mean by default)")
            .naming(operands: ["input", "target", "weight", "pos_weight"], required: 2)
            .with(domains: [.any, .probability, .positive, .positive]),
        Op("binary_cross_entropy", operands: [.tensor, .tensor, .tensor], options: [reduction],
           torch: "torch.nn.functional.binary_cross_entropy",
           summary: "−w·(t·log p + (1 − t)·log(1 − p)), logs clamped at −100, p in [0, 1], weight w broadcast to p, "
               + "reduction (mean by default)")
            .naming(operands: ["input", "target", "weight"], required: 2)
            .with(domains: [.probability, .probability, .positive]),
        Op("mean_squared_error", operands: [.tensor, .tensor], options: [reduction], torch: "torch.nn.functional.mse_loss",
           summary: "(x − y)², broadcasting, reduction (mean by default; torch's mse_loss)")
            .naming(operands: ["input", "target"]),
        Op("l1_loss", operands: [.tensor, .tensor], options: [reduction], torch: "torch.nn.functional.l1_loss",
           summary: "|x − y|, broadcasting, reduction (mean by default; gradient sign(x − y), 0 at a tie)")
            .naming(operands: ["input", "target"]).with(smooth: false),
        Op("huber_loss", operands: [.tensor, .tensor], options: [.init("delta", .number), reduction],
           torch: "torch.nn.functional.huber_loss",
           summary: "½d² if |d| < δ else δ(|d| − ½δ), d = x − y, δ = 1, reduction (mean by default)")
            .naming(operands: ["input", "target"]).with(smooth: false),
        Op("smooth_l1_loss", operands: [.tensor, .tensor], options: [.init("beta", .number), reduction],
           torch: "torch.nn.functional.smooth_l1_loss",
           summary: "½d²/β if |d| < β else |d| − ½β, d = x − y, β = 1 (β = 0: L1), reduction (mean by default)")
            .naming(operands: ["input", "target"]).with(smooth: false),
    ]
}
