/// A further, independent source of a case's first-order gradients, set beside the three
/// references of the triage (torch, Swift's backward, central differences).
///
/// `Parity` itself has none: the `parity` command passes the compiler-derived one of
/// `ParityDifferentiation` (gradients from Swift's `_Differentiation`, for all-scalar
/// cases), which keeps `_Differentiation` out of the core modules. Another autograd
/// library can serve the same way.
public protocol GradientReference: Sendable {
    /// A short name for reports: `compiler AD`.
    var name: String { get }
    /// Why the reference cannot compute `fixture`, or `nil` if it can.
    func unsupportedReason(_ fixture: FixtureCase) -> String?
    /// The case's output and first-order gradients (one per input), in float64, with the
    /// fixture's inputs and upstream gradient.
    func firstOrder(_ fixture: FixtureCase) throws(ParityError) -> (output: HostTensor, gradients: [HostTensor])
}

/// Whether a further reference agrees with torch and with Swift's backward on one case:
/// output and first-order gradients, all in float64, within float64's tolerance (torch's
/// float64 results stand in for a float32 case's, as in the triage).
public struct ReferenceAgreement: Sendable {
    /// The reference's ``GradientReference/name``.
    public let reference: String
    public let agreesWithTorch: Bool
    public let agreesWithSwift: Bool
    /// Set when the reference could not compute a case it supports.
    public let failure: String?

    /// `= torch = Swift`, `= torch ≠ Swift`, `≠ torch, = Swift`, `≠ torch ≠ Swift`, or `failed`.
    public var summary: String {
        if failure != nil { return "failed" }
        switch (agreesWithTorch, agreesWithSwift) {
        case (true, true): return "= torch = Swift"
        case (true, false): return "= torch ≠ Swift"
        case (false, true): return "≠ torch, = Swift"
        case (false, false): return "≠ torch ≠ Swift"
        }
    }

    /// Compares `reference` with torch and with `backend`'s float64 backward on `fixture`;
    /// `nil` when the reference does not support the case.
    public static func check<Backend: ParityBackend>(
        _ fixture: FixtureCase, against reference: some GradientReference, backend: Backend
    ) -> ReferenceAgreement? {
        guard reference.unsupportedReason(fixture) == nil else { return nil }
        let computed: (output: HostTensor, gradients: [HostTensor])
        do {
            computed = try reference.firstOrder(fixture)
        } catch {
            return ReferenceAgreement(reference: reference.name, agreesWithTorch: false, agreesWithSwift: false,
                                      failure: error.description)
        }
        let values = [computed.output] + computed.gradients
        let torch = fixture.float64.map { [$0.output] + ($0.grads.first ?? []) }
            ?? [fixture.output] + (fixture.grads.first ?? [])
        // A float32 case without torch's float64 results is held to its own tolerance.
        let tolerance = fixture.dtype == .float64 || fixture.float64 != nil
            ? Tolerance.default(for: .float64) : fixture.effectiveTolerance
        let swift = try? CaseRunner.run(backend, expr: fixture.expr, inputs: fixture.inputs, dtype: .float64,
                                        order: 1) { _ in fixture.upstream }
        return ReferenceAgreement(
            reference: reference.name,
            agreesWithTorch: agree(values, torch, tolerance),
            agreesWithSwift: swift.map { agree(values, [$0.output] + ($0.grads.first ?? []), .default(for: .float64)) } ?? false,
            failure: nil)
    }

    private static func agree(_ a: [HostTensor], _ b: [HostTensor], _ tolerance: Tolerance) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { tolerance.compare($0, $1, label: "").passed }
    }
}

extension CaseAnalysis {
    /// ``analyze(_:suite:on:)``, and where `reference` supports the case, how it agrees
    /// with torch and the backend (``fourthReference``).
    public static func analyze<Backend: ParityBackend>(
        _ fixture: FixtureCase, suite: String, on backend: Backend, reference: (any GradientReference)?
    ) -> CaseAnalysis {
        var analysis = analyze(fixture, suite: suite, on: backend)
        if let reference {
            analysis.fourthReference = ReferenceAgreement.check(fixture, against: reference, backend: backend)
        }
        return analysis
    }
}

extension MarkdownReport {
    /// The fourth reference's part of the "Three references" section: how many cases it
    /// computed, how they agree, and the cases where it disagrees. Empty without one.
    static func fourthReference(_ cases: [CaseAnalysis]) -> String {
        let checked = cases.compactMap { c in c.fourthReference.map { (c, $0) } }
        guard let name = checked.first?.1.reference else { return "" }
        var out = "\n\nA fourth reference, **\(name)**, computes the output and first-order gradients of "
        out += "\(checked.count) of the \(cases.count) cases (float64), compared with torch's and Swift's backward's.\n\n"
        out += "| \(name) | cases |\n|---|---:|\n"
        var counts: [String: Int] = [:]
        for (_, agreement) in checked { counts[agreement.summary, default: 0] += 1 }
        for summary in ["= torch = Swift", "= torch ≠ Swift", "≠ torch, = Swift", "≠ torch ≠ Swift", "failed"] {
            if let n = counts[summary] { out += "| \(summary) | \(n) |\n" }
        }
        for (c, agreement) in checked where !(agreement.agreesWithTorch && agreement.agreesWithSwift) {
            out += "\n- \(text("\(c.report.suite)/\(c.report.name)")): \(name) \(agreement.summary)"
            if let failure = agreement.failure { out += " (\(text(failure)))" }
        }
        return out + "\n"
    }
}
