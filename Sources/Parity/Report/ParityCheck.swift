/// The verdict on one fixture case.
public struct CaseReport: Sendable {
    public let suite: String
    public let name: String
    public let dtype: ScalarType
    public let order: Int
    public let comparisons: [TensorComparison]
    /// Set when the case could not run at all (an evaluation error), or ran where torch refused.
    public let error: ParityError?
    /// For a case torch refuses: Swift's own refusal, which makes the case pass.
    public let refusal: String?

    public init(suite: String, name: String, dtype: ScalarType, order: Int, comparisons: [TensorComparison],
                error: ParityError?, refusal: String?) {
        self.suite = suite
        self.name = name
        self.dtype = dtype
        self.order = order
        self.comparisons = comparisons
        self.error = error
        self.refusal = refusal
    }

    /// What a report counts a case as.
    public enum Verdict: String, Sendable {
        case passed
        case failed
        /// The backend does not implement what the case needs: counted apart from failures.
        case unsupported
    }

    public var verdict: Verdict {
        if error?.isUnsupported == true { return .unsupported }
        return passed ? .passed : .failed
    }

    /// Why the backend could not run the case, for an unsupported one.
    public var unsupportedReason: String? { error?.isUnsupported == true ? error?.message : nil }

    /// Whether the case ran and matched torch (false for an unsupported case too).
    public var passed: Bool { error == nil && comparisons.allSatisfy(\.passed) }
    public var maxAbsError: Double { error == nil ? comparisons.map(\.maxAbsError).max() ?? 0 : .infinity }
    public var maxRelError: Double { error == nil ? comparisons.map(\.maxRelError).max() ?? 0 : .infinity }

    /// Every reason the case fails, one line each.
    public var failures: [String] {
        if let error { return [error.description] }
        return comparisons.compactMap(\.failure)
    }
}

/// Checks fixture cases against a backend.
public enum ParityCheck {
    /// Runs `fixture` on `backend` with the fixture's own inputs and upstream gradient,
    /// and compares the output and every gradient with torch's. A case the backend does
    /// not support (``ParityBackend/unsupportedReason(_:dtype:order:inputs:)``, or an
    /// implementation that throws ``ParityError/unsupported(_:)``) is reported as such.
    public static func check<Backend: ParityBackend>(_ fixture: FixtureCase, suite: String, on backend: Backend) -> CaseReport {
        if let expected = fixture.refusal {
            return checkRefusal(fixture, suite: suite, torchMessage: expected, on: backend)
        }
        let tolerance = fixture.effectiveTolerance
        do {
            let outcome = try CaseRunner.run(
                backend, expr: fixture.expr, inputs: fixture.inputs, dtype: fixture.dtype, order: fixture.order,
                upstream: { shape in
                    guard shape == fixture.output.shape else {
                        throw ParityError("output has shape \(shape), torch's has shape \(fixture.output.shape)")
                    }
                    return fixture.upstream
                })
            var comparisons = [tolerance.compare(outcome.output, fixture.output, label: "output")]
            for (k, (actual, expected)) in zip(outcome.grads, fixture.grads).enumerated() {
                for (i, input) in fixture.differentiableInputs.enumerated() {
                    comparisons.append(tolerance.compare(actual[i], expected[i], label: "order-\(k + 1) grad of \(input.name)"))
                }
            }
            return CaseReport(suite: suite, name: fixture.name, dtype: fixture.dtype, order: fixture.order,
                              comparisons: comparisons, error: nil, refusal: nil)
        } catch {
            return CaseReport(suite: suite, name: fixture.name, dtype: fixture.dtype, order: fixture.order,
                              comparisons: [], error: error.inCase(fixture.name), refusal: nil)
        }
    }

    /// A case torch refuses passes when Swift refuses it too, with an error of its own.
    private static func checkRefusal<Backend: ParityBackend>(
        _ fixture: FixtureCase, suite: String, torchMessage: String, on backend: Backend
    ) -> CaseReport {
        func report(error: ParityError?, refusal: String?) -> CaseReport {
            CaseReport(suite: suite, name: fixture.name, dtype: fixture.dtype, order: fixture.order,
                       comparisons: [], error: error, refusal: refusal)
        }
        do {
            _ = try CaseRunner.run(backend, expr: fixture.expr, inputs: fixture.inputs, dtype: fixture.dtype,
                                   order: fixture.order, upstream: { shape in
                                       HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *)))
                                   })
            return report(error: ParityError("torch refuses this case (\(torchMessage)) but Swift computed a result",
                                             caseName: fixture.name), refusal: nil)
        } catch where error.isUnsupported {
            return report(error: error.inCase(fixture.name), refusal: nil)
        } catch where error.isRefusal {
            return report(error: nil, refusal: error.description)
        } catch {
            return report(error: error.inCase(fixture.name), refusal: nil)
        }
    }
}
