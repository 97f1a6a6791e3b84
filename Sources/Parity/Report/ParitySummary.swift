/// The counts of a parity run: cases that passed, failed, and that the backend does not
/// support (counted apart: an autograd library that implements ten ops is not failing
/// the other ninety).
public struct ParitySummary: Sendable {
    public let reports: [CaseReport]

    public init(_ reports: [CaseReport]) {
        self.reports = reports
    }

    /// Runs every case of `suites` on `backend` (``ParityCheck/check(_:suite:on:)``).
    public init<Backend: ParityBackend>(checking suites: [FixtureSuite], on backend: Backend) {
        self.init(suites.flatMap { suite in suite.cases.map { ParityCheck.check($0, suite: suite.suite, on: backend) } })
    }

    public var passed: Int { reports.count { $0.verdict == .passed } }
    public var failed: Int { reports.count { $0.verdict == .failed } }
    public var unsupported: Int { reports.count { $0.verdict == .unsupported } }

    /// How many cases are unsupported for each reason, most frequent first.
    public var unsupportedReasons: [(reason: String, cases: Int)] {
        var counts: [String: Int] = [:]
        for report in reports { if let reason = report.unsupportedReason { counts[reason, default: 0] += 1 } }
        return counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// `N passed, N failed`, with `, N skipped` when the backend left cases unsupported:
    /// the closing line test runners and CI read.
    public var closingLine: String {
        "\(passed) passed, \(failed) failed" + (unsupported > 0 ? ", \(unsupported) skipped" : "")
    }
}
