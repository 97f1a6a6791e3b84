// Embedding: rows of a weight matrix picked by integer indices (torch's F.embedding).

/// `y[i…, :] = weight[indices[i…], :]`: `indices` (int64, any shape) pick rows of
/// `weight` (`[V, D]`), giving `indices.shape + [D]`.
///
/// Gradient (torch's `embedding_dense_backward`): the incoming gradient's rows added into
/// zeros of `weight`'s shape at their indices, so a row picked twice gets the sum of both;
/// rows picked by `paddingIdx` get nothing (their gradient stays 0). The indices get no
/// gradient. The backward pass is a ``ScatterAdd`` of a masked gradient, whose own
/// gradient is a ``Gather``: differentiable again (the second derivative with respect to
/// `weight` is 0, as the op is linear in it).
public final class EmbeddingLookup: Function {
    /// The row picked by each position, row-major over `indices`.
    public let rows: [Int]
    public let indexShape: [Int]
    /// The row whose gradient stays zero (normalised to `0..<V`), if any.
    public let paddingIdx: Int?

    public init(rows: [Int], indexShape: [Int], paddingIdx: Int?) {
        self.rows = rows
        self.indexShape = indexShape
        self.paddingIdx = paddingIdx
    }

    override public var name: String { "embedding" }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let weight = xs[0]
        let (v, d) = (weight.shape[0], weight.shape[1])
        if let bad = rows.first(where: { $0 < 0 || $0 >= v }) { throw .indexOutOfRange(index: bad, axis: 0, size: v) }
        return [weight.gather(offsets(d), shape: indexShape + [d])]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let weight = input(0)
        let d = weight.shape[1]
        var g = gys[0]
        if let paddingIdx, rows.contains(paddingIdx) {
            let keep = rows.flatMap { row in Array(repeating: row != paddingIdx, count: d) }
            g = g * Variable.constant(Tensor.indicator(keep, shape: g.shape, dtype: g.dtype))
        }
        return [ScatterAdd(offsets: offsets(d), shape: weight.shape)(g)]
    }

    /// The element offsets into `weight` of every output element, row-major.
    private func offsets(_ d: Int) -> [Int] {
        rows.flatMap { row in (0..<d).map { row * d + $0 } }
    }
}

/// Looks up rows of `weight` (`[V, D]`) by `indices` (an int64 tensor of any shape):
/// torch's `F.embedding(indices, weight, padding_idx)`. The result has shape
/// `indices.shape + [D]`; see ``EmbeddingLookup`` for the gradient.
/// - Parameters:
///   - indices: the rows to look up, an int64 tensor of any shape.
///   - weight: the table, `[V, D]`.
///   - paddingIdx: a row (negative counts from the end) that gets no gradient, or `nil`.
/// - Throws: ``AutogradError/unsupportedDType(_:op:)`` for indices that are not int64;
///   ``AutogradError/invalidArgument(op:reason:)`` for a weight that is not 2-d or a
///   `paddingIdx` outside `-V..<V`; ``AutogradError/indexOutOfRange(index:axis:size:)``
///   for an index outside `0..<V` (torch: "index out of range in self").
public func embedding(indices: Tensor, weight: Variable, paddingIdx: Int? = nil) throws(AutogradError) -> Variable {
    guard indices.dtype == .int64 else { throw .unsupportedDType(indices.dtype, op: "embedding (indices must be int64)") }
    guard weight.rank == 2 else {
        throw .invalidArgument(op: "embedding", reason: "weight must be 2-d ([num_embeddings, embedding_dim]), got shape \(weight.shape)")
    }
    let v = weight.shape[0]
    var padding: Int? = nil
    if let paddingIdx {
        guard paddingIdx >= -v && paddingIdx < v else {
            throw .invalidArgument(op: "embedding", reason: "padding_idx \(paddingIdx) must be within -\(v)..<\(v)")
        }
        padding = paddingIdx < 0 ? paddingIdx + v : paddingIdx
    }
    let rows = indices.int64Scalars.map { Int($0) }
    return try EmbeddingLookup(rows: rows, indexShape: indices.shape, paddingIdx: padding).apply([weight])[0]
}
