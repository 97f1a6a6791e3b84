import Autograd

/// A fully connected layer, `y = x·Wᵀ + b`, with torch's layout and initialisation.
///
/// **Layout.** The weight is stored as torch stores it, `[out, in]`, under the name
/// `weight`, and the bias as `[out]` under `bias`, so that a state saved from Swift loads
/// into `torch.nn.Linear` with `load_state_dict` and the other way round. (DeZero's
/// `linear` and this library's `linear(_:_:_:)` take `W` as `[in, out]` and
/// compute `x·W + b`: the same function of the transposed matrix.) The product runs as
/// one gemm with the transposition flag, nothing is copied; its gradients are
///
///     ∂L/∂x = ∂L/∂y · W      ∂L/∂W = (∂L/∂y)ᵀ · x      ∂L/∂b = Σ_rows ∂L/∂y
///
/// **Initialisation** (torch's `reset_parameters`): `kaiming_uniform_(W, a=√5)`, which is
/// U(−1/√in, 1/√in), then the bias U(−1/√in, 1/√in) (0 if `in` is 0), drawn in that
/// order from the generator.
///
/// **Shapes.** `x` is `[..., in]` (any leading batch axes, or `[in]`); `y` is `[..., out]`.
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    /// `[outFeatures, inFeatures]`.
    public let weight: Parameter
    /// `[outFeatures]`, or `nil` for a layer without bias.
    public let bias: Parameter?

    /// A layer initialised as torch's `nn.Linear` does, from `generator`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        if inFeatures < 0 || outFeatures < 0 { fatalError("Linear(\(inFeatures), \(outFeatures)): sizes cannot be negative") }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(Initialization.kaimingUniform(
            shape: [outFeatures, inFeatures], a: 5.0.squareRoot(), dtype: dtype, generator: &generator), name: "weight")
        if bias {
            let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
            self.bias = Parameter(Initialization.uniform(
                shape: [outFeatures], low: -bound, high: bound, dtype: dtype, generator: &generator), name: "bias")
        } else {
            self.bias = nil
        }
    }

    /// A layer initialised from its own generator, seeded with `seed`.
    public convenience init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, dtype: DType = .float64,
                            seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inFeatures, outFeatures, bias: bias, dtype: dtype, generator: &generator)
    }

    /// `x·Wᵀ + b`.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` if `x` is 0-d or its last axis
    ///   is not `inFeatures`, naming the layer as written: `Linear(in: 4, out: 5): expects
    ///   inputs [..., 4], got [..., 3]`; `AutogradError/dtypeMismatch(_:_:op:)`.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        guard let last = x.shape.last, last == inFeatures else {
            let got = x.rank == 0 ? "a 0-d input" : "[..., \(x.shape.last!)] (shape \(x.shape))"
            throw .invalidArgument(op: "Linear(in: \(inFeatures), out: \(outFeatures))",
                                   reason: "expects inputs [..., \(inFeatures)], got \(got)")
        }
        let product: Variable
        if x.rank >= 2 {
            product = try MatMul(transposeB: true).apply([x, weight.variable])[0]
        } else if x.rank == 1 {
            let row = try reshape(x, [1, x.shape[0]])
            product = try reshape(try MatMul(transposeB: true).apply([row, weight.variable])[0], [outFeatures])
        } else {
            fatalError("unreachable: a 0-d input was refused above")
        }
        guard let bias else { return product }
        return try add(product, bias.variable)
    }
}
