import Foundation

/// What the examples' pictures share: number formatting for SVG attributes, axis
/// rounding, escaping, the document frame and a line-chart panel. Self-contained SVG, no
/// plotting library. Internal to the examples (`spiral`, `sine-lstm`): no stable API.
public enum SVG {
    /// A coordinate with one decimal: `"12.3"`.
    public static func format(_ x: Double) -> String { String(format: "%.1f", x) }

    /// An axis label with two decimals, a trailing zero dropped: `"0.5"`, `"0.25"`.
    public static func trim(_ x: Double) -> String {
        let s = String(format: "%.2f", x)
        return s.hasSuffix("0") ? String(s.dropLast()) : s
    }

    /// 1, 2 or 5 times a power of ten, at least `x` (`x > 0`).
    public static func niceCeiling(_ x: Double) -> Double {
        let power = pow(10, floor(log10(x)))
        for step in [1.0, 2.0, 5.0, 10.0] where step * power >= x { return step * power }
        return 10 * power
    }

    /// `s` with `&`, `<` and `>` escaped for SVG text.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The opening of a document of `width` × `height` on white, with `title` centred on top.
    public static func header(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(format(width / 2))" y="26" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
    }

    /// One curve of a ``linePanel(x:y:width:height:series:yRange:xTicks:firstTick:caption:)``.
    public struct Series {
        public var values: [Double]
        public var color: String
        public var label: String
        public var width: Double

        public init(_ values: [Double], color: String, label: String, width: Double = 1.8) {
            self.values = values
            self.color = color
            self.label = label
            self.width = width
        }
    }

    /// A framed panel at (`x`, `y`) of `width` × `height` with the series drawn against
    /// their index (0 at the left edge, the longest series' last index at the right), four
    /// horizontal grid lines labelled over `yRange`, five labels on the index axis from
    /// `firstTick` (at the left edge) to `xTicks` (at the right; e.g. 1 and the epoch count
    /// when the first value is epoch 1's), a legend and a caption below.
    public static func linePanel(x: Double, y: Double, width: Double, height: Double, series: [Series],
                                 yRange: ClosedRange<Double>, xTicks: Int, firstTick: Int = 0, caption: String) -> String {
        let points = max((series.map(\.values.count).max() ?? 1) - 1, 1)
        let span = yRange.upperBound - yRange.lowerBound
        func px(_ i: Int) -> Double { x + Double(i) / Double(points) * width }
        func py(_ v: Double) -> Double { y + height - (min(max(v, yRange.lowerBound), yRange.upperBound) - yRange.lowerBound) / span * height }
        var out = "<g>\n"
        out += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(width))\" height=\"\(format(height))\" fill=\"none\" stroke=\"#444\"/>\n"
        for k in 0...4 {
            let value = yRange.lowerBound + Double(k) / 4 * span
            out += "<line x1=\"\(format(x))\" y1=\"\(format(py(value)))\" x2=\"\(format(x + width))\" y2=\"\(format(py(value)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(format(x - 6))\" y=\"\(format(py(value) + 4))\" text-anchor=\"end\">\(trim(value))</text>\n"
            let tick = firstTick + Int((Double(k) / 4 * Double(xTicks - firstTick)).rounded())
            out += "<text x=\"\(format(x + Double(k) / 4 * width))\" y=\"\(format(y + height + 16))\" text-anchor=\"middle\">\(tick)</text>\n"
        }
        for (k, curve) in series.enumerated() {
            let path = curve.values.enumerated().map { "\(format(px($0.offset))),\(format(py($0.element)))" }.joined(separator: " ")
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(curve.color)\" stroke-width=\"\(curve.width)\"/>\n"
            let ly = y + 16 + Double(k) * 16
            out += "<line x1=\"\(format(x + width - 130))\" y1=\"\(format(ly - 4))\" x2=\"\(format(x + width - 110))\" y2=\"\(format(ly - 4))\" stroke=\"\(curve.color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(format(x + width - 104))\" y=\"\(format(ly))\">\(escape(curve.label))</text>\n"
        }
        out += "<text x=\"\(format(x + width / 2))\" y=\"\(format(y + height + 34))\" text-anchor=\"middle\">\(escape(caption))</text>\n"
        return out + "</g>\n"
    }
}
