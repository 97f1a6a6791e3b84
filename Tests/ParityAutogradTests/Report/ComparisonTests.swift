import Testing
@testable import Parity
import ParityAutograd

@Suite("Comparison and drift")
struct ComparisonTests {
    let tolerance = Tolerance(rtol: 1e-7, atol: 1e-7)

    @Test func acceptsWithinAtolPlusRtol() {
        #expect(tolerance.accepts(1 + 1.9e-7, 1))        // allowed 1e-7 + 1e-7·1
        #expect(!tolerance.accepts(1 + 2.1e-7, 1))
        #expect(tolerance.accepts(1e10 + 999, 1e10))    // allowed 1e-7 + 1e3
        #expect(!tolerance.accepts(1e10 + 1001, 1e10))
    }

    @Test func nanMatchesNanAndInfinitiesMatchBySign() {
        #expect(tolerance.accepts(.nan, .nan))
        #expect(!tolerance.accepts(0, .nan))
        #expect(!tolerance.accepts(.nan, 0))
        #expect(tolerance.accepts(.infinity, .infinity))
        #expect(!tolerance.accepts(-.infinity, .infinity))
        #expect(!tolerance.accepts(1e308, .infinity))
    }

    @Test func torchDefaults() {
        #expect(Tolerance.default(for: .float64) == Tolerance(rtol: 1e-7, atol: 1e-7))
        #expect(Tolerance.default(for: .float32) == Tolerance(rtol: 1.3e-6, atol: 1e-5))
    }

    @Test func failuresNameTheElement() {
        let c = tolerance.compare(HostTensor(shape: [2, 2], data: [1, 2, 3, 5]), HostTensor(shape: [2, 2], data: [1, 2, 3, 4]), label: "grad")
        #expect(c.failure?.hasPrefix("grad[1, 1]: got 5.0, expected 4.0") == true, "\(c.failure ?? "")")
        #expect(c.maxAbsError == 1 && c.maxRelError == 0.25)
        let shape = tolerance.compare(HostTensor(shape: [4], data: [1, 2, 3, 4]), HostTensor(shape: [2, 2], data: [1, 2, 3, 4]), label: "out")
        #expect(shape.failure == "out: shape [4], expected [2, 2]")
    }

    func suite(_ output: Double, cases names: [String] = ["a"], input: Double = 1) -> FixtureSuite {
        FixtureSuite(suite: "s", torch: "t", python: "p", cases: names.map { name in
            FixtureCase(name: name, expr: "x", dtype: .float64, order: 1, tolerance: nil,
                        inputs: [("x", HostTensor(scalar: input))], upstream: HostTensor(scalar: 1),
                        output: HostTensor(scalar: output), grads: [[HostTensor(scalar: 1)]])
        })
    }

    @Test func driftNamesCaseAndValue() {
        #expect(Drift.differences(committed: suite(1), regenerated: suite(1 + 1e-9)).isEmpty)
        let moved = Drift.differences(committed: suite(1), regenerated: suite(1.001))
        #expect(moved.count == 1 && moved[0].hasPrefix("case 'a': output: got 1.0, expected 1.001"), "\(moved)")
        let missing = Drift.differences(committed: suite(1), regenerated: suite(1, cases: ["a", "b"]))
        #expect(missing == ["case 'b': missing from the committed fixture"])
        let stale = Drift.differences(committed: suite(1, cases: ["a", "old"]), regenerated: suite(1))
        #expect(stale == ["case 'old': in the committed fixture but no longer in the spec"])
        let input = Drift.differences(committed: suite(1), regenerated: suite(1, input: 2))
        #expect(input == ["case 'a': input x differs from the one the spec now gives"])
    }

