import ArgumentParser
@_spi(Benchmarking) import Autograd
import COpenBLAS
import Foundation
import _AutogradShims

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Times each workload in Swift and in PyTorch (in its own Python process), in alternating rounds.",
        discussion: """
        Each workload runs in rounds: Swift round 1, torch round 1, Swift round 2, … so that both \
        sides see the same machine. A round runs the workload enough times to last about \
        \(Int(roundSeconds * 1000)) ms and records the time per run. The table shows, for each side, \
        the minimum and median over the rounds and their spread (interquartile range / median), the \
        ratio of the medians (torch/Swift: above 1, Swift is faster), the target, and a verdict: \
        "met" or "missed" when the ratio is beyond the target by more than either side's spread, \
        "noisy" when it is not. Build it in release mode for this machine: `bash tools/bench.sh`. \
        No test asserts any timing.
        """)

    /// The time a round aims at, per side.
    static let roundSeconds = 0.1

    @Flag(help: "One round, no warm-up (CI uses it to keep the benchmark working): not a measurement.")
    var quick = false

    @Option(help: "Rounds per workload and side.")
    var rounds = 10

    @Option(help: "Run only the workloads whose name contains this text (e.g. \"MLP\").")
    var only: String?

    @Option(help: "Also write the measurements as JSON to this file.")
    var json: String?

    @Option(help: "The Python interpreter (a venv's bin/python) whose torch to compare with; default $AUTOGRAD_PYTHON, else the venv of tools/setup.sh.")
    var python: String?

    @Option(help: "torch's intra-op threads (torch.set_num_threads) for every row; default per row, the Swift side's count for that row (1 for the graph and MLP rows, the cores where Swift's BLAS or kernels use them).")
    var torchThreads: Int?

    @Flag(help: "Instead of the workloads, time GEMMs on one OpenBLAS thread against the default count (the crossover behind the library's small-product threshold).")
    var blasCrossover = false

    @Option(help: "Instead of the workloads, run the float64 MLP step this many times (a driver for a profiler such as callgrind).")
    var profileMLPSteps: Int?

    @Option(help: .hidden)
    var measureBytesPerNode: Int?

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        if let torchThreads, torchThreads < 1 { throw ValidationError("--torch-threads must be at least 1") }
    }

    func run() throws {
        if let ops = measureBytesPerNode {
            // The child process of `bytesPerNodeInFreshProcess`.
            return print(SwiftWorkloads.deepChainBytesPerNode(ops: ops))
        }
        #if DEBUG
        log("warning: a debug build; timings mean little. Use `bash tools/bench.sh`.")
        #endif
        if blasCrossover {
            return print(BLASCrossover.run(rounds: quick ? 1 : rounds))
        }
        if let steps = profileMLPSteps {
            let step = try SwiftWorkloads.MLPStep(batch: 256, dtype: .float64)
            for _ in 0..<steps { try step.run() }
            return
        }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let interpreter = TorchInterpreter.resolve(explicit: python)
        var torch: TorchChild?
        var torchProblem: TorchChildError?
        do {
            torch = try TorchChild(python: interpreter, threads: torchThreads ?? 1)
        } catch {
            torchProblem = error
            log("note: torch will not be measured (\(error)); the Swift side runs alone")
        }
        let identity = torch?.identity
        let plan = RoundPlan(rounds: quick ? 1 : rounds, warmup: !quick, roundSeconds: Self.roundSeconds)
        var rows: [Row] = []
        let workloads = try Workload.all(quick: quick, cores: threads)
            .filter { only == nil || $0.name.localizedCaseInsensitiveContains(only!) }
        if workloads.contains(where: { $0.torch.function == "digits_epoch" }) {
            _ = try SwiftWorkloads.DigitsEpoch.locate()  // a clear error before anything runs
        }
        for (index, workload) in workloads.enumerated() {
            log("running \(workload.name)...")
            let torchThreads = self.torchThreads ?? workload.threads
            let result = Result { () throws(BenchError) in
                try plan.measure(workload, id: "w\(index)", torch: torch, torchThreads: torchThreads)
            }
            switch result {
            case .success(let row):
                rows.append(row)
            case .failure(.torch(let problem)):
                // The child failed mid-run: the rest is measured on the Swift side only.
                torchProblem = problem
                torch = nil
                log("error: torch stopped: \(problem)")
                rows.append(try plan.measure(workload, id: "w\(index)", torch: nil, torchThreads: torchThreads))
            case .failure(let error):
                throw error
            }
        }
        let report = Report(rows: rows, torch: identity, torchProblem: torchProblem, plan: plan,
                            quick: quick, threads: threads, torchThreadsOverride: torchThreads)
        print(report.table)
        if let json {
            try Data(report.json.utf8).write(to: URL(fileURLWithPath: json), options: .atomic)
        }
        if let torchProblem {
            // The Swift side is measured and printed; the comparison, the point, is not.
            log("error: torch not measured: \(torchProblem); \(TorchInterpreter.setupAdvice)")
            throw ExitCode.failure
        }
    }
}

