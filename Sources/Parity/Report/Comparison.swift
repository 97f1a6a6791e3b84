/// How one tensor compares with its reference.
public struct TensorComparison: Sendable {
    /// What was compared: `output`, `grad order 2 of x`.
    public let label: String
    /// The largest `|actual − expected|` (∞ where NaN or an infinity disagrees).
    public let maxAbsError: Double
    /// The largest `|actual − expected| / |expected|` over elements where they differ and
    /// `expected` is not 0.
    public let maxRelError: Double
    /// Why it fails: the first element outside tolerance, or a shape mismatch. `nil` if it passes.
    public let failure: String?

    public var passed: Bool { failure == nil }
}

extension Tolerance {
    /// `|actual − expected| ≤ atol + rtol·|expected|`; NaN matches NaN, an infinity
    /// matches the same infinity (torch.testing.assert_close's rules, equal_nan=True).
    public func accepts(_ actual: Double, _ expected: Double) -> Bool {
        if expected.isNaN || actual.isNaN { return expected.isNaN && actual.isNaN }
        if expected.isInfinite || actual.isInfinite { return expected == actual }
        return abs(actual - expected) <= atol + rtol * abs(expected)
    }

    /// Compares every element of `actual` with `expected`. int64 values must be equal
    /// exactly (the tolerance does not apply), and an int64 tensor never matches a
    /// floating-point one.
    public func compare(_ actual: HostTensor, _ expected: HostTensor, label: String) -> TensorComparison {
        guard actual.shape == expected.shape else {
            return TensorComparison(label: label, maxAbsError: .infinity, maxRelError: .infinity,
                                    failure: "\(label): shape \(actual.shape), expected \(expected.shape)")
        }
        guard actual.isInt64 == expected.isInt64 else {
            func name(_ t: HostTensor) -> String { t.isInt64 ? "int64" : "floating-point" }
            return TensorComparison(label: label, maxAbsError: .infinity, maxRelError: .infinity,
                                    failure: "\(label): dtype \(name(actual)), expected \(name(expected))")
        }
        if expected.isInt64 { return Tolerance(rtol: 0, atol: 0).compare(actual, expected, label: label, exact: true) }
        return compare(actual, expected, label: label, exact: false)
    }

    private func compare(_ actual: HostTensor, _ expected: HostTensor, label: String, exact: Bool) -> TensorComparison {
        var maxAbs = 0.0, maxRel = 0.0
        var failure: String?
        for i in expected.data.indices {
            let a = actual.data[i], e = expected.data[i]
            let ok = accepts(a, e)
            let absError = ok && (a.isNaN || a.isInfinite) ? 0 : (a.isNaN || e.isNaN ? .infinity : abs(a - e))
            maxAbs = max(maxAbs, absError)
            // Relative to an expected 0 every difference is infinite; atol judges those.
            if absError > 0 && e != 0 { maxRel = max(maxRel, absError / abs(e)) }
            if !ok && failure == nil {
                let index = Self.index(i, in: expected.shape)
                failure = exact
                    ? "\(label)\(index): got \(Self.integerText(a)), expected \(Self.integerText(e)) (int64: must be equal)"
                    : "\(label)\(index): got \(a), expected \(e) (error \(absError), allowed \(atol + rtol * abs(e)))"
            }
        }
        return TensorComparison(label: label, maxAbsError: maxAbs, maxRelError: maxRel, failure: failure)
    }

    /// An int64 value as an integer (`3`, not `3.0`).
    static func integerText(_ x: Double) -> String {
        HostTensor.int64Problem(x) == nil ? String(Int64(x)) : JSONWriter.number(x)
    }

    /// A flat index as `[i, j, ...]` (empty for a 0-d tensor).
    static func index(_ flat: Int, in shape: [Int]) -> String {
        guard !shape.isEmpty else { return "" }
        var rest = flat
        var index: [Int] = []
        for size in shape.reversed() {
            index.append(size == 0 ? 0 : rest % size)
            rest = size == 0 ? 0 : rest / size
        }
        return "[" + index.reversed().map(String.init).joined(separator: ", ") + "]"
    }
}
