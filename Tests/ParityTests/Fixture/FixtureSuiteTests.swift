import Foundation
import Testing
@testable import Parity

/// The fixture reader against hostile fixtures (findings 2 and 4).
@Suite("Fixture reader")
struct FixtureSuiteTests {
    static let tensor = #"{"shape": [1], "data": [1.0]}"#

    static func fixture(_ cases: [String]) -> String {
        #"{"suite": "s", "torch": "t", "python": "p", "cases": ["# + cases.joined(separator: ", ") + "]}"
    }

    static func computed(_ name: String, input: String = tensor) -> String {
        #"{"name": ""# + name + #"", "expr": "x", "dtype": "float64", "order": 1, "inputs": {"x": "# + input
            + #"}, "upstream": "# + tensor + #", "output": "# + tensor + #", "grads": [{"x": "# + tensor + "}]}"
    }

    @Test func aWellFormedFixtureReads() throws {
        #expect(try FixtureSuite(parsing: Self.fixture([Self.computed("a"), Self.computed("b")])).cases.count == 2)
    }

    /// A shape whose product overflows `Int` killed `parity` (a trap in the element count).
    @Test func overflowingShapesAreRefused() {
        let text = Self.fixture([Self.computed("a", input: #"{"shape": [4294967296, 4294967296, 0], "data": []}"#)])
        #expect {
            _ = try FixtureSuite(parsing: text)
        } throws: { error in
            "\(error)".contains("case 'a': field 'inputs.x.shape'")
        }
    }

    @Test func duplicateCaseNamesAreRefused() {
        #expect {
            _ = try FixtureSuite(parsing: Self.fixture([Self.computed("a"), Self.computed("a")]))
        } throws: { error in
            "\(error)".contains("case 'a'") && "\(error)".contains("duplicate case name")
        }
    }

    /// A refused case has no results: `error` beside `grads` is a malformed fixture.
    @Test func aRefusalBesideResultsIsRefused() {
        let text = Self.fixture([#"{"name": "a", "expr": "x", "dtype": "float64", "order": 1, "inputs": {"x": "# + Self.tensor
            + #"}, "error": "RuntimeError: no", "grads": [{"x": "# + Self.tensor + "}]}"])
        #expect {
            _ = try FixtureSuite(parsing: text)
        } throws: { error in
            "\(error)".contains("case 'a': field 'grads'")
        }
    }

    /// Finding 3: a 1 GB file of NULs was read whole before being refused. The size is
    /// checked first (a sparse file: nothing is allocated on disk).
    @Test func filesOverTheSizeLimitAreRefusedBeforeReading() throws {
        let path = NSTemporaryDirectory() + "parity-big-\(UInt32.random(in: 0...UInt32.max)).json"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(truncate(path, 65 << 20) == 0)
        #expect {
            _ = try FixtureSuite(contentsOf: path)
        } throws: { error in
            "\(error)".contains("--max-file-bytes")
        }
        #expect(throws: ParityError.self) { _ = try SuiteSpec(contentsOf: path) }
        #expect(throws: ParityError.self) { _ = try FixtureSuite(contentsOf: path, limits: HarnessLimits(maxFileBytes: 1000)) }
    }

    /// Every committed fixture fits the default limits.
    @Test func committedFixturesFitTheDefaults() throws {
        for file in try FixtureFiles.jsonFiles(in: Repository.path(FixtureFiles.fixtureDirectory)) {
            _ = try FixtureSuite(contentsOf: file)
        }
    }

    /// Names read from a fixture reach error messages (and so the terminal) escaped.
    @Test func errorsShowControlCharactersEscaped() {
        let error = ParityError("bad", file: "f\u{1B}[2J", caseName: "a\u{0}b", field: "inputs.\u{7}")
        #expect(!"\(error)".unicodeScalars.contains { $0.value < 0x20 })
        #expect("\(error)".contains(#"a\u{0}b"#))
    }
}
