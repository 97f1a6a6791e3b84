// Scans: running sums along an axis.

/// `yᵢ = Σ_{j≤i} xⱼ` along `axis` (`torch.cumsum`), accumulated in `Double` and rounded
/// once per element, as torch's CPU kernel accumulates in its wider type. A 0-d tensor is
/// its own running sum (axis 0 or -1).
/// Gradient (torch's `cumsum_backward`): the running sum taken from the end,
/// `∂L/∂xⱼ = Σ_{i≥j} gᵢ`, computed as `flip(cumsum(flip(g)))` — linear, so every higher
/// derivative goes through the same ops.
public final class Cumsum: UnaryFunction {
    public let axis: Int
    private var normalizedAxis = 0

    public init(axis: Int) {
        self.axis = axis
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        normalizedAxis = try Shape.normalize(axis: axis, rank: x.rank)
        guard x.rank > 0 else { return x }
        let size = x.shape[normalizedAxis]
        let inner = Shape.count(Array(x.shape[(normalizedAxis + 1)...]))
        let outer = Shape.count(Array(x.shape[..<normalizedAxis]))
        func scan<T: TensorScalar>(_ a: [T]) -> [T] {
            var out = a
            for o in 0..<outer {
                for i in 0..<inner {
                    var total = 0.0
                    for k in 0..<size {
                        let offset = (o * size + k) * inner + i
                        total += Double(a[offset])
                        out[offset] = T(total)
                    }
                }
            }
            return out
        }
        switch x.storage {
        case .float64(let a): return Tensor(shape: x.shape, storage: .float64(scan(a)))
        case .float32(let a): return Tensor(shape: x.shape, storage: .float32(scan(a)))
        }
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let g = gys[0]
        if g.count <= 1 || g.rank == 0 || g.shape[normalizedAxis] == 1 { return [g] }
        let reversed = Flip(axes: [normalizedAxis])(g)
        return [Flip(axes: [normalizedAxis])(Cumsum(axis: normalizedAxis)(reversed))]
    }
}

/// The running sum along `axis` (negative counts from the end), `torch.cumsum`.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``.
public func cumsum(_ x: Variable, axis: Int) throws(AutogradError) -> Variable {
    try Cumsum(axis: axis).apply(x)
}
