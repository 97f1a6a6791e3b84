extension OpTable {
    // MARK: - Activations

    static let activations: [Op] = [
        Op("softmax", operands: [.tensor], options: [.init("axis", .int, torch: "dim"), .dtype], torch: "torch_ops.softmax",
           summary: "e^(x − max) / Σ e^(x − max) along `axis` (−1 if absent)"),
        Op("log_softmax", operands: [.tensor], options: [.init("axis", .int, torch: "dim"), .dtype], torch: "torch_ops.log_softmax",
           summary: "x − max − log Σ e^(x − max) along `axis` (−1 if absent)"),
        Op("softmin", operands: [.tensor], options: [.init("axis", .int, torch: "dim"), .dtype], torch: "torch_ops.softmin",
           summary: "softmax(−x) = e^(min − x) / Σ e^(min − x) along `axis` (−1 if absent)"),
    ]
}
