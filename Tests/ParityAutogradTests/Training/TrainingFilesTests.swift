import Foundation
import Testing
@testable import Parity
@testable import ParityAutograd

/// The training-parity files (specs and fixtures) as the harness reads them.
@Suite("Training files")
struct TrainingFilesTests {
    /// Names that are not names (paths, control characters, too long), as in the harness's own tests.
    static let hostile = ["../victim/important", "a/b", "/abs", "", ".hidden", "..", "nul\u{0}name", "esc\u{1B}[31mred",
                          "new\nline", "é", String(repeating: "a", count: 101)]

    @Test(arguments: hostile)
    func trainingSuiteAndCaseNamesThatAreNotNamesAreRefused(_ name: String) {
        let quoted = JSONWriter.quote(name)
        for (suite, caseName) in [(quoted, #""ok""#), (#""ok""#, quoted)] {
            let text = #"{"kind": "training", "suite": "# + suite + #", "cases": [{"name": "# + caseName
                + #"", "model": {"kind": "mlp", "sizes": [1, 1]}, "data": {"kind": "sine", "n": 4, "seed": 0}, "loss": "mse", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 1}]}"#
            #expect(throws: ParityError.self, "\(suite) / \(caseName)") { _ = try TrainingSuiteSpec(parsing: text) }
        }
    }

    @Test func trainingFixturesRefuseDuplicateCaseNames() throws {
        let path = Repository.path(TrainingFixtureFiles.fixtureDirectory + "/sine.json")
        let committed = try TrainingFixtureSuite(contentsOf: path)
        var doubled = committed
        doubled.cases.append(committed.cases[0])
        #expect {
            _ = try TrainingFixtureSuite(parsing: JSONWriter.write(doubled.json))
        } throws: { error in
            "\(error)".contains("duplicate case name")
        }
    }

    /// Every committed training spec and fixture fits the default limits.
    @Test func committedTrainingFilesFitTheDefaults() throws {
        for file in try TrainingFixtureFiles.trainingFiles(under: Repository.path(FixtureFiles.specDirectory)) {
            _ = try TrainingSuiteSpec(contentsOf: file)
        }
        for file in try TrainingFixtureFiles.trainingFiles(under: Repository.path(FixtureFiles.fixtureDirectory)) {
            _ = try TrainingFixtureSuite(contentsOf: file)
        }
    }

    @Test func anExpressionFileIsNotATrainingFile() throws {
        let path = Repository.path(FixtureFiles.fixtureDirectory + "/scalar.json")
        #expect(!TrainingFixtureFiles.isTraining(path))
        #expect(TrainingFixtureFiles.isTraining(Repository.path(TrainingFixtureFiles.fixtureDirectory + "/sine.json")))
    }
}
