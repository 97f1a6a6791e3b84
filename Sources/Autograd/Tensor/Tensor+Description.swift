#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor: CustomStringConvertible {
    /// The tensor as torch prints it, with the dtype always named:
    ///
    /// ```
    /// tensor([[1., 2.],
    ///         [3., 4.]], dtype=float64)
    /// tensor([0.1000, 2.5000], dtype=float32)
    /// tensor([  1, -20, 300], dtype=int64)
    /// ```
    ///
    /// (torch leaves out `dtype=int64`, its default integer type; this library names
    /// every dtype.) int64 elements print as plain integers, right-aligned to one width.
    ///
    /// torch's rules (`torch._tensor_str`, default print options): if every finite
    /// non-zero element is an integer they print as `1.`; otherwise with 4 decimals, or
    /// in scientific notation (`1.0000e+05`) when the largest magnitude exceeds 10⁸, the
    /// smallest is below 10⁻⁴, or their ratio exceeds 1000. Elements are right-aligned to
    /// one width and rows wrap at 80 columns. A tensor of more than 1000 elements is
    /// summarised: each axis longer than 6 shows its first and last 3 entries around `...`.
    public var description: String {
        let suffix = "dtype=\(dtype)"
        if count == 0 {
            return rank == 1 ? "tensor([], \(suffix))" : "tensor([], size=(\(shape.map(String.init).joined(separator: ", "))), \(suffix))"
        }
        let ints = int64Storage
        let values = ints == nil ? scalars : []
        let summarize = count > 1000
        let strides = Shape.strides(shape)
        /// The positions of axis `d` that are shown (`nil` marks the `...`).
        func shown(_ d: Int) -> [Int?] {
            let n = shape[d]
            guard summarize && n > 6 else { return (0..<n).map { $0 } }
            return [0, 1, 2, nil, n - 3, n - 2, n - 1]
        }
        // The formatter is chosen from the elements that are printed, as torch does.
        var visible: [Int] = []
        func collect(_ d: Int, _ offset: Int) {
            if d == rank { visible.append(offset); return }
            for i in shown(d) { if let i { collect(d + 1, offset + i * strides[d]) } }
        }
        collect(0, 0)
        let width: Int
        let text: (Int) -> String
        if let ints {
            let format = Tensor.integerFormat(visible.map { ints[$0] })
            (width, text) = (format.width, { format.string(ints[$0]) })
        } else {
            let format = ElementFormat(visible.map { values[$0] })
            (width, text) = (format.width, { format.string(values[$0]) })
        }
        let indent = "tensor(".count
        func render(_ d: Int, _ offset: Int, _ indent: Int) -> String {
            if d == rank { return text(offset) }
            let items = shown(d).map { i in
                i.map { render(d + 1, offset + $0 * strides[d], indent + 1) } ?? (d == rank - 1 ? " ..." : "...")
            }
            if d == rank - 1 {
                let perLine = Swift.max(1, (80 - indent) / (width + 2))
                let lines = stride(from: 0, to: items.count, by: perLine).map {
                    items[$0..<Swift.min($0 + perLine, items.count)].joined(separator: ", ")
                }
                return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
            }
            let separator = "," + String(repeating: "\n", count: rank - d - 1) + String(repeating: " ", count: indent + 1)
            return "[" + items.joined(separator: separator) + "]"
        }
        return "tensor(" + render(0, 0, indent) + ", " + suffix + ")"
    }
}

/// torch's `_Formatter` for floating-point tensors with the default precision (4).
private struct ElementFormat {
    enum Mode { case integer, fixed, scientific }
    let mode: Mode
    /// The width every element is right-aligned to.
    private(set) var width = 1

    init(_ values: [Double]) {
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map(Swift.abs)
        guard let largest = magnitudes.max(), let smallest = magnitudes.min() else {
            mode = .integer
            return
        }
        let integral = values.allSatisfy { !$0.isFinite || $0 == $0.rounded(.up) }
        let wide = largest / smallest > 1000 || largest > 1e8
        mode = integral ? (wide ? .scientific : .integer) : (wide || smallest < 1e-4 ? .scientific : .fixed)
        for v in values where v.isFinite && v != 0 {
            width = Swift.max(width, string(v, padded: false).count)
        }
    }

    func string(_ value: Double) -> String {
        string(value, padded: true)
    }

    private func string(_ value: Double, padded: Bool) -> String {
        let text: String
        if value.isNaN {
            text = "nan"
        } else if value.isInfinite {
            text = value < 0 ? "-inf" : "inf"
        } else {
            text = switch mode {
            case .integer: cFormat("%.0f", value) + "."
            case .fixed: cFormat("%.4f", value)
            case .scientific: cFormat("%.4e", value)
            }
        }
        guard padded, text.count < width else { return text }
        return String(repeating: " ", count: width - text.count) + text
    }
}

/// `value` formatted by C's `printf` conventions (which Python's `format` follows for
/// `.0f`, `.4f` and `.4e`).
private func cFormat(_ format: String, _ value: Double) -> String {
    withVaList([value]) { arguments in
        var buffer = [CChar](repeating: 0, count: 512)
        _ = vsnprintf(&buffer, buffer.count, format, arguments)
        return String(cString: buffer)
    }
}
