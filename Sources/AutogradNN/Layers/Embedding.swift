import Autograd

/// A lookup table of `numEmbeddings` vectors of size `embeddingDim` (torch's
/// `nn.Embedding`): `forward` takes a variable holding int64 indices of any shape and
/// returns their rows, `indices.shape + [embeddingDim]`.
///
/// **State**: the parameter `weight`, `[numEmbeddings, embeddingDim]`, initialised as
/// torch's `reset_parameters` does, N(0, 1) (drawn from the generator in row-major order:
/// the same distribution as torch, not the same values), with the `paddingIdx` row then
/// set to zeros. That row gets no gradient (see `Autograd`'s `embedding(indices:weight:paddingIdx:)`).
public final class Embedding: Module {
    public let numEmbeddings: Int
    public let embeddingDim: Int
    /// The padding row, normalised to `0..<numEmbeddings` (torch stores it so too), or `nil`.
    public let paddingIdx: Int?
    /// `[numEmbeddings, embeddingDim]`.
    public let weight: Parameter

    /// A table initialised from `generator`. A `paddingIdx` outside
    /// `-numEmbeddings..<numEmbeddings` stops the program (torch asserts).
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        if numEmbeddings < 0 || embeddingDim < 0 {
            fatalError("Embedding(\(numEmbeddings), \(embeddingDim)): sizes cannot be negative")
        }
        if let p = paddingIdx, p < -numEmbeddings || p >= numEmbeddings {
            fatalError("Embedding: padding_idx \(p) must be within num_embeddings (\(numEmbeddings))")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        let padding = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        self.paddingIdx = padding
        var values = (0..<(numEmbeddings * embeddingDim)).map { _ in generator.normal() }
        if let padding {
            for j in 0..<embeddingDim { values[padding * embeddingDim + j] = 0 }
        }
        let data = trapping { () throws(AutogradError) in
            try Tensor(shape: [numEmbeddings, embeddingDim], scalars: values).converted(to: dtype)
        }
        weight = Parameter(data, name: "weight")
    }

    /// A table initialised from its own generator, seeded with `seed`.
    public convenience init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, dtype: DType = .float64,
                            seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(numEmbeddings, embeddingDim, paddingIdx: paddingIdx, dtype: dtype, generator: &generator)
    }

    /// The rows of `indices` (an int64 variable, a constant).
    /// - Throws: the errors of `embedding`: indices that are not int64 or out of range.
    override public func forward(_ indices: Variable) throws(AutogradError) -> Variable {
        try embedding(indices: indices.data, weight: weight.variable, paddingIdx: paddingIdx)
    }
}
