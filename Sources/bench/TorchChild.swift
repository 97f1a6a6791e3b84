import Foundation

/// PyTorch in its own process: a plain Python interpreter (the torch venv's) running
/// `torch_workloads.py` as a script, spoken to in JSON lines over its stdin and stdout
/// (the protocol is described at the top of that file). Nothing of bench's, its
/// OpenBLAS in particular, is in torch's process, and torch's threads are its own.
///
/// Requests and replies alternate strictly: one request, then its one reply. The child's
/// stderr is bench's, so that a Python traceback or a torch warning reaches the user.
final class TorchChild {
    /// What the child said about itself in its reply to `hello`.
    struct Identity {
        let torchVersion: String
        let threads: Int
        let interopThreads: Int
        let pythonVersion: String
        let parallel: String
        let executable: String
    }

    private let process: Process
    private let requests: FileHandle
    private let replies: FileHandle
    private var buffered = Data()
    private(set) var identity: Identity

    /// Starts `python torch_workloads.py` and asks it to run torch on `threads` threads.
    /// - Throws: ``TorchChildError`` when there is no such interpreter, it cannot be
    ///   started, torch cannot be imported, or the child does not answer as expected.
    init(python: String, threads: Int) throws(TorchChildError) {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw .noInterpreter(python) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("torch_workloads.py").path
        guard FileManager.default.fileExists(atPath: script) else { throw .noScript(script) }
        // A child that has exited turns our next write into SIGPIPE, which would end bench
        // silently; ignored, the write fails with EPIPE and becomes an error.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw .cannotStart(python, "\(error)")
        }
        self.process = process
        requests = input.fileHandleForWriting
        replies = output.fileHandleForReading
        identity = Identity(torchVersion: "", threads: 0, interopThreads: 0, pythonVersion: "", parallel: "", executable: python)
        let hello = try exchange(["op": "hello", "threads": threads])
        guard let version = hello["torch"] as? String, let actual = hello["threads"] as? Int else {
            throw .protocolViolation("hello's reply has no torch version or thread count: \(hello)")
        }
        identity = Identity(torchVersion: version, threads: actual, interopThreads: hello["interop_threads"] as? Int ?? 0,
                            pythonVersion: hello["python"] as? String ?? "?",
                            parallel: hello["parallel"] as? String ?? "?", executable: python)
    }

    deinit {
        try? requests.close()  // end of input: the child exits
        process.waitUntilExit()
    }

    /// Sets torch's intra-op threads to `threads` (for this and the following workloads)
    /// and builds workload `function(arguments)` in the child under `id`.
    /// - Returns: torch's thread count after the request (`torch.get_num_threads()`).
    @discardableResult
    func prepare(id: String, function: String, arguments: [Any], threads: Int) throws(TorchChildError) -> Int {
        let reply = try exchange(["op": "prepare", "id": id, "function": function, "args": arguments, "threads": threads])
        guard let actual = reply["threads"] as? Int else {
            throw .protocolViolation("prepare's reply has no thread count: \(reply)")
        }
        return actual
    }

    /// Seconds of `iterations` runs of workload `id`, timed together in the child after
    /// `warmup` untimed runs.
    func time(id: String, iterations: Int, warmup: Int) throws(TorchChildError) -> Double {
        let reply = try exchange(["op": "time", "id": id, "iterations": iterations, "warmup": warmup])
        guard let seconds = (reply["seconds"] as? NSNumber)?.doubleValue else {
            throw .protocolViolation("time's reply has no seconds: \(reply)")
        }
        return seconds
    }

    /// Forgets workload `id` in the child (its tensors are freed).
    func release(id: String) throws(TorchChildError) {
        _ = try exchange(["op": "release", "id": id])
    }

    /// Sends one request and reads its reply.
    private func exchange(_ request: [String: Any]) throws(TorchChildError) -> [String: Any] {
        let line: Data
        do {
            line = try JSONSerialization.data(withJSONObject: request) + Data("\n".utf8)
        } catch {
            throw .protocolViolation("cannot encode \(request): \(error)")
        }
        do {
            try requests.write(contentsOf: line)
        } catch {
            throw exited(while: "writing \(request["op"] ?? "?")")
        }
        guard let replyLine = readLine() else { throw exited(while: "waiting for the reply to \(request["op"] ?? "?")") }
        guard let reply = (try? JSONSerialization.jsonObject(with: replyLine)) as? [String: Any] else {
            throw .protocolViolation("not a JSON object: \(String(decoding: replyLine, as: UTF8.self))")
        }
        guard reply["ok"] as? Bool == true else {
            throw .failed(request["op"] as? String ?? "?", reply["error"] as? String ?? "\(reply)")
        }
        return reply
    }

    /// The next line of the child's output without its newline, or nil at its end.
    private func readLine() -> Data? {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                return Data(line)
            }
            let more = replies.availableData
            if more.isEmpty { return nil }
            buffered.append(more)
        }
    }

    private func exited(while doing: String) -> TorchChildError {
        process.waitUntilExit()
        return .exited(status: process.terminationStatus, while: doing)
    }
}

/// Why torch could not be measured.
enum TorchChildError: Error, CustomStringConvertible {
    case noInterpreter(String)
    case noScript(String)
    case cannotStart(String, String)
    case exited(status: Int32, while: String)
    case failed(String, String)
    case protocolViolation(String)

    var description: String {
        switch self {
        case .noInterpreter(let path): "no Python interpreter at \(path)"
        case .noScript(let path): "torch_workloads.py is not at \(path) (bench finds it next to its sources)"
        case .cannotStart(let path, let why): "cannot start \(path): \(why)"
        case .exited(let status, let doing): "the torch process exited (status \(status)) while \(doing); see its output above"
        case .failed(let op, let message): "the torch process failed to \(op): \(message)"
        case .protocolViolation(let what): "the torch process answered unexpectedly: \(what)"
        }
    }
}
