import Autograd

/// Axes `startDim...endDim` merged into one (torch's `nn.Flatten`, `start_dim=1` by
/// default: `[N, C, H, W]` becomes `[N, C·H·W]`, the batch axis kept); no parameters.
/// See `flatten(_:start:end:)`.
public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try flatten(x, start: startDim, end: endDim)
    }
}
