// Dropout: a fixed keep-mask, scaled.

// MARK: - Dropout

/// `y = x · mask · scale` for a fixed keep-mask and `scale = 1/(1 - p)` (0 when `p = 1`),
/// torch's `native_dropout_backward(x, mask, scale)`.
/// Gradient: `mask · scale`, a constant (so the second derivative is 0); the mask gets none.
public final class Dropout: Function {
    /// Which elements are kept, row-major, one per element of the input.
    public let keep: [Bool]
    public let scale: Double

    public init(keep: [Bool], scale: Double) {
        self.keep = keep
        self.scale = scale
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let x = xs[0]
        guard keep.count == x.count else {
            throw .dataDoesNotMatchShape(count: keep.count, shape: x.shape)
        }
        let kept = try x.zip(Tensor.indicator(keep, shape: x.shape, dtype: x.dtype), .multiply)
        return [try kept.zip(Tensor(scale, dtype: x.dtype), .multiply)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0).data
        let factor = trapping { () throws(AutogradError) in
            try Tensor.indicator(keep, shape: x.shape, dtype: x.dtype).zip(Tensor(scale, dtype: x.dtype), .multiply)
        }
        return [gys[0] * Variable.constant(factor)]
    }
}

/// The scale of kept elements for a drop probability `p`: `1/(1 - p)`, and 0 for `p = 1`
/// (everything is dropped), as torch.
private func dropoutScale(_ p: Double) throws(AutogradError) -> Double {
    guard p >= 0 && p <= 1 else {
        throw .invalidArgument(op: "dropout", reason: "probability has to be between 0 and 1, but got \(p)")
    }
    return p == 1 ? 0 : 1 / (1 - p)
}

/// Dropout: while `training`, each element is kept with probability `1 - p` (a
/// Bernoulli draw from `generator`: kept when a uniform number in `0..<1` is below
/// `1 - p`) and scaled by `1/(1 - p)`, else zeroed; the expected value is unchanged.
/// When not training it is the identity and returns `x` itself (torch's `F.dropout`).
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if `p` is outside `0...1`.
public func dropout<G: RandomNumberGenerator>(
    _ x: Variable, p: Double, training: Bool = true, using generator: inout G
) throws(AutogradError) -> Variable {
    let scale = try dropoutScale(p)
    guard training else { return x }
    let keep = (0..<x.count).map { _ in Double.random(in: 0..<1, using: &generator) < 1 - p }
    return try Dropout(keep: keep, scale: scale).apply([x])[0]
}

/// Dropout with the system's random number generator; see ``dropout(_:p:training:using:)``.
public func dropout(_ x: Variable, p: Double, training: Bool = true) throws(AutogradError) -> Variable {
    var generator = SystemRandomNumberGenerator()
    return try dropout(x, p: p, training: training, using: &generator)
}

/// Dropout with a given mask: `x · mask · 1/(1 - p)`, an element kept where `mask` is
/// nonzero (`mask` broadcasts to `x`'s shape). The mask gets no gradient.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for `p` outside `0...1`,
///   ``AutogradError/cannotBroadcast(from:to:)`` for a mask that does not fit `x`.
public func dropout(_ x: Variable, mask: Tensor, p: Double) throws(AutogradError) -> Variable {
    let scale = try dropoutScale(p)
    let keep = try mask.broadcast(to: x.shape).mask { $0 != 0 }
    return try Dropout(keep: keep, scale: scale).apply([x])[0]
}
