import Foundation

/// Where specs and fixtures live in a checkout, and safe writing.
public enum FixtureFiles {
    /// Specs written by people: `fixtures/specs/*.json`.
    public static let specDirectory = "fixtures/specs"
    /// Fixtures generated from them by torch: `fixtures/torch/*.json`.
    public static let fixtureDirectory = "fixtures/torch"

    /// The `.json` files in `directory`, sorted by name.
    public static func jsonFiles(in directory: String) throws(ParityError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ParityError("cannot list \(directory): \(error.localizedDescription) (run from the package root, or name files explicitly)")
        }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The fixture file of `suite` in `directory`.
    public static func fixturePath(suite: String, in directory: String) -> String {
        (directory as NSString).appendingPathComponent("\(suite).json")
    }

    /// Writes `text` to `path` atomically: to a temporary file beside it, then renamed
    /// over it, so that a reader never sees half a file and a failure leaves the old one.
    public static func writeAtomically(_ text: String, to path: String) throws(ParityError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        } catch {
            throw ParityError("cannot create \(directory): \(error.localizedDescription)", file: path)
        }
        let temporary = "\(path).\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw ParityError("cannot write \(temporary)", file: path)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ParityError("cannot rename \(temporary) to \(path): \(reason)", file: path)
        }
    }
}
