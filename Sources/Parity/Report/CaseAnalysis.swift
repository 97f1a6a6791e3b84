/// The largest absolute and relative differences between two sets of tensors.
public struct ErrorSize: Sendable {
    public var abs: Double
    public var rel: Double

    static let zero = ErrorSize(abs: 0, rel: 0)

    /// The worst element over pairs of tensors of equal shapes.
    static func between(_ a: [HostTensor], _ b: [HostTensor]) -> ErrorSize {
        var worst = ErrorSize.zero
        let loose = Tolerance(rtol: .infinity, atol: .infinity)
        for (x, y) in zip(a, b) {
            let c = loose.compare(x, y, label: "")
            worst.abs = max(worst.abs, c.maxAbsError)
            worst.rel = max(worst.rel, c.maxRelError)
        }
        return worst
    }
}

/// Which references agree on a case's first-order gradient, to point a mismatch at the
/// side that is wrong. The references: torch (the fixture, in float64), Swift's backward
/// (run in float64), and central differences of Swift's forward pass (float64, gradcheck's
/// step 1e-6 and tolerances atol 1e-5, rtol 1e-3).
public enum Triage: String, Sendable, CaseIterable {
    /// torch, Swift and central differences agree.
    case allAgree = "all agree"
    /// torch and Swift agree; central differences do not (a kink, a pole, a step too coarse).
    case numericalOff = "torch = Swift ≠ numerical"
    /// Swift agrees with central differences, not with torch: the fixture or torch's rule differs.
    case fixtureSuspect = "Swift = numerical ≠ torch"
    /// torch agrees with central differences, not Swift: Swift's backward is suspect.
    case backwardSuspect = "torch = numerical ≠ Swift"
    /// The outputs already differ: the forward pass is suspect.
    case forwardSuspect = "forward differs"
    /// All three differ.
    case noneAgree = "none agree"
    /// Not checked: a refused case, non-finite values, or too many elements.
    case notChecked = "not checked"
}

/// What the parity report says about one case beyond pass/fail.
public struct CaseAnalysis: Sendable {
    public let report: CaseReport
    /// The op-table names the case uses.
    public let operations: [String]
    /// For float32 cases: Swift's float32 results and torch's float32 results, each
    /// against torch's float64 results for the same inputs.
    public let float32: (swift: ErrorSize, torch: ErrorSize)?
    public let triage: Triage
    /// How a further reference (``GradientReference``) agrees with torch and Swift, for
    /// the cases it supports; set by ``analyze(_:suite:on:reference:)``.
    public internal(set) var fourthReference: ReferenceAgreement? = nil

    /// The most input elements central differences are computed for (two forward passes each).
    public static let numericalLimit = 4_096

    /// Checks `fixture` on `backend` (the Swift library under test) and works out the
    /// float32 errors and the triage.
    public static func analyze<Backend: ParityBackend>(_ fixture: FixtureCase, suite: String, on backend: Backend) -> CaseAnalysis {
        let report = ParityCheck.check(fixture, suite: suite, on: backend)
        let operations = (try? Program(parsing: fixture.expr).operationNames) ?? []
        guard fixture.refusal == nil else {
            return CaseAnalysis(report: report, operations: operations, float32: nil, triage: .notChecked)
        }
        var float32: (ErrorSize, ErrorSize)?
        if fixture.dtype == .float32, let wide = fixture.float64,
           let swift = try? run(fixture, dtype: .float32, order: fixture.order, on: backend) {
            let torch = [fixture.output] + fixture.grads.flatMap { $0 }
            let reference = [wide.output] + wide.grads.flatMap { $0 }
            float32 = (ErrorSize.between([swift.output] + swift.grads.flatMap { $0 }, reference),
                       ErrorSize.between(torch, reference))
        }
        return CaseAnalysis(report: report, operations: operations, float32: float32, triage: triage(fixture, on: backend))
    }

    private static func run<Backend: ParityBackend>(
        _ fixture: FixtureCase, dtype: ScalarType, order: Int, on backend: Backend
    ) throws(ParityError) -> CaseOutcome {
        try CaseRunner.run(backend, expr: fixture.expr, inputs: fixture.inputs, dtype: dtype, order: order) { _ in
            fixture.upstream
        }
    }

    static func triage<Backend: ParityBackend>(_ fixture: FixtureCase, on backend: Backend) -> Triage {
        // An int64 output has no gradients to triage.
        guard fixture.isDifferentiated else { return .notChecked }
        let torchOutput = fixture.float64?.output ?? fixture.output
        let torchGrads = fixture.float64?.grads.first ?? fixture.grads.first ?? []
        let elements = fixture.differentiableInputs.reduce(0) { $0 + $1.value.data.count }
        let values = fixture.inputs.flatMap(\.value.data) + torchOutput.data + torchGrads.flatMap(\.data)
        guard elements <= numericalLimit, values.allSatisfy(\.isFinite),
              let swift = try? run(fixture, dtype: .float64, order: 1, on: backend),
              let numerical = try? centralDifferences(fixture, on: backend) else {
            return .notChecked
        }
        let exact = Tolerance.default(for: .float64)
        let coarse = Tolerance(rtol: 1e-3, atol: 1e-5)
        func agree(_ a: [HostTensor], _ b: [HostTensor], _ t: Tolerance) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { t.compare($0, $1, label: "").passed }
        }
        if !exact.compare(swift.output, torchOutput, label: "").passed { return .forwardSuspect }
        let torchSwift = agree(torchGrads, swift.grads[0], exact)
        let swiftNumerical = agree(swift.grads[0], numerical, coarse)
        let torchNumerical = agree(torchGrads, numerical, coarse)
        switch (torchSwift, swiftNumerical, torchNumerical) {
        case (true, true, _): return .allAgree
        case (true, false, _): return .numericalOff
        case (false, true, _): return .fixtureSuspect
        case (false, false, true): return .backwardSuspect
        case (false, false, false): return .noneAgree
        }
    }

    /// ∂/∂x of `Σ output · upstream`, by central differences of the backend's float64
    /// forward pass (on constants), for each floating-point input (int64 inputs are held
    /// fixed and get none).
    static func centralDifferences<Backend: ParityBackend>(
        _ fixture: FixtureCase, on backend: Backend, eps: Double = 1e-6
    ) throws -> [HostTensor] {
        let program = try Program(parsing: fixture.expr)
        let upstream = fixture.upstream.data
        func loss(_ inputs: [HostTensor]) throws -> Double {
            let values = try inputs.map { try backend.constant($0, dtype: .float64) }
            let output = try Evaluator(backend: backend, dtype: .float64)
                .evaluate(program, inputs: zip(fixture.inputs, values).map { ($0.name, $1) })
            return zip(try backend.read(output).data, upstream).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var inputs = fixture.inputs.map(\.value)
        var result: [HostTensor] = []
        for i in inputs.indices where !inputs[i].isInt64 {
            var gradient = inputs[i]
            for j in inputs[i].data.indices {
                let x = inputs[i].data[j]
                inputs[i].data[j] = x + eps
                let plus = try loss(inputs)
                inputs[i].data[j] = x - eps
                let minus = try loss(inputs)
                inputs[i].data[j] = x
                gradient.data[j] = (plus - minus) / (2 * eps)
            }
            result.append(gradient)
        }
        return result
    }
}
