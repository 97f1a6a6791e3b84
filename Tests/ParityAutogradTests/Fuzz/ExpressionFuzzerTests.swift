import Testing
@testable import Parity
import ParityAutograd
import Autograd

/// The fuzzer's cases, checked in Swift alone (torch runs them in `gen-fixtures --fuzz`).
@Suite("Expression fuzzer")
struct ExpressionFuzzerTests {
    /// 500 cases, made once and shared by the tests below.
    static let cases: [CaseSpec] = (try? ExpressionFuzzer(seed: 20_250, backend: AutogradBackend()).suite(count: 500).cases) ?? []

    static func literalInputs(_ spec: CaseSpec) -> [(name: String, value: HostTensor)] {
        spec.inputs.compactMap { input in
            if case .literal(let t) = input.value { (input.name, t) } else { nil }
        }
    }

    @Test func sameSeedSameSuite() throws {
        let first = try ExpressionFuzzer(seed: 3, backend: AutogradBackend()).suite(count: 40)
        let again = try ExpressionFuzzer(seed: 3, backend: AutogradBackend()).suite(count: 40)
        let other = try ExpressionFuzzer(seed: 4, backend: AutogradBackend()).suite(count: 40)
        #expect(first.jsonText == again.jsonText)
        #expect(first.jsonText != other.jsonText)
        #expect(first.suite == "fuzz-3")
        // Case i does not depend on how many cases come before or after it.
        #expect(try ExpressionFuzzer(seed: 3, backend: AutogradBackend()).makeCase(17).jsonLine == first.cases[17].jsonLine)
    }

    /// Every case parses, has literal inputs, and runs in Swift to its order with finite
    /// values: the inputs were kept inside every op's domain.
    @Test func everyCaseEvaluatesWithFiniteValues() throws {
        #expect(Self.cases.count == 500)
        for spec in Self.cases {
            _ = try Program(parsing: spec.expr)
            let inputs = Self.literalInputs(spec)
            #expect(inputs.count == spec.inputs.count, "\(spec.name): inputs not literal")
            let outcome = try CaseRunner.run(AutogradBackend(), expr: spec.expr, inputs: inputs, dtype: spec.dtype,
                                             order: spec.order) { shape in
                HostTensor(shape: shape, data: Array(repeating: 0.5, count: shape.reduce(1, *)))
            }
            let values = outcome.output.data + outcome.grads.flatMap { $0.flatMap(\.data) }
            #expect(values.allSatisfy { $0.isFinite }, "\(spec.jsonLine)")
        }
    }

    /// Operands with a domain get values inside it: every `log`, `sqrt` and `pow` base is
    /// positive and every divisor non-zero, checked on the operands' own values.
    @Test func operandsStayInsideTheirDomains() throws {
        var checked = 0
        for spec in Self.cases {
            let program = try Program(parsing: spec.expr)
            let inputs = Self.literalInputs(spec)
            let scope = program.statements.map { ($0.name, $0.value) }
            for node in (program.statements.map(\.value) + [program.result]).flatMap(\.allNodes) {
                let (name, operands) = switch node {
                case let .call(name, arguments, _, _): (name, arguments)
                case let .binary(op, lhs, rhs, _): (OpTable.name(of: op), [lhs, rhs])
                default: ("", [Expression]())
                }
                guard let op = OpTable.operation(named: name) else { continue }
                for (operand, domain) in zip(operands, op.domains) where domain != .any {
                    let value = try Self.evaluate(operand, scope: scope, inputs: inputs, dtype: spec.dtype)
                    #expect(Self.inside(value, domain), "\(spec.name): \(operand) of \(name) outside \(domain)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    /// Over 500 cases: every op that can be generated shows up (subscripts included),
    /// with both dtypes, every order, ranks 0 to 3, and statements.
    @Test func coversTheOpTable() throws {
        let fuzzer = ExpressionFuzzer(seed: 20_250, backend: AutogradBackend())
        var seen = Set<String>()
        var orders = Set<Int>(), ranks = Set<Int>(), dtypes = Set<ScalarType>()
        var withStatements = 0
        for spec in Self.cases {
            let program = try Program(parsing: spec.expr)
            seen.formUnion(program.operationNames)
            orders.insert(spec.order)
            dtypes.insert(spec.dtype)
            for input in Self.literalInputs(spec) { ranks.insert(input.value.shape.count) }
            if !program.statements.isEmpty { withStatements += 1 }
            let smooth = program.operationNames.allSatisfy { OpTable.operation(named: $0)?.isSmooth ?? true }
            #expect(smooth || spec.order <= 2, "\(spec.name): order \(spec.order) with a non-smooth op")
        }
        let generable = Set(fuzzer.operations.map(\.name) + [ExpressionFuzzer.subscriptName])
        let missing = generable.subtracting(seen).sorted()
        // Allow a few ops that are hard to hit by chance, but name them.
        #expect(missing.count <= generable.count / 10, "never generated: \(missing)")
        #expect(seen.count >= 17)
        #expect(orders == [1, 2, 3])
        #expect(dtypes == [.float32, .float64])
        #expect(ranks == [0, 1, 2, 3])
        #expect(withStatements > 50)
    }

    /// The cases written as a spec file read back as the same cases.
    @Test func specTextReadsBack() throws {
        let suite = SuiteSpec(suite: "fuzz-20250", cases: Array(Self.cases.prefix(50)))
        let read = try SuiteSpec(parsing: suite.jsonText)
        #expect(read.cases.map(\.jsonLine) == suite.cases.map(\.jsonLine))
        let line = try #require(suite.cases.first?.jsonLine)
        #expect(!line.contains("\n"))
        _ = try SuiteSpec(parsing: "{\"suite\": \"pasted\", \"cases\": [\(line)]}")
    }

    // MARK: - Helpers

    static func evaluate(_ expression: Expression, scope: [(String, Expression)], inputs: [(name: String, value: HostTensor)],
                         dtype: ScalarType) throws -> HostTensor {
        let source = (scope.map { "\($0.0) = \($0.1)" } + [expression.description]).joined(separator: "; ")
        return try CaseRunner.run(AutogradBackend(), expr: source, inputs: inputs, dtype: dtype, order: 1) { shape in
            HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *)))
        }.output
    }

    static func inside(_ value: HostTensor, _ domain: Op.Domain) -> Bool {
        switch domain {
        case .any: true
        case .positive: value.data.allSatisfy { $0 > 0 }
        case .nonzero: value.data.allSatisfy { $0 != 0 }
        case .probability: value.data.allSatisfy { $0 > 0 && $0 < 1 }
        case .classLabel: value.data.allSatisfy { $0 >= 0 && $0.rounded() == $0 }
        case .insideUnit: value.data.allSatisfy { $0 > -1 && $0 < 1 }
        case .aboveOne: value.data.allSatisfy { $0 > 1 }
        }
    }
}

extension Expression {
    /// This node and every node under it.
    var allNodes: [Expression] { [self] + children.flatMap(\.allNodes) }
}
