import Autograd
import Parity

extension AutogradOps {
    // MARK: - Normalisation and embedding

    static let normalization: [OpName: Implementation] = [
        .batchNorm: single { args, options throws(AutogradError) in
            var runningMean = try args[1].variable().data
            var runningVar = try args[2].variable().data
            return try batchNorm(try args[0].variable(), runningMean: &runningMean, runningVar: &runningVar,
                                 weight: try args[3].variable(), bias: try args[4].variable(),
                                 training: options.bool("training", default: false),
                                 momentum: options.number("momentum") ?? 0.1, eps: options.number("eps") ?? 1e-5)
        },
        .layerNorm: single { args, options throws(AutogradError) in
            try layerNorm(try args[0].variable(), normalizedShape: options.ints("normalized_shape") ?? [],
                          weight: try args[1].variable(), bias: try args[2].variable(), eps: options.number("eps") ?? 1e-5)
        },
        .embedding: single { args, options throws(AutogradError) in
            let indices = try args[0].variable().data
            guard indices.scalars.allSatisfy({ $0.rounded() == $0 && $0.magnitude < 9.0e15 }) else {
                throw .invalidIndex("embedding indices must be whole numbers")
            }
            return try embedding(indices: indices.converted(to: .int64), weight: try args[1].variable(),
                                 paddingIdx: options.int("padding_idx"))
        },
    ]
}
