import Foundation
import Parity

/// The committed specs of this checkout (the harness's own package root).
enum Repository {
    static func path(_ relative: String) -> String { FixtureFiles.packageRoot + "/" + relative }

    /// Every spec suite.
    static func specs() throws -> [SuiteSpec] {
        try FixtureFiles.jsonFiles(in: path(FixtureFiles.specDirectory)).map { try SuiteSpec(contentsOf: $0) }
    }
}
