import ArgumentParser
import Autograd
import Foundation
import PythonBridge
import _AutogradShims

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Times each workload in Swift and, in the same process through embedded CPython, in PyTorch.",
        discussion: """
        Each workload runs after a warm-up, several times; the table shows the medians, the ratio
        torch/Swift (above 1: Swift is faster), the target and whether it is met. Build it in
        release mode: `swift run -c release bench`. No test asserts any timing.
        """)

    @Flag(help: "Run each workload once, without warm-up (CI uses it to keep the benchmark working).")
    var quick = false

    @Option(help: "Also write the measurements as JSON to this file.")
    var json: String?

    @Option(help: "The Python interpreter (a venv's bin/python) whose torch to compare with.")
    var python: String?

    @Option(help: .hidden)
    var measureBytesPerNode: Int?

    func run() throws {
        if let ops = measureBytesPerNode {
            // The child process of `bytesPerNodeInFreshProcess`.
            return print(SwiftWorkloads.deepChainBytesPerNode(ops: ops))
        }
        #if DEBUG
        log("warning: a debug build; timings mean little. Use `swift run -c release bench`.")
        #endif
        let torch = TorchSide.start(python: python)
        let repeats = quick ? 1 : 7, warmup = quick ? 0 : 1
        var rows: [Row] = []
        for workload in try Workload.all(quick: quick) {
            log("running \(workload.name)...")
            let swift = median(try measure(repeats: repeats, warmup: warmup, workload.swift))
            var torchTime: Double?
            if case .ready(let side) = torch {
                torchTime = median(try side.time(workload.torch, repeats: repeats, warmup: warmup))
            }
            rows.append(Row(workload: workload, swift: swift, torch: torchTime, extra: workload.extra?()))
        }
        let report = Report(rows: rows, torch: torch, quick: quick)
        print(report.table)
        if let json {
            try Data(report.json.utf8).write(to: URL(fileURLWithPath: json), options: .atomic)
        }
        if case .unavailable(let why) = torch {
            // The Swift side is measured and printed; the comparison, the point, is not.
            log("error: torch not measured: \(why)")
            throw ExitCode.failure
        }
    }
}

/// One workload: what it does on each side and the target it is held to.
struct Workload {
    let name: String
    /// The unit a time is divided into for display ("per op"), with its count.
    let per: (count: Double, unit: String)?
    let target: Target
    let swift: () throws -> Void
    /// The torch function in torch_workloads.py and its arguments (before repeats, warm-up).
    let torch: (function: String, arguments: [TorchArgument])
    /// A measurement beyond time (bytes per node), with its label and bound.
    let extra: (() -> Extra)?

    typealias Extra = (label: String, value: Double, limit: Double, bound: Bound)

    enum Bound {
        case atMost, atLeast
    }

    enum Target {
        /// torch's time / Swift's time must be at least this.
        case fasterBy(Double)

        var description: String {
            switch self {
            case .fasterBy(let r) where r >= 1: "≥ \(r.formatted())× faster than torch"
            case .fasterBy(let r): "≤ \((1 / r).formatted())× torch's time"
            }
        }
    }

    static func all(quick: Bool) throws -> [Workload] {
        let steps = 10_000, ops = 1_000_000, n = 1_000_000, size = 512, batch = 256
        let x = Variable(try Tensor(shape: [n], scalars: (0..<n).map { sin(Double($0)) }))
        let product = try SwiftWorkloads.Matmul(n: size)
        let mlp64 = try SwiftWorkloads.MLPStep(batch: batch, dtype: .float64)
        let mlp32 = try SwiftWorkloads.MLPStep(batch: batch, dtype: .float32)
        let gemmFlops = 2 * pow(Double(size), 3)
        return [
            Workload(name: "scalar chain: 10,000 × (tanh → sigmoid), 0-d float64, fwd + bwd",
                     per: (Double(2 * steps), "op"), target: .fasterBy(50),
                     swift: { SwiftWorkloads.scalarChain(steps: steps) },
                     torch: ("scalar_chain", [.int(steps)]), extra: nil),
            Workload(name: "deep chain: 1,000,000 sin ops, fwd + bwd + release",
                     per: (Double(ops), "op"), target: .fasterBy(20),
                     swift: { SwiftWorkloads.deepChain(ops: ops) },
                     torch: ("deep_chain", [.int(ops)]),
                     extra: { ("bytes per node", bytesPerNodeInFreshProcess(ops: ops), 100, .atMost) }),
            Workload(name: "elementwise: sum(sigmoid(tanh(x))), 1,000,000 float64, fwd + bwd",
                     per: nil, target: .fasterBy(1),
                     swift: { SwiftWorkloads.elementwise(x) },
                     torch: ("elementwise", [.int(n)]), extra: nil),
            Workload(name: "matmul 512×512 float64, fwd + bwd (3 GEMMs)",
                     per: nil, target: .fasterBy(1),
                     swift: { try product.run() },
                     torch: ("matmul", [.int(size)]),
                     extra: {
                         // The GEMM rate of one workload run (3 GEMMs) against plain dgemm's rate.
                         let dgemm = (try? SwiftWorkloads.dgemmSeconds(n: size, repeats: quick ? 1 : 7)) ?? .nan
                         let run = median((try? measure(repeats: quick ? 1 : 7, warmup: quick ? 0 : 1) { try product.run() }) ?? [.nan])
                         return ("% of the dgemm rate", 100 * (3 * gemmFlops / run) / (gemmFlops / dgemm), 80, .atLeast)
                     }),
            Workload(name: "MLP training step, batch 256, 64→128→1, sigmoid, MSE, float64",
                     per: nil, target: .fasterBy(1.25),
                     swift: { try mlp64.run() },
                     torch: ("mlp_step", [.int(batch), .string("float64")]), extra: nil),
            Workload(name: "MLP training step, batch 256, 64→128→1, sigmoid, MSE, float32",
                     per: nil, target: .fasterBy(1.25),
                     swift: { try mlp32.run() },
                     torch: ("mlp_step", [.int(batch), .string("float32")]), extra: nil),
        ]
    }
}

