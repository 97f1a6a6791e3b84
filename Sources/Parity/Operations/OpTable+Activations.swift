import Autograd

extension OpTable {
    // MARK: - Activations

    static let activations: [Op] = [
        Op("softmax", operands: [.tensor], options: [.init("axis", .int, torch: "dim")], torch: "torch_ops.softmax",
           summary: "e^(x − max) / Σ e^(x − max) along `axis` (−1 if absent)") { args, options throws(AutogradError) in
            try softmax(try args[0].variable(), axis: options.int("axis") ?? -1)
        },
        Op("log_softmax", operands: [.tensor], options: [.init("axis", .int, torch: "dim")], torch: "torch_ops.log_softmax",
           summary: "x − max − log Σ e^(x − max) along `axis` (−1 if absent)") { args, options throws(AutogradError) in
            try logSoftmax(try args[0].variable(), axis: options.int("axis") ?? -1)
        },
    ]
}
