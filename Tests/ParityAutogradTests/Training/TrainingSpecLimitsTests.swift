import Testing
@testable import Parity
@testable import ParityAutograd

/// Sizes in training specs (findings 2 and 3).
@Suite("Training spec sizes and limits")
struct TrainingSpecLimitsTests {
    static func spec(model: String = #"{"kind": "mlp", "sizes": [1, 4, 1]}"#, data: String = #"{"kind": "sine", "n": 8, "seed": 0}"#) -> String {
        #"{"kind": "training", "suite": "t", "cases": [{"name": "c", "model": "# + model + #", "data": "# + data
            + #", "loss": "mse", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 1}]}"#
    }

    /// A huge `points_per_class` overflowed `points * classes` and killed the generator.
    @Test func overflowingSpiralSizesAreRefused() {
        let text = Self.spec(data: #"{"kind": "spiral", "points_per_class": 4611686018427387904, "classes": 4, "seed": 0}"#)
        #expect {
            _ = try TrainingSuiteSpec(parsing: text)
        } throws: { error in
            "\(error)".contains("case 'c': field 'data'")
        }
    }

    /// Sizes [1, 100000, 100000, 1] asked for 80 GB of parameters.
    @Test(arguments: [#"{"kind": "mlp", "sizes": [1, 100000, 100000, 1]}"#,
                      #"{"kind": "sequential", "layers": [{"linear": [100000, 100000]}]}"#])
    func tooLargeModelsAreRefused(_ model: String) {
        #expect {
            _ = try TrainingSuiteSpec(parsing: Self.spec(model: model))
        } throws: { error in
            "\(error)".contains("case 'c': field 'model'") && "\(error)".contains("--max-model-parameters")
        }
    }

    @Test func parametersAreCounted() throws {
        #expect(try ModelDescription.mlp(sizes: [2, 16, 16, 3], activation: .relu, bias: true).parameterCount() == 48 + 272 + 51)
        #expect(try ModelDescription.sequential([.linear(inFeatures: 2, outFeatures: 3, bias: false), .activation(.tanh)]).parameterCount() == 6)
    }
}
