import ArgumentParser
import Foundation
import Parity
import ParityAutograd
import ParityCommandLine
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

        With --fuzz N, no spec is read: N random cases are generated from the op table (seeded by
        --seed), each run in torch and checked in Swift at once; the suite is written to
        OUT/fuzz-SEED.json and torch's fixture to OUT/torch/fuzz-SEED.json (default OUT: .build/fuzz).
        Every failing case is shrunk (torch and Swift re-run on each candidate) and printed as a
        spec entry to paste into a suite; the exit status is non-zero if any case fails.

        Python: --python, else $AUTOGRAD_PYTHON, else the venv tools/setup.sh makes
        ($AUTOGRAD_VENV, default ~/.cache/swift-autograd/torch-venv).

        Suite and case names are names, not paths (ASCII letters, digits, '_', '-', '.'); OUT
        is checked before torch starts; nothing is written until every suite is generated.
        Files, tensors, cases and models beyond the --max-* limits are refused (Sources/Parity/Parity.docc/Limits.md).
        """)

    @Option(name: .customLong("spec"), help: "A spec file to generate (repeatable; default: every fixtures/specs/*.json).")
    var specs: [String] = []

    @Option(help: "The directory fixtures are written to (or, with --check, read from; default fixtures/torch, or .build/fuzz with --fuzz).")
    var out: String?

    @Flag(help: "Regenerate in memory and fail where the committed fixtures drift beyond tolerance or lack a case.")
    var check = false

    @Option(help: "The Python interpreter (a venv's bin/python) whose torch to use.")
    var python: String?

    @Option(name: .customLong("fuzz"), help: ArgumentHelp("Generate this many random cases, check each against torch, and shrink the failing ones.", valueName: "N"))
    var fuzzCount: Int?

    @Option(help: "The seed of --fuzz (the same seed gives the same cases).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("With --fuzz: the most candidates tried while shrinking one failing case.", valueName: "N"))
    var shrinkAttempts: Int = 500

    @Flag(help: "Write every fixture, also those that the same torch reproduces within tolerance (which are otherwise left untouched).")
    var rewrite = false

    @Flag(help: "Check that the embedded torch multiplies matrices bit for bit as torch in a plain child Python does (no BLAS of ours captured its symbols); writes nothing.")
    var checkTorchIndependence = false

    @Flag(help: "Run PyTorch's own test inputs (the OpInfo samples of op_db) as cases: convert, generate, check, report per op; writes to --out (default .build/opinfo).")
    var opinfo = false

    @Flag(help: "With --opinfo: also take each OpInfo's reference_inputs (many more, larger samples).")
    var opinfoReference = false

    @Option(name: .customLong("opinfo-op"), help: ArgumentHelp("With --opinfo: only this catalogue op (repeatable, or comma-separated).", valueName: "OP"))
    var opinfoOps: [String] = []

    @Option(help: "With --opinfo: rewrite the OpInfo table between the opinfo markers of this file (Sources/Parity/Parity.docc/Coverage.md).")
    var updateFile: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        if opinfo, checkTorchIndependence || fuzzCount != nil || check || !specs.isEmpty {
            throw ValidationError("--opinfo runs alone: it cannot be combined with --fuzz, --check, --spec or --check-torch-independence")
        }
        if !opinfo, opinfoReference || !opinfoOps.isEmpty || updateFile != nil {
            throw ValidationError("--opinfo-reference, --opinfo-op and --update-file go with --opinfo")
        }
        if checkTorchIndependence, fuzzCount != nil || check || !specs.isEmpty {
            throw ValidationError("--check-torch-independence runs alone: it cannot be combined with --fuzz, --check or --spec")
        }
        guard let fuzzCount else { return }
        guard fuzzCount > 0 else { throw ValidationError("--fuzz takes a positive number of cases") }
        guard specs.isEmpty, !check else { throw ValidationError("--fuzz makes its own cases: it cannot be combined with --spec or --check") }
        guard shrinkAttempts >= 0 else { throw ValidationError("--shrink-attempts cannot be negative") }
    }

    func run() throws {
        do {
            if checkTorchIndependence {
                try checkIndependence()
                return
            }
            if let fuzzCount {
                try fuzz(count: fuzzCount)
                return
            }
            if opinfo {
                try opInfo()
                return
            }
            try generate()
        } catch let error as ParityError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as PythonError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// `--check-torch-independence`: see ``TorchIndependenceCheck``.
    private func checkIndependence() throws {
        _ = try startTorch()
        let differing = try TorchIndependenceCheck(executable: PythonLocation.resolve(explicit: python), log: log).run()
        guard differing.isEmpty else {
            for name in differing { FileHandle.standardError.write(Data("error: \(name): the embedded torch differs from a plain Python's\n".utf8)) }
            FileHandle.standardError.write(Data("error: torch inside gen-fixtures does not compute as torch alone: something of ours captured its BLAS\n".utf8))
            throw ExitCode.failure
        }
    }

    /// `--fuzz`: see ``FuzzRun``.
    private func fuzz(count: Int) throws {
        let directory = try OutputDirectory(creating: out ?? ".build/fuzz")  // before torch: a bad --out fails fast
        let generator = try startTorch().limited(by: limitOptions.limits)
        let run = FuzzRun(count: count, seed: seed, directory: directory, generator: generator,
                          shrinker: CaseShrinker(backend: AutogradBackend(), maxAttempts: shrinkAttempts), log: log)
        if try !run.run().isEmpty { throw ExitCode.failure }
    }

    private func generate() throws {
        let limits = limitOptions.limits
        let requested = specs.isEmpty
            ? try FixtureFiles.jsonFiles(in: FixtureFiles.specDirectory) + TrainingFixtureFiles.trainingFiles(under: FixtureFiles.specDirectory)
            : specs
        guard !requested.isEmpty else { throw ParityError("no spec files found") }
        // Training specs ("kind": "training") go to the training generator (GenFixtures+Training.swift).
        let trainingFiles = requested.filter { TrainingFixtureFiles.isTraining($0, limits: limits) }
        let specFiles = requested.filter { !trainingFiles.contains($0) }
        // Read every spec and check the output directory before starting Python: a
        // malformed spec, a spec beyond the limits or a bad --out fails fast.
        let suites = try specFiles.map { path throws(ParityError) in (path, try SuiteSpec(contentsOf: path, limits: limits)) }
        let trainingSuites = try trainingFiles.map { path throws(ParityError) in
            (path, try TrainingSuiteSpec(contentsOf: path, limits: limits))
        }
        let outPath = self.out ?? FixtureFiles.fixtureDirectory
        let out = check ? try OutputDirectory(existing: outPath) : try OutputDirectory(creating: outPath)
        for (path, spec) in suites {
            do {
                _ = try out.file(named: spec.suite, field: "suite", suffix: ".json")
            } catch {
                throw error.inFile(path)
            }
        }
        for (path, spec) in trainingSuites {
            do {
                _ = try out.file(in: [("training", "out")], named: spec.suite, field: "suite", suffix: ".json")
            } catch {
                throw error.inFile(path)
            }
        }
        var seen: [String: String] = [:]
        for (path, suite) in suites.map({ ($0.0, $0.1.suite) }) + trainingSuites.map({ ($0.0, "training/" + $0.1.suite) }) {
            if let other = seen.updateValue(path, forKey: suite) {
                throw ParityError("suite '\(suite)' is also the suite of \(other): both would write the same fixture", file: path)
            }
        }

        let generator = try startTorch().limited(by: limits)
        // Every fixture is generated before any is written: a failure leaves all files as they were.
        var writes: [(path: String, contents: Data)] = []
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
            let target = try out.file(named: spec.suite, field: "suite", suffix: ".json")
            let elapsed = String(format: "%.2fs", Date().timeIntervalSince(clock))
            if check {
                let problems = compare(suite, withCommittedAt: target)
                drift += problems.map { "\(target): \($0)" }
                log("\(prefix): \(problems.isEmpty ? "matches" : "\(problems.count) difference(s) from") \(target) (\(elapsed))")
            } else if !rewrite, unchanged(suite, committedAt: target) {
                log("\(prefix): \(target) unchanged: the same torch gives the same values within tolerance (\(elapsed))")
            } else {
                writes.append((target, Data(JSONWriter.write(suite.json).utf8)))
                log("\(prefix): generated (\(elapsed))")
            }
        }
        drift += try generateTraining(trainingSuites, torch: generator, out: out, writes: &writes)
        if !writes.isEmpty {
            try FixtureFiles.writeAll(writes)
            log("wrote \(writes.count) files to \(out.path)")
        }
        log(String(format: "done: %d suites in %.1fs", suites.count + trainingSuites.count, Date().timeIntervalSince(started)))
        if !drift.isEmpty {
            for line in drift { FileHandle.standardError.write(Data("error: \(line)\n".utf8)) }
            FileHandle.standardError.write(Data("error: the committed fixtures drift from the specs; run `swift run gen-fixtures` and commit the result\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Whether the committed fixture at `path` can stay as it is: written by the same torch
    /// and Python, and `--check` would find no difference. Regenerating on another CPU
    /// changes the last bits of some of torch's results; keeping such files untouched
    /// keeps `git status` clean after the main job.
    private func unchanged(_ suite: FixtureSuite, committedAt path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path),
              let committed = try? FixtureSuite(contentsOf: path, limits: limitOptions.limits) else { return false }
        return committed.torch == suite.torch && committed.python == suite.python
            && Drift.differences(committed: committed, regenerated: suite).isEmpty
    }

    private func compare(_ suite: FixtureSuite, withCommittedAt path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return ["does not exist"] }
        do {
            return Drift.differences(committed: try FixtureSuite(contentsOf: path, limits: limitOptions.limits), regenerated: suite)
        } catch {
            return ["cannot be read: \(error)"]
        }
    }

    /// Starts the embedded interpreter on the chosen Python and imports torch, with a
    /// message saying what to run when either is missing.
    func startTorch() throws -> FixtureGenerator {
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
