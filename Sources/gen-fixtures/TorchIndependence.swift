import Foundation
import Parity
import ParityAutograd
import PythonBridge

/// `gen-fixtures --check-torch-independence`: proves that the torch embedded in this
/// process multiplies matrices exactly as torch does in a plain Python, that is, with its
/// own BLAS and not one of ours that captured its symbols.
///
/// `torch_independence.py` (beside this file) computes matrix products, their gradients,
/// `linear`, `addmm`, `mv` and `bmm` in float64 and float32 over shapes from 1×1×1 to
/// 300×300×300, and hashes each result's bytes. It runs here, in the embedded
/// interpreter, and in a child process started from the same Python executable; every
/// digest must match.
struct TorchIndependenceCheck {
    let executable: String
    let log: (String) -> Void

    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("torch_independence.py").path

    /// Runs both sides and compares; returns the names of the results that differ.
    func run() throws -> [String] {
        let embedded = try parse(try embeddedReport(), side: "embedded torch")
        let plain = try parse(try childReport(), side: "plain Python")
        log("embedded: torch \(embedded.version), \(embedded.threads) threads; plain Python: torch \(plain.version), \(plain.threads) threads")
        guard embedded.results.map(\.name) == plain.results.map(\.name) else {
            throw ParityError("the two sides computed different lists of results (different torch_independence.py?)")
        }
        let differing = zip(embedded.results, plain.results).filter { $0.digest != $1.digest }.map(\.0.name)
        log("\(embedded.results.count - differing.count) of \(embedded.results.count) matrix-product results bit-identical")
        return differing
    }

    private func embeddedReport() throws -> String {
        let util = try Python.importModule("importlib.util")
        let spec = try util.attribute("spec_from_file_location")
            .call([PythonObject("torch_independence"), PythonObject(Self.scriptPath)])
        guard !spec.isNone else { throw ParityError("cannot load \(Self.scriptPath)") }
        let module = try util.attribute("module_from_spec").call([spec])
        _ = try spec.attribute("loader").callMethod("exec_module", [module])
        return try module.callMethod("report").toString()
    }

    private func childReport() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [Self.scriptPath]
        // A plain Python: nothing preloaded into it, whatever this process was started with.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParityError("\(executable) \(Self.scriptPath) exited with status \(process.terminationStatus): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private struct Report {
        var version: String
        var threads: Int
        var results: [(name: String, digest: String)]
    }

    private func parse(_ text: String, side: String) throws -> Report {
        struct Decoded: Decodable {
            var torch: String
            var threads: Int
            var results: [[String]]
        }
        let decoded: Decoded
        do {
            decoded = try JSONDecoder().decode(Decoded.self, from: Data(text.utf8))
        } catch {
            throw ParityError("the \(side) report is not what torch_independence.py prints: \(error)")
        }
        let results = try decoded.results.map { pair throws -> (name: String, digest: String) in
            guard pair.count == 2 else { throw ParityError("the \(side) report has a malformed result \(pair)") }
            return (pair[0], pair[1])
        }
        return Report(version: decoded.torch, threads: decoded.threads, results: results)
    }
}
