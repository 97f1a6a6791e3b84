import Foundation
import Parity
import ParityAutograd
import PythonBridge

/// `gen-fixtures --fuzz N --seed S --out DIR`: generates N random cases
/// (``ExpressionFuzzer``), runs each in torch and checks it at once in Swift
/// (``ParityCheck``), writes the suite (`DIR/fuzz-S.json`) and torch's fixture
/// (`DIR/torch/fuzz-S.json`), then shrinks every failing case (``CaseShrinker``, with
/// torch and Swift re-run on each candidate) and prints it as a spec entry.
///
/// A float32 case whose values differ beyond tolerance does not fail when
/// ``Float32Noise`` explains it (Swift's float32 results within a few times torch's own
/// float32 error of torch's float64 results); such cases are counted and named in the log.
struct FuzzRun {
    let count: Int
    let seed: UInt64
    let directory: OutputDirectory
    let generator: FixtureGenerator
    let shrinker: CaseShrinker
    /// Progress, to standard error.
    let log: (String) -> Void

    /// How a case fails. A shrunk case must keep failing the same way, so that shrinking
    /// a wrong gradient cannot end on, say, an op Swift refuses.
    enum FailureKind: String {
        /// Output or gradients differ beyond tolerance.
        case mismatch = "values differ"
        /// Swift throws where torch computes.
        case swiftRefuses = "Swift refuses, torch computes"
        /// torch throws where Swift computes (the generator only makes cases Swift computes).
        case torchRefuses = "torch refuses, Swift computes"
    }

    /// A failing case, as checked.
    struct Failure {
        let spec: CaseSpec
        let kind: FailureKind
        /// One line per failed comparison (or the error).
        let reasons: [String]
        /// torch's results, when torch computed them.
        let fixture: FixtureCase?
    }

    /// Runs the fuzz; returns the failures (after printing them, shrunk).
    func run() throws -> [Failure] {
        let fuzzer = ExpressionFuzzer(seed: seed, backend: AutogradBackend())
        let suiteName = ExpressionFuzzer.suiteName(seed: seed)
        log("fuzz: \(count) cases, seed \(seed), \(fuzzer.operations.count) ops (+ subscripts)")
        for (name, reason) in fuzzer.skipped { log("fuzz: skipping \(name): \(reason)") }

        let started = Date()
        var lastReport = started
        var specs: [CaseSpec] = []
        var fixtures: [FixtureCase] = []
        var failures: [Failure] = []
        var noisy: [String] = []
        for index in 0..<count {
            let spec = try fuzzer.makeCase(index)
            specs.append(spec)
            let (failure, fixture) = check(spec)
            if let fixture { fixtures.append(fixture) }
            if failure == nil, let fixture, !ParityCheck.check(fixture, suite: suiteName, on: AutogradBackend()).passed { noisy.append(spec.name) }
            if let failure {
                failures.append(failure)
                log("fuzz: \(spec.name) fails (\(failure.kind.rawValue)): \(failure.reasons.first ?? "")")
            }
            let now = Date()
            let tenth = max(1, count / 10)
            if index + 1 == count || (index + 1) % tenth == 0 || now.timeIntervalSince(lastReport) >= 5 {
                lastReport = now
                log(String(format: "fuzz: [%d/%d] %d failing (%.1fs)", index + 1, count, failures.count,
                           now.timeIntervalSince(started)))
            }
        }

        let specPath = try directory.file(named: suiteName, field: "suite", suffix: ".json")
        let fixturePath = try directory.file(in: [("torch", "out")], named: suiteName, field: "suite", suffix: ".json")
        let suite = FixtureSuite(suite: suiteName, torch: generator.torch.version, python: generator.pythonVersion, cases: fixtures)
        try FixtureFiles.writeAll([(specPath, Data(SuiteSpec(suite: suiteName, cases: specs).jsonText.utf8)),
                                   (fixturePath, Data(JSONWriter.write(suite.json).utf8))])
        log("fuzz: wrote \(specPath) and \(fixturePath)"
            + (fixtures.count < specs.count ? " (\(specs.count - fixtures.count) case(s) torch refused are not in the fixture)" : ""))

        for (n, failure) in failures.enumerated() {
            report(shrink(failure), original: failure, number: n + 1, of: failures.count)
        }
        let elapsed = String(format: "%.1fs", Date().timeIntervalSince(started))
        if !noisy.isEmpty {
            log("fuzz: \(noisy.count) float32 case(s) outside tolerance but within \(Int(Float32Noise.noiseFactor))× torch's own float32 error "
                + "(rounding noise, not failures): \(noisy.joined(separator: ", "))")
        }
        log("fuzz: \(count - failures.count) passed, \(failures.count) failed (\(elapsed))")
        return failures
    }

