import ArgumentParser
import Autograd
import AutogradNN
import Foundation

/// Trains a classifier on DeZero's spiral (three interleaved arms of 100 points) and
/// draws its decision boundary and loss curve as an SVG.
///
/// The defaults are DeZero's step 48: an MLP 2 → 10 → 3 with sigmoid, softmax
/// cross-entropy, SGD with learning rate 1, batches of 30, 300 epochs.
@main
struct Spiral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spiral",
        abstract: "Trains an MLP on the spiral dataset and draws its decision boundary (an SVG).",
        discussion: "Defaults: DeZero's step 48 (2-10-3 sigmoid MLP, SGD lr 1.0, batch 30, 300 epochs).")

    @Option(help: "Training epochs.") var epochs = 300
    @Option(help: "Hidden layer sizes, comma-separated.") var hidden = "10"
    @Option(help: "Activation between layers: sigmoid, tanh or relu.") var activation = "sigmoid"
    @Option(help: "Optimizer: sgd, adam or adamw.") var optimizer = "sgd"
    @Option(help: "Learning rate.") var lr = 1.0
    @Option(help: "Batch size.") var batchSize = 30
    @Option(help: "Seed of the data, the initial weights and the shuffles.") var seed: UInt64 = 0
    @Option(help: "Print a progress line every N epochs.") var every = 30
    @Option(help: "The SVG to write.") var output = "docs/spiral.svg"

    mutating func run() throws {
        let started = Date()
        guard let activation = Activation.Kind(rawValue: activation) else {
            throw ValidationError("unknown activation '\(activation)' (sigmoid, tanh, relu)")
        }
        let hiddenSizes = hidden.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--hidden takes positive sizes, e.g. 10 or 30,30")
        }
        guard epochs >= 1, batchSize >= 1, every >= 1 else { throw ValidationError("epochs, batch size and --every must be positive") }

        let data = try SpiralData(seed: 1984 &+ seed)
        let model = MLP(sizes: [2] + hiddenSizes + [data.classes], activation: activation, seed: seed)
        let parameters = model.parameters
        let optimizer: any Optimizer = switch self.optimizer {
        case "sgd": try SGD(parameters, lr: lr)
        case "adam": try Adam(parameters, lr: lr)
        case "adamw": try AdamW(parameters, lr: lr)
        default: throw ValidationError("unknown optimizer '\(self.optimizer)' (sgd, adam, adamw)")
        }
        let loader = try DataLoader(inputs: data.inputs, targets: data.labels, batchSize: batchSize, shuffle: true, seed: seed)

        print("spiral: \(data.inputs.shape[0]) points, MLP \(model.sizes.map(String.init).joined(separator: "-")) \(activation), "
              + "\(self.optimizer) lr \(lr), batch \(batchSize), \(epochs) epochs")
        var history: [(loss: Double, accuracy: Double)] = []
        for epoch in 0..<epochs {
            var lossSum = 0.0, accuracySum = 0.0
            for batch in loader.epoch(epoch) {
                optimizer.zeroGrad()
                let logits = try model(Variable(batch.inputs))
                let loss = try Loss.softmaxCrossEntropy(logits, batch.targets)
                loss.backward()
                optimizer.step()
                let rows = Double(batch.indices.count)
                lossSum += (loss.data.scalar ?? .nan) * rows
                accuracySum += try classificationAccuracy(logits.data, labels: batch.targets) * rows
            }
            let rows = Double(loader.count)
            history.append((lossSum / rows, accuracySum / rows))
            if (epoch + 1) % every == 0 || epoch == 0 || epoch + 1 == epochs {
                print(String(format: "epoch %4d  loss %.4f  accuracy %.3f", epoch + 1, lossSum / rows, accuracySum / rows))
            }
        }
        let trainingTime = Date().timeIntervalSince(started)

        let final = try withNoGrad { () throws -> Double in
            try classificationAccuracy(model(Variable(data.inputs)).data, labels: data.labels)
        }
        let title = "MLP \(model.sizes.map(String.init).joined(separator: "-")) \(activation), \(self.optimizer) lr \(lr), "
            + "\(epochs) epochs: accuracy \(String(format: "%.1f", final * 100))%"
        let svg = try SpiralPlot(title: title, data: data, history: history).render { points in
            try withNoGrad { try model(Variable(points)).data }
        }
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try svg.write(toFile: output, atomically: true, encoding: .utf8)
        print(String(format: "final accuracy %.3f; trained in %.2f s, %.2f s in all; wrote %@",
                     final, trainingTime, Date().timeIntervalSince(started), output))
    }
}