struct Row {
    let workload: Workload
    let swift: Double
    let torch: Double?
    let extra: Workload.Extra?

    var ratio: Double? { torch.map { $0 / swift } }

    var met: Bool? {
        guard let ratio else { return nil }
        guard case .fasterBy(let r) = workload.target else { return nil }
        let extraMet = extra.map { $0.bound == .atMost ? $0.value <= $0.limit : $0.value >= $0.limit } ?? true
        return ratio >= r && extraMet
    }
}

/// torch through the embedded interpreter, or why it is not there.
enum TorchSide {
    case ready(TorchRunner)
    case unavailable(String)

    static func start(python: String?) -> TorchSide {
        let executable = PythonLocation.resolve(explicit: python)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            return .unavailable("no Python at \(executable); \(PythonLocation.setupAdvice)")
        }
        do {
            try Python.initialize(executable: executable)
            return .ready(try TorchRunner())
        } catch {
            return .unavailable("cannot load torch (\(error)); \(PythonLocation.setupAdvice)")
        }
    }
}

/// Calls the timed functions of torch_workloads.py.
struct TorchRunner {
    let module: PythonObject
    let version: String
    let threads: Int

    init() throws(PythonError) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("torch_workloads.py").path
        let util = try Python.importModule("importlib.util")
        let spec = try util.attribute("spec_from_file_location").call([PythonObject("torch_workloads"), PythonObject(path)])
        module = try util.attribute("module_from_spec").call([spec])
        _ = try spec.attribute("loader").callMethod("exec_module", [module])
        version = try Python.importModule("torch").attribute("__version__").toString()
        threads = try module.callMethod("threads").toInt()
    }

    func time(_ workload: (function: String, arguments: [TorchArgument]), repeats: Int, warmup: Int) throws(PythonError) -> [Double] {
        let arguments = workload.arguments.map(\.python) + [PythonObject(repeats), PythonObject(warmup)]
        return try module.callMethod(workload.function, arguments).toDoubles()
    }
}

/// An argument of a torch workload, kept as a Swift value until torch runs: a
/// `PythonObject` cannot be made (or freed) when there is no interpreter.
enum TorchArgument {
    case int(Int)
    case string(String)

    var python: PythonObject {
        switch self {
        case .int(let i): PythonObject(i)
        case .string(let s): PythonObject(s)
        }
    }
}

/// The table (and JSON) of one run.
struct Report {
    let rows: [Row]
    let torch: TorchSide
    let quick: Bool

    var header: [String] {
        var lines = ["date: \(ISO8601DateFormatter().string(from: Date()))"]
        lines.append("machine: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        #if DEBUG
        let build = "debug"
        #else
        let build = "release (-O)"
        #endif
        let blasThreads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "OpenBLAS's default"
        lines.append("Swift: \(build), \(targetFeatures); graph on 1 thread, elementwise kernels of 65,536+ elements "
                     + "on \(ProcessInfo.processInfo.activeProcessorCount), BLAS threads: \(blasThreads)")
        switch torch {
        case .ready(let t): lines.append("torch: \(t.version), \(t.threads) threads")
        case .unavailable(let why): lines.append("torch: not measured: \(why)")
        }
        if quick { lines.append("--quick: one run each, no warm-up; not a measurement") }
        return lines
    }

    var table: String {
        var out = header.joined(separator: "\n") + "\n\n"
        out += "| workload | Swift | torch | torch/Swift | target | met |\n|---|---:|---:|---:|---|---|\n"
        for row in rows {
            func shown(_ t: Double?) -> String {
                guard let t else { return "–" }
                guard let per = row.workload.per else { return formatSeconds(t) }
                return "\(formatSeconds(t)) (\(formatSeconds(t / per.count))/\(per.unit))"
            }
            var target = row.workload.target.description
            var met = row.met.map { $0 ? "met" : "missed" } ?? "–"
            if let extra = row.extra {
                target += ", \(extra.bound == .atMost ? "≤" : "≥") \(Int(extra.limit)) \(extra.label)"
                met += String(format: " (%.0f %@)", extra.value, extra.label)
            }
            out += "| \(row.workload.name) | \(shown(row.swift)) | \(shown(row.torch)) | "
                + "\(row.ratio.map { String(format: "%.2f", $0) } ?? "–") | \(target) | \(met) |\n"
        }
        return out
    }

    var json: String {
        let items = rows.map { row in
            """
            {"workload": "\(row.workload.name)", "swift_seconds": \(row.swift), "torch_seconds": \(row.torch.map { "\($0)" } ?? "null"), \
            "ratio": \(row.ratio.map { "\($0)" } ?? "null"), "met": \(row.met.map { "\($0)" } ?? "null")\
            \(row.extra.map { ", \"\($0.label.replacingOccurrences(of: " ", with: "_"))\": \($0.value)" } ?? "")}
            """
        }
        let header = self.header.map { "\"\($0.replacingOccurrences(of: "\"", with: "'"))\"" }.joined(separator: ", ")
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
