import Foundation
import Parity

/// The committed specs and fixtures of this checkout, found from this file's path.
enum Repository {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ParityTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .path

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Every committed fixture suite, or the error that prevented reading one.
    static let fixtures: Result<[FixtureSuite], ParityError> = {
        do throws(ParityError) {
            let files = try FixtureFiles.jsonFiles(in: path(FixtureFiles.fixtureDirectory))
            return .success(try files.map { file throws(ParityError) in try FixtureSuite(contentsOf: file) })
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
