import Foundation

/// Elapsed seconds of `repeats` runs of `body`, after `warmup` untimed runs.
func measure(repeats: Int, warmup: Int, _ body: () throws -> Void) rethrows -> [Double] {
    for _ in 0..<warmup { try body() }
    var elapsed: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let duration = try clock.measure(body)
        elapsed.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
    }
    return elapsed
}

/// The median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// The resident memory of this process in bytes (`/proc/self/statm`).
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// A duration in the unit that reads best: ns, µs, ms or s.
func formatSeconds(_ s: Double) -> String {
    switch s {
    case ..<1e-6: String(format: "%.1f ns", s * 1e9)
    case ..<1e-3: String(format: "%.2f µs", s * 1e6)
    case ..<1: String(format: "%.2f ms", s * 1e3)
    default: String(format: "%.2f s", s)
    }
}

/// The summary of one side's rounds: extremes, median and quartiles (linear
/// interpolation between order statistics).
struct Statistics {
    let min: Double, quartile1: Double, median: Double, quartile3: Double, max: Double
    let count: Int

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func quantile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        quartile1 = quantile(0.25)
        median = quantile(0.5)
        quartile3 = quantile(0.75)
    }

    /// The interquartile range relative to the median: 0.1 means the middle half of the
    /// rounds lies within 10 % of the median's size. Robust to the odd round that another
    /// process on the machine slowed down, unlike (max − min) / median, which the table
    /// shows through the minimum.
    var spread: Double { (quartile3 - quartile1) / median }
}
