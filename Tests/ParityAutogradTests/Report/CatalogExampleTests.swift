import Testing
import Parity
import ParityAutograd

// The sample of the Parity catalog's landing page (Sources/Parity/Parity.docc/Parity.md),
// compiled from outside the module with a plain `import Parity`. It checks every committed
// fixture, as FixtureParityTests does already, so it is compiled here, not run.
func parityLandingPageExample() throws {
    let suites = try FixtureFiles.jsonFiles(in: FixtureFiles.fixtureDirectory)
        .map { path in try FixtureSuite(contentsOf: path) }
    for suite in suites {
        for fixture in suite.cases {
            let report = ParityCheck.check(fixture, suite: suite.suite, on: AutogradBackend())
            if !report.failures.isEmpty { print(suite.suite, fixture.name, report.failures) }
        }
    }
}

@Suite("Parity catalog example")
struct CatalogExampleTests {
    @Test func landingPageExampleCompiles() {
        let example: () throws -> Void = parityLandingPageExample
        _ = example
    }
}
