import Foundation
import Parity
import ParityAutograd
import PythonBridge

extension GenFixtures {
    /// Generates (or, with `--check`, regenerates in memory and compares) every training
    /// suite: `OUT/training/SUITE.json`. Returns the drift lines of `--check`.
    /// Nothing is written here: the files are appended to `writes`.
    func generateTraining(_ suites: [(path: String, spec: TrainingSuiteSpec)], torch: FixtureGenerator, out: OutputDirectory,
                          writes: inout [(path: String, contents: Data)]) throws -> [String] {
        guard !suites.isEmpty else { return [] }
        let generator: TrainingGenerator
        do {
            generator = try TrainingGenerator(torchVersion: torch.torch.version, pythonVersion: torch.pythonVersion)
        } catch {
            throw ParityError("cannot load torch_training.py (\(error.typeName): \(error.message))")
        }
        log("training: initial parameters reach torch through \(generator.safetensors)")
        var drift: [String] = []
        for (n, (path, spec)) in suites.enumerated() {
            let clock = Date()
            let prefix = "[training \(n + 1)/\(suites.count)] \(spec.suite)"
            log("\(prefix): \(spec.cases.count) runs from \(path)")
            let suite: TrainingFixtureSuite
            let modelFiles: [(name: String, bytes: Data)]
            do {
                (suite, modelFiles) = try generator.generate(spec)
            } catch {
                throw error.inFile(path)
            }
            for c in suite.cases {
                guard let drift = TrainingReplay.torchFloat32Drift(c) else { continue }
                log(String(format: "  %@: torch float32 vs float64 after %d steps: max abs %.3g, max rel %.3g (tolerance %@)",
                           c.name, c.steps, drift.abs, drift.rel, c.effectiveTolerance.description))
            }
            let training = (name: "training", field: "out")
            let target = try out.file(in: [training], named: spec.suite, field: "suite", suffix: ".json")
            // torch's final parameters of each case, as torch's safetensors.save_file wrote them:
            // training/SUITE/CASE.safetensors (TrainingFixtureFiles.modelFile).
            let modelPaths = try modelFiles.map { file throws(ParityError) in
                (try out.file(in: [training, (spec.suite, "suite")], named: file.name, field: "cases.name", suffix: ".safetensors"), file.bytes)
            }
            let elapsed = String(format: "%.2fs", Date().timeIntervalSince(clock))
            if check {
                let problems = compareTraining(suite, withCommittedAt: target)
                    + modelPaths.filter { !FileManager.default.fileExists(atPath: $0.0) }.map { "\($0.0) does not exist" }
                drift += problems.map { "\(target): \($0)" }
                log("\(prefix): \(problems.isEmpty ? "matches" : "\(problems.count) difference(s) from") \(target) (\(elapsed))")
            } else if !rewrite, unchangedTraining(suite, committedAt: target, modelFiles: modelPaths.map(\.0)) {
                log("\(prefix): \(target) unchanged: the same torch gives the same values within tolerance (\(elapsed))")
            } else {
                writes.append((target, Data(JSONWriter.write(suite.json).utf8)))
                writes += modelPaths.map { (path: $0.0, contents: $0.1) }
                log("\(prefix): generated (\(elapsed))")
            }
        }
        return drift
    }

    /// Whether a committed training fixture and its model files can stay as they are
    /// (see `unchanged(_:committedAt:)`): the model files are torch's final parameters,
    /// which the fixture's own final values already compare within tolerance.
    private func unchangedTraining(_ suite: TrainingFixtureSuite, committedAt path: String, modelFiles: [String]) -> Bool {
        guard FileManager.default.fileExists(atPath: path), modelFiles.allSatisfy(FileManager.default.fileExists),
              let committed = try? TrainingFixtureSuite(contentsOf: path, limits: limitOptions.limits) else { return false }
        return committed.torch == suite.torch && committed.python == suite.python
            && TrainingDrift.differences(committed: committed, regenerated: suite).isEmpty
    }

    private func compareTraining(_ suite: TrainingFixtureSuite, withCommittedAt path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return ["does not exist"] }
        do {
            return TrainingDrift.differences(committed: try TrainingFixtureSuite(contentsOf: path, limits: limitOptions.limits),
                                             regenerated: suite)
        } catch {
            return ["cannot be read: \(error)"]
        }
    }
}
