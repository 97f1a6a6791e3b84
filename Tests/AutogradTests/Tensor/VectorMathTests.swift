import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The branch-free exp, tanh and sigmoid against the C library: the largest distance in
/// ulps over dense sweeps (the whole finite range, the thresholds, tiny arguments), and
/// the special values exactly.
@Suite("Vector math: exp, tanh, sigmoid against libm")
struct VectorMathTests {
    // MARK: - Sweeps

    /// `count` evenly spaced points from `low` to `high`, both included.
    private static func linear(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
        (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
    }

    /// `count` points spaced evenly in `log |x|` from `low` to `high` (both positive), and
    /// their negatives.
    private static func geometric(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
        let a = Glibc.log(low), b = Glibc.log(high)
        let positive = (0..<count).map { Glibc.exp(a + (b - a) * Double($0) / Double(count - 1)) }
        return positive + positive.map { -$0 }
    }

    /// `count` points around `center`, consecutive doubles on either side and then
    /// spreading out to ±`width`.
    private static func around(_ center: Double, width: Double, _ count: Int) -> [Double] {
        var points: [Double] = []
        var below = center, above = center
        for _ in 0..<100 {
            points += [below, above]
            below = below.nextDown
            above = above.nextUp
        }
        return points + linear(center - width, center + width, count)
    }

    /// The largest ulp distance of `f` from `reference` over `points`, with where it was.
    private static func worst(_ points: [Double], _ f: (Double) -> Double, _ reference: (Double) -> Double) -> (ulps: UInt64, at: Double) {
        var result: (ulps: UInt64, at: Double) = (0, .nan)
        for x in points {
            let d = ulpDistance(f(x), reference(x))
            if d > result.ulps { result = (d, x) }
        }
        return result
    }

    private static func worst(_ points: [Float], _ f: (Float) -> Float, _ reference: (Float) -> Float) -> (ulps: UInt64, at: Float) {
        var result: (ulps: UInt64, at: Float) = (0, .nan)
        for x in points {
            let d = ulpDistance(f(x), reference(x))
            if d > result.ulps { result = (d, x) }
        }
        return result
    }

    /// Every `stride`-th `Float` from `low` to `high` by bit pattern (the finite floats of
    /// that range, evenly sampled in their own spacing), and their negatives if `signed`.
    private static func floats(_ low: Float, _ high: Float, count: Int) -> [Float] {
        precondition(low >= 0 && high > low)
        let a = low.bitPattern, b = high.bitPattern
        let step = max(1, (b - a) / UInt32(count))
        return stride(from: a, through: b, by: Int(step)).map { Float(bitPattern: $0) }
    }

    // MARK: - float64

    static let exp64Points = linear(-745.2, 709.8, 100_001)
        + around(709.782712893384, width: 0.01, 2_001)    // overflow threshold
        + around(-708.3964185322641, width: 0.01, 2_001)  // results become subnormal
        + around(-745.1332191019411, width: 0.01, 2_001)  // results become 0
        + geometric(1e-300, 1, 20_001)
    static let tanh64Points = linear(-20, 20, 100_001)
        + geometric(1e-310, 25, 50_001)
        + linear(0.1, 0.6, 20_001)  // where (e²ˣ − 1)/(e²ˣ + 1) loses digits
        + around(19.06, width: 0.1, 2_001)
    static let sigmoid64Points = linear(-750, 750, 100_001) + geometric(1e-300, 40, 20_001)
        + around(-709.782712893384, width: 0.01, 2_001)

    @Test func float64AgainstGlibc() {
        let exp = Self.worst(Self.exp64Points, VectorMath.exp, Glibc.exp)
        #expect(exp.ulps <= 1, "exp: \(exp.ulps) ulps from glibc at \(exp.at)")
        // glibc's tanh is itself up to 2 ulps off (libm-test-ulps); the two errors add.
        let tanh = Self.worst(Self.tanh64Points, VectorMath.tanh, Glibc.tanh)
        #expect(tanh.ulps <= 3, "tanh: \(tanh.ulps) ulps from glibc at \(tanh.at)")
        let sigmoid = Self.worst(Self.sigmoid64Points, VectorMath.sigmoid, { 1 / (1 + Glibc.exp(-$0)) })
        #expect(sigmoid.ulps <= 2, "sigmoid: \(sigmoid.ulps) ulps from 1/(1 + exp(-x)) with glibc's exp at \(sigmoid.at)")
    }

    // MARK: - float32

    static let exp32Points = floats(0, 89, count: 500_000) + floats(0, 104, count: 500_000).map { -$0 }
    static let tanh32Points = floats(0, 10, count: 500_000).flatMap { [$0, -$0] }
    static let sigmoid32Points = floats(0, 110, count: 300_000).flatMap { [$0, -$0] }

    @Test func float32AgainstGlibc() {
        let exp = Self.worst(Self.exp32Points, VectorMath.exp, Glibc.expf)
        #expect(exp.ulps <= 1, "expf: \(exp.ulps) ulps from glibc at \(exp.at)")
        // glibc's tanhf is itself up to 2 ulps off.
        let tanh = Self.worst(Self.tanh32Points, VectorMath.tanh, Glibc.tanhf)
        #expect(tanh.ulps <= 2, "tanhf: \(tanh.ulps) ulps from glibc at \(tanh.at)")
        let sigmoid = Self.worst(Self.sigmoid32Points, VectorMath.sigmoid, { 1 / (1 + Glibc.expf(-$0)) })
        #expect(sigmoid.ulps <= 2, "sigmoid: \(sigmoid.ulps) ulps from 1/(1 + expf(-x)) at \(sigmoid.at)")
    }

    // MARK: - Against x87 long double (64-bit significands): the error itself

    #if arch(x86_64) && os(Linux)
    /// `|value − reference|` in ulps of `reference` rounded to `T` (fractional); 0 if both
    /// round to the same non-finite value, ∞ if not.
    private static func ulpError<T: BinaryFloatingPoint>(_ value: T, _ reference: Float80) -> Double {
        let rounded = T(reference)
        guard rounded.isFinite else { return value == rounded ? 0 : .infinity }
        return Double(abs(Float80(value) - reference) / Float80(rounded.ulp))
    }

    private static func worstError<T: BinaryFloatingPoint>(_ points: [T], _ f: (T) -> T, _ reference: (Float80) -> Float80) -> (ulps: Double, at: T) {
        var result: (ulps: Double, at: T) = (0, .nan)
        for x in points {
            let e = ulpError(f(x), reference(Float80(x)))
            if !(e <= result.ulps) { result = (e, x) }
        }
        return result
    }

    /// The measured errors quoted in VectorMath's documentation (the long double functions
    /// are within a few of their own ulps, 2¹¹ times finer than a double's).
    @Test func errorsAgainstLongDouble() {
        let exp = Self.worstError(Self.exp64Points, VectorMath.exp, Glibc.expl)
        #expect(exp.ulps < 1, "exp: \(exp.ulps) ulps at \(exp.at)")
        let tanh = Self.worstError(Self.tanh64Points, VectorMath.tanh, Glibc.tanhl)
        #expect(tanh.ulps < 2.5, "tanh: \(tanh.ulps) ulps at \(tanh.at)")
        // Below −709.78 (float32: −88.72) σ is 0 by design (e⁻ˣ overflows, as in torch),
        // not the subnormal true value: compared above that.
        let sigmoid = Self.worstError(Self.sigmoid64Points.filter { $0 > -709.78 }, VectorMath.sigmoid, { 1 / (1 + Glibc.expl(-$0)) })
        #expect(sigmoid.ulps < 2, "sigmoid: \(sigmoid.ulps) ulps at \(sigmoid.at)")
        let expf = Self.worstError(Self.exp32Points, VectorMath.exp, Glibc.expl)
        #expect(expf.ulps < 0.6, "expf: \(expf.ulps) ulps at \(expf.at)")
        let tanhf = Self.worstError(Self.tanh32Points, VectorMath.tanh, Glibc.tanhl)
        #expect(tanhf.ulps < 0.6, "tanhf: \(tanhf.ulps) ulps at \(tanhf.at)")
        let sigmoidf = Self.worstError(Self.sigmoid32Points.filter { $0 > -88.72 }, VectorMath.sigmoid, { 1 / (1 + Glibc.expl(-$0)) })
        #expect(sigmoidf.ulps < 2, "sigmoidf: \(sigmoidf.ulps) ulps at \(sigmoidf.at)")
        print("vector math, worst errors in ulps: exp \(exp.ulps), tanh \(tanh.ulps), sigmoid \(sigmoid.ulps); "
              + "float32: exp \(expf.ulps), tanh \(tanhf.ulps), sigmoid \(sigmoidf.ulps)")
    }
    #endif
}

/// The special values, exactly: the C library's, and torch's for sigmoid.
@Suite("Vector math: special values")
struct VectorMathEdgeTests {
    @Test func expFloat64() {
        #expect(VectorMath.exp(Double.nan).isNaN)
        #expect(VectorMath.exp(Double.infinity) == .infinity)
        #expect(VectorMath.exp(-Double.infinity) == 0)
        #expect(VectorMath.exp(0.0) == 1)
        #expect(VectorMath.exp(-0.0) == 1)
        // The largest finite result and the first overflow.
        #expect(VectorMath.exp(709.782712893384) == Glibc.exp(709.782712893384))
        #expect(VectorMath.exp(709.782712893384).isFinite)
        #expect(VectorMath.exp(709.7827128933841) == .infinity)
        #expect(VectorMath.exp(800.0) == .infinity)
        #expect(VectorMath.exp(Double.greatestFiniteMagnitude) == .infinity)
        // Gradual underflow: subnormal results, the least one, then 0.
        #expect(VectorMath.exp(-709.0) == Glibc.exp(-709.0))
        #expect(VectorMath.exp(-720.0) == Glibc.exp(-720.0))
        #expect(VectorMath.exp(-720.0).isSubnormal)
        #expect(VectorMath.exp(-745.13) == Double.leastNonzeroMagnitude)
        #expect(VectorMath.exp(-745.14) == 0)
        #expect(VectorMath.exp(-800.0) == 0)
        #expect(VectorMath.exp(-Double.greatestFiniteMagnitude) == 0)
        // Tiny arguments: 1 + x rounded.
        #expect(VectorMath.exp(1e-300) == 1)
        #expect(VectorMath.exp(0x1p-52) == 1 + 0x1p-52)
    }

