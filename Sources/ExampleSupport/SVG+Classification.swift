import Foundation

/// Pictures of a classifier: a confusion matrix as a heat map and small grayscale images.
extension SVG {
    /// The colour `t` of the way from white to `rgb` (`t` clamped to [0, 1]), as `#rrggbb`.
    public static func shade(_ t: Double, of rgb: (red: Int, green: Int, blue: Int)) -> String {
        let t = t.isNaN ? 0 : min(max(t, 0), 1)
        func channel(_ c: Int) -> Int { Int((255 + (Double(c) - 255) * t).rounded()) }
        return String(format: "#%02x%02x%02x", channel(rgb.red), channel(rgb.green), channel(rgb.blue))
    }

    /// The width and height ``confusionPanel(x:y:cell:matrix:caption:)`` draws in, labels and
    /// caption included, to the right of and below (`x`, `y`).
    public static func confusionPanelSize(cell: Double, classes: Int) -> (width: Double, height: Double) {
        (Double(classes) * cell, Double(classes) * cell + 40)
    }

    /// `matrix` as a heat map with its top-left corner at (`x`, `y`) and square cells of
    /// side `cell`: rows are the true classes, columns the predicted ones; each cell shows
    /// its count (zeros left blank), shaded by its share of the row, blue on the diagonal
    /// and red off it. Class numbers label the rows on the left and the columns on top
    /// (so leave about 30 units free there); `caption` goes below.
    public static func confusionPanel(x: Double, y: Double, cell: Double, matrix: ConfusionMatrix, caption: String) -> String {
        let n = matrix.classes
        var out = "<g>\n"
        out += "<text x=\"\(format(x + Double(n) * cell / 2))\" y=\"\(format(y - 20))\" text-anchor=\"middle\">predicted</text>\n"
        out += "<text x=\"\(format(x - 24))\" y=\"\(format(y + Double(n) * cell / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 \(format(x - 24)) \(format(y + Double(n) * cell / 2)))\">actual</text>\n"
        for k in 0..<n {
            let centre = Double(k) * cell + cell / 2
            out += "<text x=\"\(format(x + centre))\" y=\"\(format(y - 5))\" text-anchor=\"middle\">\(k)</text>\n"
            out += "<text x=\"\(format(x - 6))\" y=\"\(format(y + centre + 4))\" text-anchor=\"end\">\(k)</text>\n"
        }
        for actual in 0..<n {
            let support = matrix.support(of: actual)
            for predicted in 0..<n {
                let count = matrix.counts[actual][predicted]
                let share = support == 0 ? 0 : Double(count) / Double(support)
                let colour = actual == predicted ? shade(share, of: (44, 127, 184)) : shade(min(3 * share, 1), of: (222, 45, 38))
                let (cx, cy) = (x + Double(predicted) * cell, y + Double(actual) * cell)
                out += "<rect x=\"\(format(cx))\" y=\"\(format(cy))\" width=\"\(format(cell))\" height=\"\(format(cell))\" "
                    + "fill=\"\(colour)\" stroke=\"#ccc\" stroke-width=\"0.5\"/>\n"
                if count > 0 {
                    let ink = actual == predicted && share > 0.6 ? "white" : "#222"
                    out += "<text x=\"\(format(cx + cell / 2))\" y=\"\(format(cy + cell / 2 + 4))\" text-anchor=\"middle\" "
                        + "font-size=\"11\" fill=\"\(ink)\">\(count)</text>\n"
                }
            }
        }
        out += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(Double(n) * cell))\" height=\"\(format(Double(n) * cell))\" "
            + "fill=\"none\" stroke=\"#444\"/>\n"
        out += "<text x=\"\(format(x + Double(n) * cell / 2))\" y=\"\(format(y + Double(n) * cell + 24))\" "
            + "text-anchor=\"middle\">\(escape(caption))</text>\n"
        return out + "</g>\n"
    }

    /// A grayscale image at (`x`, `y`) with square pixels of side `pixel`: `values` row-major,
    /// `columns` per row, 0 white and 1 black (clamped), framed in grey.
    public static func grayImage(x: Double, y: Double, pixel: Double, values: [Double], columns: Int) -> String {
        precondition(columns >= 1 && values.count % columns == 0,
                     "grayImage: \(values.count) values do not fill rows of \(columns)")
        let rows = values.count / columns
        var out = "<g shape-rendering=\"crispEdges\">\n"
        out += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(Double(columns) * pixel))\" "
            + "height=\"\(format(Double(rows) * pixel))\" fill=\"white\" stroke=\"#999\"/>\n"
        for (k, value) in values.enumerated() where value > 0 {
            let (row, column) = k.quotientAndRemainder(dividingBy: columns)
            out += "<rect x=\"\(format(x + Double(column) * pixel))\" y=\"\(format(y + Double(row) * pixel))\" "
                + "width=\"\(format(pixel))\" height=\"\(format(pixel))\" fill=\"\(shade(value, of: (0, 0, 0)))\"/>\n"
        }
        return out + "</g>\n"
    }
}
