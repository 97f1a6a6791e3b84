// Comparisons (constants of 0s and 1s, no gradient) and selection by a condition (where).

// MARK: - Where

/// `y = condition ? a : b` elementwise (`torch.where`), all three broadcast together; an
/// element of `condition` counts as true when it is nonzero (NaN included).
/// Gradients: `a` gets the incoming gradient where the condition holds, `b` where it does
/// not (each summed back to its shape); `condition` gets none: it is only read.
/// (`where` is a Swift keyword, hence the name; the expression language calls it `where`.)
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func select(_ condition: Variable, _ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    let shape = try Shape.broadcast(try Shape.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let mask = try condition.data.broadcast(to: shape).mask { $0 != 0 }
    return try Select(mask: mask).apply([try broadcastTo(a, shape), try broadcastTo(b, shape)])[0]
}

// MARK: - Comparisons

/// Compares two tensors elementwise (broadcasting): a constant of 1s where the relation
/// holds and 0s elsewhere, of `a`'s dtype. Comparisons produce no gradient, as in torch:
/// the result is a constant, not part of the graph.
private func compare(_ a: Variable, _ b: Variable, _ op: PairMath) throws(AutogradError) -> Variable {
    Variable.constant(try a.data.pairwise(b.data, op))
}

/// `a > b` as 1/0 (no gradient). - Throws: on shapes that do not broadcast, or mixed dtypes.
public func greater(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .greater) }
/// `a < b` as 1/0 (no gradient).
public func less(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .less) }
/// `a ≥ b` as 1/0 (no gradient).
public func greaterEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .greaterEqual) }
/// `a ≤ b` as 1/0 (no gradient).
public func lessEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .lessEqual) }
/// `a == b` as 1/0 (no gradient).
public func equal(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .equal) }
/// `a ≠ b` as 1/0 (no gradient; NaN ≠ NaN).
public func notEqual(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable { try compare(a, b, .notEqual) }

/// `x > c` as 1/0 for a number `c` (no gradient).
public func greater(_ x: Variable, _ c: Double) -> Variable { compareWithNumber(x, c, .greater) }
/// `x < c` as 1/0 for a number `c` (no gradient).
public func less(_ x: Variable, _ c: Double) -> Variable { compareWithNumber(x, c, .less) }

private func compareWithNumber(_ x: Variable, _ c: Double, _ op: PairMath) -> Variable {
    trapping { () throws(AutogradError) in try compare(x, .constant(c, like: x), op) }
}

// MARK: - Helpers

extension Tensor {
    /// 1 where `predicate` holds for the element (as a `Double`), else 0, in this dtype
    /// (built with `Tensor.indicator(_:shape:dtype:)` of Tensor+Reductions.swift).
    func indicator(_ predicate: (Double) -> Bool) -> Tensor {
        Tensor.indicator(mask(predicate), shape: shape, dtype: dtype)
    }
}