/// Which Python runs torch: the same choice as `PythonLocation` in PythonBridge (which
/// bench no longer links, as it embeds no interpreter): `--python`, else
/// `$AUTOGRAD_PYTHON`, else the venv that tools/venv-path.sh prints (`$AUTOGRAD_VENV`,
/// default `$XDG_CACHE_HOME` or `~/.cache`, then `/swift-autograd/torch-venv`), `bin/python`.
enum TorchInterpreter {
    static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let chosen = environment["AUTOGRAD_PYTHON"] { return chosen }
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        let venv = environment["AUTOGRAD_VENV"] ?? cache + "/swift-autograd/torch-venv"
        return venv + "/bin/python"
    }

    static let setupAdvice = "run `bash tools/setup.sh`, or pass --python / set AUTOGRAD_PYTHON"
}

/// One workload: what it does on each side and the target it is held to.
struct Workload {
    let name: String
    /// The unit a time is divided into for display ("per op"), with its count.
    let per: (count: Double, unit: String)?
    /// torch's median time / Swift's median time must be at least this.
    let target: Double
    let swift: () throws -> Void
    /// The torch function in torch_workloads.py and its arguments.
    let torch: (function: String, arguments: [Any])
    /// A measurement beyond time (bytes per node, a GEMM rate), given the Swift side's times.
    let extra: ((Statistics) -> Extra)?
    /// The threads the Swift side uses for this row, which torch gets too (unless
    /// `--torch-threads`): 1 where the graph, its products (m·n·k below
    /// `BLASThreading.singleThreadedBelow`) and its kernels (below 65,536 elements) all run
    /// on one thread; the cores where Swift's BLAS or kernels split over them.
    let threads: Int

    struct Extra {
        let label: String, value: Double, limit: Double, atMost: Bool
        var met: Bool { atMost ? value <= limit : value >= limit }
    }

    var targetDescription: String {
        target >= 1 ? "≥ \(target.formatted())× faster than torch" : "≤ \((1 / target).formatted())× torch's time"
    }

