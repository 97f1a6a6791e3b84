import Testing
import Autograd
@testable import AutogradNN

/// tools/make-norm-model-fixture.py's NormNet: indices → Embedding(6, 4, padding_idx=0)
/// → BatchNorm1d(4) → tanh → LayerNorm(4) → Linear(4, 3), with torch's attribute names.
private final class NormNet: Module {
    let embedding = Embedding(6, 4, paddingIdx: 0, seed: 1)
    let norm = BatchNorm1d(4)
    let layer_norm = LayerNorm(4)
    let output = Linear(4, 3, seed: 2)

    override func forward(_ indices: Variable) throws -> Variable {
        try output(layer_norm(tanh(norm(embedding(indices)))))
    }
}

private func expectClose(_ actual: Tensor, _ expected: Tensor?, tolerance: Double = 1e-12, _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let expected else { Issue.record("\(what): missing in the fixture", sourceLocation: sourceLocation); return }
    #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual.scalars, expected.scalars).enumerated() {
        #expect(abs(a - e) <= tolerance * (1 + abs(e)), "\(what)[\(i)]: got \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}

@Suite("Normalisation, embedding and dropout layers")
struct NormalizationLayerTests {
    /// A state dict saved by torch (`safetensors.torch.save_file(model.state_dict())`)
    /// loads, buffers included, and the model then gives torch's outputs in evaluation
    /// and in training mode, updates the running statistics as torch did, and gets
    /// torch's gradients (the padding row's is zero).
    @Test func torchStateDictGivesTorchOutputs() throws {
        let model = NormNet()
        try model.load(from: DataFixtures.path("norm_model.safetensors"))
        let expected = try Safetensors.read(from: DataFixtures.path("norm_model_expected.safetensors"))
        #expect(model.stateDict().map(\.name) == [
            "embedding.weight", "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var",
            "norm.num_batches_tracked", "layer_norm.weight", "layer_norm.bias", "output.weight", "output.bias",
        ])
        #expect(model.norm.numBatchesTracked?.data.int64Scalars == [2])
        let indices = Variable(try #require(expected["indices"]))

        model.eval()
        #expect(!model.training && !model.norm.training && !model.embedding.training)
        let evalOutput = try model(indices)
        expectClose(evalOutput.data, expected["eval_output"], "eval output")

        model.train()
        let trainOutput = try model(indices)
        expectClose(trainOutput.data, expected["train_output"], "train output")
        expectClose(try #require(model.norm.runningMean).data, expected["running_mean"], "running_mean")
        expectClose(try #require(model.norm.runningVar).data, expected["running_var"], "running_var")
        #expect(model.norm.numBatchesTracked?.data.int64Scalars == expected["num_batches_tracked"]?.int64Scalars)

        let upstream = Variable.constant(try #require(expected["upstream"]))
        sum(trainOutput * upstream).backward()
        for (name, parameter) in model.namedParameters() {
            expectClose(try #require(parameter.grad).data, expected["grad.\(name)"], "grad.\(name)")
        }
        #expect(model.embedding.weight.grad!.data.scalars.prefix(4).allSatisfy { $0 == 0 })
    }

    /// The Swift state dict saved and loaded again round-trips buffers (int64 included).
    @Test func buffersRoundTrip() throws {
        let a = BatchNorm2d(3)
        let x = Variable(try Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map { Double($0 * $0 % 7) }))
        _ = try a(x)
        let b = BatchNorm2d(3)
        try b.loadStateDict(a.stateDict())
        #expect(b.runningMean!.data.scalars == a.runningMean!.data.scalars)
        #expect(b.runningVar!.data.scalars == a.runningVar!.data.scalars)
        #expect(b.numBatchesTracked!.data.dtype == .int64)
        #expect(b.numBatchesTracked!.data.int64Scalars == [1])
    }

    /// Batch normalisation refuses torch's wrong ranks and a single value per channel in
    /// training, but not in evaluation.
    @Test func batchNormChecksItsInput() throws {
        let bn = BatchNorm1d(3)
        #expect(throws: AutogradError.self) { try bn(Variable(try Tensor.zeros([2, 3, 2, 2]))) }
        #expect(throws: AutogradError.self) { try bn(Variable(try Tensor.zeros([1, 3]))) }
        bn.eval()
        #expect(try bn(Variable(try Tensor.zeros([1, 3]))).shape == [1, 3])
        #expect(throws: AutogradError.self) { try BatchNorm2d(3)(Variable(try Tensor.zeros([2, 3]))) }
    }

    /// momentum nil is torch's cumulative average: after two batches the running mean is
    /// the average of the two batch means.
    @Test func cumulativeMovingAverage() throws {
        let bn = BatchNorm1d(1, momentum: nil)
        _ = try bn(Variable(try Tensor(shape: [2, 1], scalars: [1, 3])))
        _ = try bn(Variable(try Tensor(shape: [2, 1], scalars: [5, 7])))
        #expect(bn.runningMean!.data.scalars == [4])
    }

    /// Embedding: torch's initialisation shape, the padding row zeroed.
    @Test func embeddingPaddingRowIsZero() throws {
        let e = Embedding(5, 3, paddingIdx: -2)
        #expect(e.paddingIdx == 3)
        #expect(Array(e.weight.data.scalars[9..<12]) == [0, 0, 0])
        #expect(e.weight.data.scalars.filter { $0 != 0 }.count == 12)
        let y = try e(Variable(try Tensor(shape: [2], int64Scalars: [3, 1])))
        #expect(y.shape == [2, 3])
    }

    /// Dropout drops in training (reproducibly, from its seed) and is the identity in evaluation.
    @Test func dropoutFollowsTheTrainingFlag() throws {
        let x = Variable(try Tensor.ones([100]))
        let a = Dropout(p: 0.5, seed: 7), b = Dropout(p: 0.5, seed: 7)
        let ya = try a(x), yb = try b(x)
        #expect(ya.data.scalars == yb.data.scalars)
        #expect(Set(ya.data.scalars).isSubset(of: [0, 2]))
        #expect(ya.data.scalars.contains(0))
        let model = Sequential([a])
        model.eval()
        #expect(!a.training)
        #expect(try a(x) === x)
    }

    /// A frozen parameter gets no gradient and is not updated; unfreezing restores both.
    @Test func frozenParametersAreSkipped() throws {
        let layer = Linear(2, 2, seed: 3)
        layer.weight.requiresGrad = false
        let before = layer.weight.data.scalars
        let optimizer = try SGD(layer.parameters, lr: 0.1)
        let x = Variable(try Tensor(shape: [1, 2], scalars: [1, 2]))
        sum(try layer(x)).backward()
        #expect(layer.weight.grad == nil)
        #expect(layer.bias?.grad != nil)
        optimizer.step()
        #expect(layer.weight.data.scalars == before)
        // A gradient held from before freezing is not applied either.
        layer.weight.requiresGrad = true
        layer.zeroGrad()
        sum(try layer(x)).backward()
        layer.weight.requiresGrad = false
        for o in [optimizer as any Optimizer, try Adam(layer.parameters), try RMSprop(layer.parameters),
                  try Adagrad(layer.parameters), try Adadelta(layer.parameters)] {
            o.step()
            #expect(layer.weight.data.scalars == before)
        }
    }
}
