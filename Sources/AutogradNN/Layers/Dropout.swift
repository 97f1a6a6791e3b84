import Autograd

/// Dropout as a layer (torch's `nn.Dropout`), tied to ``Module/training``: in training
/// each element is zeroed with probability `p` and the rest scaled by `1/(1 − p)`; in
/// evaluation it returns its input itself.
///
/// The masks are drawn from the layer's own `SeededGenerator`, so that a run is
/// reproducible (torch's masks come from its global generator: the same distribution,
/// not the same values).
public final class Dropout: Module {
    public let p: Double
    /// The generator the masks are drawn from; may be reseeded between runs.
    public var generator: SeededGenerator

    /// - Parameters:
    ///   - p: the probability of zeroing an element (torch's default 0.5); a `p` outside
    ///     `0...1` stops the program (torch raises at construction).
    ///   - seed: seeds the layer's generator.
    public init(p: Double = 0.5, seed: UInt64 = 0) {
        guard p >= 0 && p <= 1 else { fatalError("Dropout: probability has to be between 0 and 1, but got \(p)") }
        self.p = p
        generator = SeededGenerator(seed: seed)
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try Autograd.dropout(x, p: p, training: training, using: &generator)
    }
}
