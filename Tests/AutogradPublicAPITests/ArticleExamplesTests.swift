import Foundation
import Testing
import Autograd
import AutogradNN

// The Swift samples of the DocC articles of Autograd (GettingStarted.md,
// HigherOrderDerivatives.md) and AutogradNN (AutogradNN.md, TrainingAModel.md), compiled
// from outside the modules, with the values their comments show. (WritingYourOwnOp.md's
// samples are CustomOpTests'.)

func numericalDiff(_ f: (Variable) -> Variable, _ x: Variable, eps: Double = 1e-4) -> Double {
    let x0 = Variable(x.data - eps), x1 = Variable(x.data + eps)
    return (f(x1).data.item() - f(x0).data.item()) / (2 * eps)
}

@Suite("DocC article examples")
struct ArticleExamplesTests {
    @Test func steps1to3() {
        let x = Variable(0.5)
        let A = Square(), B = Exp(), C = Square()
        let y = C(B(A(x)))
        #expect(y.data.item() == 1.648721270700128)
    }

    @Test func step4() {
        let d = numericalDiff({ square(exp(square($0))) }, Variable(0.5))
        #expect(abs(d - 3.29744262933) < 1e-10, "\(d)")
    }

    @Test func step6ByHand() {
        let x = Variable(0.5)
        let A = Square(), B = Exp(), C = Square()
        let a = A(x), b = B(a), y = C(b)
        let gb = C.backward(Variable(1.0))
        let ga = B.backward(gb)
        let gx = A.backward(ga)
        #expect(gx.data.item() == 3.297442541400256)
        _ = y
    }

    @Test func step7Automatic() {
        let x = Variable(0.5)
        let A = Square(), B = Exp(), C = Square()
        let a = A(x), b = B(a), y = C(b)
        #expect(y.creator === C)
        #expect(y.creator?.inputs[0] === b)
        y.backward()
        #expect(x.grad!.data.item() == 3.297442541400256)
        _ = a
    }

    @Test func step9Operators() {
        let u = Variable(2.0), v = Variable(3.0)
        let w = u * v + 2 - 1 / u + 2 ** v   // 15.5
        w.backward()
        #expect(w.data.item() == 15.5)
        #expect(u.grad!.data.item() == 3.25)
        #expect(abs(v.grad!.data.item() - (2 + 8 * log(2.0))) < 1e-12)
    }

    @Test func step10() {
        let x = Variable(0.5)
        let y = square(exp(square(x)))
        y.backward()
        #expect(abs(x.grad!.data.item() - numericalDiff({ square(exp(square($0))) }, x)) < 1e-6)
    }

    @Test func tensors() throws {
        let m: Tensor = [[1, 2, 3], [4, 5, 6]]   // array literals; shape [2, 3]
        let n = 2 * m - 1                          // operators broadcast as in numpy and torch
        let row = m[1]                             // tensor([4., 5., 6.]): a Tensor
        let d: Double = m[1, 2]                    // 6.0: a full index gives a Double
        let e = m[1][2].item()                     // 6.0: item() reads a one-element tensor
        let total = m.sum().item()                 // 21.0
        let columns = try m.sum(axis: 0)           // [5, 7, 9]
        let product = try m.matmul(m.transposed()) // [[14, 32], [32, 77]]
        let mask = m .> 2                          // [[0, 0, 1], [1, 1, 1]]: pointwise comparisons
        print(n)                                   // printed as torch prints it
        #expect(n == [[1, 3, 5], [7, 9, 11]])
        #expect(row == [4, 5, 6] && row.description == "tensor([4., 5., 6.], dtype=float64)")
        #expect(d == 6 && e == 6 && total == 21)
        #expect(columns == [5, 7, 9] && product == [[14, 32], [32, 77]] && mask == [[0, 0, 1], [1, 1, 1]])
        #expect(m[0..<1] == [[1, 2, 3]] && m[.all, .at(2)] == [3, 6] && m[-1] == row)

        var generator = SeededGenerator(seed: 0)
        let noise = try Tensor.randn([3, 2], using: &generator)
        let grid = try Tensor.linspace(0, 1, count: 5)   // [0, 0.25, 0.5, 0.75, 1]
        let identity = try Tensor.eye(3)
        #expect(noise.shape == [3, 2] && grid == [0, 0.25, 0.5, 0.75, 1] && identity.sum().item() == 3)
    }

