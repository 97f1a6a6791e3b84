import Testing
@testable import Parity
import ParityAutograd
import Autograd

/// Every committed fixture case, evaluated in Swift and compared with torch.
@Suite("Parity with PyTorch fixtures")
struct FixtureParityTests {
    @Test func fixturesAreReadable() throws {
        let suites = try Repository.fixtures.get()
        #expect(suites.count >= 4)
        #expect(FixtureCaseArgument.all.count >= 100)
    }

    @Test("Swift matches torch", arguments: FixtureCaseArgument.all)
    func matchesTorch(_ argument: FixtureCaseArgument) {
        let report = ParityCheck.check(argument.fixture, suite: argument.suite, on: AutogradBackend())
        #expect(!report.comparisons.isEmpty || report.error != nil || report.refusal != nil)
        #expect((argument.fixture.refusal != nil) == (report.refusal != nil || report.error != nil && report.comparisons.isEmpty))
        for failure in report.failures {
            Issue.record("\(argument.testDescription): \(failure)")
        }
    }

    /// The seed's comparison: d/dx sigmoid(tanh(x)) at x = 1 is 0.0911 in torch, and
    /// 0.09112821805819912 in float64 (the value DeZero prints).
    @Test func tanhSigmoidIsPointZeroNineOneOne() throws {
        let suites = try Repository.fixtures.get()
        let seed = try #require(suites.first { $0.suite == "seed" })
        let f64 = try #require(seed.cases.first { $0.name == "tanh_sigmoid" })
        let f32 = try #require(seed.cases.first { $0.name == "tanh_sigmoid_f32" })

        // torch's numbers, as the generator recorded them.
        #expect(f64.inputs[0].value.data == [1.0])
        #expect(f64.grads[0][0].data == [0.09112821805819912])
        #expect((f32.grads[0][0].data[0] * 10_000).rounded() / 10_000 == 0.0911)

        // Swift's, from the same inputs.
        let x = Variable(try f64.inputs[0].value.tensor(.float64))
        sigmoid(tanh(x)).backward()
        #expect(try #require(x.grad?.data.scalar) == 0.09112821805819912)

        let x32 = Variable(try f32.inputs[0].value.tensor(.float32))
        sigmoid(tanh(x32)).backward()
        let g32 = try #require(x32.grad)
        #expect(g32.dtype == .float32)
        #expect(abs(try #require(g32.data.scalar) - f32.grads[0][0].data[0]) <= 1e-7)
    }

    /// Each spec case has a fixture case of the same expression (the cheap half of
    /// `gen-fixtures --check`, which needs torch).
    @Test func everySpecCaseHasAFixture() throws {
        let fixtures = try Repository.fixtures.get()
        for spec in try Repository.specs() {
            guard let suite = fixtures.first(where: { $0.suite == spec.suite }) else {
                Issue.record("suite '\(spec.suite)' has no fixture; run `swift run gen-fixtures`")
                continue
            }
            for c in spec.cases {
                let fixture = suite.cases.first { $0.name == c.name }
                #expect(fixture?.expr == c.expr, "\(spec.suite)/\(c.name): spec and fixture differ; regenerate")
                #expect(fixture?.dtype == c.dtype && fixture?.order == c.order, "\(spec.suite)/\(c.name)")
            }
            #expect(suite.cases.count == spec.cases.count, "\(spec.suite): stale cases in the fixture")
        }
    }
}
