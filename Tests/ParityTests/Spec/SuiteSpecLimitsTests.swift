import Foundation
import Testing
@testable import Parity

/// Sizes in specs: checked arithmetic and limits (findings 2 and 3).
@Suite("Spec sizes and limits")
struct SuiteSpecLimitsTests {
    /// A 130-byte spec whose shape overflows `Int` when multiplied out killed gen-fixtures.
    @Test(arguments: [#"{"shape": [4294967296, 4294967296, 0], "randn": 1}"#,
                      #"{"shape": [4294967296, 4294967296, 0], "data": []}"#,
                      #"{"shape": [4294967296, 4294967296], "uniform": [0, 1], "seed": 1}"#])
    func overflowingShapesAreRefused(_ input: String) {
        let text = #"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": "# + input + "}}]}"
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            let e = error as? ParityError
            return e?.caseName == "a" && (e?.field ?? "").hasPrefix("inputs.x")
        }
    }

    /// A 120-byte spec asking for a [4000, 4000] randn used 2.8 GB in torch.
    @Test func tooLargeGeneratedInputsAreRefused() {
        let text = #"{"suite": "s", "cases": [{"name": "big", "expr": "x", "inputs": {"x": {"shape": [4000, 4000], "randn": 1}}}]}"#
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("case 'big': field 'inputs.x'") && "\(error)".contains("--max-tensor-elements")
        }
    }

    /// Many inputs each within the tensor limit can exceed the case limit together.
    @Test func tooManyElementsInOneCaseAreRefused() {
        let inputs = (0..<5).map { #""x\#($0)": {"shape": [1000, 1000], "randn": 1}"# }.joined(separator: ", ")
        let text = #"{"suite": "s", "cases": [{"name": "wide", "expr": "x0", "inputs": {"# + inputs + "}}]}"
        #expect {
            _ = try SuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("--max-case-elements")
        }
    }

    @Test func limitsCanBeRaised() throws {
        let text = #"{"suite": "s", "cases": [{"name": "big", "expr": "x", "inputs": {"x": {"shape": [4000, 4000], "randn": 1}}}]}"#
        let spec = try SuiteSpec(parsing: text, limits: HarnessLimits(maxTensorElements: 16_000_000, maxCaseElements: 16_000_000))
        #expect(spec.cases.count == 1)
    }

    /// Every committed spec fits the default limits.
    @Test func committedSpecsFitTheDefaults() throws {
        let files = try FixtureFiles.jsonFiles(in: Repository.path(FixtureFiles.specDirectory))
        for file in files { _ = try SuiteSpec(contentsOf: file) }
    }
}
