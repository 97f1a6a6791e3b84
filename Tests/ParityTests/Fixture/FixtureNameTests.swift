import Foundation
import Testing
@testable import Parity

/// Suite and case names are names, not paths (finding 1, and 4 for control characters).
@Suite("Suite and case names")
struct FixtureNameTests {
    static let hostile = ["../victim/important", "a/b", "/abs", "", ".hidden", "..", "nul\u{0}name", "esc\u{1B}[31mred",
                          "new\nline", "é", String(repeating: "a", count: 101)]

    @Test(arguments: hostile)
    func specSuiteNamesThatAreNotNamesAreRefused(_ name: String) {
        let text = #"{"suite": "# + JSONWriter.quote(name) + #", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}}]}"#
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("field 'suite'")
        }
    }

    @Test(arguments: hostile)
    func specCaseNamesThatAreNotNamesAreRefused(_ name: String) {
        let text = #"{"suite": "s", "cases": [{"name": "# + JSONWriter.quote(name) + #", "expr": "x", "inputs": {"x": 1}}]}"#
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("field 'name'")
        }
    }

    @Test(arguments: ["seed", "broadcast_reduce", "fuzz-12", "a.b", "A-Z_0.9", String(repeating: "a", count: 100)])
    func namesAreAccepted(_ name: String) {
        #expect(FixtureName.problem(with: name) == nil)
    }

    /// The error names the offending character visibly, never raw.
    @Test func theErrorShowsControlCharactersEscaped() {
        let problem = FixtureName.problem(with: "a\u{1B}[31m")
        #expect(problem?.contains("U+1B") == true)
        #expect(problem?.unicodeScalars.contains { $0.value < 0x20 } == false)
    }

    /// Finding 1: the fixture path of a suite is built from a validated name only.
    @Test(arguments: ["../victim/important", "a/b", "/abs", ""])
    func fixturePathsRefuseNamesThatAreNotNames(_ name: String) {
        #expect(throws: ParityError.self) { _ = try FixtureFiles.fixturePath(suite: name, in: "out") }
    }
}