    @Test func tanhFloat64() {
        #expect(VectorMath.tanh(Double.nan).isNaN)
        #expect(VectorMath.tanh(0.0).bitPattern == (0.0).bitPattern)
        #expect(VectorMath.tanh(-0.0).bitPattern == (-0.0).bitPattern)
        for x in [1e-8, 1e-20, 1e-300, Double.leastNormalMagnitude, Double.leastNonzeroMagnitude, 3e-320] {
            #expect(VectorMath.tanh(x) == x, "tanh(\(x))")
            #expect(VectorMath.tanh(-x) == -x, "tanh(\(-x))")
        }
        for x in [19.1, 20.0, 25.0, 710.0, 1e300, Double.infinity] {
            #expect(VectorMath.tanh(x) == 1, "tanh(\(x))")
            #expect(VectorMath.tanh(-x) == -1, "tanh(\(-x))")
        }
        // Just below the saturation, as glibc.
        #expect(VectorMath.tanh(18.0) == Glibc.tanh(18.0))
        #expect(VectorMath.tanh(18.0) < 1)
    }

    @Test func sigmoidFloat64() {
        #expect(VectorMath.sigmoid(Double.nan).isNaN)
        #expect(VectorMath.sigmoid(0.0) == 0.5)
        #expect(VectorMath.sigmoid(-800.0) == 0)
        #expect(VectorMath.sigmoid(-710.0) == 0)
        #expect(VectorMath.sigmoid(-Double.infinity) == 0)
        #expect(VectorMath.sigmoid(800.0) == 1)
        #expect(VectorMath.sigmoid(37.0) == 1)
        #expect(VectorMath.sigmoid(Double.infinity) == 1)
        #expect(VectorMath.sigmoid(-709.0) == 1 / (1 + Glibc.exp(709.0)))
        #expect(VectorMath.sigmoid(-709.0) > 0)
    }