    @Test func integerTensors() throws {
        let m: Tensor = [[1, 2, 3], [4, 5, 6]]
        let labels = Tensor(int64: [2, 0, 1])
        let picked = m[.tensor(Tensor(int64: [1, 0]))]
        let classes = try m.argmax(axis: 1)
        let asFloat = labels.converted(to: .float64)
        #expect(picked == [[4, 5, 6], [1, 2, 3]])
        #expect(classes.description == "tensor([2, 2], dtype=int64)")
        #expect(asFloat.scalars == [2, 0, 1] && asFloat.dtype == .float64)
    }

    @Test func gradientsToSecondOrder() throws {
        let u = Variable(2.0)
        let f = u ** 4 - 2 * u ** 2
        let g1 = try gradients(of: f, withRespectTo: [u], createGraph: true)[0]   // 4u³ − 4u = 24
        let g2 = try gradients(of: g1, withRespectTo: [u])[0]                     // 12u² − 4 = 44
        #expect(g1.data.item() == 24 && g2.data.item() == 44)
        #expect(u.grad == nil)
    }

    @Test func newton() {
        let x = Variable(2.0)
        var seen: [Double] = []
        for _ in 0..<10 {
            seen.append(x.data.item())
            let y = x ** 4 - 2 * x ** 2
            x.cleargrad()
            y.backward(createGraph: true)
            let gx = x.grad!
            x.cleargrad()
            gx.backward()
            let gx2 = x.grad!
            x.data -= gx.data / gx2.data
        }
        #expect(x.data.item() == 1.0)
        #expect(seen[7] == 1.0 && seen[6] != 1.0 && seen[1] == 1.4545454545454546)
    }

