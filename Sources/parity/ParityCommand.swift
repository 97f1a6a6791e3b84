import ArgumentParser
import Foundation
import Parity

@main
struct ParityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Checks this library against the committed PyTorch fixtures, case by case.",
        discussion: """
        Evaluates every case of the given fixture files (default: every fixtures/torch/*.json) in
        Swift, with the fixture's own inputs and upstream gradient, and compares the output and
        the gradients of every order with torch's. Prints one row per case and a closing
        'N passed, N failed' line; exits non-zero if any case fails.
        """)

    @Argument(help: "Fixture files (default: every fixtures/torch/*.json).")
    var fixtures: [String] = []

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    func run() throws {
        do {
            try check()
        } catch let error as ParityError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func check() throws {
        let files = fixtures.isEmpty ? try FixtureFiles.jsonFiles(in: FixtureFiles.fixtureDirectory) : fixtures
        guard !files.isEmpty else { throw ParityError("no fixture files found") }
        let suites = try files.map { path throws(ParityError) in try FixtureSuite(contentsOf: path) }

        let nameWidth = max(30, suites.flatMap { s in s.cases.map { s.suite.count + $0.name.count + 1 } }.max() ?? 0)
        print(pad("case", nameWidth), pad("dtype", 8), pad("order", 5), pad("max abs err", 12), pad("max rel err", 12), "result")
        var reports: [CaseReport] = []
        for suite in suites {
            for fixture in suite.cases {
                let report = ParityCheck.check(fixture, suite: suite.suite)
                reports.append(report)
                let errors = report.refusal != nil
                    ? [pad("refused", 12), pad("refused", 12)]
                    : [pad(Self.format(report.maxAbsError), 12), pad(Self.format(report.maxRelError), 12)]
                print(pad("\(suite.suite)/\(fixture.name)", nameWidth), pad(fixture.dtype.rawValue, 8),
                      pad("\(fixture.order)", 5), errors[0], errors[1], report.passed ? "pass" : "FAIL")
                for failure in report.failures { print("    \(failure)") }
            }
        }
        if let junit {
            try FixtureFiles.writeAtomically(JUnitReport.xml(reports), to: junit)
        }
        let failed = reports.filter { !$0.passed }.count
        print("\(reports.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }

    private static func format(_ x: Double) -> String {
        x == 0 ? "0" : x.isFinite ? String(format: "%.2e", x) : "\(x)"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