    @Test func expFloat32() {
        #expect(VectorMath.exp(Float.nan).isNaN)
        #expect(VectorMath.exp(Float.infinity) == .infinity)
        #expect(VectorMath.exp(-Float.infinity) == 0)
        #expect(VectorMath.exp(Float(0)) == 1)
        #expect(VectorMath.exp(Float(88.72)) == Glibc.expf(88.72))
        #expect(VectorMath.exp(Float(88.72)).isFinite)
        #expect(VectorMath.exp(Float(88.73)) == .infinity)
        #expect(VectorMath.exp(Float(-90)) == Glibc.expf(-90))
        #expect(VectorMath.exp(Float(-90)).isSubnormal)
        #expect(VectorMath.exp(Float(-103.9)) == Float.leastNonzeroMagnitude)
        #expect(VectorMath.exp(Float(-104)) == 0)
        #expect(VectorMath.exp(-Float.greatestFiniteMagnitude) == 0)
        #expect(VectorMath.exp(Float.greatestFiniteMagnitude) == .infinity)
    }

    @Test func tanhFloat32() {
        #expect(VectorMath.tanh(Float.nan).isNaN)
        #expect(VectorMath.tanh(Float(0)).bitPattern == Float(0).bitPattern)
        #expect(VectorMath.tanh(-Float(0)).bitPattern == (-Float(0)).bitPattern)
        for x: Float in [1e-5, 1e-20, Float.leastNormalMagnitude, Float.leastNonzeroMagnitude] {
            #expect(VectorMath.tanh(x) == x, "tanh(\(x))")
            #expect(VectorMath.tanh(-x) == -x, "tanh(\(-x))")
        }
        for x: Float in [9.1, 20, 100, Float.greatestFiniteMagnitude, Float.infinity] {
            #expect(VectorMath.tanh(x) == 1, "tanh(\(x))")
            #expect(VectorMath.tanh(-x) == -1, "tanh(\(-x))")
        }
    }

