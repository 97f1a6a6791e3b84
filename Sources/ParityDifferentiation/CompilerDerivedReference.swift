import Parity

/// The compiler's first-order gradients as a fourth reference for the parity report:
/// each all-scalar case run on ``ScalarDifferentiationBackend`` in float64, through the
/// same ``CaseRunner`` as torch and Swift, with the fixture's inputs and upstream gradient.
///
/// The `parity` command passes it to `CaseAnalysis.analyze(_:suite:reference:)`.
public struct CompilerDerivedReference: GradientReference {
    public init() {}

    public var name: String { "compiler AD" }

    public func unsupportedReason(_ fixture: FixtureCase) -> String? {
        ScalarDifferentiationBackend.unsupportedReason(fixture)
    }

    public func firstOrder(_ fixture: FixtureCase) throws(ParityError) -> (output: HostTensor, gradients: [HostTensor]) {
        let outcome = try CaseRunner.run(ScalarDifferentiationBackend(), expr: fixture.expr, inputs: fixture.inputs,
                                         dtype: .float64, order: 1) { _ in fixture.upstream }
        return (outcome.output, outcome.grads.first ?? [])
    }
}
