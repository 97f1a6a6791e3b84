import Autograd
import Parity

extension AutogradOps {
    // MARK: - Losses

    static let losses: [OpName: Implementation] = [
        .softmaxCrossEntropy: twoTensors(softmaxCrossEntropy),
        .binaryCrossEntropyWithLogits: twoTensors(binaryCrossEntropyWithLogits),
        .binaryCrossEntropy: twoTensors(binaryCrossEntropy),
        .meanSquaredError: twoTensors(meanSquaredError),
        .huberLoss: single { args, options throws(AutogradError) in
            try huberLoss(try args[0].variable(), try args[1].variable(), delta: options.number("delta") ?? 1)
        },
        .smoothL1Loss: single { args, options throws(AutogradError) in
            try smoothL1Loss(try args[0].variable(), try args[1].variable(), beta: options.number("beta") ?? 1)
        },
    ]
}
