import Autograd

/// State of a ``Module`` that is not trained but is saved and loaded with its parameters
/// (torch's `register_buffer`): batch normalisation's `running_mean`, `running_var` and
/// `num_batches_tracked`.
///
/// A reference, so that a module's ``Module/stateDict()`` and
/// ``Module/loadStateDict(_:strict:)`` reach the tensor the layer updates. Its value is a
/// plain `Tensor`: it never takes part in a graph, and optimizers do not see it.
public final class Buffer: @unchecked Sendable {
    /// The current value.
    public var data: Tensor

    public init(_ data: Tensor) {
        self.data = data
    }

    public var shape: [Int] { data.shape }
    public var dtype: DType { data.dtype }
}

extension Buffer: CustomStringConvertible {
    public var description: String { "buffer(\(data))" }
}
