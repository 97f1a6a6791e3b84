import Foundation

/// Where specs and fixtures live in a checkout, and safe reading and writing.
public enum FixtureFiles {
    /// Specs written by people: `fixtures/specs/*.json`.
    public static let specDirectory = "fixtures/specs"
    /// Fixtures generated from them by torch: `fixtures/torch/*.json`.
    public static let fixtureDirectory = "fixtures/torch"

    /// The harness package's own checkout: the folder that holds its `Package.swift` and
    /// `fixtures/`, found from this source file's path at build time. For a package that
    /// depends on the harness, that is its checkout under `.build/checkouts/`.
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Fixture
        .deletingLastPathComponent()  // Parity
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // the package
        .path

    /// The expression suites that ship with the harness (its committed torch fixtures), read
    /// from ``packageRoot``: what another library runs its backend on.
    /// - Throws: ``ParityError`` if the checkout has no fixtures (a build moved away from
    ///   its sources), or a file that does not parse.
    public static func packagedSuites(limits: HarnessLimits = .default) throws(ParityError) -> [FixtureSuite] {
        let directory = (packageRoot as NSString).appendingPathComponent(fixtureDirectory)
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ParityError("the harness's fixtures are not at \(directory): build from a checkout of the package")
        }
        return try jsonFiles(in: directory).map { path throws(ParityError) in
            try FixtureSuite(contentsOf: path, limits: limits)
        }
    }

    /// The `.json` files in `directory`, sorted by name.
    public static func jsonFiles(in directory: String) throws(ParityError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ParityError("cannot list \(directory): \(error.localizedDescription) (run from the package root, or name files explicitly)")
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The fixture file of `suite` in `directory`: `DIRECTORY/SUITE.json`.
    /// - Throws: ``ParityError`` unless `suite` is a valid ``FixtureName`` (no path).
    public static func fixturePath(suite: String, in directory: String) throws(ParityError) -> String {
        try FixtureName.check(suite, field: "suite")
        return (directory as NSString).appendingPathComponent("\(suite).json")
    }

    // MARK: - Reading

    /// The text of the file at `path`, refused if it is larger than `maxBytes`: its size
    /// is checked with `stat` before reading, and the read stops after `maxBytes + 1`
    /// bytes (a file that grows, a device).
    public static func readText(_ path: String, maxBytes: Int) throws(ParityError) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ParityError("cannot read: \(String(cString: strerror(errno)))", file: path)
        }
        guard (status.st_mode & S_IFMT) != S_IFDIR else { throw ParityError("cannot read: it is a directory", file: path) }
        let tooLarge = ParityError("the file is larger than the limit of \(maxBytes) bytes (--max-file-bytes)", file: path)
        guard Int(status.st_size) <= maxBytes else { throw tooLarge }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ParityError("cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        defer { try? handle.close() }
        var data = Data()
        do {
            while data.count <= maxBytes, let chunk = try handle.read(upToCount: min(1 << 20, maxBytes + 1 - data.count)), !chunk.isEmpty {
                data.append(chunk)
            }
        } catch {
            throw ParityError("cannot read: \(error.localizedDescription)", file: path)
        }
        guard data.count <= maxBytes else { throw tooLarge }
        guard let text = String(data: data, encoding: .utf8) else { throw ParityError("the file is not valid UTF-8", file: path) }
        return text
    }

    // MARK: - Writing

    /// The temporary file `path` is first written to, beside it and recognisable as
    /// this process's: `.NAME.TOOL-PID.tmp` (TOOL is `gen-fixtures`, `parity`, ...).
    public static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = ".\((path as NSString).lastPathComponent).\(toolName)-\(getpid()).tmp"
        return directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }

    /// The tool name in temporary files: the executable's name, or `parity-harness` when
    /// it is not a plain name (a test runner).
    static let toolName: String = {
        let name = ProcessInfo.processInfo.processName
        return FixtureName.problem(with: name) == nil ? name : "parity-harness"
    }()

    /// The tools whose temporary files ``removeStaleTemporaries(in:)`` removes.
    static let temporaryTools: Set<String> = ["gen-fixtures", "parity", "parity-harness"]

    /// Removes the temporary files (``temporaryPath(for:)``) in `directory` left by a
    /// process that no longer runs (a killed run). A running process's are kept.
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeStaleTemporaries(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let stem = name.dropLast(4)  // .tmp
            guard let dash = stem.lastIndex(of: "-"), let pid = Int32(stem[stem.index(after: dash)...]), pid > 0,
                  let tool = stem[..<dash].split(separator: ".").last, temporaryTools.contains(String(tool)) || tool == toolName
            else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running (perhaps this process)
            let path = (directory as NSString).appendingPathComponent(name)
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// Writes `text` to `path` atomically: to a temporary file beside it, then renamed
    /// over it, so that a reader never sees half a file and a failure leaves the old one.
    public static func writeAtomically(_ text: String, to path: String) throws(ParityError) {
        try writeAll([(path, Data(text.utf8))])
    }

    /// Writes every file or none: all the temporary files first (creating directories as
    /// needed), then, once all are written, renames each over its target. If a write
    /// fails, the temporary files are removed and no target has changed.
    public static func writeAll(_ files: [(path: String, contents: Data)]) throws(ParityError) {
        var written: [(temporary: String, path: String)] = []
        func discard() {
            for file in written { unlink(file.temporary) }
        }
        for (path, contents) in files {
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
            } catch {
                discard()
                throw ParityError("cannot create \(directory): \(error.localizedDescription)", file: path)
            }
            let temporary = temporaryPath(for: path)
            guard FileManager.default.createFile(atPath: temporary, contents: contents) else {
                discard()
                throw ParityError("cannot write \(temporary)", file: path)
            }
            written.append((temporary, path))
        }
        for (n, file) in written.enumerated() where rename(file.temporary, file.path) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in written[n...] { unlink(rest.temporary) }
            throw ParityError("cannot rename \(file.temporary) to \(file.path): \(reason)", file: file.path)
        }
    }
}