    // MARK: - Checking

    /// Runs `spec` in torch, then in Swift against torch's results: the failure, if any,
    /// and torch's fixture, if torch computed one.
    func check(_ spec: CaseSpec) -> (Failure?, FixtureCase?) {
        let fixture: FixtureCase
        do {
            fixture = try generator.generate(spec)
        } catch {
            let message = error.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? error.message
            return (Failure(spec: spec, kind: .torchRefuses, reasons: ["torch: \(message)"], fixture: nil), nil)
        }
        let report = ParityCheck.check(fixture, suite: ExpressionFuzzer.suiteName(seed: seed), on: AutogradBackend())
        if report.passed { return (nil, fixture) }
        let kind: FailureKind = report.error == nil ? .mismatch : .swiftRefuses
        if kind == .mismatch, Float32Noise.explains(fixture, on: AutogradBackend()) { return (nil, fixture) }
        return (Failure(spec: spec, kind: kind, reasons: report.failures, fixture: fixture), fixture)
    }

    // MARK: - Shrinking

    /// The smallest case found that fails as `failure` does, with its own check.
    func shrink(_ failure: Failure) -> (result: CaseShrinker.Result, failure: Failure) {
        let torchWasFinite = failure.fixture.map(Self.isFinite) ?? true
        var last = failure
        let result = shrinker.shrink(failure.spec) { candidate in
            let (candidateFailure, fixture) = check(candidate)
            guard let candidateFailure, candidateFailure.kind == failure.kind else { return false }
            // A refusal must keep its message (numbers aside): torch refusing a shrunk
            // case for another reason is another finding.
            if failure.kind != .mismatch,
               Self.signature(candidateFailure.reasons.first) != Self.signature(failure.reasons.first) { return false }
            // Keep torch inside the domains too: a NaN on torch's side is another story.
            if torchWasFinite, let fixture, !Self.isFinite(fixture) { return false }
            last = candidateFailure
            return true
        }
        // `last` is the check of the last accepted candidate, which is the minimal case.
        return (result, result.steps == 0 ? failure : last)
    }

    /// A message with its numbers (shapes, sizes, columns) left out.
    static func signature(_ message: String?) -> String {
        String((message ?? "").map { $0.isNumber ? "#" : $0 }).replacingOccurrences(of: "#+", with: "#", options: .regularExpression)
    }

    private static func isFinite(_ fixture: FixtureCase) -> Bool {
        ([fixture.output] + fixture.grads.flatMap { $0 }).allSatisfy { $0.data.allSatisfy(\.isFinite) }
    }

    /// Prints a shrunk failure: what fails, the spec entry to paste, and which side the
    /// three references (torch, Swift's backward, central differences) point at.
    private func report(_ shrunk: (result: CaseShrinker.Result, failure: Failure), original: Failure, number: Int, of total: Int) {
        let minimal = shrunk.result.minimal
        var lines = ["", "FAIL [\(number)/\(total)] \(original.spec.name): \(original.kind.rawValue)"]
        lines.append("  generated: \(original.spec.jsonLine)")
        lines.append("  shrunk in \(shrunk.result.steps) step(s), \(shrunk.result.attempts) tried"
                     + (shrunk.result.exhausted ? " (attempt limit reached; not necessarily minimal)" : "") + ":")
        lines.append("  " + minimal.jsonLine)
        for reason in shrunk.failure.reasons.prefix(4) { lines.append("    \(reason)") }
        if shrunk.failure.reasons.count > 4 { lines.append("    ... \(shrunk.failure.reasons.count - 4) more") }
        if let fixture = shrunk.failure.fixture {
            let analysis = CaseAnalysis.analyze(fixture, suite: ExpressionFuzzer.suiteName(seed: seed), on: AutogradBackend())
            lines.append("    first-order gradient references: \(analysis.triage.rawValue)")
            if let float32 = analysis.float32 {
                lines.append(String(format: "    float32 against torch's float64 results: Swift max abs %.3g (rel %.3g), torch max abs %.3g (rel %.3g)",
                                    float32.swift.abs, float32.swift.rel, float32.torch.abs, float32.torch.rel))
            }
        }
        print(lines.joined(separator: "\n"))
    }
}