    static func all(quick: Bool, cores: Int) throws -> [Workload] {
        let steps = 10_000, ops = 1_000_000, n = 1_000_000, size = 512, batch = 256
        let x = Variable(try Tensor(shape: [n], scalars: (0..<n).map { sin(Double($0)) }))
        let product = try SwiftWorkloads.Matmul(n: size)
        let mlp64 = try SwiftWorkloads.MLPStep(batch: batch, dtype: .float64)
        let mlp32 = try SwiftWorkloads.MLPStep(batch: batch, dtype: .float32)
        let gemmFlops = 2 * pow(Double(size), 3)
        let (convBatch, convIn, convOut, convSize) = (32, 16, 32, 28)
        let conv64 = try SwiftWorkloads.Conv2dStep(batch: convBatch, inChannels: convIn, outChannels: convOut,
                                                   size: convSize, dtype: .float64)
        let conv32 = try SwiftWorkloads.Conv2dStep(batch: convBatch, inChannels: convIn, outChannels: convOut,
                                                   size: convSize, dtype: .float32)
        let (lstmSteps, lstmBatch, lstmInput, lstmHidden) = (35, 32, 128, 128)
        let lstm = try SwiftWorkloads.LSTMSequence(steps: lstmSteps, batch: lstmBatch, inputSize: lstmInput,
                                                   hiddenSize: lstmHidden)
        // Built only if the fixture is there; `Bench.run` says clearly when it is not.
        let digitsPath = (try? SwiftWorkloads.DigitsEpoch.locate()) ?? SwiftWorkloads.DigitsEpoch.relativePath
        let digits = Result { try SwiftWorkloads.DigitsEpoch(path: digitsPath) }
        return [
            Workload(name: "scalar chain: 10,000 × (tanh → sigmoid), 0-d float64, fwd + bwd",
                     per: (Double(2 * steps), "op"), target: 50,
                     swift: { SwiftWorkloads.scalarChain(steps: steps) },
                     torch: ("scalar_chain", [steps]), extra: nil, threads: 1),
            Workload(name: "deep chain: 1,000,000 sin ops, fwd + bwd + release",
                     per: (Double(ops), "op"), target: 20,
                     swift: { SwiftWorkloads.deepChain(ops: ops) },
                     torch: ("deep_chain", [ops]),
                     extra: { _ in Extra(label: "bytes per node", value: bytesPerNodeInFreshProcess(ops: ops), limit: 100, atMost: true) },
                     threads: 1),
            Workload(name: "elementwise: sum(sigmoid(tanh(x))), 1,000,000 float64, fwd + bwd",
                     per: nil, target: 1,
                     swift: { SwiftWorkloads.elementwise(x) },
                     torch: ("elementwise", [n]), extra: nil, threads: cores),
            Workload(name: "matmul 512×512 float64, fwd + bwd (3 GEMMs)",
                     per: nil, target: 1,
                     swift: { try product.run() },
                     torch: ("matmul", [size]),
                     extra: { _ in
                         // The GEMM rate of the workload (3 GEMMs) against plain dgemm's, best
                         // cases of each, timed alternately.
                         let best = (try? SwiftWorkloads.fastestAgainstDgemm(n: size, repeats: quick ? 1 : 9) { try product.run() })
                             ?? (.nan, .nan)
                         return Extra(label: "% of the dgemm rate", value: 100 * (3 * gemmFlops / best.workload) / (gemmFlops / best.dgemm),
                                      limit: 80, atMost: false)
                     },
                     threads: cores),
            Workload(name: "MLP training step, batch 256, 64→128→1, sigmoid, MSE, SGD, float64",
                     per: nil, target: 1.25,
                     swift: { try mlp64.run() },
                     torch: ("mlp_step", [batch, "float64"]), extra: nil, threads: 1),
            Workload(name: "MLP training step, batch 256, 64→128→1, sigmoid, MSE, SGD, float32",
                     per: nil, target: 1.25,
                     swift: { try mlp32.run() },
                     torch: ("mlp_step", [batch, "float32"]), extra: nil, threads: 1),
            Workload(name: "conv2d 3×3, batch 32, 16→32 channels, 28×28, padding 1, bias, float64, fwd + bwd",
                     per: nil, target: 1,
                     swift: { try conv64.run() },
                     torch: ("conv2d", [convBatch, convIn, convOut, convSize, "float64"]), extra: nil, threads: cores),
            Workload(name: "conv2d 3×3, batch 32, 16→32 channels, 28×28, padding 1, bias, float32, fwd + bwd",
                     per: nil, target: 1,
                     swift: { try conv32.run() },
                     torch: ("conv2d", [convBatch, convIn, convOut, convSize, "float32"]), extra: nil, threads: cores),
            Workload(name: "LSTM sequence: 35 steps, batch 32, 128→128, float32, fwd + bwd of sum(output)",
                     per: nil, target: 1,
                     swift: { try lstm.run() },
                     torch: ("lstm_sequence", [lstmSteps, lstmBatch, lstmInput, lstmHidden]), extra: nil, threads: cores),
            Workload(name: "digits epoch: MLP 64→64→10, ReLU, Adam, cross-entropy, 1,437 digits in batches of 32, float32",
                     per: (Double((SwiftWorkloads.DigitsEpoch.trainingRows + 31) / 32), "batch"), target: 1.25,
                     swift: { try digits.get().run() },
                     torch: ("digits_epoch", [digitsPath, SwiftWorkloads.DigitsEpoch.trainingRows,
                                              SwiftWorkloads.DigitsEpoch.batchSize]), extra: nil, threads: 1),
        ]
    }
}

