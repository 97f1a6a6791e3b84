import Foundation
import Parity
import ParityAutograd

/// The committed specs and fixtures of this checkout (the harness's own package root).
enum Repository {
    static func path(_ relative: String) -> String { FixtureFiles.packageRoot + "/" + relative }

    /// Every committed fixture suite, or the error that prevented reading one.
    static let fixtures: Result<[FixtureSuite], ParityError> = {
        do throws(ParityError) {
            return .success(try FixtureFiles.packagedSuites())
        } catch {
            return .failure(error)
        }
    }()

    /// Every spec suite.
    static func specs() throws -> [SuiteSpec] {
        try FixtureFiles.jsonFiles(in: path(FixtureFiles.specDirectory)).map { try SuiteSpec(contentsOf: $0) }
    }
}

/// One fixture case as a test argument, shown as `suite/name` in test output.
struct FixtureCaseArgument: Sendable, CustomTestStringConvertible {
    let suite: String
    let fixture: FixtureCase

    var testDescription: String { "\(suite)/\(fixture.name)" }

    static let all: [FixtureCaseArgument] = {
        guard case .success(let suites) = Repository.fixtures else { return [] }
        return suites.flatMap { suite in suite.cases.map { FixtureCaseArgument(suite: suite.suite, fixture: $0) } }
    }()
}

import Testing
