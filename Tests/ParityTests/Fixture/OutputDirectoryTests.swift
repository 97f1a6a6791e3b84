import Foundation
import Testing
@testable import Parity

/// Writing under `--out` (finding 1): names only, inside the directory, temporary files
/// recognisable and cleaned up, all files or none.
@Suite("Output directory")
struct OutputDirectoryTests {
    /// A fresh directory for one test, removed afterwards by the caller.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "parity-out-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func filesAreBuiltFromNamesInsideTheDirectory() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = try OutputDirectory(creating: root + "/out")
        #expect(try out.file(named: "seed", field: "suite", suffix: ".json") == root + "/out/seed.json")
        #expect(try out.file(in: [("training", "out"), ("sine", "suite")], named: "sgd", field: "cases.name", suffix: ".safetensors")
            == root + "/out/training/sine/sgd.safetensors")
        for name in ["../victim", "a/b", "/abs", "", ".hidden"] {
            #expect(throws: ParityError.self) { _ = try out.file(named: name, field: "suite", suffix: ".json") }
            #expect(throws: ParityError.self) { _ = try out.file(in: [(name, "suite")], named: "x", field: "name", suffix: ".json") }
        }
    }

    /// A subdirectory that is a symlink to elsewhere does not take the write outside.
    @Test func symlinksLeadingOutsideAreRefused() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/victim", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/out/training", withDestinationPath: root + "/victim")
        let out = try OutputDirectory(creating: root + "/out")
        #expect {
            _ = try out.file(in: [("training", "out")], named: "sine", field: "suite", suffix: ".json")
        } throws: { error in
            "\(error)".contains("outside the output directory")
        }
        // A symlinked --out itself is fine: it is resolved once, and files stay inside it.
        let linked = try OutputDirectory(creating: root + "/out/training")
        #expect(try linked.file(named: "sine", field: "suite", suffix: ".json") == root + "/out/training/sine.json")
    }

    @Test func anOutputDirectoryMustBeAWritableDirectory() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(FileManager.default.createFile(atPath: root + "/file", contents: Data()))
        #expect(throws: ParityError.self) { _ = try OutputDirectory(creating: root + "/file") }
        #expect(throws: ParityError.self) { _ = try OutputDirectory(creating: root + "/file/sub") }
        #expect(throws: ParityError.self) { _ = try OutputDirectory(creating: "") }
        #expect(throws: ParityError.self) { _ = try OutputDirectory(existing: root + "/missing") }
        if getuid() != 0 {  // root writes anywhere
            try FileManager.default.createDirectory(atPath: root + "/locked", withIntermediateDirectories: true)
            chmod(root + "/locked", 0o500)
            defer { chmod(root + "/locked", 0o700) }
            #expect(throws: ParityError.self) { _ = try OutputDirectory(creating: root + "/locked") }
        }
    }

    /// Temporary files are `.NAME.TOOL-PID.tmp` beside the target; a dead process's are
    /// removed on the next run, a live one's are kept, and nothing else is touched.
    @Test func staleTemporaryFilesAreRemoved() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let temporary = FixtureFiles.temporaryPath(for: root + "/seed.json")
        #expect((temporary as NSString).lastPathComponent.hasPrefix(".seed.json."))
        #expect(temporary.hasSuffix("-\(getpid()).tmp"))
        let dead = root + "/.seed.json.gen-fixtures-2147483646.tmp"
        let alive = root + "/.other.json.gen-fixtures-\(getpid()).tmp"
        let unrelated = root + "/.notes-12.tmp"
        for path in [dead, alive, unrelated] { #expect(FileManager.default.createFile(atPath: path, contents: Data())) }
        _ = try OutputDirectory(creating: root)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    /// A run that fails writing its second file leaves the first as it was, and no temporary file.
    @Test func writeAllWritesEveryFileOrNone() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FixtureFiles.writeAtomically("old\n", to: root + "/a.json")
        #expect(FileManager.default.createFile(atPath: root + "/blocker", contents: Data()))
        #expect(throws: ParityError.self) {
            try FixtureFiles.writeAll([(root + "/a.json", Data("new\n".utf8)), (root + "/blocker/b.json", Data("b\n".utf8))])
        }
        #expect(try String(contentsOfFile: root + "/a.json", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["a.json", "blocker"])
        try FixtureFiles.writeAll([(root + "/a.json", Data("new\n".utf8)), (root + "/sub/b.json", Data("b\n".utf8))])
        #expect(try String(contentsOfFile: root + "/a.json", encoding: .utf8) == "new\n")
        #expect(try String(contentsOfFile: root + "/sub/b.json", encoding: .utf8) == "b\n")
    }
}
