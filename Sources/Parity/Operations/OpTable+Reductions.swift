import Autograd

extension OpTable {
    // MARK: - Reductions

    static let reductionOptions: [Op.Option] = [
        .init("axis", .axes, torch: "dim"),
        .init("keepdims", .bool, torch: "keepdim"),
    ]

    static let reductions: [Op] = [
        Op("sum", operands: [.tensor], options: reductionOptions, torch: "torch.sum",
                  summary: "Σ x over `axis` (all if absent), `keepdims`") { args, options throws(AutogradError) in
            try sum(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
        Op("mean", operands: [.tensor], options: reductionOptions, torch: "torch.mean",
                  summary: "mean of x over `axis` (all if absent), `keepdims`") { args, options throws(AutogradError) in
            try mean(try args[0].variable(), axes: options.axes("axis"), keepdims: options.bool("keepdims", default: false))
        },
    ]
}
