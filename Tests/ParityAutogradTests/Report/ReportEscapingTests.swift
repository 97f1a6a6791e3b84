import Foundation
import Testing
@testable import Parity
import ParityAutograd

/// Names from fixture files reach the JUnit and Markdown reports without control
/// characters (finding 4: a NUL made the JUnit file invalid XML).
@Suite("Report escaping")
struct ReportEscapingTests {
    static let hostileName = "nul\u{0}esc\u{1B}[31mbell\u{7}|pipe"

    static func failing() -> CaseReport {
        CaseReport(suite: "s\u{0}", name: hostileName, dtype: .float64, order: 1, comparisons: [
            TensorComparison(label: "output", maxAbsError: 1, maxRelError: 1, failure: "output of \(hostileName) differs"),
        ], error: nil, refusal: nil)
    }

    /// Characters XML 1.0 allows: tab, newline, carriage return and U+0020 on (not U+FFFE, U+FFFF).
    static func isXMLCharacter(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || (s.value >= 0x20 && s.value != 0xFFFE && s.value != 0xFFFF)
    }

    @Test func junitHasNoControlCharacters() {
        let xml = JUnitReport.xml([Self.failing()])
        #expect(xml.unicodeScalars.allSatisfy(Self.isXMLCharacter))
        #expect(!xml.unicodeScalars.contains("\u{1B}"))
        #expect(xml.contains(#"nul\u{0}esc\u{1B}[31mbell\u{7}|pipe"#))
    }

    @Test func markdownHasNoControlCharactersAndKeepsTables() {
        let analysis = CaseAnalysis.analyze(
            FixtureCase(name: Self.hostileName, expr: "x", dtype: .float64, order: 1, tolerance: nil,
                        inputs: [("x", HostTensor(scalar: 1))], upstream: HostTensor(scalar: 1), output: HostTensor(scalar: 2),
                        grads: [[HostTensor(scalar: 1)]]),
            suite: "s\u{0}", on: AutogradBackend())
        let markdown = MarkdownReport.render([analysis], versions: "torch t")
        #expect(!markdown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(markdown.contains(#"bell\u{7}\|pipe"#))
    }

    @Test func escapingLeavesOrdinaryTextAlone() {
        #expect("seed/tanh_sigmoid é ∂".escapingControlCharacters == "seed/tanh_sigmoid é ∂")
        #expect("a\nb\u{9B}c".escapingControlCharacters == #"a\u{A}b\u{9B}c"#)
    }
}
