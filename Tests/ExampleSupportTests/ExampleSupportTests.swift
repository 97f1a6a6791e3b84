import Foundation
import Testing
import ExampleSupport

@Suite("The examples' shared helpers")
struct ExampleSupportTests {
    /// Rows are true classes, columns predictions; the counts, the diagonal and the shares
    /// by hand for 3 classes and 7 examples.
    @Test func confusionMatrixCounts() {
        let actual    = [0, 0, 0, 1, 1, 2, 2]
        let predicted = [0, 0, 1, 1, 1, 0, 2]
        let m = ConfusionMatrix(classes: 3, predicted: predicted, actual: actual)
        #expect(m.counts == [[2, 1, 0], [0, 2, 0], [1, 0, 1]])
        #expect(m.total == 7 && m.correct == 5)
        #expect(m.accuracy == 5.0 / 7.0)
        #expect(m.support(of: 0) == 3 && m.support(of: 2) == 2)
        #expect(m.recall(of: 0) == 2.0 / 3.0 && m.recall(of: 1) == 1 && m.recall(of: 2) == 0.5)
        let worst = m.worstConfusion
        #expect(worst?.actual == 0 && worst?.predicted == 1 && worst?.count == 1)
    }

    @Test func confusionMatrixEdges() {
        let empty = ConfusionMatrix(classes: 4)
        #expect(empty.total == 0 && empty.accuracy == 0 && empty.recall(of: 3) == 0)
        #expect(empty.worstConfusion == nil)
        var perfect = ConfusionMatrix(classes: 2)
        perfect.add(predicted: 1, actual: 1)
        perfect.add(predicted: 0, actual: 0)
        #expect(perfect.accuracy == 1 && perfect.worstConfusion == nil)
        // the same as building it from the lists
        #expect(perfect == ConfusionMatrix(classes: 2, predicted: [0, 1], actual: [0, 1]))
    }

    @Test func shades() {
        #expect(SVG.shade(0, of: (44, 127, 184)) == "#ffffff")
        #expect(SVG.shade(1, of: (44, 127, 184)) == "#2c7fb8")
        #expect(SVG.shade(0.5, of: (0, 0, 0)) == "#808080")   // 127.5 rounds to 128
        #expect(SVG.shade(2, of: (0, 0, 0)) == "#000000" && SVG.shade(-1, of: (0, 0, 0)) == "#ffffff")
        #expect(SVG.shade(.nan, of: (0, 0, 0)) == "#ffffff")
    }

    /// One rect per cell, one count per non-zero cell, the caption escaped.
    @Test func confusionPanelDrawsEveryCell() {
        let m = ConfusionMatrix(classes: 3, predicted: [0, 0, 1, 1, 1, 0, 2], actual: [0, 0, 0, 1, 1, 2, 2])
        let svg = SVG.confusionPanel(x: 40, y: 40, cell: 20, matrix: m, caption: "a < b")
        #expect(svg.components(separatedBy: "<rect").count - 1 == 9 + 1)   // cells and the frame
        #expect(svg.components(separatedBy: "font-size=\"11\"").count - 1 == 5)   // non-zero cells
        #expect(svg.contains("a &lt; b"))
    }

    /// A white frame, then one rect per inked pixel, darker for larger values.
    @Test func grayImage() {
        let svg = SVG.grayImage(x: 0, y: 0, pixel: 2, values: [0, 1, 0.5, 0, 0, 0], columns: 3)
        #expect(svg.components(separatedBy: "<rect").count - 1 == 1 + 2)
        #expect(svg.contains("x=\"2.0\" y=\"0.0\" width=\"2.0\" height=\"2.0\" fill=\"#000000\""))
        #expect(svg.contains("x=\"4.0\" y=\"0.0\" width=\"2.0\" height=\"2.0\" fill=\"#808080\""))
    }

    /// The index axis labelled from `firstTick` to `xTicks` in quarters.
    @Test func linePanelTicks() {
        let svg = SVG.linePanel(x: 0, y: 0, width: 100, height: 50, series: [.init([0, 1], color: "red", label: "r")],
                                yRange: 0...1, xTicks: 15, firstTick: 1, caption: "c")
        for tick in [1, 5, 8, 12, 15] { #expect(svg.contains("text-anchor=\"middle\">\(tick)</text>")) }
        let plain = SVG.linePanel(x: 0, y: 0, width: 100, height: 50, series: [.init([0, 1], color: "red", label: "r")],
                                  yRange: 0...1, xTicks: 100, caption: "c")
        for tick in [0, 25, 50, 75, 100] { #expect(plain.contains("text-anchor=\"middle\">\(tick)</text>")) }
    }

    @Test func progressBarLine() {
        let bar = ProgressBar(label: "epoch 2/15", total: 45, width: 10, interactive: false)
        #expect(bar.line(done: 0, loss: nil, elapsed: 0) == "epoch 2/15 [>         ]  0/45 loss - 0.0 s")
        #expect(bar.line(done: 9, loss: 0.25, elapsed: 1.26) == "epoch 2/15 [==>       ]  9/45 loss 0.2500 1.3 s")
        #expect(bar.line(done: 45, loss: 0.1, elapsed: 3) == "epoch 2/15 [==========] 45/45 loss 0.1000 3.0 s")
        #expect(bar.line(done: 99, loss: 0.1, elapsed: 3) == bar.line(done: 45, loss: 0.1, elapsed: 3))
    }
}
