import Autograd
import ExampleSupport
import Foundation

/// The picture: the decision boundary with the data on the left, the loss and accuracy
/// per epoch on the right, as a self-contained SVG (no plotting library).
struct SpiralPlot {
    let title: String
    let data: SpiralData
    let history: [(loss: Double, accuracy: Double)]

    /// Fill and point colours per class.
    static let regionColors = ["#fde0c5", "#c9e4f6", "#d4ecd0", "#eadcf2", "#f6d0d6"]
    static let pointColors = ["#e6550d", "#3182bd", "#31a354", "#756bb1", "#d6616b"]

    let panel = 360.0, margin = 48.0, gap = 70.0
    /// The input square shown: [-1.1, 1.1]².
    let extent = 1.1
    /// The boundary is sampled on a grid of this many cells per side.
    let resolution = 180

    /// The SVG text; `classify` maps points `[K, 2]` to logits `[K, C]`.
    func render(classify: (Tensor) throws -> Tensor) throws -> String {
        let width = margin + panel + gap + panel + margin, height = margin + panel + margin
        var svg = SVG.header(width: width, height: height, title: title)
        svg += try boundary(classify: classify)
        svg += curves(x0: margin + panel + gap)
        svg += "</svg>\n"
        return svg
    }

    // MARK: Decision boundary

    private func boundary(classify: (Tensor) throws -> Tensor) throws -> String {
        let n = resolution
        let cell = 2 * extent / Double(n)
        var grid: [Double] = []
        grid.reserveCapacity(n * n * 2)
        for row in 0..<n {
            for column in 0..<n {
                grid += [-extent + (Double(column) + 0.5) * cell, extent - (Double(row) + 0.5) * cell]
            }
        }
        let logits = try classify(try Tensor(shape: [n * n, 2], scalars: grid))
        let predictions = try logits.argmax(axis: 1).scalars
        func predicted(_ k: Int) -> Int { Int(predictions[k]) }
        var out = "<g>\n"
        let pixel = panel / Double(n)
        // One rectangle per run of equal predictions along a row.
        for row in 0..<n {
            var start = 0
            while start < n {
                let label = predicted(row * n + start)
                var end = start + 1
                while end < n && predicted(row * n + end) == label { end += 1 }
                out += "<rect x=\"\(f(margin + Double(start) * pixel))\" y=\"\(f(margin + Double(row) * pixel))\" "
                    + "width=\"\(f(Double(end - start) * pixel + 0.3))\" height=\"\(f(pixel + 0.3))\" fill=\"\(Self.regionColors[label % 5])\"/>\n"
                start = end
            }
        }
        let points = data.inputs.scalars, labels = data.labels.scalars
        for i in labels.indices {
            let (x, y) = (points[2 * i], points[2 * i + 1])
            out += "<circle cx=\"\(f(margin + (x + extent) / (2 * extent) * panel))\" cy=\"\(f(margin + (extent - y) / (2 * extent) * panel))\" "
                + "r=\"3\" fill=\"\(Self.pointColors[Int(labels[i]) % 5])\" stroke=\"white\" stroke-width=\"0.6\"/>\n"
        }
        out += "<rect x=\"\(f(margin))\" y=\"\(f(margin))\" width=\"\(f(panel))\" height=\"\(f(panel))\" fill=\"none\" stroke=\"#444\"/>\n"
        out += "<text x=\"\(f(margin + panel / 2))\" y=\"\(f(margin + panel + 30))\" text-anchor=\"middle\">decision regions and the \(labels.count) training points</text>\n"
        return out + "</g>\n"
    }

    // MARK: Loss and accuracy curves

    private func curves(x0: Double) -> String {
        let epochs = history.count
        let maxLoss = max(history.map(\.loss).max() ?? 1, 1e-9)
        let top = niceCeiling(maxLoss)
        func px(_ epoch: Int) -> Double { x0 + Double(epoch) / Double(max(epochs - 1, 1)) * panel }
        func pyLoss(_ loss: Double) -> Double { margin + panel - loss / top * panel }
        func pyAccuracy(_ accuracy: Double) -> Double { margin + panel - accuracy * panel }

        var out = "<g>\n"
        out += "<rect x=\"\(f(x0))\" y=\"\(f(margin))\" width=\"\(f(panel))\" height=\"\(f(panel))\" fill=\"none\" stroke=\"#444\"/>\n"
        for k in 0...4 {
            let y = margin + panel - Double(k) / 4 * panel
            out += "<line x1=\"\(f(x0))\" y1=\"\(f(y))\" x2=\"\(f(x0 + panel))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(x0 - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#c0392b\">\(trim(top * Double(k) / 4))</text>\n"
            out += "<text x=\"\(f(x0 + panel + 6))\" y=\"\(f(y + 4))\" fill=\"#2c7fb8\">\(Int(Double(k) * 25))%</text>\n"
        }
        for k in 0...4 {
            let epoch = Int((Double(k) / 4 * Double(epochs)).rounded())
            let x = x0 + Double(k) / 4 * panel
            out += "<text x=\"\(f(x))\" y=\"\(f(margin + panel + 16))\" text-anchor=\"middle\">\(epoch)</text>\n"
        }
        let lossPath = history.enumerated().map { "\(f(px($0.offset))),\(f(pyLoss($0.element.loss)))" }.joined(separator: " ")
        let accuracyPath = history.enumerated().map { "\(f(px($0.offset))),\(f(pyAccuracy($0.element.accuracy)))" }.joined(separator: " ")
        out += "<polyline points=\"\(lossPath)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.8\"/>\n"
        out += "<polyline points=\"\(accuracyPath)\" fill=\"none\" stroke=\"#2c7fb8\" stroke-width=\"1.8\"/>\n"
        out += "<text x=\"\(f(x0 + panel / 2))\" y=\"\(f(margin + panel + 30))\" text-anchor=\"middle\">epoch: "
            + "<tspan fill=\"#c0392b\">loss</tspan> (left axis), <tspan fill=\"#2c7fb8\">accuracy</tspan> (right axis)</text>\n"
        return out + "</g>\n"
    }

    private func niceCeiling(_ x: Double) -> Double { SVG.niceCeiling(x) }
    private func f(_ x: Double) -> String { SVG.format(x) }
    private func trim(_ x: Double) -> String { SVG.trim(x) }
}
