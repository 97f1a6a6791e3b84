import Foundation
import Parity
import ParityAutograd
import ParityDifferentiation

/// The committed fixtures of this checkout, found from this file's path.
enum Repository {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ParityDifferentiationTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .path

    /// Every committed fixture suite, or the error that prevented reading one.
    static let fixtures: Result<[FixtureSuite], ParityError> = {
        do throws(ParityError) {
            let files = try FixtureFiles.jsonFiles(in: root + "/" + FixtureFiles.fixtureDirectory)
            return .success(try files.map { file throws(ParityError) in try FixtureSuite(contentsOf: file) })
        } catch {
            return .failure(error)
        }
    }()
}

/// A fixture case the scalar backend runs, shown as `suite/name` in test output.
struct ScalarCase: Sendable, CustomStringConvertible {
    let suite: String
    let fixture: FixtureCase

    var description: String { "\(suite)/\(fixture.name)" }

    /// Every committed case that qualifies: all inputs 0-d, supported ops, any order.
    static let all: [ScalarCase] = {
        guard case .success(let suites) = Repository.fixtures else { return [] }
        return suites.flatMap { suite in
            suite.cases.filter { ScalarDifferentiationBackend.unsupportedReason($0) == nil }
                .map { ScalarCase(suite: suite.suite, fixture: $0) }
        }
    }()
}
