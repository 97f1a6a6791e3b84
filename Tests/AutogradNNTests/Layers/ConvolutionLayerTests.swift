import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("Convolution and pooling layers")
struct ConvolutionLayerTests {
    static let fixture: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Layers
        .deletingLastPathComponent()  // AutogradNNTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("fixtures/nn/conv_state_dict.safetensors").path

    /// The model of tools/make-conv-state-fixture.py, with torch's child indices.
    static func model() -> Sequential {
        Sequential(
            Conv2d(2, 4, kernelSize: 3, stride: 1, padding: 1, groups: 2, seed: 1),
            Activation(.relu),
            MaxPool2d(kernelSize: 2, ceilMode: true),
            ConvTranspose2d(4, 3, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, seed: 2),
            AvgPool2d(kernelSize: 2, stride: 1, padding: 1, countIncludePad: false),
            Conv2d(3, 2, kernelSize: [2, 3], stride: [2, 1], dilation: [1, 2], bias: false, seed: 3),
            Flatten())
    }

    /// A torch `state_dict` saved with safetensors loads under torch's names and shapes,
    /// and the Swift model then computes torch's output for torch's input.
    @Test func torchStateDictLoadsAndMatchesTorch() throws {
        let contents = try Safetensors.read(from: Self.fixture)
        let state = contents.tensors.filter { $0.name != "input" && $0.name != "output" }
        let input = try #require(contents.tensors.first { $0.name == "input" }?.tensor)
        let expected = try #require(contents.tensors.first { $0.name == "output" }?.tensor)
        let model = Self.model()
        #expect(Set(model.stateDict().map(\.name)) == Set(state.map(\.name)))
        try model.loadStateDict(state)
        let y = try model(Variable(input))
        #expect(y.shape == expected.shape)
        let worst = zip(y.data.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-12, "largest difference \(worst)")
    }

    /// torch's parameter shapes and initialisation bounds (kaiming_uniform a=√5: ±1/√fan_in).
    @Test func parameterShapesAndInitialisation() {
        let conv = Conv2d(4, 6, kernelSize: [3, 2], groups: 2, seed: 7)
        #expect(conv.weight.shape == [6, 2, 3, 2])
        #expect(conv.bias?.shape == [6])
        let bound = 1 / Double(2 * 3 * 2).squareRoot()
        #expect(conv.weight.data.scalars.allSatisfy { abs($0) <= bound })
        #expect(conv.bias!.data.scalars.allSatisfy { abs($0) <= bound })
        let transposed = ConvTranspose2d(4, 6, kernelSize: 3, groups: 2, bias: false, seed: 8)
        #expect(transposed.weight.shape == [4, 3, 3, 3])
        #expect(transposed.bias == nil)
        #expect(transposed.weight.data.scalars.allSatisfy { abs($0) <= 1 / 27.0.squareRoot() })
        #expect(conv.namedParameters().map(\.name) == ["weight", "bias"])
    }

    /// Shapes through a small CNN, float32 kept, and gradients reach every parameter.
    @Test func smallNetworkShapesAndGradients() throws {
        let model = Sequential(
            Conv2d(1, 3, kernelSize: 3, padding: 1, dtype: .float32, seed: 1), Activation(.relu),
            MaxPool2d(kernelSize: 2), Flatten(), Linear(3 * 2 * 2, 2, dtype: .float32, seed: 2))
        var generator = SeededGenerator(seed: 3)
        let x = Variable(Initialization.uniform(shape: [5, 1, 4, 4], low: -1, high: 1, dtype: .float32,
                                                generator: &generator))
        let y = try model(x)
        #expect(y.shape == [5, 2])
        #expect(y.dtype == .float32)
        sum(y).backward()
        for (name, parameter) in model.namedParameters() {
            #expect(parameter.grad?.shape == parameter.shape, "\(name)")
        }
    }

    /// Pooling and Flatten layers have no parameters; Flatten keeps the batch axis.
    @Test func parameterFreeLayers() throws {
        let x = Variable(try Tensor.zeros([2, 3, 4, 5]))
        #expect(try Flatten()(x).shape == [2, 60])
        #expect(try MaxPool2d(kernelSize: 2)(x).shape == [2, 3, 2, 2])
        #expect(try AvgPool2d(kernelSize: 3, stride: 1, padding: 1)(x).shape == [2, 3, 4, 5])
        #expect(MaxPool2d(kernelSize: 2).namedParameters().isEmpty)
    }
}
