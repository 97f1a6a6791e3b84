import ArgumentParser
import Foundation
import Parity
import PythonBridge

@main
struct GenFixtures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen-fixtures",
        abstract: "Runs every spec case in PyTorch (embedded CPython) and writes the reference fixtures.",
        discussion: """
        Reads the specs (default: every fixtures/specs/*.json), evaluates each case in torch with
        the same expression evaluator and op table the Swift side uses, and writes one fixture per
        suite to OUT/SUITE.json (default OUT: fixtures/torch). With --check nothing is written:
        the fixtures are regenerated in memory and compared with the committed ones.

        Python: --python, else $AUTOGRAD_PYTHON, else the venv tools/setup.sh makes
        ($AUTOGRAD_VENV, default ~/.cache/swift-autograd/torch-venv).
        """)

    @Option(name: .customLong("spec"), help: "A spec file to generate (repeatable; default: every fixtures/specs/*.json).")
    var specs: [String] = []

    @Option(help: "The directory fixtures are written to (or, with --check, read from).")
    var out: String = FixtureFiles.fixtureDirectory

    @Flag(help: "Regenerate in memory and fail where the committed fixtures drift beyond tolerance or lack a case.")
    var check = false

    @Option(help: "The Python interpreter (a venv's bin/python) whose torch to use.")
    var python: String?

    func run() throws {
        do {
            try generate()
        } catch let error as ParityError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as PythonError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func generate() throws {
        let requested = specs.isEmpty
            ? try FixtureFiles.jsonFiles(in: FixtureFiles.specDirectory) + TrainingFixtureFiles.trainingFiles(under: FixtureFiles.specDirectory)
            : specs
        guard !requested.isEmpty else { throw ParityError("no spec files found") }
        // Training specs ("kind": "training") go to the training generator (GenFixtures+Training.swift).
        let trainingFiles = requested.filter(TrainingFixtureFiles.isTraining)
        let specFiles = requested.filter { !trainingFiles.contains($0) }
        // Read every spec before starting Python: a malformed spec fails fast.
        let suites = try specFiles.map { path throws(ParityError) in (path, try SuiteSpec(contentsOf: path)) }
        let trainingSuites = try trainingFiles.map { path throws(ParityError) in (path, try TrainingSuiteSpec(contentsOf: path)) }

        let generator = try startTorch()
        var drift: [String] = []
        let started = Date()
        for (n, (path, spec)) in suites.enumerated() {
            let clock = Date()
            let prefix = "[\(n + 1)/\(suites.count)] \(spec.suite)"
            log("\(prefix): \(spec.cases.count) cases from \(path)")
            let suite: FixtureSuite
            do {
                suite = try generator.generate(spec)
            } catch {
                throw error.inFile(path)
            }
            let target = FixtureFiles.fixturePath(suite: spec.suite, in: out)
            let elapsed = String(format: "%.2fs", Date().timeIntervalSince(clock))
            if check {
                let problems = Self.compare(suite, withCommittedAt: target)
                drift += problems.map { "\(target): \($0)" }
                log("\(prefix): \(problems.isEmpty ? "matches" : "\(problems.count) difference(s) from") \(target) (\(elapsed))")
            } else {
                try FixtureFiles.writeAtomically(JSONWriter.write(suite.json), to: target)
                log("\(prefix): wrote \(target) (\(elapsed))")
            }
        }
        drift += try generateTraining(trainingSuites, torch: generator)
        log(String(format: "done: %d suites in %.1fs", suites.count + trainingSuites.count, Date().timeIntervalSince(started)))
        if !drift.isEmpty {
            for line in drift { FileHandle.standardError.write(Data("error: \(line)\n".utf8)) }
            FileHandle.standardError.write(Data("error: the committed fixtures drift from the specs; run `swift run gen-fixtures` and commit the result\n".utf8))
            throw ExitCode.failure
        }
    }

    private static func compare(_ suite: FixtureSuite, withCommittedAt path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return ["does not exist"] }
        do {
            return Drift.differences(committed: try FixtureSuite(contentsOf: path), regenerated: suite)
        } catch {
            return ["cannot be read: \(error)"]
        }
    }

    /// Starts the embedded interpreter on the chosen Python and imports torch, with a
    /// message saying what to run when either is missing.
    private func startTorch() throws -> FixtureGenerator {
        let executable = PythonLocation.resolve(explicit: python)
        let setup = PythonLocation.setupAdvice
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ParityError("no Python at \(executable); \(setup)")
        }
        try Python.initialize(executable: executable)
        do {
            let torch = try TorchBackend()
            log("torch \(torch.version), Python \(Python.version) (\(executable))")
            return FixtureGenerator(torch: torch, pythonVersion: Python.version)
        } catch {
            throw ParityError("cannot import torch with \(executable) (\(error.typeName): \(error.message)); \(setup)")
        }
    }

    /// Progress goes to standard error, unbuffered, so it shows while work is under way.
    func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
