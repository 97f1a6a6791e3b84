import Foundation

/// The numpy-, safetensors- and gzip-written files of Tests/AutogradNNTests/Fixtures,
/// made by tools/make-data-fixtures.py, found from this file's path.
enum DataFixtures {
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Serialization
        .deletingLastPathComponent()  // AutogradNNTests
        .appendingPathComponent("Fixtures")
        .path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// One directory per test process for the files tests write, removed when the process
    /// exits (the tests used to leave one directory behind each).
    private static let root: String = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("autograd-data-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(atPath: DataFixtures.root) }
        return url.path
    }()

    /// A fresh temporary directory for files a test writes.
    static func temporaryDirectory() throws -> String {
        let url = URL(fileURLWithPath: root).appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
