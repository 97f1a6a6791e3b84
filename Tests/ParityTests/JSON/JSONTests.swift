import Testing
@testable import Parity

@Suite("JSON reader and writer")
struct JSONTests {
    @Test func readsDocumentsKeepingKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"b": 1, "a": [true, null, "x\n\u00e9"], "c": {"d": -2.5e-3}}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(value["a"] == .array([.bool(true), .null, .string("x\né")]))
        #expect(value["c"]?["d"] == .number(-0.0025))
    }

    /// Numbers read back bit-identical from their shortest representation.
    @Test(arguments: [0.1, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 0.09112821805819912, 1.0 / 3.0])
    func numbersRoundTripExactly(_ x: Double) throws {
        let text = JSONWriter.write(.array([.number(x)]))
        let back = try JSONValue(parsing: text)
        guard case .array(let items) = back, case .number(let y) = items[0] else {
            Issue.record("unexpected \(back)")
            return
        }
        #expect(y.bitPattern == x.bitPattern)
    }

    @Test func nonFiniteNumbersAreWrittenAsStrings() {
        #expect(JSONWriter.number(.nan) == #""nan""#)
        #expect(JSONWriter.number(.infinity) == #""inf""#)
        #expect(JSONWriter.number(-.infinity) == #""-inf""#)
        #expect(JSONWriter.number(2) == "2.0")
    }

    @Test func writerOutputParsesBackToTheSameValue() throws {
        let value = JSONValue.object([
            ("name", .string("quote \" and \\ and \u{01}")),
            ("t", .object([("shape", .array([.number(2)])), ("data", .array([.number(1.5), .number(-2)]))])),
            ("nested", .array([.object([("a", .array([]))]), .null, .bool(false)])),
        ])
        #expect(try JSONValue(parsing: JSONWriter.write(value)) == value)
    }

    /// Errors name the line and column of the problem.
    @Test(arguments: [
        (#"{"a": 1,}"#, 1, 9, "expected a quoted key"),
        ("[1, 2", 1, 6, "expected ',' or ']'"),
        ("{\n  \"a\": tru\n}", 2, 8, "expected a value"),
        (#"{"a": 1} x"#, 1, 10, "after the document"),
        (#"[01]"#, 1, 2, "leading zeros"),
        (#"["abc"#, 1, 2, "unterminated string"),
        (#"{"a": 1, "a": 2}"#, 1, 10, "duplicate key"),
        (#"[1e999]"#, 1, 2, "does not fit a double"),
        ("", 1, 1, "found end of file"),
    ])
    func syntaxErrorsArePositioned(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("parsed \(text) without error")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func deepNestingIsRefusedNotRecursed() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: deep) }
    }

    /// Random and mutated input never crashes the reader; errors stay inside the text.
    @Test func randomInputNeverCrashes() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array(#"{}[]",:0123456789.eE+-truefalsn \"\\u"#)
        let valid = JSONWriter.write(.object([("a", .array([.number(1), .string("x")])), ("b", .null)]))
        for _ in 0..<3_000 {
            var text: String
            if rng.next() % 2 == 0 {
                text = String((0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            } else {
                var chars = Array(valid)
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    let i = Int(rng.next() % UInt64(chars.count))
                    if rng.next() % 2 == 0 { chars.remove(at: i) } else { chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i) }
                }
                text = String(chars)
            }
            do {
                _ = try JSONValue(parsing: text)
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(error.line >= 1 && error.line <= lines, "\(text): \(error)")
            }
        }
    }
}