/// How a workload is measured: warm-up, then `rounds` alternating rounds (Swift, torch,
/// Swift, …), each of as many runs as fill about `roundSeconds` on that side (one run
/// with `--quick`).
struct RoundPlan {
    let rounds: Int
    let warmup: Bool
    let roundSeconds: Double
    /// A pause between the sides, so that the spinning worker threads one side's BLAS or
    /// OpenMP leaves behind after a parallel call (OpenBLAS's spin for a while before they
    /// sleep) have gone to sleep before the other side is timed.
    var settle: Double { warmup ? 0.02 : 0 }

    /// The fastest of up to 5 runs of `run` (seconds each), stopping once they add up to a
    /// round's time; the first run is untimed (a warm-up).
    private func fastestRun(_ run: () throws(BenchError) -> Double) throws(BenchError) -> Double {
        _ = try run()
        var fastest = Double.infinity, total = 0.0
        for _ in 0..<5 where total < roundSeconds {
            let seconds = try run()
            fastest = Swift.min(fastest, seconds)
            total += seconds
        }
        return fastest
    }

    /// Measures `workload` on both sides (Swift only when `torch` is nil), torch on
    /// `torchThreads` intra-op threads.
    /// - Throws: ``BenchError/torch(_:)`` when the torch process fails (the caller goes
    ///   on without it), ``BenchError/swiftWorkload(_:_:)`` when the Swift side throws.
    func measure(_ workload: Workload, id: String, torch: TorchChild?, torchThreads: Int) throws(BenchError) -> Row {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        func swiftRound(_ iterations: Int) throws(BenchError) -> Double {
            do {
                let elapsed = try clock.measure { for _ in 0..<iterations { try workload.swift() } }
                return seconds(elapsed) / Double(iterations)
            } catch {
                throw .swiftWorkload(workload.name, "\(error)")
            }
        }
        func torchRound(_ torch: TorchChild, _ iterations: Int) throws(BenchError) -> Double {
            do {
                return try torch.time(id: id, iterations: iterations, warmup: 0) / Double(iterations)
            } catch {
                throw .torch(error)
            }
        }
        func iterations(forRun estimate: Double) -> Int {
            guard warmup, estimate.isFinite else { return 1 }
            return max(1, min(100_000, Int((roundSeconds / max(estimate, 1e-9)).rounded(.up))))
        }
        var actualTorchThreads: Int?
        if let torch {
            do {
                actualTorchThreads = try torch.prepare(id: id, function: workload.torch.function,
                                                       arguments: workload.torch.arguments, threads: torchThreads)
            } catch {
                throw .torch(error)
            }
        }
        var swiftIterations = 1, torchIterations = 1
        if warmup {
            // Warm-up runs, timed one by one, size the rounds from the fastest of them: a
            // single run that another process slowed down would make the rounds too short.
            swiftIterations = iterations(forRun: try fastestRun { () throws(BenchError) in try swiftRound(1) })
            if let torch {
                torchIterations = iterations(forRun: try fastestRun { () throws(BenchError) in try torchRound(torch, 1) })
            }
        }
        var swiftTimes: [Double] = [], torchTimes: [Double] = []
        for _ in 0..<rounds {
            swiftTimes.append(try swiftRound(swiftIterations))
            if let torch {
                Thread.sleep(forTimeInterval: settle)
                torchTimes.append(try torchRound(torch, torchIterations))
                Thread.sleep(forTimeInterval: settle)
            }
        }
        if let torch {
            do {
                try torch.release(id: id)
            } catch {
                throw .torch(error)
            }
        }
        let swift = Statistics(swiftTimes)
        return Row(workload: workload, swift: swift, swiftIterations: swiftIterations,
                   torch: torch == nil ? nil : Statistics(torchTimes), torchIterations: torchIterations,
                   torchThreads: actualTorchThreads, extra: workload.extra?(swift))
    }
}

