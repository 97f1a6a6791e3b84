import Testing
import Autograd
import Parity
@testable import ParityDifferentiation

/// The second backend against the same fixtures as Swift's: every committed case whose
/// inputs are all 0-d and whose ops all have a scalar form, by ``ParityCheck`` (the
/// fixture's inputs and upstream, every order, ``Tolerance/compare``).
@Suite("Compiler-derived gradients against the PyTorch fixtures")
struct ScalarFixtureTests {
    @Test func fixturesAreReadable() throws {
        _ = try Repository.fixtures.get()
    }

    /// The qualifying cases, per suite and order. The counts are a floor, so that a
    /// suite that loses its scalar cases does not go unnoticed.
    @Test func enoughCasesQualify() throws {
        let cases = ScalarCase.all
        var bySuite: [String: Int] = [:]
        for c in cases { bySuite[c.suite, default: 0] += 1 }
        let byOrder = Dictionary(grouping: cases, by: \.fixture.order).mapValues(\.count)
        let byType = Dictionary(grouping: cases, by: \.fixture.dtype).mapValues(\.count)
        print("scalar backend: \(cases.count) qualifying cases; by suite \(bySuite.sorted { $0.key < $1.key }); "
              + "by order \(byOrder.sorted { $0.key < $1.key }); by dtype \(byType.sorted { $0.key.rawValue < $1.key.rawValue })")
        #expect((bySuite["seed"] ?? 0) >= 15)
        #expect(cases.count >= 18)
        #expect((byOrder[2] ?? 0) > 0 && (byOrder[3] ?? 0) > 0)
        #expect((byType[.float32] ?? 0) > 0)
    }

    @Test("compiler AD matches torch", arguments: ScalarCase.all)
    func matchesTorch(_ scalarCase: ScalarCase) {
        let report = ParityCheck.check(scalarCase.fixture, suite: scalarCase.suite, on: ScalarDifferentiationBackend())
        #expect(report.comparisons.count == 1 + scalarCase.fixture.order * scalarCase.fixture.inputs.count)
        for failure in report.failures {
            Issue.record("\(scalarCase): \(failure)")
        }
    }

    /// The fourth reference agrees with torch and with Swift's backward wherever it runs.
    @Test("compiler AD agrees with torch and Swift's backward", arguments: ScalarCase.all)
    func agreesInTriage(_ scalarCase: ScalarCase) throws {
        let agreement = try #require(ReferenceAgreement.check(scalarCase.fixture, against: CompilerDerivedReference()))
        #expect(agreement.failure == nil)
        #expect(agreement.agreesWithTorch, "\(scalarCase): \(agreement.summary)")
        #expect(agreement.agreesWithSwift, "\(scalarCase): \(agreement.summary)")
    }
}
