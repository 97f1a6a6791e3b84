import Autograd

/// An elementwise activation as a layer (torch's `nn.Sigmoid`, `nn.Tanh`, `nn.ReLU`), for
/// ``Sequential``: `Sequential(Linear(2, 10), Activation(.tanh), Linear(10, 3))`.
///
/// One class with a ``Kind`` rather than a class per function: `Sigmoid`, `Tanh` and
/// `ReLU` already name the graph functions of the `Autograd` module.
public final class Activation: Module {
    /// Which function; the raw value is the name used in specs (`"sigmoid"`).
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        /// `σ(x) = 1 / (1 + e⁻ˣ)`, gradient `σ(1 − σ)`.
        case sigmoid
        /// `tanh x`, gradient `1 − tanh² x`.
        case tanh
        /// `max(x, 0)`, gradient 1 where `x > 0`, else 0.
        case relu
        /// `x` unchanged.
        case identity

        /// Applies the function.
        public func callAsFunction(_ x: Variable) -> Variable {
            switch self {
            case .sigmoid: Autograd.sigmoid(x)
            case .tanh: Autograd.tanh(x)
            case .relu: Autograd.relu(x)
            case .identity: x
            }
        }

        public var description: String { rawValue }
    }

    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        kind(x)
    }
}
