import Foundation

/// A directory the tools write into (`gen-fixtures --out`), checked before any work
/// starts, and the only way to name a file in it: every path is built from validated
/// names (``FixtureName``) and, once symlinks are resolved, must stay inside.
public struct OutputDirectory: Sendable {
    /// The directory as given.
    public let path: String
    /// The directory with symlinks resolved and `.`/`..` removed.
    public let resolved: String

    /// Creates the directory if needed and checks that it is a writable directory;
    /// removes the temporary files that killed runs left in it.
    /// - Throws: ``ParityError`` naming the directory and the problem.
    public init(creating path: String) throws(ParityError) {
        guard !path.isEmpty else { throw ParityError("the output directory cannot be an empty path") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ParityError("the output directory \(path) is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw ParityError("cannot create the output directory \(path): \(error.localizedDescription)")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw ParityError("cannot write into the output directory \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        resolved = Self.resolve(path)
        FixtureFiles.removeStaleTemporaries(in: path)
    }

    /// An existing directory that is only read from (`gen-fixtures --check`).
    /// - Throws: ``ParityError`` if it is not a directory.
    public init(existing path: String) throws(ParityError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ParityError("the output directory \(path) does not exist or is not a directory")
        }
        self.path = path
        resolved = Self.resolve(path)
    }

    /// `DIRECTORY/a/b/NAME` for the given components, each a valid ``FixtureName``
    /// (`fixed` components, such as `training`, are written by the tools themselves),
    /// after checking that the path, symlinks resolved, stays inside the directory.
    /// Removes stale temporary files from the file's directory.
    /// - Parameters:
    ///   - directories: subdirectories, outermost first.
    ///   - name: the file's name without `suffix`, validated.
    ///   - field: what the name is, for error messages (`suite`, `case`).
    ///   - suffix: `.json`, `.safetensors`.
    public func file(in directories: [(name: String, field: String)] = [], named name: String, field: String,
                     suffix: String) throws(ParityError) -> String {
        var target = path
        for (directory, directoryField) in directories {
            try FixtureName.check(directory, field: directoryField)
            target = (target as NSString).appendingPathComponent(directory)
        }
        try FixtureName.check(name, field: field)
        target = (target as NSString).appendingPathComponent(name + suffix)
        try checkInside(target)
        FixtureFiles.removeStaleTemporaries(in: (target as NSString).deletingLastPathComponent)
        return target
    }

    /// Throws unless `target`, with symlinks resolved (of the deepest part that exists),
    /// is inside this directory. The file itself may be a symlink: it is replaced by a
    /// rename, never written through.
    public func checkInside(_ target: String) throws(ParityError) {
        let parent = Self.resolve((target as NSString).deletingLastPathComponent)
        let base = resolved.hasSuffix("/") ? resolved : resolved + "/"
        guard parent == resolved || parent.hasPrefix(base) else {
            throw ParityError("refusing to write \(target.escapingControlCharacters): it resolves to \(parent.escapingControlCharacters), outside the output directory \(resolved)")
        }
    }

    /// `path` made absolute, with its deepest existing ancestor resolved by `realpath`
    /// (symlinks, `.` and `..` as the kernel sees them); the rest does not exist yet, so
    /// cannot be a symlink, and is made of validated names, so holds no `..`.
    static func resolve(_ path: String) -> String {
        let absolute = (path as NSString).isAbsolutePath ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        var existing = absolute
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        var resolved = existing
        if let real = realpath(existing, nil) {
            resolved = String(cString: real)
            free(real)
        }
        return rest.reduce(resolved) { ($0 as NSString).appendingPathComponent($1) }
    }
}