    /// A case torch refuses passes only if Swift refuses it too.
    @Test func refusalsMustBeMatched() throws {
        let refused = FixtureCase.refused(name: "r", expr: "x + y", dtype: .float64, order: 1,
                                          inputs: [("x", HostTensor(shape: [2], data: [1, 2])), ("y", HostTensor(shape: [3], data: [1, 2, 3]))],
                                          message: "add: RuntimeError: The size of tensor a (2) must match")
        let report = ParityCheck.check(refused, suite: "s", on: AutogradBackend())
        #expect(report.passed)
        #expect(report.refusal?.contains("shapes [2] and [3] do not broadcast") == true)

        var computable = refused
        computable.inputs[1].value = HostTensor(shape: [2], data: [1, 2])
        let wrong = ParityCheck.check(computable, suite: "s", on: AutogradBackend())
        #expect(!wrong.passed)
        #expect(wrong.failures.first?.contains("torch refuses this case") == true)

        let back = try FixtureSuite(parsing: JSONWriter.write(FixtureSuite(suite: "s", torch: "t", python: "p", cases: [refused]).json))
        #expect(back.cases[0].refusal == refused.refusal)
        #expect(Drift.differences(committed: back, regenerated: suite(1, cases: ["r"])) == ["case 'r': torch now computes it; the fixture has a refusal"])
    }

    @Test func fixturesRoundTripThroughJSON() throws {
        let original = suite(.nan, cases: ["a", "b"])
        let back = try FixtureSuite(parsing: JSONWriter.write(original.json))
        #expect(back.cases.map(\.name) == ["a", "b"])
        #expect(back.cases[0].output.data[0].isNaN)
        #expect(back.cases[1].inputs[0].value == original.cases[1].inputs[0].value)
    }

    @Test func atomicWriteLeavesNoTemporaryFile() throws {
        let directory = "/tmp/parity-tests-\(UInt32.random(in: 0...UInt32.max))"
        let path = directory + "/out.json"
        try FixtureFiles.writeAtomically("first\n", to: path)
        try FixtureFiles.writeAtomically("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func junitReportEscapesAndCounts() {
        let failing = CaseReport(suite: "s", name: "a<b", dtype: .float64, order: 1, comparisons: [
            TensorComparison(label: "output", maxAbsError: 1, maxRelError: 1, failure: "output: got \"1\""),
        ], error: nil, refusal: nil)
        let xml = JUnitReport.xml([failing])
        #expect(xml.contains(#"<testsuites name="parity" tests="1" failures="1" skipped="0">"#))
        #expect(xml.contains("a&lt;b"))
        #expect(xml.contains("got &quot;1&quot;"))
    }
}

import Foundation

@Suite("Three references")
struct TriageTests {
    func fixture(expr: String, x: [Double], output: [Double], grad: [Double]) -> FixtureCase {
        FixtureCase(name: "c", expr: expr, dtype: .float64, order: 1, tolerance: nil,
                    inputs: [("x", HostTensor(shape: [x.count], data: x))],
                    upstream: HostTensor(shape: [x.count], data: Array(repeating: 1, count: x.count)),
                    output: HostTensor(shape: [x.count], data: output), grads: [[HostTensor(shape: [x.count], data: grad)]])
    }

    /// x³ at 2: y = 8, dy/dx = 12; central differences agree with both.
    @Test func allAgreeOnAGoodCase() {
        #expect(CaseAnalysis.triage(fixture(expr: "x ** 3", x: [2], output: [8], grad: [12]), on: AutogradBackend()) == .allAgree)
    }

    /// A wrong gradient in the fixture is pinned on the fixture.
    @Test func wrongFixtureGradientIsSuspected() {
        #expect(CaseAnalysis.triage(fixture(expr: "x ** 3", x: [2], output: [8], grad: [13]), on: AutogradBackend()) == .fixtureSuspect)
    }

    /// A wrong output is a forward problem.
    @Test func wrongOutputPointsAtTheForward() {
        #expect(CaseAnalysis.triage(fixture(expr: "x ** 3", x: [2], output: [9], grad: [12]), on: AutogradBackend()) == .forwardSuspect)
    }

    /// relu at 0: torch and Swift say 0, central differences say 1/2 (a kink).
    @Test func kinksShowAsNumericalOff() {
        #expect(CaseAnalysis.triage(fixture(expr: "relu(x)", x: [0], output: [0], grad: [0]), on: AutogradBackend()) == .numericalOff)
    }

    /// Central differences of sin at 0.3 approximate cos(0.3) = 0.955336489125606.
    @Test func centralDifferencesApproximateTheDerivative() throws {
        let g = try CaseAnalysis.centralDifferences(fixture(expr: "sin(x)", x: [0.3], output: [0], grad: [0]), on: AutogradBackend())
        #expect(abs(g[0].data[0] - 0.955336489125606) < 1e-9)
    }
}
