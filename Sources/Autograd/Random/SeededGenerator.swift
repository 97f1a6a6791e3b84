#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seeded pseudo-random generator: xoshiro256** (Blackman and Vigna),
/// its state filled from the seed by SplitMix64.
///
/// Everything random in this module (initial weights, shuffled batches, generated
/// datasets) is drawn from it, with the algorithms written out here rather than taken
/// from the standard library (whose `random(in:using:)` and `shuffle(using:)` are not
/// specified and may change): the same seed gives the same values on every machine and
/// every Swift version. The values are not torch's (torch uses a Mersenne Twister and its
/// own transforms); training-parity fixtures therefore carry their initial parameters.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// generator.nextUnit()            // uniform on [0, 1)
/// generator.uniform(-1, 1)        // uniform on [-1, 1)
/// generator.normal()              // standard normal
/// generator.permutation(5)        // e.g. [3, 0, 4, 1, 2]
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        s0 = Self.splitMix64(&splitMix)
        s1 = Self.splitMix64(&splitMix)
        s2 = Self.splitMix64(&splitMix)
        s3 = Self.splitMix64(&splitMix)
    }

    /// A generator for one of many independent streams of one seed (an epoch's shuffle,
    /// a layer's weights): the seed and the stream number are mixed through SplitMix64.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = stream
        self.init(seed: seed ^ Self.splitMix64(&mixer))
    }

    /// SplitMix64 (Steele, Lea and Flood): advances `state` and returns a well-mixed word.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// Uniform on [0, 1): the top 53 bits of the next word, times 2⁻⁵³ (every value is a
    /// multiple of 2⁻⁵³, each equally likely).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform on [low, high): `low + (high − low)·u`.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// A standard normal value by the Box–Muller transform:
    /// `√(−2 ln(1 − u₁)) · cos(2π u₂)` (`1 − u₁` is in (0, 1], so the logarithm is finite).
    public mutating func normal() -> Double {
        let u1 = nextUnit(), u2 = nextUnit()
        return (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform on `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    /// `bound` must be positive.
    public mutating func nextIndex(below bound: Int) -> Int {
        if bound <= 0 { fatalError("nextIndex(below:) needs a positive bound, got \(bound)") }
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates, from the back).
    public mutating func permutation(_ count: Int) -> [Int] {
        var result = Array(0..<max(count, 0))
        var i = result.count - 1
        while i > 0 {
            let j = nextIndex(below: i + 1)
            result.swapAt(i, j)
            i -= 1
        }
        return result
    }
}