/// Why a workload could not be measured.
enum BenchError: Error, CustomStringConvertible {
    /// The torch process failed; the Swift side can go on alone.
    case torch(TorchChildError)
    /// A Swift workload threw (its name, the error).
    case swiftWorkload(String, String)

    var description: String {
        switch self {
        case .torch(let problem): "\(problem)"
        case .swiftWorkload(let name, let error): "the Swift side of \(name) failed: \(error)"
        }
    }
}

struct Row {
    let workload: Workload
    let swift: Statistics
    let swiftIterations: Int
    let torch: Statistics?
    let torchIterations: Int
    /// torch's intra-op threads for this row (`torch.get_num_threads()` after the
    /// request), nil without torch.
    let torchThreads: Int?
    let extra: Workload.Extra?

    /// torch's median over Swift's.
    var ratio: Double? { torch.map { $0.median / swift.median } }

    enum Verdict: String {
        /// Beyond the target by more than either side's spread.
        case met
        /// Short of the target by more than either side's spread.
        case missed
        /// Within the spread of the target: this run cannot tell.
        case noisy
        /// One round without warm-up.
        case notMeasured = "–"
    }

    /// The verdict on the time ratio: the relative gap between the ratio and the target
    /// (ratio / target − 1) against the larger of the two sides' spreads.
    func timeVerdict(quick: Bool) -> Verdict {
        guard let ratio, let torch, !quick else { return .notMeasured }
        let gap = ratio / workload.target - 1
        if Swift.max(swift.spread, torch.spread) >= abs(gap) { return .noisy }
        return gap > 0 ? .met : .missed
    }

    /// The verdict with the extra measurement: "met" needs both.
    func verdict(quick: Bool) -> String {
        let time = timeVerdict(quick: quick)
        guard let extra else { return time.rawValue }
        let extraText = String(format: "%.0f %@", extra.value, extra.label)
        if extra.met { return "\(time.rawValue) (\(extraText))" }
        let bound = "\(extra.atMost ? ">" : "<") \(Int(extra.limit))"
        return quick ? "– (\(extraText) \(bound))" : "missed (time: \(time.rawValue); \(extraText) \(bound))"
    }
}

/// The table (and JSON) of one run.
struct Report {
    let rows: [Row]
    let torch: TorchChild.Identity?
    let torchProblem: TorchChildError?
    let plan: RoundPlan
    let quick: Bool
    let threads: Int
    /// `--torch-threads`, if given: every row's torch thread count.
    let torchThreadsOverride: Int?

    var header: [String] {
        var lines = ["date: \(ISO8601DateFormatter().string(from: Date()))"]
        lines.append("machine: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        #if DEBUG
        let build = "debug"
        #else
        let build = "release (-O)"
        #endif
        lines.append("Swift: \(build), \(targetFeatures); graph on 1 thread, elementwise kernels of 65,536+ elements on \(threads) threads")
        let blas = String(cString: openblas_get_config())
        let defaultThreads = BLASThreading.defaultThreads.map(String.init) ?? "unknown (no openblas_get_num_threads)"
        lines.append("Swift's BLAS: OpenBLAS \(blas); \(defaultThreads) threads, 1 thread for products of m·n·k < "
                     + "\(BLASThreading.singleThreadedBelow.formatted()) (OPENBLAS_NUM_THREADS="
                     + "\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"))")
        if let torch {
            lines.append("torch: \(torch.torchVersion) in its own process (\(torch.executable), Python \(torch.pythonVersion)); "
                         + "set_num_threads per row: "
                         + (torchThreadsOverride.map { "\($0) for every row (--torch-threads)" }
                            ?? "the Swift side's count for that row (column \"torch threads\")")
                         + ", \(torch.interopThreads) inter-op; \(torch.parallel)")
        }
        if let torchProblem { lines.append("torch: not measured: \(torchProblem)") }
        if quick {
            lines.append("--quick: one run each, no warm-up; not a measurement")
        } else {
            lines.append("\(plan.rounds) alternating rounds per workload (Swift, torch, …) of ≥ \(Int(plan.roundSeconds * 1000)) ms "
                         + "per side after a warm-up; min / median (spread = interquartile range / median) of the time per run")
        }
        return lines
    }

