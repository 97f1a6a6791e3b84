import Autograd

/// A multilayer perceptron (DeZero's `MLP`): ``Linear`` layers of the given sizes with an
/// activation between consecutive layers and none after the last.
///
/// `MLP(sizes: [1, 10, 1], activation: .sigmoid)` is `Linear(1, 10)`, sigmoid,
/// `Linear(10, 1)`. Its parameters are named `layers.0.weight`, `layers.0.bias`,
/// `layers.1.weight`, ... — the names of a torch module that keeps its layers in an
/// `nn.ModuleList` called `layers`, so a state moves between the two unchanged.
public final class MLP: Module {
    /// The linear layers, first to last.
    public let layers: [Linear]
    /// Applied after every layer but the last.
    public let activation: Activation.Kind

    /// Layers `sizes[0] → sizes[1] → … → sizes.last`, initialised in order from `generator`.
    /// `sizes` needs at least two entries, none negative.
    public init(sizes: [Int], activation: Activation.Kind = .sigmoid, bias: Bool = true, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        if sizes.count < 2 { fatalError("MLP needs at least an input and an output size, got \(sizes)") }
        var layers: [Linear] = []
        for (input, output) in zip(sizes, sizes.dropFirst()) {
            layers.append(Linear(input, output, bias: bias, dtype: dtype, generator: &generator))
        }
        self.layers = layers
        self.activation = activation
    }

    /// An MLP initialised from its own generator, seeded with `seed`.
    public convenience init(sizes: [Int], activation: Activation.Kind = .sigmoid, bias: Bool = true,
                            dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(sizes: sizes, activation: activation, bias: bias, dtype: dtype, generator: &generator)
    }

    /// The sizes the network was built with.
    public var sizes: [Int] {
        [layers.first?.inFeatures ?? 0] + layers.map(\.outFeatures)
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        var y = x
        for (i, layer) in layers.enumerated() {
            y = try layer.forward(y)  // Linear's forward throws only AutogradError
            if i < layers.count - 1 { y = activation(y) }
        }
        return y
    }
}
