extension OpTable {
    // MARK: - Losses (all means over the elements)

    static let losses: [Op] = [
        twoTensors("softmax_cross_entropy", torch: "torch_ops.softmax_cross_entropy", summary: "−mean log softmax(x)[label], x [N, C] (or [C], or [N, C, d…]), int64 labels t [N] (or whole-numbered floats; no gradient to t)").with(domains: [.any, .classLabel]).acceptingInt64(),
        twoTensors("binary_cross_entropy_with_logits", torch: "torch.nn.functional.binary_cross_entropy_with_logits", summary: "mean((1 − t)x − log σ(x)), same shapes (t gets a gradient)").with(domains: [.any, .probability]),
        twoTensors("binary_cross_entropy", torch: "torch.nn.functional.binary_cross_entropy", summary: "mean(−t·log p − (1 − t)·log(1 − p)), logs clamped at −100, p in [0, 1]")
            .with(domains: [.probability, .probability]),
        twoTensors("mean_squared_error", torch: "torch.nn.functional.mse_loss", summary: "mean((x − y)²), broadcasting"),
        Op("huber_loss", operands: [.tensor, .tensor], options: [.init("delta", .number)], torch: "torch.nn.functional.huber_loss",
           summary: "mean(½d² if |d| < δ else δ(|d| − ½δ)), d = x − y, δ = 1").with(smooth: false),
        Op("smooth_l1_loss", operands: [.tensor, .tensor], options: [.init("beta", .number)],
           torch: "torch.nn.functional.smooth_l1_loss",
           summary: "mean(½d²/β if |d| < β else |d| − ½β), d = x − y, β = 1 (β = 0: L1)").with(smooth: false),
    ]
}