    @Test func sigmoidFloat32() {
        #expect(VectorMath.sigmoid(Float.nan).isNaN)
        #expect(VectorMath.sigmoid(Float(0)) == 0.5)
        #expect(VectorMath.sigmoid(Float(-800)) == 0)
        #expect(VectorMath.sigmoid(Float(-89)) == 0)  // e⁸⁹ overflows Float, as in torch's float32 kernel
        #expect(VectorMath.sigmoid(Float(800)) == 1)
        #expect(VectorMath.sigmoid(Float(17)) == 1)
        #expect(VectorMath.sigmoid(Float(-88)) == 1 / (1 + Glibc.expf(88)))
    }

    /// The tensor kernels (vectorised, split over the cores) give the scalar functions'
    /// bits, for both dtypes.
    @Test func tensorKernelsMatchTheScalarFunctions() throws {
        let count = 3 * parallelThreshold + 5
        let values = (0..<count).map { Double($0 - count / 2) * 0.013 }
        let x64 = try Tensor(shape: [count], scalars: values)
        let x32 = x64.converted(to: .float32)
        let x32Values = values.map { Float($0) }
        #expect(x64.map(.exp).scalars == values.map { VectorMath.exp($0) })
        #expect(x64.map(.tanh).scalars == values.map { VectorMath.tanh($0) })
        #expect(x64.map(.sigmoid).scalars == values.map { VectorMath.sigmoid($0) })
        #expect(x32.map(.exp).scalars == x32Values.map { Double(VectorMath.exp($0)) })
        #expect(x32.map(.tanh).scalars == x32Values.map { Double(VectorMath.tanh($0)) })
        #expect(x32.map(.sigmoid).scalars == x32Values.map { Double(VectorMath.sigmoid($0)) })
        #expect(UnaryMath.exp.apply(0.7) == VectorMath.exp(0.7))
        #expect(UnaryMath.tanh.apply(Float(0.7)) == VectorMath.tanh(Float(0.7)))
        #expect(UnaryMath.sigmoid.apply(-3.5) == VectorMath.sigmoid(-3.5))
    }
}
