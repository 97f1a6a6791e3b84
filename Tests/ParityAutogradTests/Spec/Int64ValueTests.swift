import Testing
@testable import Parity
import ParityAutograd
import Autograd

/// int64 inputs and outputs in specs and fixtures: read, written, run, compared.
@Suite("int64 values")
struct Int64ValueTests {
    /// A fixture file around the given case texts.
    static func fixture(_ cases: [String]) -> String {
        #"{"suite": "s", "torch": "t", "python": "p", "cases": ["# + cases.joined(separator: ", ") + "]}"
    }

    static func spec(_ input: String, dtype: String? = nil) -> String {
        #"{"suite": "s", "cases": [{"name": "a", "expr": "x[t]", "inputs": {"x": {"shape": [3], "randn": 1}, "t": "# + input + "}"
            + (dtype.map { #", "dtype": ""# + $0 + #"""# } ?? "") + "}]}"
    }

    @Test func specInputsSayInt64() throws {
        let c = try #require(try SuiteSpec(parsing: Self.spec(#"{"shape": [2], "data": [2, -1], "dtype": "int64"}"#)).cases.first)
        #expect(c.dtype == .float64)
        #expect(c.inputs[1].value == .literal(HostTensor(shape: [2], data: [2, -1], dtype: .int64)))
        let drawn = try #require(try SuiteSpec(parsing: Self.spec(#"{"shape": [4], "randint": [0, 3], "seed": 9}"#)).cases.first)
        #expect(drawn.inputs[1].value == .randint(shape: [4], low: 0, high: 3, seed: 9))
        // The spec writer gives back what it read.
        let again = try SuiteSpec(parsing: SuiteSpec(suite: "s", cases: [c, CaseSpec(name: "b", expr: drawn.expr, inputs: drawn.inputs)]).jsonText)
        #expect(again.cases[0].inputs[1].value == c.inputs[1].value && again.cases[1].inputs[1].value == drawn.inputs[1].value)
    }

    /// A value an int64 input cannot hold is refused, naming the case and the element.
    @Test(arguments: [
        (#"{"shape": [2], "data": [1, 2.5], "dtype": "int64"}"#, "case 'a': field 'inputs.t.data[1]': an int64 value must be a whole number, not 2.5"),
        (#"{"shape": [1], "data": ["nan"], "dtype": "int64"}"#, "field 'inputs.t.data[0]': an int64 value must be a whole number, not "),
        (#"{"shape": [1], "data": [9007199254740993], "dtype": "int64"}"#, "field 'inputs.t.data[0]': int64 value 9007199254740993 is out of range"),
        (#"{"shape": [1], "data": [1e30], "dtype": "int64"}"#, "field 'inputs.t.data[0]': int64 value 1e"),
        (#"{"shape": [1], "data": [1], "dtype": "float32"}"#, "field 'inputs.t.dtype': a tensor's dtype can only be \"int64\""),
        (#"{"shape": [2], "randint": [3, 3], "seed": 1}"#, "field 'inputs.t.randint': expected integers LOW < HIGH"),
    ])
    func badInt64ValuesAreRefused(input: String, message: String) {
        #expect {
            _ = try SuiteSpec(parsing: Self.spec(input))
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aCaseCannotBeInt64() {
        #expect {
            _ = try SuiteSpec(parsing: Self.spec("[0]", dtype: "int64"))
        } throws: { error in
            "\(error)".contains("case 'a': field 'dtype': unknown dtype 'int64'")
        }
    }

    /// Runs `expr` in Swift as a fixture would, with `inputs`.
    func run(_ expr: String, _ inputs: [(name: String, value: HostTensor)], order: Int = 1) throws -> CaseOutcome {
        try CaseRunner.run(AutogradBackend(), expr: expr, inputs: inputs, dtype: .float64, order: order) { shape in
            HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *)))
        }
    }

    @Test func int64InputsGetNoGradient() throws {
        let x = HostTensor(shape: [3], data: [1, 2, 3]), t = HostTensor(shape: [4], data: [2, 0, 2, -1], dtype: .int64)
        let outcome = try run("x[t]", [("x", x), ("t", t)], order: 2)
        #expect(outcome.output == HostTensor(shape: [4], data: [3, 1, 3, 3]))
        #expect(outcome.grads.map(\.count) == [1, 1])
        #expect(outcome.grads[0][0] == HostTensor(shape: [3], data: [1, 0, 3]))
    }

    @Test func int64OutputsAreNotDifferentiated() throws {
        let outcome = try run("argmax(x, axis=1)", [("x", HostTensor(shape: [2, 2], data: [1, 2, 4, 3]))], order: 2)
        #expect(outcome.output == HostTensor(shape: [2], data: [1, 0], dtype: .int64))
        #expect(outcome.grads.isEmpty && outcome.upstream.shape == [0])
    }

    /// Refused with the library's error, not a trap, for an op whose Swift function cannot throw.
    @Test func floatOnlyOpsRefuseInt64() {
        #expect {
            _ = try run("exp(t)", [("t", HostTensor(shape: [1], data: [1], dtype: .int64))])
        } throws: { error in
            (error as? ParityError)?.isRefusal == true && "\(error)".contains("int64")
        }
    }

    @Test func fixturesRoundTripInt64() throws {
        let t = HostTensor(shape: [2], data: [1, -2], dtype: .int64)
        let x = HostTensor(shape: [2], data: [0.5, 2])
        var computed = FixtureCase(name: "a", expr: "x[t]", dtype: .float32, order: 1, tolerance: nil,
                                   inputs: [("x", x), ("t", t)], upstream: HostTensor(shape: [2], data: [1, 1]),
                                   output: HostTensor(shape: [2], data: [2, 0.5]), grads: [[HostTensor(shape: [2], data: [1, 1])]])
        computed.float64 = .init(output: computed.output, grads: computed.grads)
        let argmax = FixtureCase(name: "b", expr: "argmax(x)", dtype: .float64, order: 1, tolerance: nil, inputs: [("x", x)],
                                 upstream: HostTensor(shape: [0], data: []), output: HostTensor(scalar: 1).withDType(.int64), grads: [])
        let suite = FixtureSuite(suite: "s", torch: "t", python: "p", cases: [computed, argmax])
        let text = JSONWriter.write(suite.json)
        #expect(text.contains(#""data": [1, -2], "dtype": "int64""#) || text.contains(#""data":[1,-2],"dtype":"int64""#))
        let back = try FixtureSuite(parsing: text)
        #expect(back.cases[0].inputs[1].value == t)
        #expect(back.cases[0].differentiableInputs.map(\.name) == ["x"])
        #expect(back.cases[1].output.isInt64 && back.cases[1].grads.isEmpty && !back.cases[1].isDifferentiated)
        #expect(ParityCheck.check(back.cases[0], suite: "s", on: AutogradBackend()).passed)
        #expect(ParityCheck.check(back.cases[1], suite: "s", on: AutogradBackend()).passed)
        #expect(Drift.differences(committed: back, regenerated: suite).isEmpty)
    }

    /// A gradient for an int64 input, or an int64 output with gradients, is a malformed fixture.
    @Test func int64ValuesTakeNoGradientsInFixtures() {
        let int = #"{"shape": [1], "data": [0], "dtype": "int64"}"#, float = #"{"shape": [1], "data": [1.0]}"#
        let gradForInt = #"{"name": "a", "expr": "x[t]", "dtype": "float64", "order": 1, "inputs": {"x": "# + float + #", "t": "# + int
            + #"}, "upstream": "# + float + #", "output": "# + float + #", "grads": [{"x": "# + float + #", "t": "# + float + "}]}"
        #expect {
            _ = try FixtureSuite(parsing: Self.fixture([gradForInt]))
        } throws: { error in
            "\(error)".contains("case 'a'") && "\(error)".contains("unknown field")
        }
        let gradsForIntOutput = #"{"name": "b", "expr": "argmax(x)", "dtype": "float64", "order": 1, "inputs": {"x": "# + float
            + #"}, "upstream": "# + float + #", "output": "# + int + #", "grads": [{"x": "# + float + "}]}"
        #expect {
            _ = try FixtureSuite(parsing: Self.fixture([gradsForIntOutput]))
        } throws: { error in
            "\(error)".contains("case 'b': field 'upstream': an int64 output is not differentiated")
        }
    }

    @Test func int64ComparesExactlyAndNeverWithFloats() {
        let loose = Tolerance(rtol: 1, atol: 1)
        let a = HostTensor(shape: [2], data: [1, 2], dtype: .int64)
        #expect(loose.compare(a, a, label: "o").passed)
        let off = loose.compare(HostTensor(shape: [2], data: [1, 3], dtype: .int64), a, label: "o")
        #expect(off.failure == "o[1]: got 3, expected 2 (int64: must be equal)")
        #expect(loose.compare(HostTensor(shape: [2], data: [1, 2]), a, label: "o").failure == "o: dtype floating-point, expected int64")
    }

    /// The int64-label cross-entropy fixtures agree bit for bit with the float-label ones
    /// of the same logits: the same loss, the same gradients.
    @Test func int64LabelsGiveTheFloatLabelGradients() throws {
        guard case .success(let suites) = Repository.fixtures else { Issue.record("fixtures do not read"); return }
        let integers = try #require(suites.first { $0.suite == "integers" })
        let losses = try #require(suites.first { $0.suite == "losses" })
        let pairs = [("ce_int64_labels", "softmax_cross_entropy"), ("ce_int64_labels_f32", "softmax_cross_entropy_f32"),
                     ("ce_int64_labels_scaled", "softmax_cross_entropy_scaled"),
                     ("ce_int64_labels_scaled_f32", "softmax_cross_entropy_scaled_f32"),
                     ("ce_int64_label_unbatched", "softmax_cross_entropy_unbatched"),
                     ("ce_int64_labels_spatial", "softmax_cross_entropy_spatial")]
        for (intName, floatName) in pairs {
            let int = try #require(integers.cases.first { $0.name == intName })
            let float = try #require(losses.cases.first { $0.name == floatName })
            #expect(int.output == float.output, "\(intName)")
            #expect(int.grads.count == float.grads.count, "\(intName)")
            for (k, g) in int.grads.enumerated() {
                for (i, input) in int.differentiableInputs.enumerated() {
                    let j = try #require(float.inputs.firstIndex { $0.name == input.name })
                    #expect(g[i] == float.grads[k][j], "\(intName) order \(k + 1) \(input.name)")
                }
            }
        }
    }
}

extension HostTensor {
    func withDType(_ dtype: ScalarType?) -> HostTensor {
        var copy = self
        copy.dtype = dtype
        return copy
    }
}
