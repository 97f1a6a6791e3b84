import ArgumentParser
import Autograd
import AutogradNN
import ExampleSupport
import Foundation

/// DeZero's step 60: an LSTM learns to predict the next value of a noisy sine curve with
/// truncated backpropagation through time, then runs on a cosine it has never seen.
///
/// The model is the book's `BetterRNN`: ``LSTM`` (1 → hidden) then ``Linear`` (hidden → 1),
/// fed one time step of 30 parallel streams at a time by ``SeqDataLoader``. The loss of
/// each step is the mean squared error; every `bptt` steps the window's summed loss is
/// backpropagated, the LSTM's state detached (DeZero's `unchain_backward`) and Adam steps.
/// The loss printed per epoch is the mean over the epoch's steps, as the book prints it.
@main
struct SineLSTM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sine-lstm",
        abstract: "Trains an LSTM on DeZero's sine curve (step 60) and draws its predictions on a cosine (an SVG).",
        discussion: "Defaults: DeZero's step 60 (LSTM hidden 100, Linear 100→1, batch 30, BPTT length 30, Adam lr 0.001, 100 epochs).")

    @Option(help: "Training epochs.") var epochs = 100
    @Option(help: "The LSTM's hidden size.") var hidden = 100
    @Option(help: "Parallel streams (SeqDataLoader's batch size).") var batchSize = 30
    @Option(help: "Steps per truncated-BPTT window.") var bptt = 30
    @Option(help: "Adam's learning rate.") var lr = 0.001
    @Option(help: "Seed of the curve's noise and the initial weights.") var seed: UInt64 = 0
    @Option(help: "The SVG to write.") var output = "docs/sine-lstm.svg"

    /// DeZero's `BetterRNN`: parameters `rnn.weight_ih_l0`, …, `fc.weight`, `fc.bias`.
    final class Model: Module {
        let rnn: LSTM
        let fc: Linear

        init(hidden: Int, seed: UInt64) {
            var generator = SeededGenerator(seed: seed)
            rnn = LSTM(inputSize: 1, hiddenSize: hidden, generator: &generator)
            fc = Linear(hidden, 1, generator: &generator)
        }

        func resetState() { rnn.resetState() }

        /// One time step: `[N, 1]` → `[N, 1]`.
        override func forward(_ x: Variable) throws(AutogradError) -> Variable {
            try fc.forward(try rnn.forward(x))
        }
    }

    mutating func run() throws {
        let started = Date()
        guard epochs >= 1, hidden >= 1, batchSize >= 1, bptt >= 1 else {
            throw ValidationError("epochs, hidden, batch size and bptt must be positive")
        }
        let (inputs, targets) = Datasets.sinCurve(train: true, seed: seed)
        let loader = try SeqDataLoader(inputs: inputs, targets: targets, batchSize: batchSize)
        let seqlen = loader.count
        let model = Model(hidden: hidden, seed: seed)
        let optimizer = try Adam(model.parameters, lr: lr)
        print("sine-lstm: \(seqlen) steps of the sine curve as \(batchSize) streams (\(loader.iterationsPerEpoch) steps per epoch), "
              + "LSTM 1→\(hidden) + Linear \(hidden)→1, BPTT \(bptt), Adam lr \(lr), \(epochs) epochs")

        var history: [Double] = []
        for epoch in 0..<epochs {
            model.resetState()
            var window: Variable?
            var lossSum = 0.0, count = 0
            for batch in loader.epoch() {
                let y = try model(Variable(batch.inputs))
                let loss = try Loss.meanSquaredError(y, batch.targets)
                if let previous = window { window = try add(previous, loss) } else { window = loss }
                lossSum += loss.data.item()
                count += 1
                if count % bptt == 0 || count == seqlen, let total = window {
                    model.zeroGrad()
                    total.backward()
                    model.rnn.detachState()
                    optimizer.step()
                    window = nil
                }
            }
            let average = lossSum / Double(count)
            history.append(average)
            let done = (epoch + 1) * 30 / epochs
            let bar = String(repeating: "=", count: done) + (done < 30 ? ">" : "") + String(repeating: " ", count: max(29 - done, 0))
            print(String(format: "epoch %3d/%d [%@] loss %.6f  %.1f s", epoch + 1, epochs, bar, average,
                         Date().timeIntervalSince(started)))
        }

        // The book's plot: cos over [0, 4π] in 1000 points, one step at a time from a fresh state.
        let count = 1000
        let truth = (0..<count).map { cos(Double($0) * 4 * Double.pi / Double(count - 1)) }
        model.resetState()
        let predictions = try withNoGrad { () throws -> [Double] in
            try truth.map { value in try model(Variable(try Tensor(shape: [1, 1], scalars: [value]))).data.item() }
        }
        let testError = zip(predictions.dropLast(), truth.dropFirst()).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(count - 1)

        let title = "LSTM \(hidden) + Linear, BPTT \(bptt), Adam lr \(lr), \(epochs) epochs: final loss "
            + String(format: "%.5f", history.last ?? .nan)
        let (panel, margin, gap) = (420.0, 52.0, 80.0)
        let top = SVG.niceCeiling(max(history.max() ?? 1, 1e-9))
        var svg = SVG.header(width: margin + panel + gap + panel + margin, height: margin + panel * 0.75 + 60, title: title)
        svg += SVG.linePanel(x: margin, y: margin, width: panel, height: panel * 0.75,
                             series: [.init(truth, color: "#2c7fb8", label: "y = cos(x)"),
                                      .init(predictions, color: "#e6550d", label: "predicted", width: 1.4)],
                             yRange: -1.25...1.25, xTicks: count,
                             caption: String(format: "step: next-value prediction on cos(x), x in [0, 4π] (mse %.5f)", testError))
        svg += SVG.linePanel(x: margin + panel + gap, y: margin, width: panel, height: panel * 0.75,
                             series: [.init(history, color: "#c0392b", label: "training loss")],
                             yRange: 0...top, xTicks: epochs, caption: "epoch: mean squared error per step")
        svg += "</svg>\n"
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try svg.write(toFile: output, atomically: true, encoding: .utf8)
        print(String(format: "final loss %.6f; test mse on the cosine %.6f; %.2f s in all; wrote %@",
                     history.last ?? .nan, testError, Date().timeIntervalSince(started), output))
    }
}
