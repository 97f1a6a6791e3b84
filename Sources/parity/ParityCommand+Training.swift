import Foundation
import Parity
import ParityAutograd

extension ParityCommand {
    /// The training fixtures among the command's files (`"kind": "training"`), or by
    /// default every `fixtures/torch/training/*.json`; and the other files.
    func partitionTrainingFixtures(_ files: [String]) throws(ParityError) -> (training: [String], expressions: [String]) {
        if fixtures.isEmpty {
            return (try TrainingFixtureFiles.trainingFiles(under: FixtureFiles.fixtureDirectory), files)
        }
        let training = files.filter { TrainingFixtureFiles.isTraining($0, limits: limitOptions.limits) }
        return (training, files.filter { !training.contains($0) })
    }

    /// Replays every training case, printing one row each in the report's columns (the
    /// order column shows the number of steps; the last column, for float32, torch's own
    /// float32 error beside Swift's, both against torch's float64 run).
    func checkTraining(_ files: [String], nameWidth: Int, pad: (String, Int) -> String) throws(ParityError) -> [CaseReport] {
        var reports: [CaseReport] = []
        let suites = try files.map { path throws(ParityError) in try TrainingFixtureSuite(contentsOf: path, limits: limitOptions.limits) }
        let nameWidth = max(nameWidth, suites.flatMap { s in s.cases.map { "training/\(s.suite)/\($0.name)".count } }.max() ?? 0)
        for suite in suites {
            for fixture in suite.cases {
                let report = TrainingReplay.check(fixture, suite: "training/\(suite.suite)")
                reports.append(report)
                var note = "training: loss per step and final parameters"
                if let torchDrift = TrainingReplay.torchFloat32Drift(fixture),
                   let outcome = try? TrainingReplay.run(fixture),
                   let swiftDrift = TrainingReplay.float32Drift(of: outcome, fixture) {
                    note = "vs torch float64: torch f32 \(MarkdownReport.format(torchDrift.abs)), Swift f32 \(MarkdownReport.format(swiftDrift.abs))"
                }
                print(pad("training/\(suite.suite)/\(fixture.name)".escapingControlCharacters, nameWidth), pad(fixture.dtype.rawValue, 8),
                      pad("\(fixture.steps)st", 5),
                      pad(report.error == nil ? MarkdownReport.format(report.maxAbsError) : "error", 12),
                      pad(report.error == nil ? MarkdownReport.format(report.maxRelError) : "error", 12),
                      pad(report.passed ? "pass" : "FAIL", 7), note)
                for failure in report.failures { print("    \(failure.escapingControlCharacters)") }
            }
        }
        return reports
    }
}
