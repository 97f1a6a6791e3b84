import Foundation
import Testing
@testable import Parity

/// The JSON reader against inputs made to cost time or memory (finding 3), and the
/// message for integers too large for `Int` (finding 4).
@Suite("JSON reader limits")
struct JSONLimitsTests {
    /// 160,000 keys in one object (2.4 MB) took 91 s in release with a quadratic duplicate
    /// check; a linear one takes well under a second, even in a debug build.
    @Test func manyKeysInOneObjectReadInLinearTime() throws {
        let keys = 160_000
        let text = "{" + (0..<keys).map { #""k\#($0)": 0"# }.joined(separator: ", ") + "}"
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            guard case .object(let members) = try JSONValue(parsing: text) else { Issue.record("not an object"); return }
            #expect(members.count == keys)
        }
        #expect(elapsed < .seconds(20), "\(elapsed)")
        // The duplicate check still works.
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #"{"a": 1, "b": 2, "a": 3}"#) }
    }

    @Test func nestingBeyondTheLimitIsRefused() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect {
            try JSONValue(parsing: deep)
        } throws: { error in
            "\(error)".contains("--max-json-depth")
        }
        _ = try JSONValue(parsing: deep, limits: HarnessLimits(maxJSONDepth: 65))
    }

    @Test func containersBeyondTheItemLimitAreRefused() throws {
        let limits = HarnessLimits(maxJSONItems: 3)
        _ = try JSONValue(parsing: "[1, 2, 3]", limits: limits)
        _ = try JSONValue(parsing: #"{"a": 1, "b": 2, "c": 3}"#, limits: limits)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: "[1, 2, 3, 4]", limits: limits) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: #"{"a": 1, "b": 2, "c": 3, "d": 4}"#, limits: limits) }
        // The default: a million.
        let many = "[" + String(repeating: "0,", count: 1_000_000) + "0]"
        #expect {
            try JSONValue(parsing: many)
        } throws: { error in
            "\(error)".contains("--max-json-items")
        }
    }

    /// An integer too large for `Int` was reported as "a fraction".
    @Test(arguments: ["99999999999999999999", "-99999999999999999999", "1e20"])
    func integersOutOfRangeAreNamedSo(_ number: String) {
        let text = #"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [2], "randn": "# + number + "}}}]}"
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("integer out of range") && !"\(error)".contains("fraction")
        }
    }

    @Test func fractionsAreStillNamedSo() {
        let text = #"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [2], "randn": 1.5}}}]}"#
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("fraction")
        }
    }
}
