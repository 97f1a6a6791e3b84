/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seeded generator of 64-bit
/// values. The fuzzer draws everything from it, through the helpers below rather than
/// the standard library's `random(in:using:)`, so that a seed gives the same cases on
/// every machine and every Swift version.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (Lemire's multiply-high reduction; the bias is below
    /// 2⁻⁵⁰ for the small ranges used here). An empty range gives its lower bound.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        guard width != 0 else { return range.lowerBound &+ Int(truncatingIfNeeded: next()) }
        let high = next().multipliedFullWidth(by: width).high
        return range.lowerBound + Int(high)
    }

    /// A uniform integer in `range`; an empty range gives its lower bound.
    public mutating func int(in range: Range<Int>) -> Int {
        range.isEmpty ? range.lowerBound : int(in: range.lowerBound...(range.upperBound - 1))
    }

    /// A uniform double in [0, 1), with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in [low, high).
    public mutating func double(in low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A uniformly chosen element, `nil` for an empty collection.
    public mutating func element<C: Collection>(of items: C) -> C.Element? where C.Index == Int {
        guard !items.isEmpty else { return nil }
        return items[items.startIndex + int(in: 0..<items.count)]
    }

    /// The elements in a uniformly random order (Fisher–Yates).
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var items = items
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, int(in: 0...i))
        }
        return items
    }

    /// An index chosen with probability proportional to its weight (non-positive weights
    /// are never chosen); `nil` if no weight is positive.
    public mutating func index(weightedBy weights: [Double]) -> Int? {
        let total = weights.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return nil }
        var target = unit() * total
        for (i, w) in weights.enumerated() where w > 0 {
            if target < w { return i }
            target -= w
        }
        return weights.lastIndex { $0 > 0 }
    }
}
