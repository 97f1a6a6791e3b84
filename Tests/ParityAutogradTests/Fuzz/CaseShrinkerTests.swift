import Testing
@testable import Parity
import ParityAutograd
import Autograd

/// The shrinker with fake "still fails" predicates, so that no torch is needed.
@Suite("Case shrinker")
struct CaseShrinkerTests {
    /// A case with statements, broadcasting, options, float32 and order 3.
    static let start = CaseSpec(
        name: "start", expr: "a = sin(x) * y; tanh(a + exp(y)) - sum(a, axis=0)",
        inputs: [("x", .literal(HostTensor(shape: [3, 2], data: [0.512, -1.25, 0.333, 1.718, -0.049, 0.9]))),
                 ("y", .literal(HostTensor(shape: [2], data: [1.375, -0.625])))],
        dtype: .float32, order: 3)

    static func tensors(_ spec: CaseSpec) -> [HostTensor] {
        spec.inputs.compactMap { if case .literal(let t) = $0.value { t } else { nil } }
    }

    /// "Fails while the expression contains tanh and an input has ≥ 2 elements": the
    /// minimum is tanh of a single 2-element vector, order 1, float64, values rounded.
    @Test func reachesTheSmallestCaseWithTanhAndTwoElements() throws {
        var calls = 0
        let result = CaseShrinker(backend: AutogradBackend()).shrink(Self.start) { candidate in
            calls += 1
            return candidate.expr.contains("tanh") && Self.tensors(candidate).contains { $0.data.count >= 2 }
        }
        let minimal = result.minimal
        #expect(result.attempts == calls)
        #expect(!result.exhausted)
        #expect(minimal.inputs.count == 1)
        let name = try #require(minimal.inputs.first?.name)
        #expect(minimal.expr == "tanh(\(name))")
        let tensor = try #require(Self.tensors(minimal).first)
        #expect(tensor.shape == [2])
        #expect(tensor.data.allSatisfy { $0 == $0.rounded() })
        #expect(minimal.order == 1)
        #expect(minimal.dtype == .float64)
        #expect(minimal.name == "start")
    }

    /// Shapes shrink as far as the predicate allows (here: the output keeps 3 columns),
    /// and the unused input goes once the sum is gone.
    @Test func shrinksShapesWhereTheExpressionStillEvaluates() throws {
        let spec = CaseSpec(
            name: "shapes", expr: "exp(x) + y",
            inputs: [("x", .literal(HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))),
                     ("y", .literal(HostTensor(shape: [2, 1], data: [1, 2])))])
        let result = CaseShrinker(backend: AutogradBackend()).shrink(spec) { candidate in
            candidate.expr.contains("exp") && (try? Self.output(candidate).shape.last) == 3
        }
        #expect(result.minimal.expr == "exp(x)")
        #expect(Self.tensors(result.minimal).map(\.shape) == [[3]])
        #expect(Self.tensors(result.minimal).first?.data == [1, 2, 3])
    }

    /// Domains are kept: `log(exp(x))` is not shrunk to `log(x)` (NaN for x < 0); the
    /// input still shrinks to one value, 0-d.
    @Test func keepsValuesFinite() throws {
        let spec = CaseSpec(name: "domain", expr: "log(exp(x))",
                            inputs: [("x", .literal(HostTensor(shape: [2], data: [-1.5, -2.5])))])
        let result = CaseShrinker(backend: AutogradBackend()).shrink(spec) { $0.expr.contains("log") }
        #expect(result.minimal.expr == "log(exp(x))")
        #expect(Self.tensors(result.minimal).first?.shape == [])
    }

    /// A case that stops failing at once is returned as it was; the attempts are bounded.
    @Test func stopsWhereNothingFailsAndWithinItsBudget() {
        let unchanged = CaseShrinker(backend: AutogradBackend()).shrink(Self.start) { _ in false }
        #expect(unchanged.minimal.expr == Self.start.expr)
        #expect(unchanged.steps == 0)
        let bounded = CaseShrinker(backend: AutogradBackend(), maxAttempts: 3).shrink(Self.start) { _ in true }
        #expect(bounded.attempts == 3)
        #expect(bounded.steps == 3)
        #expect(bounded.exhausted)
    }

    /// Shape edits keep the leading values along the shortened axis.
    @Test func prefixKeepsLeadingValues() {
        let t = HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(CaseShrinker.prefix(of: t, axis: 1, keeping: 2) == HostTensor(shape: [2, 2], data: [1, 2, 4, 5]))
        #expect(CaseShrinker.prefix(of: t, axis: 0, keeping: 1) == HostTensor(shape: [1, 3], data: [1, 2, 3]))
    }

    static func output(_ spec: CaseSpec) throws -> HostTensor {
        let inputs = spec.inputs.compactMap { input -> (name: String, value: HostTensor)? in
            if case .literal(let t) = input.value { (input.name, t) } else { nil }
        }
        return try CaseRunner.run(AutogradBackend(), expr: spec.expr, inputs: inputs, dtype: spec.dtype, order: 1) { shape in
            HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *)))
        }.output
    }
}
