import Testing
import Autograd
@testable import AutogradNN

@Suite("Losses and accuracy")
struct LossTests {
    /// MSE = mean((y − t)²): ((1 − 0)² + (2 − 4)²)/2 = 2.5; gradient 2(y − t)/n = (1, −2).
    @Test func meanSquaredErrorByHand() throws {
        let y = Variable(try Tensor(shape: [2, 1], scalars: [1, 2]))
        let loss = try Loss.meanSquaredError(y, try Tensor(shape: [2, 1], scalars: [0, 4]))
        #expect(loss.data.scalar == 2.5)
        loss.backward()
        #expect(y.grad?.data.scalars == [1, -2])
    }

    /// A target of another shape is refused rather than broadcast ([2] against [2, 1] would
    /// compare every prediction with every target).
    @Test func meanSquaredErrorRefusesAnotherShape() throws {
        let y = Variable(try Tensor(shape: [2, 1], scalars: [1, 2]))
        #expect(throws: AutogradError.cannotBroadcast(from: [2], to: [2, 1])) {
            try Loss.meanSquaredError(y, try Tensor(shape: [2], scalars: [0, 4]))
        }
    }

    /// Equal logits: every class has probability 1/C, so the loss is ln C and the gradient
    /// (softmax − onehot)/N.
    @Test func crossEntropyOfEqualLogitsIsLogC() throws {
        let logits = Variable(try Tensor(shape: [2, 4], scalars: Array(repeating: 0.5, count: 8)))
        let loss = try Loss.softmaxCrossEntropy(logits, try Tensor(shape: [2], scalars: [3, 0]))
        #expect(abs((loss.data.scalar ?? 0) - 1.3862943611198906) < 1e-15)  // ln 4
        loss.backward()
        let grad = try #require(logits.grad?.data.scalars)
        let expected = [0.125, 0.125, 0.125, -0.375, -0.375, 0.125, 0.125, 0.125]
        for (g, e) in zip(grad, expected) { #expect(abs(g - e) < 1e-15) }
    }

    @Test func crossEntropyRefusesBadLabels() throws {
        let logits = Variable(try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        #expect(throws: AutogradError.self) { try Loss.softmaxCrossEntropy(logits, try Tensor(shape: [2], scalars: [0, 3])) }
        #expect(throws: AutogradError.self) { try Loss.softmaxCrossEntropy(logits, try Tensor(shape: [2], scalars: [0, 0.5])) }
        #expect(throws: AutogradError.self) { try Loss.softmaxCrossEntropy(logits, try Tensor(shape: [3], scalars: [0, 1, 2])) }
    }

    @Test func lossNamesAreTheSpecNames() {
        #expect(Loss(rawValue: "mse") == .meanSquaredError && Loss(rawValue: "cross_entropy") == .softmaxCrossEntropy)
    }

    /// Row 0 predicts class 2 (right), row 1 class 0 (wrong: label 1), row 2 ties between
    /// 0 and 1 and takes the first (right).
    @Test func accuracyCountsArgmaxHits() throws {
        let logits = try Tensor(shape: [3, 3], scalars: [0, 1, 5, 2, 1, 0, 3, 3, 1])
        #expect(try classificationAccuracy(logits, labels: Tensor([2.0, 1.0, 0.0])) == 2.0 / 3.0)
        #expect(try classificationAccuracy(logits, labels: Tensor(int64: [2, 1, 0])) == 2.0 / 3.0)
        #expect(throws: NNError.self) { try classificationAccuracy(logits, labels: Tensor([1.0])) }
        #expect(throws: NNError.self) { try classificationAccuracy(try Tensor(shape: [2, 0], scalars: []), labels: Tensor([0.0, 0.0])) }
    }
}
