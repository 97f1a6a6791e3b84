import Testing
import Autograd
@testable import AutogradNN

/// A module with every kind of member reflection finds, and some it must ignore.
private final class Composite: Module {
    let scale: Parameter
    let encoder: Linear
    let heads: [Linear]
    let optionalBias: Parameter?
    let absent: Linear?
    let label = "ignored"
    let numbers = [1, 2, 3]

    override init() {
        var generator = SeededGenerator(seed: 1)
        scale = Parameter(Tensor(1.0))
        encoder = Linear(3, 4, generator: &generator)
        heads = [Linear(4, 2, generator: &generator), Linear(4, 1, bias: false, generator: &generator)]
        optionalBias = Parameter(Tensor([0.0]))
        absent = nil
    }

    override func forward(_ x: Variable) throws -> Variable {
        try heads[0](encoder(x)) * scale.variable
    }
}

/// A subclass adds its own members after its superclass's.
private final class Extended: Module {
    let base: Composite
    let shared: Linear
    let again: Linear  // the same layer under a second name: listed once

    override init() {
        base = Composite()
        shared = Linear(2, 2, seed: 3)
        again = shared
    }
}

@Suite("Module")
struct ModuleTests {
    @Test func namesParametersLikeTorch() {
        let names = Composite().namedParameters().map(\.name)
        #expect(names == [
            "scale", "optionalBias",
            "encoder.weight", "encoder.bias",
            "heads.0.weight", "heads.0.bias",
            "heads.1.weight",
        ])
    }

    @Test func nestedNamesAreDottedAndSharedParametersListedOnce() {
        let model = Extended()
        let names = model.namedParameters().map(\.name)
        #expect(names.first == "base.scale")
        #expect(names.contains("base.heads.1.weight"))
        #expect(names.filter { $0.hasPrefix("shared.") } == ["shared.weight", "shared.bias"])
        #expect(!names.contains { $0.hasPrefix("again.") })
        #expect(model.parameters.count == 9)
        #expect(model.namedModules().map(\.name) == ["", "base", "base.encoder", "base.heads.0", "base.heads.1", "shared"])
    }

    @Test func mlpNamesMatchATorchModuleList() {
        let mlp = MLP(sizes: [1, 10, 1], activation: .sigmoid)
        #expect(mlp.namedParameters().map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        #expect(mlp.namedParameters().map(\.parameter.shape) == [[10, 1], [10], [1, 10], [1]])
        #expect(mlp.sizes == [1, 10, 1])
    }

    @Test func sequentialNamesByPosition() {
        let model = Sequential(Linear(2, 10), Activation(.tanh), Linear(10, 3))
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.namedChildren.map(\.name) == ["0", "1", "2"])
    }

    @Test func zeroGradForgetsEveryGradient() throws {
        let model = MLP(sizes: [2, 3, 1])
        let x = Variable(try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]))
        sum(try model(x)).backward()
        #expect(model.parameters.allSatisfy { $0.grad != nil })
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func stateDictRoundTrips() throws {
        let a = MLP(sizes: [2, 5, 3], seed: 1), b = MLP(sizes: [2, 5, 3], seed: 2)
        #expect(a.stateDict().map(\.tensor) != b.stateDict().map(\.tensor))
        try b.loadStateDict(a.stateDict())
        #expect(a.stateDict().map(\.tensor) == b.stateDict().map(\.tensor))
        #expect(a.stateDict().map(\.name) == b.stateDict().map(\.name))
    }

    @Test func loadingConvertsTheDtype() throws {
        let a = MLP(sizes: [2, 3], dtype: .float64, seed: 1), b = MLP(sizes: [2, 3], dtype: .float32, seed: 2)
        try b.loadStateDict(a.stateDict())
        #expect(b.parameters.allSatisfy { $0.dtype == .float32 })
        #expect(b.stateDict()[0].tensor == a.stateDict()[0].tensor.converted(to: .float32))
    }

    /// Every problem is reported at once, and nothing is loaded.
    @Test func mismatchedStateIsRefusedWhole() throws {
        let model = MLP(sizes: [2, 3, 1], seed: 1)
        let before = model.stateDict().map(\.tensor)
        var state = MLP(sizes: [2, 4, 1], seed: 2).stateDict()  // hidden size 4, not 3
        state.removeAll { $0.name == "layers.1.bias" }
        state.append(("layers.2.weight", Tensor([1.0])))
        #expect(throws: NNError.stateDoesNotMatch(
            unexpected: ["layers.2.weight"],
            missing: ["layers.1.bias"],
            shapeMismatches: [
                .init(name: "layers.0.weight", expected: [3, 2], found: [4, 2]),
                .init(name: "layers.0.bias", expected: [3], found: [4]),
                .init(name: "layers.1.weight", expected: [1, 3], found: [1, 4]),
            ])) {
            try model.loadStateDict(state)
        }
        #expect(model.stateDict().map(\.tensor) == before)
    }

    @Test func nonStrictLoadingAllowsMissingButNotUnknown() throws {
        let model = MLP(sizes: [2, 3, 1], seed: 1)
        let source = MLP(sizes: [2, 3, 1], seed: 2).stateDict()
        try model.loadStateDict(Array(source.prefix(2)), strict: false)
        #expect(model.stateDict()[0].tensor == source[0].tensor)
        #expect(throws: NNError.stateDoesNotMatch(unexpected: ["nope"], missing: [], shapeMismatches: [])) {
            try model.loadStateDict([("nope", Tensor(1.0))], strict: false)
        }
        #expect(throws: NNError.duplicateName("layers.0.bias")) {
            try model.loadStateDict([source[1], source[1]], strict: false)
        }
    }

    @Test func errorsReadWell() {
        let error = NNError.stateDoesNotMatch(unexpected: ["x"], missing: ["y"], shapeMismatches: [.init(name: "w", expected: [2], found: [3])])
        #expect(error.description == "the state does not match the module: unexpected name(s) 'x'; missing parameter(s) 'y'; "
            + "size mismatch for w: the state has shape [3], the module's parameter has shape [2]")
    }
}
