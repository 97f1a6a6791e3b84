import ArgumentParser
import Autograd
import AutogradNN
import ExampleSupport
import Foundation

/// Trains a small convolutional network on scikit-learn's 8×8 digits (or on MNIST with
/// `--mnist DIR`), prints the test accuracy after every epoch, and draws the test set's
/// confusion matrix, the accuracy per epoch and the misclassified test images as an SVG.
///
/// Digits: the 1,797 images of the .npz that `tools/export-digits.py` writes (`x` float64
/// `[1797, 64]`, pixels 0…16; `y` int64 `[1797]`), scaled to [0, 1] and shaped
/// `[N, 1, 8, 8]`; the first 1,437 train, the last 360 test (written by other people than
/// the training images, as in the tests). The model: conv 1→16 (3×3, padding 1), batch
/// norm, ReLU, conv 16→32, batch norm, ReLU, 2×2 max pooling, flatten, linear 512→10;
/// Adam, batches of 32, float32.
@main
struct DigitsCNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits-cnn",
        abstract: "Trains a small CNN on the 8×8 digits (or MNIST) and draws its confusion matrix (an SVG).",
        discussion: """
            The digits come from an .npz with x float64 [1797, 64] (pixels 0…16) and y int64 [1797], \
            by default the copy committed at Tests/AutogradNNTests/Fixtures/digits.npz. To make a fresh one \
            from scikit-learn (in the venv that tools/setup.sh makes): \
            "$(tools/venv-path.sh)/bin/python" tools/export-digits.py digits.npz, then --data digits.npz. \
            The first 1437 images train, the last 360 test. \
            With --mnist DIR it reads MNIST's IDX files from DIR instead (train-images-idx3-ubyte, \
            train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz; nothing \
            is downloaded) and trains a 28×28 network (two conv-BN-ReLU-maxpool blocks, linear 1568→10).
            """)

    @Option(help: "The digits .npz (x [1797, 64], y [1797]).")
    var data = "Tests/AutogradNNTests/Fixtures/digits.npz"
    @Option(help: ArgumentHelp("A directory of MNIST's IDX files: train on MNIST instead of the digits.", valueName: "dir"))
    var mnist: String?
    @Option(help: "Training epochs.") var epochs = 15
    @Option(help: "Batch size.") var batchSize = 32
    @Option(help: "Adam's learning rate.") var lr = 1e-3
    @Option(help: "Seed of the initial weights and the shuffles.") var seed: UInt64 = 0
    @Option(help: "The SVG to write.") var output = "docs/digits-cnn.svg"

    /// Images `[N, 1, side, side]` float32 in [0, 1], labels int64 `[N]`.
    struct Split {
        var images: Tensor
        var labels: Tensor
        var count: Int { labels.shape[0] }
    }

    mutating func run() throws {
        let started = Date()
        guard epochs >= 1, batchSize >= 1, lr > 0 else { throw ValidationError("epochs, batch size and lr must be positive") }
        let (train, test, source) = try mnist.map(Self.loadMNIST) ?? Self.loadDigits(path: data)
        let side = train.images.shape[3]
        let model = Self.model(side: side, seed: seed)
        let optimizer = try Adam(model.parameters, lr: lr)
        let loader = try DataLoader(inputs: train.images, targets: train.labels, batchSize: batchSize, shuffle: true, seed: seed)
        let batches = (train.count + batchSize - 1) / batchSize
        print("digits-cnn: \(source), \(train.count) training and \(test.count) test images of \(side)×\(side); "
              + "\(model.parameters.map(\.data.count).reduce(0, +)) parameters; Adam lr \(lr), batch \(batchSize), \(epochs) epochs")

        var history: [(trainAccuracy: Double, testAccuracy: Double)] = []
        var matrix = ConfusionMatrix(classes: 10)
        var predictions: [Int] = []
        for epoch in 0..<epochs {
            model.train()
            let bar = ProgressBar(label: "epoch \(epoch + 1)/\(epochs)", total: batches)
            var lossSum = 0.0, correct = 0.0, seen = 0, done = 0
            for batch in loader.epoch(epoch) {
                let logits = try model(Variable.constant(batch.inputs))
                let loss = try Loss.softmaxCrossEntropy(logits, batch.targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                let rows = batch.indices.count
                lossSum += loss.data.item() * Double(rows)
                correct += try classificationAccuracy(logits.data, labels: batch.targets) * Double(rows)
                seen += rows
                done += 1
                bar.update(done: done, loss: lossSum / Double(seen))
            }
            bar.finish(done: done, loss: lossSum / Double(seen))
            predictions = try Self.predict(model, test.images)
            matrix = ConfusionMatrix(classes: 10, predicted: predictions, actual: test.labels.int64Scalars.map { Int($0) })
            history.append((correct / Double(seen), matrix.accuracy))
            print(String(format: "epoch %2d/%d  loss %.4f  train accuracy %.4f  test accuracy %.4f (%d/%d)  %.1f s",
                         epoch + 1, epochs, lossSum / Double(seen), correct / Double(seen), matrix.accuracy,
                         matrix.correct, matrix.total, Date().timeIntervalSince(started)))
        }

        let svg = Self.picture(title: "\(source): CNN, Adam lr \(lr), batch \(batchSize), \(epochs) epochs: test accuracy "
                                   + String(format: "%.1f%%", matrix.accuracy * 100),
                               matrix: matrix, history: history, test: test, predictions: predictions)
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try svg.write(toFile: output, atomically: true, encoding: .utf8)
        print(String(format: "test accuracy %.4f (%d/%d); %.2f s in all; wrote %@", matrix.accuracy, matrix.correct,
                     matrix.total, Date().timeIntervalSince(started), output))
    }

    /// The network for images of `side` × `side`: for the 8×8 digits two 3×3 convolutions
    /// and one pooling (32 × 4 × 4 = 512 features); for 28×28 (MNIST) each convolution is
    /// followed by a pooling (32 × 7 × 7 = 1568 features).
    static func model(side: Int, seed: UInt64) -> Sequential {
        var g = SeededGenerator(seed: seed)
        if side == 8 {
            return Sequential(
                Conv2d(1, 16, kernelSize: 3, padding: 1, dtype: .float32, generator: &g), BatchNorm2d(16, dtype: .float32),
                Activation(.relu),
                Conv2d(16, 32, kernelSize: 3, padding: 1, dtype: .float32, generator: &g), BatchNorm2d(32, dtype: .float32),
                Activation(.relu), MaxPool2d(kernelSize: 2),
                Flatten(), Linear(32 * 4 * 4, 10, dtype: .float32, generator: &g))
        }
        precondition(side % 4 == 0, "images of \(side)×\(side): the network pools twice by 2")
        return Sequential(
            Conv2d(1, 16, kernelSize: 3, padding: 1, dtype: .float32, generator: &g), BatchNorm2d(16, dtype: .float32),
            Activation(.relu), MaxPool2d(kernelSize: 2),
            Conv2d(16, 32, kernelSize: 3, padding: 1, dtype: .float32, generator: &g), BatchNorm2d(32, dtype: .float32),
            Activation(.relu), MaxPool2d(kernelSize: 2),
            Flatten(), Linear(32 * (side / 4) * (side / 4), 10, dtype: .float32, generator: &g))
    }

    /// The predicted class of every image, in evaluation mode (batch norm's running
    /// statistics), without a graph, 500 images at a time.
    static func predict(_ model: Module, _ images: Tensor) throws -> [Int] {
        model.eval()
        defer { model.train() }
        let n = images.shape[0]
        return try withNoGrad { () throws -> [Int] in
            try stride(from: 0, to: n, by: 500).flatMap { start in
                let logits = try model(Variable.constant(try images.rows(Array(start..<min(start + 500, n))))).data
                return try logits.argmax(axis: 1).int64Scalars.map { Int($0) }
            }
        }
    }

    /// The digits .npz: pixels ÷ 16 as float32 `[N, 1, 8, 8]`, the first 1,437 to train.
    static func loadDigits(path: String) throws -> (Split, Split, String) {
        let archive = try NPZ.read(from: path)
        guard let x = archive["x"], let y = archive["y"], x.rank == 2, x.shape[1] == 64, y.shape == [x.shape[0]],
              y.dtype == .int64, x.shape[0] > 360 else {
            throw ValidationError("\(path): expected x [N, 64] and int64 y [N] with N > 360, as tools/export-digits.py writes")
        }
        let images = try (x / 16).converted(to: .float32).reshaped([x.shape[0], 1, 8, 8])
        let cut = x.shape[0] - 360
        let train = Array(0..<cut), test = Array(cut..<x.shape[0])
        return (Split(images: try images.rows(train), labels: try y.rows(train)),
                Split(images: try images.rows(test), labels: try y.rows(test)), "digits 8×8")
    }

    /// MNIST's training and test files from `directory`, scaled to [0, 1], as `[N, 1, 28, 28]`.
    static func loadMNIST(directory: String) throws -> (Split, Split, String) {
        func split(_ which: MNIST.Split) throws -> Split {
            let (images, labels) = try MNIST.load(directory: directory, split: which)
            return Split(images: try images.reshaped([images.shape[0], 1, images.shape[1], images.shape[2]]), labels: labels)
        }
        return (try split(.train), try split(.test), "MNIST")
    }

    /// The confusion matrix, the accuracies per epoch and up to 16 misclassified test images.
    static func picture(title: String, matrix: ConfusionMatrix, history: [(trainAccuracy: Double, testAccuracy: Double)],
                       test: Split, predictions: [Int]) -> String {
        let (margin, cell, gap, chart) = (60.0, 30.0, 80.0, 360.0)
        let matrixSize = SVG.confusionPanelSize(cell: cell, classes: matrix.classes)
        let side = test.images.shape[3]
        let labels = test.labels.int64Scalars.map { Int($0) }
        let wrong = predictions.indices.filter { predictions[$0] != labels[$0] }.prefix(16)
        let pixel = 48.0 / Double(side), tile = 72.0
        let width = margin + matrixSize.width + gap + chart + margin
        let stripTop = margin + 24 + matrixSize.height + 30
        let height = stripTop + (wrong.isEmpty ? 0 : 40 + 2 * tile) + 10

        var svg = SVG.header(width: width, height: height, title: title)
        let top = margin + 24
        svg += SVG.confusionPanel(x: margin, y: top, cell: cell, matrix: matrix,
                                  caption: "test set: \(matrix.correct) of \(matrix.total) right")
        let lowest = history.flatMap { [$0.trainAccuracy, $0.testAccuracy] }.min() ?? 0
        let floor = lowest >= 0.8 ? 0.8 : lowest >= 0.5 ? 0.5 : 0
        svg += SVG.linePanel(x: margin + matrixSize.width + gap, y: top, width: chart, height: chart * 0.75,
                             series: [.init(history.map(\.trainAccuracy), color: "#7f7f7f", label: "train (running)"),
                                      .init(history.map(\.testAccuracy), color: "#2c7fb8", label: "test")],
                             yRange: floor...1, xTicks: history.count, firstTick: 1, caption: "epoch: accuracy")
        if !wrong.isEmpty {
            svg += "<text x=\"\(SVG.format(margin))\" y=\"\(SVG.format(stripTop + 12))\">misclassified test images "
                + "(true → predicted)</text>\n"
            let images = test.images.scalars, size = side * side
            for (k, i) in wrong.enumerated() {
                let (row, column) = k.quotientAndRemainder(dividingBy: 8)
                let x = margin + Double(column) * tile, y = stripTop + 24 + Double(row) * tile
                svg += SVG.grayImage(x: x, y: y, pixel: pixel, values: Array(images[(i * size)..<((i + 1) * size)]), columns: side)
                svg += "<text x=\"\(SVG.format(x + 24))\" y=\"\(SVG.format(y + 62))\" text-anchor=\"middle\">"
                    + "\(labels[i]) → \(predictions[i])</text>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
