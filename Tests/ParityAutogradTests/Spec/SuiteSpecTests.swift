import Testing
@testable import Parity
import ParityAutograd
import Autograd

@Suite("Spec files")
struct SuiteSpecTests {
    @Test func readsEveryInputForm() throws {
        let spec = try SuiteSpec(parsing: """
        {"suite": "s", "cases": [
          {"name": "a", "expr": "x * y + z + w + v", "dtype": "float32", "order": 3, "tolerance": {"rtol": 1e-3, "atol": 0},
           "inputs": {"x": 1.5, "y": [[1, 2], [3, 4]], "z": {"shape": [2], "randn": 7},
                      "w": {"shape": [1, 2], "uniform": [-1, 1], "seed": 3}, "v": {"shape": [2], "data": ["nan", "-inf"]}}}
        ]}
        """)
        let c = try #require(spec.cases.first)
        #expect(spec.suite == "s")
        #expect(c.dtype == .float32 && c.order == 3 && c.tolerance == Tolerance(rtol: 1e-3, atol: 0))
        #expect(c.inputs.map(\.name) == ["x", "y", "z", "w", "v"])
        #expect(c.inputs[0].value == .literal(HostTensor(scalar: 1.5)))
        #expect(c.inputs[1].value == .literal(HostTensor(shape: [2, 2], data: [1, 2, 3, 4])))
        #expect(c.inputs[2].value == .randn(shape: [2], seed: 7))
        #expect(c.inputs[3].value == .uniform(shape: [1, 2], low: -1, high: 1, seed: 3))
        guard case .literal(let v) = c.inputs[4].value else { Issue.record("v"); return }
        #expect(v.data[0].isNaN && v.data[1] == -.infinity)
    }

    @Test func defaultsAreFloat64OrderOne() throws {
        let c = try #require(try SuiteSpec(parsing: #"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}}]}"#).cases.first)
        #expect(c.dtype == .float64 && c.order == 1 && c.tolerance == nil)
    }

    /// Every malformed spec names the case and field.
    @Test(arguments: [
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": [[1, 2], [3]]}}]}"#, "case 'a': field 'inputs.x[1]': ragged"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}, "dtype": "float16"}]}"#, "case 'a': field 'dtype': unknown dtype 'float16'"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}, "order": 4}]}"#, "case 'a': field 'order': order must be 1, 2 or 3"),
        (#"{"suite": "s", "cases": [{"name": "a", "inputs": {"x": 1}}]}"#, "case 'a': field 'expr': missing field"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}, "ordr": 2}]}"#, "case 'a': field 'ordr': unknown field"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [2], "randn": 1.5}}}]}"#, "case 'a': field 'inputs.x.randn': expected an integer"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [-1], "randn": 1}}}]}"#, "field 'inputs.x.shape[0]': a dimension cannot be negative"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [2], "uniform": [1, 0], "seed": 1}}}]}"#, "field 'inputs.x.uniform': expected finite LOW < HIGH"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [3], "data": [1, 2]}}}]}"#, "field 'inputs.x.data': 2 values do not fill shape [3]"),
        (#"{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": 1}}, {"name": "a", "expr": "x", "inputs": {"x": 1}}]}"#, "case 'a': duplicate case name"),
        (#"{"suite": "s", "cases": [{"expr": "x", "inputs": {"x": 1}}]}"#, "field 'cases[0].name': missing field"),
        (#"{"suite": "s", "cases": [1]}"#, "expected an object, found a number"),
        (#"{"suite": "s", "cases": [}"#, "invalid JSON: line 1, column 26"),
    ])
    func malformedSpecsAreLocated(_ text: String, _ expected: String) {
        do {
            _ = try SuiteSpec(parsing: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(expected), "got: \(error)")
        }
    }

    @Test func fileErrorsNameTheFile() {
        do {
            _ = try SuiteSpec(contentsOf: "/nonexistent/spec.json")
            Issue.record("read a missing file")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/spec.json: cannot read spec"))
        }
    }

    /// The committed specs all read.
    @Test func committedSpecsAreValid() throws {
        let specs = try Repository.specs()
        #expect(specs.count >= 4)
        #expect(Set(specs.map(\.suite)).count == specs.count)
    }
}
