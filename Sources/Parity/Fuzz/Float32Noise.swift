/// Tells float32 rounding noise from a float32 bug, for a case that fails on values.
///
/// Random compositions can be ill-conditioned in float32: a second derivative that is
/// the difference of two terms near 366 (`-5.42 = -366.97 + 361.55`) carries an error
/// of about one float32 ulp of 366, 3·10⁻⁵, whatever the order of operations, which is
/// more than float32's tolerance (atol 10⁻⁵). Torch and Swift then round differently
/// and differ by that much without either being wrong. The fixture of a float32 case
/// holds torch's results for the same (rounded) inputs in float64, which serve as the
/// exact values; torch's own float32 error against them measures how noisy each tensor
/// (output, gradient) is. The mismatch is noise when every one of Swift's float32
/// values lies within the tolerance plus ``noiseFactor`` times that noise of the exact
/// value:
///
///     |swift₃₂ − torch₆₄| ≤ atol + rtol·|torch₆₄| + 10 · maxᵢ |torch₃₂ − torch₆₄|ᵢ
///
/// (the maximum over the elements of the same tensor). A Swift kernel that loses much
/// more precision than torch's (a naive formula that cancels, overflows or sums badly)
/// still fails, and so does any non-finite value.
public enum Float32Noise {
    /// How many times torch's own float32 error Swift's may reach. Two float32
    /// evaluations of the same ill-conditioned expression in different orders differ
    /// by a few times either's error (the mismatches the fuzzer found were within 5×).
    public static let noiseFactor = 10.0

    /// Whether `fixture`'s mismatch is float32 rounding noise by the rule above. False
    /// for a float64 case, a fixture without float64 results, a Swift error, or
    /// non-finite values.
    public static func explains(_ fixture: FixtureCase, on backend: some ParityBackend) -> Bool {
        guard fixture.dtype == .float32, fixture.refusal == nil, let exact = fixture.float64,
              let swift = try? CaseRunner.run(backend, expr: fixture.expr, inputs: fixture.inputs, dtype: .float32,
                                              order: fixture.order, upstream: { _ in fixture.upstream })
        else { return false }
        let tolerance = fixture.effectiveTolerance
        let swiftValues = [swift.output] + swift.grads.flatMap { $0 }
        let torchValues = [fixture.output] + fixture.grads.flatMap { $0 }
        let exactValues = [exact.output] + exact.grads.flatMap { $0 }
        guard swiftValues.count == exactValues.count, torchValues.count == exactValues.count else { return false }
        for ((s, t), e) in zip(zip(swiftValues, torchValues), exactValues) {
            guard s.shape == e.shape, t.shape == e.shape,
                  (s.data + t.data + e.data).allSatisfy(\.isFinite) else { return false }
            let noise = zip(t.data, e.data).reduce(0) { max($0, abs($1.0 - $1.1)) }
            for (a, x) in zip(s.data, e.data) where abs(a - x) > tolerance.atol + tolerance.rtol * abs(x) + noiseFactor * noise {
                return false
            }
        }
        return true
    }
}