    var table: String {
        var out = header.joined(separator: "\n") + "\n\n"
        out += "| workload | Swift min / median (spread) | torch min / median (spread) | torch threads | torch/Swift | target | verdict |\n"
        out += "|---|---:|---:|---:|---:|---|---|\n"
        for row in rows {
            func shown(_ s: Statistics?) -> String {
                guard let s else { return "–" }
                var text = "\(formatSeconds(s.min)) / \(formatSeconds(s.median))"
                if let per = row.workload.per { text += " (\(formatSeconds(s.median / per.count))/\(per.unit))" }
                return text + (quick ? "" : String(format: " (%.0f%%)", 100 * s.spread))
            }
            var target = row.workload.targetDescription
            if let extra = row.extra {
                target += ", \(extra.atMost ? "≤" : "≥") \(Int(extra.limit)) \(extra.label)"
            }
            out += "| \(row.workload.name) | \(shown(row.swift)) | \(shown(row.torch)) | \(row.torchThreads.map(String.init) ?? "–") | "
                + "\(row.ratio.map { String(format: "%.2f", $0) } ?? "–") | \(target) | \(row.verdict(quick: quick)) |\n"
        }
        return out
    }

    var json: String {
        func stats(_ s: Statistics?, _ iterations: Int) -> String {
            guard let s else { return "null" }
            return "{\"min\": \(s.min), \"median\": \(s.median), \"max\": \(s.max), \"q1\": \(s.quartile1), "
                + "\"q3\": \(s.quartile3), \"spread\": \(s.spread), \"rounds\": \(s.count), \"runs_per_round\": \(iterations)}"
        }
        let items = rows.map { row in
            """
            {"workload": "\(row.workload.name)", "swift_seconds": \(stats(row.swift, row.swiftIterations)), \
            "torch_seconds": \(stats(row.torch, row.torchIterations)), \
            "torch_threads": \(row.torchThreads.map(String.init) ?? "null"), \
            "ratio": \(row.ratio.map { "\($0)" } ?? "null"), "target": \(row.workload.target), \
            "verdict": "\(row.timeVerdict(quick: quick).rawValue)"\
            \(row.extra.map { ", \"\($0.label.replacingOccurrences(of: " ", with: "_"))\": \($0.value), \"extra_met\": \($0.met)" } ?? "")}
            """
        }
        let header = self.header.map { "\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "'"))\"" }
            .joined(separator: ", ")
        return "{\"header\": [\(header)], \"rows\": [\n  " + items.joined(separator: ",\n  ") + "\n]}\n"
    }

    /// The instruction set the Swift code was compiled for, as the compiler saw it: the
    /// clang importer gets the same `-target-cpu` as Swift, and _AutogradShims turns its
    /// `__AVX2__`, `__FMA__` and `__AVX512F__` into constants (tools/bench.sh passes
    /// `-target-cpu haswell`; `swift run -c release bench` passes none).
    private var targetFeatures: String {
        #if arch(x86_64)
        var features: [String] = []
        if AUTOGRAD_TARGET_HAS_AVX512F != 0 { features.append("AVX-512F") }
        if AUTOGRAD_TARGET_HAS_AVX2 != 0 { features.append("AVX2") }
        if AUTOGRAD_TARGET_HAS_FMA != 0 { features.append("FMA") }
        return features.isEmpty
            ? "target x86-64 baseline (SSE2, no AVX2/FMA)"
            : "target with \(features.joined(separator: " + ")) (a -target-cpu such as haswell)"
        #else
        return "default target CPU"
        #endif
    }

    private func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let name = line.split(separator: ":", maxSplits: 1).last else { return "unknown CPU" }
        return name.trimmingCharacters(in: .whitespaces)
    }
}

/// Runs this executable again with `--measure-bytes-per-node` and reads its answer.
func bytesPerNodeInFreshProcess(ops: Int) -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    process.arguments = ["--measure-bytes-per-node", String(ops)]
    let pipe = Pipe()
    process.standardOutput = pipe
    do {
        try process.run()
    } catch {
        log("cannot measure memory per node: \(error)")
        return .nan
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
