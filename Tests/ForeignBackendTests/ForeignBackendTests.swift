import Foundation
import Parity
import Testing

/// Another library held to torch's fixtures through the harness product alone: this
/// target depends on `Parity` only, so nothing here links the repository's Autograd.
@Suite("A foreign backend on the committed scalar suites")
struct ForeignBackendTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The committed suites of scalar cases (the seed's chains and the scalar suite).
    static func scalarSuites() throws -> [FixtureSuite] {
        try ["scalar", "seed"].map { name in
            try FixtureSuite(contentsOf: root + "/" + FixtureFiles.fixtureDirectory + "/\(name).json")
        }
    }

    @Test func everySupportedCasePassesAndTheRestAreCountedApart() throws {
        let suites = try Self.scalarSuites()
        let summary = ParitySummary(checking: suites, on: TinyBackend())
        let cases = suites.flatMap(\.cases)
        #expect(summary.reports.count == cases.count)
        #expect(summary.failed == 0, "\(summary.reports.filter { $0.verdict == .failed }.map(\.failures))")
        // Which cases the backend cannot run follows from its declaration alone: an op it
        // lacks, float32, or a tensor that is not 0-d.
        let declared = TinyBackend().supportedOperations ?? []
        let expectedUnsupported = cases.filter { c in
            let ops = (try? Program(parsing: c.expr).operationNames) ?? []
            return c.dtype != .float64 || c.inputs.contains { !$0.value.shape.isEmpty }
                || ops.contains { !declared.contains(OpName(rawValue: $0)) }
        }
        #expect(summary.unsupported == expectedUnsupported.count, "\(summary.unsupportedReasons)")
        #expect(summary.passed == cases.count - expectedUnsupported.count)
        #expect(summary.passed >= 15)
        #expect(summary.unsupported > 0)
        #expect(summary.closingLine == "\(summary.passed) passed, 0 failed, \(summary.unsupported) skipped")
        // The reasons name what is missing.
        let reasons = summary.unsupportedReasons.map(\.reason)
        #expect(reasons.contains("the backend does not compute in float32"))
        #expect(reasons.contains { $0.contains("relu") })
    }

    /// The Tanh→Sigmoid chain of the seed: d/dx sigmoid(tanh(x)) at 1 is 0.0911, as torch gives.
    @Test func theSeedChainMatchesTorch() throws {
        let seed = try Self.scalarSuites()[1]
        let chain = try #require(seed.cases.first { $0.expr == "sigmoid(tanh(x))" && $0.dtype == .float64 })
        let report = ParityCheck.check(chain, suite: seed.suite, on: TinyBackend())
        #expect(report.verdict == .passed)
        let outcome = try CaseRunner.run(TinyBackend(), expr: chain.expr, inputs: [("x", HostTensor(scalar: 1))],
                                         dtype: .float64, order: 1) { _ in HostTensor(scalar: 1) }
        #expect(abs(outcome.grads[0][0].data[0] - 0.0911) < 5e-5)
    }

    /// A wrong derivative is a failure, not an unsupported case.
    @Test func aWrongGradientFails() throws {
        let summary = ParitySummary(checking: try Self.scalarSuites(), on: TinyBackend(breaksTanh: true))
        let failed = summary.reports.filter { $0.verdict == .failed }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { (try? Program(parsing: findCase($0).expr).operationNames.contains("tanh")) == true })
        #expect(summary.closingLine.contains("\(failed.count) failed"))
    }

    private func findCase(_ report: CaseReport) -> FixtureCase {
        let suites = (try? Self.scalarSuites()) ?? []
        return suites.first { $0.suite == report.suite }!.cases.first { $0.name == report.name }!
    }

    /// JUnit shows unsupported cases as skipped, not as failures.
    @Test func junitMarksUnsupportedCasesSkipped() throws {
        let summary = ParitySummary(checking: try Self.scalarSuites(), on: TinyBackend())
        let xml = JUnitReport.xml(summary.reports)
        #expect(xml.contains("failures=\"0\" skipped=\"\(summary.unsupported)\""))
        #expect(xml.components(separatedBy: "<skipped ").count - 1 == summary.unsupported)
    }
}
