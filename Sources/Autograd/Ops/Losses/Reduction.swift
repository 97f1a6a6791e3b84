// How a loss turns its per-element losses into its result: torch's `reduction=` argument.

/// How a loss reduces its per-element losses (torch's `reduction=`).
///
/// - ``mean``: the mean over the elements, a 0-d result (the default, as in torch). The
///   losses with class weights (``nllLoss(_:labels:weight:ignoreIndex:reduction:)``,
///   class-index cross-entropy) divide by the summed weight of the counted targets instead.
/// - ``sum``: the sum over the elements, a 0-d result.
/// - ``none``: no reduction: the per-element losses, one per element of the (broadcast)
///   input, or one per target for the class-index losses.
public enum Reduction: String, Sendable, Hashable, CaseIterable {
    case mean
    case sum
    case none
}

extension Reduction {
    /// What each element's gradient is divided by: the element count for ``mean``, else 1.
    func divisor(count: Int) -> Int {
        self == .mean ? count : 1
    }
}

extension Tensor {
    /// Per-element losses reduced as `reduction` says: ``Tensor/meanOfAll()`` for the mean
    /// (torch's division of the sum by the count), the sum of all elements, or themselves.
    func reduced(_ reduction: Reduction) -> Tensor {
        switch reduction {
        case .mean: meanOfAll()
        case .sum: sum()
        case .none: self
        }
    }
}

/// Per-element losses in a variable, reduced differentiably (``mean(_:)``, ``sum(_:)``).
func reduced(_ losses: Variable, _ reduction: Reduction) -> Variable {
    switch reduction {
    case .mean: mean(losses)
    case .sum: sum(losses)
    case .none: losses
    }
}
