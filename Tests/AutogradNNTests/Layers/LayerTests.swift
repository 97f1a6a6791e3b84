import Testing
import Autograd
@testable import AutogradNN

@Suite("Layers")
struct LayerTests {
    /// y = x·Wᵀ + b, element by element: yᵢⱼ = Σₖ xᵢₖ·Wⱼₖ + bⱼ.
    @Test func linearComputesXWTransposePlusB() throws {
        let layer = Linear(3, 2, seed: 5)
        let x = try Tensor(shape: [4, 3], scalars: (0..<12).map { Double($0) / 7 - 0.5 })
        let y = try layer(Variable(x))
        #expect(y.shape == [4, 2])
        let w = layer.weight.data, b = try #require(layer.bias?.data)
        for i in 0..<4 {
            for j in 0..<2 {
                let expected = (0..<3).reduce(0.0) { $0 + x[i, $1] * w[j, $1] } + b[j].item()
                #expect(abs(y.data[i, j] - expected) <= 1e-15, "y[\(i), \(j)]")
            }
        }
    }

    /// ∂L/∂W = (∂L/∂y)ᵀ·x and ∂L/∂b = Σᵢ ∂L/∂yᵢ, here for L = Σ y (∂L/∂y = 1).
    @Test func linearGradients() throws {
        let layer = Linear(2, 3, seed: 6)
        let x = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let input = Variable(x)
        sum(try layer(input)).backward()
        #expect(layer.weight.grad?.data.scalars == [4, 6, 4, 6, 4, 6])  // each row: column sums of x
        #expect(layer.bias?.grad?.data.scalars == [2, 2, 2])
        let w = layer.weight.data
        let expectedInputGrad = (0..<2).flatMap { _ in (0..<2).map { k in (0..<3).reduce(0.0) { $0 + w[$1, k] } } }
        let inputGrad = try #require(input.grad?.data.scalars)
        for (a, e) in zip(inputGrad, expectedInputGrad) { #expect(abs(a - e) <= 1e-15) }
    }

    @Test func linearTakesOneDimensionalAndBatchedInputs() throws {
        let layer = Linear(3, 2, seed: 7)
        let single = try layer(Variable(Tensor([1.0, 2.0, 3.0])))
        #expect(single.shape == [2])
        let batched = try layer(Variable(try Tensor(shape: [5, 4, 3], scalars: Array(repeating: 0.5, count: 60))))
        #expect(batched.shape == [5, 4, 2])
        #expect(throws: AutogradError.self) { try layer(Variable(Tensor([1.0, 2.0]))) }
        #expect(throws: AutogradError.self) { try layer(Variable(2.0)) }
    }

    /// torch's reset_parameters: W ~ U(−1/√in, 1/√in) (kaiming_uniform with a = √5), b likewise.
    @Test func linearInitialisationHasTorchsBounds() throws {
        let layer = Linear(16, 64, seed: 8)
        let bound = 1 / 4.0
        #expect(abs(Initialization.kaimingUniformBound(fanIn: 16, a: 5.0.squareRoot()) - bound) < 1e-16)
        let weights = layer.weight.data.scalars, biases = try #require(layer.bias?.data.scalars)
        #expect(weights.allSatisfy { abs($0) <= bound } && biases.allSatisfy { abs($0) <= bound })
        // 1024 uniform draws span most of the interval, and are centred.
        #expect((weights.max() ?? 0) > 0.9 * bound && (weights.min() ?? 0) < -0.9 * bound)
        #expect(abs(weights.reduce(0, +) / Double(weights.count)) < 0.02)
    }

    @Test func initialisationIsSeeded() {
        #expect(Linear(4, 3, seed: 1).weight.data == Linear(4, 3, seed: 1).weight.data)
        #expect(Linear(4, 3, seed: 1).weight.data != Linear(4, 3, seed: 2).weight.data)
        let f32 = Linear(4, 3, dtype: .float32, seed: 1)
        #expect(f32.weight.dtype == .float32 && f32.weight.data == Linear(4, 3, seed: 1).weight.data.converted(to: .float32))
    }

    @Test func linearWithoutBias() throws {
        let layer = Linear(2, 2, bias: false)
        #expect(layer.namedParameters().map(\.name) == ["weight"])
        let y = try layer(Variable(try Tensor(shape: [1, 2], scalars: [0, 0])))
        #expect(y.data.scalars == [0, 0])
    }

    @Test(arguments: Activation.Kind.allCases)
    func activationLayersApplyTheirFunction(kind: Activation.Kind) throws {
        let x = Variable(try Tensor(shape: [3], scalars: [-1, 0, 2]))
        let y = try Activation(kind)(x)
        let expected: [Double] = switch kind {
        case .sigmoid: sigmoid(x).data.scalars
        case .tanh: tanh(x).data.scalars
        case .relu: [0, 0, 2]
        case .identity: [-1, 0, 2]
        }
        #expect(y.data.scalars == expected)
        #expect(Activation(kind).parameters.isEmpty)
    }

    /// An MLP is Linear, activation, ..., Linear: the same as the Sequential of its layers.
    @Test func mlpIsItsLayersWithActivationsBetween() throws {
        let mlp = MLP(sizes: [2, 4, 3, 1], activation: .tanh, seed: 9)
        let sequential = Sequential(mlp.layers[0], Activation(.tanh), mlp.layers[1], Activation(.tanh), mlp.layers[2])
        let x = Variable(try Tensor(shape: [3, 2], scalars: [0.1, 0.2, -0.3, 0.4, 0.5, -0.6]))
        #expect(try mlp(x).data == sequential(x).data)
    }
}