    @Test func tanhDerivatives() {
        let x = Variable(1.0)
        let y = tanh(x)
        y.backward(createGraph: true)
        var derivatives: [Double] = []
        for _ in 1...4 {
            let gx = x.grad!
            derivatives.append(gx.data.item())
            x.cleargrad()
            gx.backward(createGraph: true)
        }
        x.cleargrad()
        let expected = [0.41997, -0.63970, 0.62163, 0.66509]
        for (d, e) in zip(derivatives, expected) { #expect(abs(d - e) < 1e-5) }
    }

    @Test func doubleBackprop() throws {
        let z = Variable(2.0)
        let w = z ** 2
        let gz = try gradients(of: w, withRespectTo: [z], createGraph: true)[0]   // 2z = 4
        let v = gz ** 3 + w                                                      // (2z)³ + z²
        v.backward()
        #expect(gz.data.item() == 4)
        #expect(z.grad!.data.item() == 100)
    }

    @Test func noGrad() {
        let p = Variable(0.3)
        let frozen = withNoGrad { sigmoid(p) }
        #expect(frozen.creator == nil)
    }

    @Test func sequentialLanding() throws {
        let model = Sequential(Linear(2, 10, seed: 0), Activation(.tanh), Linear(10, 3, seed: 1))
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let logits = try model(Variable(Tensor.zeros([4, 2])))   // [4, 3]
        #expect(logits.shape == [4, 3])
    }

    @Test func trainingAModel() throws {
        let (points, labels) = Datasets.spiral()                          // [300, 2] and [300]
        let model = MLP(sizes: [2, 10, 3], activation: .sigmoid, seed: 0)  // Linear 2→10, sigmoid, Linear 10→3
        let optimizer = try SGD(model.parameters, lr: 1.0)
        let loader = try DataLoader(inputs: points, targets: labels, batchSize: 30, shuffle: true, seed: 0)

        for epoch in 0..<300 {
            for batch in loader.epoch(epoch) {
                let logits = try model(Variable.constant(batch.inputs))
                let loss = try Loss.softmaxCrossEntropy(logits, batch.targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
        }

        let accuracy = try classificationAccuracy(model(Variable.constant(points)).data, labels: labels)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spiral-\(UUID()).safetensors").path
        try model.save(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(points.shape == [300, 2] && labels.shape == [300])
        #expect(accuracy > 0.8)
        let copy = MLP(sizes: [2, 10, 3], activation: .sigmoid, seed: 1)
        try copy.load(from: path)
        #expect(copy.stateDict().map(\.tensor) == model.stateDict().map(\.tensor))
    }

    @Test func rosenbrockWithSGD() throws {
        let x0 = Variable(0.0), x1 = Variable(2.0)
        let optimizer = try SGD([x0, x1], lr: 0.001)
        for _ in 0..<1000 {
            optimizer.zeroGrad()
            let y = 100 * (x1 - x0 ** 2) ** 2 + (x0 - 1) ** 2
            y.backward()
            optimizer.step()
        }
        #expect(abs(x0.data.item() - 0.6837118569138317) < 1e-12)
        #expect(abs(x1.data.item() - 0.4659526837427042) < 1e-12)
    }

    /// TrainingAModel.md, "Convolutions, normalisation and recurrent layers": the CNN, train
    /// and eval, the state dict's names, then freezing all but the head.
    @Test func convolutionTrainEvalAndFreezing() throws {
        let cnn = Sequential(
            Conv2d(1, 16, kernelSize: 3, padding: 1, seed: 0), BatchNorm2d(16), Activation(.relu),
            MaxPool2d(kernelSize: 2), Flatten(), Linear(16 * 4 * 4, 10, seed: 1))
        let images = Variable(try Tensor.zeros([32, 1, 8, 8]))
        let logits = try cnn(images)   // [32, 10]; batch statistics, running statistics updated
        #expect(logits.shape == [32, 10])
        let tracked = try #require(cnn.stateDict().first { $0.name == "1.num_batches_tracked" })
        #expect(tracked.tensor.int64Scalars == [1])
        cnn.eval()
        let scores = try withNoGrad { try cnn(images) }   // running statistics, nothing recorded
        #expect(scores.shape == [32, 10] && scores.creator == nil && !cnn.training)
        cnn.train()
        #expect(cnn.namedModules().allSatisfy { $0.module.training })
        #expect(cnn.stateDict().map(\.name) == [
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
            "1.num_batches_tracked", "5.weight", "5.bias"])

        for (name, parameter) in cnn.namedParameters() where !name.hasPrefix("5.") {
            parameter.requiresGrad = false
        }
        let headOptimizer = try RMSprop(cnn.parameters, lr: 1e-3)   // updates 5.weight and 5.bias only
        let before = cnn.stateDict()
        var generator = SeededGenerator(seed: 0)
        let batch = Variable(try Tensor.randn([4, 1, 8, 8], using: &generator))
        let loss = try Loss.softmaxCrossEntropy(try cnn(batch), Tensor(int64: [0, 1, 2, 3]))
        headOptimizer.zeroGrad()
        loss.backward()
        headOptimizer.step()
        for ((name, old), (_, new)) in zip(before, cnn.stateDict()) where !name.contains("running") && !name.contains("tracked") {
            #expect((old == new) == !name.hasPrefix("5."), "\(name)")
        }
        #expect(cnn.namedParameters().filter { $0.parameter.grad != nil }.map(\.name) == ["5.weight", "5.bias"])
    }

    /// TrainingAModel.md: the step and sequence APIs of a recurrent layer.
    @Test func recurrentStepAndSequence() throws {
        let lstm = LSTM(inputSize: 1, hiddenSize: 8, seed: 0)
        let h = try lstm(Variable(try Tensor.zeros([4, 1])))   // one step: [4, 8], state kept
        #expect(h.shape == [4, 8] && lstm.h != nil)
        lstm.detachState()                                     // truncated BPTT; resetState() forgets
        #expect(lstm.h?.creator == nil)
        let (output, state) = try lstm.sequence(Variable(try Tensor.zeros([5, 4, 1])))
        // output [5, 4, 8] (every step's h), state.h and state.c [1, 4, 8]
        #expect(output.shape == [5, 4, 8] && state.h.shape == [1, 4, 8] && state.c.shape == [1, 4, 8])
    }
}
