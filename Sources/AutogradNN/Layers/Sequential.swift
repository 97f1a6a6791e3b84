import Autograd

/// Layers applied one after the other (torch's `nn.Sequential`). Children are named by
/// position, `0`, `1`, ..., as in torch, so a parameter is `0.weight`, `2.bias`:
///
/// ```swift
/// let model = Sequential(Linear(2, 10), Activation(.tanh), Linear(10, 3))
/// model.namedParameters().map(\.name)   // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// ```
public final class Sequential: Module {
    public let layers: [Module]

    public init(_ layers: [Module]) {
        self.layers = layers
    }

    public convenience init(_ layers: Module...) {
        self.init(layers)
    }

    override public var namedChildren: [(name: String, module: Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    override public var namedOwnParameters: [(name: String, parameter: Parameter)] {
        []
    }

    /// The layers applied in order.
    /// - Throws: the first error a layer throws.
    override public func forward(_ x: Variable) throws -> Variable {
        var y = x
        for layer in layers { y = try layer(y) }
        return y
    }

    public subscript(index: Int) -> Module {
        layers[index]
    }
}
