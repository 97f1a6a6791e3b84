import Autograd
import Parity

extension AutogradOps {
    // MARK: - Losses

    static let losses: [OpName: Implementation] = [
        .softmaxCrossEntropy: twoTensors(softmaxCrossEntropy),
        .crossEntropy: single { args, options throws(AutogradError) in
            let op = "cross_entropy"
            return try softmaxCrossEntropy(
                try args[0].variable(), try args[1].variable(), weight: try weight(args[2], op: op),
                ignoreIndex: options.int("ignore_index") ?? -100, reduction: try reduction(options, op: op),
                labelSmoothing: options.number("label_smoothing") ?? 0)
        },
        .nllLoss: single { args, options throws(AutogradError) in
            let op = "nll_loss"
            return try nllLoss(
                try args[0].variable(), labels: try args[1].variable().data, weight: try weight(args[2], op: op),
                ignoreIndex: options.int("ignore_index") ?? -100, reduction: try reduction(options, op: op))
        },
        .binaryCrossEntropyWithLogits: single { args, options throws(AutogradError) in
            let op = "binary_cross_entropy_with_logits"
            return try binaryCrossEntropyWithLogits(
                try args[0].variable(), try args[1].variable(), weight: try weight(args[2], op: op),
                posWeight: try weight(args[3], op: op), reduction: try reduction(options, op: op))
        },
        .binaryCrossEntropy: single { args, options throws(AutogradError) in
            let op = "binary_cross_entropy"
            return try binaryCrossEntropy(
                try args[0].variable(), try args[1].variable(), weight: try weight(args[2], op: op),
                reduction: try reduction(options, op: op))
        },
        .meanSquaredError: single { args, options throws(AutogradError) in
            try meanSquaredError(try args[0].variable(), try args[1].variable(),
                                 reduction: try reduction(options, op: "mse_loss"))
        },
        .l1Loss: single { args, options throws(AutogradError) in
            try l1Loss(try args[0].variable(), try args[1].variable(), reduction: try reduction(options, op: "l1_loss"))
        },
        .huberLoss: single { args, options throws(AutogradError) in
            try huberLoss(try args[0].variable(), try args[1].variable(), delta: options.number("delta") ?? 1,
                          reduction: try reduction(options, op: "huber_loss"))
        },
        .smoothL1Loss: single { args, options throws(AutogradError) in
            try smoothL1Loss(try args[0].variable(), try args[1].variable(), beta: options.number("beta") ?? 1,
                             reduction: try reduction(options, op: "smooth_l1_loss"))
        },
    ]

    /// The `reduction` option (`'mean'` if absent); another string is refused, as torch refuses it.
    static func reduction(_ options: OptionValues, op: String) throws(AutogradError) -> Reduction {
        guard let text = options.string("reduction") else { return .mean }
        guard let reduction = Reduction(rawValue: text) else {
            let choices = Reduction.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .invalidArgument(op: op, reason: "'\(text)' is not a valid value for reduction (\(choices))")
        }
        return reduction
    }

    /// A loss's weight operand (`weight=`, `pos_weight=`): `nil` if absent. A weight that
    /// requires a gradient is refused, as torch refuses it (the losses are not
    /// differentiable with respect to their weights).
    static func weight(_ operand: Operand<Variable>, op: String) throws(AutogradError) -> Tensor? {
        guard let weight = try operand.optionalVariable() else { return nil }
        guard !weight.requiresGrad else {
            throw .invalidArgument(op: op, reason: "a weight cannot require a gradient (the loss is not differentiable "
                                   + "with respect to it); give it as a constant")
        }
        return weight.data
    }
}
