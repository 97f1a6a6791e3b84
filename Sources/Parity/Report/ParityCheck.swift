import Autograd

/// The verdict on one fixture case.
public struct CaseReport: Sendable {
    public let suite: String
    public let name: String
    public let dtype: DType
    public let order: Int
    public let comparisons: [TensorComparison]
    /// Set when the case could not run at all (an evaluation error).
    public let error: ParityError?

    public var passed: Bool { error == nil && comparisons.allSatisfy(\.passed) }
    public var maxAbsError: Double { error == nil ? comparisons.map(\.maxAbsError).max() ?? 0 : .infinity }
    public var maxRelError: Double { error == nil ? comparisons.map(\.maxRelError).max() ?? 0 : .infinity }

    /// Every reason the case fails, one line each.
    public var failures: [String] {
        if let error { return [error.description] }
        return comparisons.compactMap(\.failure)
    }
}

/// Checks fixture cases against this library.
public enum ParityCheck {
    /// Runs `fixture` on ``SwiftBackend`` with the fixture's own inputs and upstream
    /// gradient, and compares the output and every gradient with torch's.
    public static func check(_ fixture: FixtureCase, suite: String) -> CaseReport {
        let tolerance = fixture.effectiveTolerance
        do {
            let outcome = try CaseRunner.run(
                SwiftBackend(), expr: fixture.expr, inputs: fixture.inputs, dtype: fixture.dtype, order: fixture.order,
                upstream: { shape in
                    guard shape == fixture.output.shape else {
                        throw ParityError("output has shape \(shape), torch's has shape \(fixture.output.shape)")
                    }
                    return fixture.upstream
                })
            var comparisons = [tolerance.compare(outcome.output, fixture.output, label: "output")]
            for (k, (actual, expected)) in zip(outcome.grads, fixture.grads).enumerated() {
                for (i, input) in fixture.inputs.enumerated() {
                    comparisons.append(tolerance.compare(actual[i], expected[i], label: "order-\(k + 1) grad of \(input.name)"))
                }
            }
            return CaseReport(suite: suite, name: fixture.name, dtype: fixture.dtype, order: fixture.order,
                              comparisons: comparisons, error: nil)
        } catch {
            return CaseReport(suite: suite, name: fixture.name, dtype: fixture.dtype, order: fixture.order,
                              comparisons: [], error: error.inCase(fixture.name))
        }
    }
}
