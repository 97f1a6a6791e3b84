import Autograd
import Parity

extension AutogradOps {
    // MARK: - Activations

    static let activations: [OpName: Implementation] = [
        .softmax: single { args, options throws(AutogradError) in
            try softmax(try args[0].variable(), axis: options.int("axis") ?? -1)
        },
        .logSoftmax: single { args, options throws(AutogradError) in
            try logSoftmax(try args[0].variable(), axis: options.int("axis") ?? -1)
        },
        .softmin: single { args, options throws(AutogradError) in
            try softmin(try args[0].variable(), axis: options.int("axis") ?? -1)
        },
    ]
}
