internal import _AutogradShims

// exp, tanh and sigmoid written for loops that the compiler vectorises.
//
// The C library's `exp` and `tanh` branch on the argument's range and are called once per
// element (about 5 ns and 13 ns here), so a loop over them runs one element at a time.
// The functions below have no branches: every special range (overflow, underflow,
// saturation, NaN) is reached through clamps and selects on the value itself, so LLVM's
// loop vectoriser turns a plain `for` loop over them into packed instructions (2 doubles
// per SSE2 register, 4 per AVX2 register, with fused multiply-adds when the target has FMA).
//
// All three functions rest on one polynomial, `M(r) ≈ eʳ − 1` for `|r| ≤ ln2/2`, after
// the reduction `x = k·ln2 + r`, `k` an integer:
//
//     eˣ = 2ᵏ · eʳ = 2ᵏ · (1 + M(r))
//     eˣ − 1 = 2ᵏ · M(r) + (2ᵏ − 1)
//
// The second form is `expm1`, which keeps tanh's relative accuracy near 0.

/// Branch-free exp, tanh and sigmoid (`1 / (1 + e⁻ˣ)`) for `Double` and `Float`.
///
/// Largest errors measured over dense sweeps of the whole range and of the thresholds
/// (`Tests/AutogradTests/Tensor/VectorMathTests.swift`, against x87 long double results),
/// in ulps, without FMA / with FMA: float64 exp 0.94 / 0.96, tanh 2.2 / 1.9, sigmoid
/// 1.8 / 1.8; float32 exp 0.50, tanh 0.51, sigmoid 1.97 (the last is the rounding of
/// `1 / (1 + e)` in `Float` arithmetic, as in torch's float32 kernel). Against glibc 2.36
/// the results are at most 1 ulp (exp), 3 (tanh: glibc's own is up to 2 off) and 2
/// (sigmoid) apart; float32 1, 2 and 2. The special values are the C library's: NaN gives NaN,
/// `exp(+∞) = +∞`, `exp(−∞) = 0`, results overflow to +∞ and underflow gradually through
/// the subnormals to 0 at the same thresholds, `tanh(±0) = ±0`, `tanh(x) = x` for tiny
/// `x`, `tanh(±large) = ±1` exactly, `sigmoid(−800) = 0`, `sigmoid(800) = 1`.
///
/// Results may differ in the last bit between a build with FMA (`-target-cpu haswell`)
/// and one without: the multiply-adds then round once instead of twice.
enum VectorMath {
    // MARK: - Generic entry points (specialisation folds the type tests away)

    /// `eˣ`, elementwise kernels' version of `T.exp`.
    @inline(__always)
    static func exp<T: TensorScalar>(_ x: T) -> T {
        if T.self == Double.self { return unsafeBitCast(exp(unsafeBitCast(x, to: Double.self)), to: T.self) }
        if T.self == Float.self { return unsafeBitCast(exp(unsafeBitCast(x, to: Float.self)), to: T.self) }
        return T.exp(x)
    }

    /// `tanh x`, elementwise kernels' version of `T.tanh`.
    @inline(__always)
    static func tanh<T: TensorScalar>(_ x: T) -> T {
        if T.self == Double.self { return unsafeBitCast(tanh(unsafeBitCast(x, to: Double.self)), to: T.self) }
        if T.self == Float.self { return unsafeBitCast(tanh(unsafeBitCast(x, to: Float.self)), to: T.self) }
        return T.tanh(x)
    }

    /// `σ(x) = 1 / (1 + e⁻ˣ)`.
    @inline(__always)
    static func sigmoid<T: TensorScalar>(_ x: T) -> T {
        if T.self == Double.self { return unsafeBitCast(sigmoid(unsafeBitCast(x, to: Double.self)), to: T.self) }
        if T.self == Float.self { return unsafeBitCast(sigmoid(unsafeBitCast(x, to: Float.self)), to: T.self) }
        return 1 / (1 + T.exp(-x))
    }

    // MARK: - float64

    /// `eˣ` for `Double`.
    ///
    /// 1. Clamp `x` to `[−746, 710]` (beyond, `eˣ` rounds to 0 or overflows anyway; NaN
    ///    passes through the clamp).
    /// 2. `k = round(x · log₂e)`, by adding and subtracting `1.5 · 2⁵²` (exact
    ///    round-to-nearest, without a float-to-integer conversion).
    /// 3. `r = x − k·ln2_hi − k·ln2_lo`, `|r| ≤ ln2/2`. `ln2_hi` has 42 significant bits,
    ///    so `k·ln2_hi` is exact for `|k| < 2¹¹` and `x − k·ln2_hi` is exact (Sterbenz).
    /// 4. `eʳ = 1 + M(r)`, `M` of degree 12 (``expm1Reduced(_:)``).
    /// 5. `2ᵏ = 2ᵏ¹ · 2ᵏ²` with `k₁ = round(k/2)`, `k₂ = k − k₁`, both built in the
    ///    exponent bits. For `k ∈ [−1076, 1024]` each factor is a normal power of two, so
    ///    `eʳ · 2ᵏ¹` is exact and the second product rounds once: results near the overflow
    ///    threshold (`k = 1024`) are finite, and subnormal results (`x < −708.4`) are the
    ///    product rounded once into the subnormals (gradual underflow, as glibc).
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        let xc = clamp(x, -746, 710)
        let t = xc * F64.log2e + F64.shifter
        let k = t - F64.shifter
        let r = reduce(xc, k)
        let er = 1 + expm1Reduced(r)
        let t1 = k * 0.5 + F64.shifter  // k₁ = round(k/2) in the low bits
        let s1 = Double(bitPattern: (t1.bitPattern &+ 1023) &<< 52)
        let s2 = Double(bitPattern: (t.bitPattern &- t1.bitPattern &+ 1023) &<< 52)
        return er * s1 * s2
    }

    /// `tanh x` for `Double`: `tanh |x| = E / (E + 2)` with `E = e^(2|x|) − 1`, the sign of
    /// `x` put back.
    ///
    /// `E` is computed as `expm1`, `2ᵏ · M(r) + (2ᵏ − 1)` with the reduction of
    /// ``exp(_:)-(Double)``, so that no digits are lost for small `|x|`: `(e²ˣ − 1)/(e²ˣ + 1)`
    /// would cancel in the numerator (all digits at `|x| < 10⁻¹⁶`, about half at 0.1).
    /// With `h = E/2`, `q₀ = h/(1 + h)` rounds twice (the sum and the quotient, up to
    /// 1.5 ulps together); for `h < 1` (`|x| < 0.55`) one step of `q = h − h·q` from `q₀`
    /// multiplies that error by `h` (measured without FMA: 2.2 ulps at most, 2.7 without
    /// the step; the remaining error comes from the cancellation in `2·M(r) + 1` for
    /// `k = 1`, `|x|` in 0.17…0.35).
    ///
    /// Below `|x| = 1.5·2⁻²⁷ ≈ 1.1·10⁻⁸`, where `tanh x = x − x³/3 + …` rounds to `x`
    /// (`x²/3 < 2⁻⁵⁴`), the result is `x` itself, as glibc's (the formula is up to 1 ulp
    /// off there); `tanh(±0) = ±0`. `|x|` is clamped to 20, where `1 + h` rounds to `h`
    /// and the quotient is exactly 1 (tanh rounds to 1 from `|x| ≈ 19.06`), so no
    /// overflow, no ∞/∞. `k` is then in `[0, 58]`: one power of two suffices.
    @inline(__always)
    static func tanh(_ x: Double) -> Double {
        let u = x.magnitude
        let y = 2 * atMost(u, 20)
        let t = y * F64.log2e + F64.shifter
        let k = t - F64.shifter
        let r = reduce(y, k)
        let s = Double(bitPattern: (t.bitPattern &+ 1023) &<< 52)
        let h = multiplyAdd(s, expm1Reduced(r), s - 1) * 0.5
        let q0 = h / (1 + h)
        let q1 = h < 1 ? multiplyAdd(-h, q0, h) : q0
        let q = u < 0x1.8p-27 ? u : q1
        return Double(bitPattern: q.bitPattern | (x.bitPattern & F64.signBit))
    }

    /// `σ(x) = 1 / (1 + e⁻ˣ)` for `Double`, torch's CPU formula with ``exp(_:)-(Double)``:
    /// for `x < −709.78`, `e⁻ˣ` is +∞ and `σ` exactly 0; from `x ≈ 36.74` (`e⁻ˣ ≤ 2⁻⁵³`),
    /// `1 + e⁻ˣ` rounds to 1 and `σ` is exactly 1.
    @inline(__always)
    static func sigmoid(_ x: Double) -> Double {
        1 / (1 + exp(-x))
    }

    // MARK: - float32 (evaluated in Double, rounded once)

    /// `eˣ` for `Float`: the float64 method in `Double` with a degree-6 `M`
    /// (``expm1ReducedShort(_:)``), rounded once to `Float`. The conversion gives +∞ above
    /// `Float`'s range (`x > 88.72`) and the `Float` subnormals below −87.3, correctly
    /// rounded (0 below −103.97). `|x|` is clamped to 150, so `k ∈ [−217, 217]`: one
    /// normal power of two in `Double`.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let xc = clamp(Double(x), -150, 150)
        let t = xc * F64.log2e + F64.shifter
        let k = t - F64.shifter
        let r = reduce(xc, k)
        let s = Double(bitPattern: (t.bitPattern &+ 1023) &<< 52)
        return Float((1 + expm1ReducedShort(r)) * s)
    }

    /// `tanh x` for `Float`: `E / (E + 2)`, `E = expm1(2|x|)`, in `Double` with the
    /// degree-6 `M`, rounded once to `Float` (the refinement step of the float64 version is
    /// not needed: the `Double` quotient is far more accurate than a `Float` ulp).
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let y = 2 * atMost(Double(x.magnitude), 20)
        let t = y * F64.log2e + F64.shifter
        let k = t - F64.shifter
        let r = reduce(y, k)
        let s = Double(bitPattern: (t.bitPattern &+ 1023) &<< 52)
        let e = multiplyAdd(s, expm1ReducedShort(r), s - 1)
        let q = Float(e / (e + 2))
        return Float(bitPattern: q.bitPattern | (x.bitPattern & 0x8000_0000))
    }

    /// `σ(x) = 1 / (1 + e⁻ˣ)` for `Float`, in `Float` arithmetic as torch's float32 kernel:
    /// `e⁻ˣ` overflows to +∞ for `x < −88.72` and `σ` is then exactly 0.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    // MARK: - The shared pieces

    /// `M(r) ≈ eʳ − 1` for `|r| ≤ ln2/2`: `M(r) = r + r²·(1/2 + r·Q(r))`, `Q` of degree 9,
    /// a Chebyshev fit (mpmath's `chebyfit`, 60 digits) of `(eʳ − 1 − r − r²/2)/r³` on
    /// `[−ln2/2, ln2/2]·1.0001`. With the coefficients rounded to `Double`, `M` is within
    /// 2.5·10⁻¹⁸ relative of `eʳ − 1` (0.02 ulp).
    ///
    /// The polynomial `1/2 + r·Q(r)` is evaluated in Estrin's scheme (pairs `a + b·r`, then
    /// powers `r²`, `r⁴`): a dependency chain of 5 multiply-adds instead of Horner's 12, so
    /// that more elements are in flight (tanh and sigmoid ran 7–15% faster, with AVX2 and
    /// without). The last operation adds the small `r²·…` to `r`, so the rounding errors
    /// reach the result shrunk by `|r|/2` at least: 0.87 ulp of `eʳ − 1` at most (40,000
    /// random `r`, against mpmath, without FMA; 0.79 with Horner's rule), relative to
    /// `eʳ − 1` itself, not only to `eʳ`.
    @inline(__always)
    static func expm1Reduced(_ r: Double) -> Double {
        let r2 = r * r, r4 = r2 * r2
        let c01 = multiplyAdd(0x1.5555555555556p-3, r, 0.5)
        let c23 = multiplyAdd(0x1.11111111109b3p-7, r, 0x1.5555555555555p-5)
        let c45 = multiplyAdd(0x1.a01a01a7c41d5p-13, r, 0x1.6c16c16c167e1p-10)
        let c67 = multiplyAdd(0x1.71de0dae63bb3p-19, r, 0x1.a01a01a47b054p-16)
        let c89 = multiplyAdd(0x1.af38a9b0ec855p-26, r, 0x1.27e4e1f48534fp-22)
        let c4to7 = multiplyAdd(c67, r2, c45)
        let c8to10 = multiplyAdd(0x1.1f66df7fca49fp-29, r2, c89)
        let high = multiplyAdd(c8to10, r4, c4to7)
        let low = multiplyAdd(c23, r2, c01)
        let p = multiplyAdd(high, r4, low)
        return multiplyAdd(r2, p, r)
    }

    /// The `M` of ``expm1Reduced(_:)`` for float32 results: `Q` of degree 4, the same
    /// kind of fit; within 1.1·10⁻⁹ relative of `eʳ − 1` (0.02 `Float` ulp, so the
    /// rounding to `Float` is almost always the correct one).
    @inline(__always)
    static func expm1ReducedShort(_ r: Double) -> Double {
        let r2 = r * r
        let c01 = multiplyAdd(0x1.5555555555555p-3, r, 0.5)
        let c23 = multiplyAdd(0x1.1110f656b73fcp-7, r, 0x1.5555192d5f5dep-5)
        let c45 = multiplyAdd(0x1.a0f86c84449cdp-13, r, 0x1.6d11093a17fd8p-10)
        let p = multiplyAdd(multiplyAdd(c45, r2, c23), r2, c01)
        return multiplyAdd(r2, p, r)
    }

    /// `x − k·ln2` in two steps (Cody–Waite): the first exact, the second rounds once.
    @inline(__always)
    static func reduce(_ x: Double, _ k: Double) -> Double {
        multiplyAdd(-k, F64.ln2Low, multiplyAdd(-k, F64.ln2High, x))
    }

    /// `x` limited to `[low, high]`; NaN stays NaN (both comparisons are false).
    @inline(__always)
    static func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double {
        atMost(x < low ? low : x, high)
    }

    /// `x` limited to `high`; NaN stays NaN.
    @inline(__always)
    static func atMost(_ x: Double, _ high: Double) -> Double {
        x > high ? high : x
    }

    /// `a·b + c`: one fused instruction when the build targets FMA, else a multiply and an
    /// add. (`addingProduct` without hardware FMA is a call to libm's `fma`, which would stop
    /// the vectorisation.)
    @inline(__always)
    static func multiplyAdd(_ a: Double, _ b: Double, _ c: Double) -> Double {
        hasFusedMultiplyAdd ? c.addingProduct(a, b) : a * b + c
    }

    /// Whether this build may use FMA instructions (`-target-cpu haswell` or later); a
    /// compile-time constant.
    @inline(__always)
    static var hasFusedMultiplyAdd: Bool { AUTOGRAD_TARGET_HAS_FMA != 0 }

    /// The constants of the reduction.
    enum F64 {
        /// `1.5 · 2⁵²`: `(v + shifter) − shifter` rounds `v` to the nearest integer
        /// (`|v| < 2⁵¹`), and the low bits of `v + shifter` hold that integer.
        static let shifter = 0x1.8p52
        /// `log₂e` rounded to `Double`.
        static let log2e = 0x1.71547652b82fep+0
        /// `ln2` rounded to 42 significant bits (its 11 low bits are 0).
        static let ln2High = 0x1.62e42fefa3800p-1
        /// `ln2 − ln2High` rounded to `Double`.
        static let ln2Low = 0x1.ef35793c76730p-45
        static let signBit: UInt64 = 0x8000_0000_0000_0000
    }
}

// MARK: - Kernel types

/// A one-input elementwise function as a type: a loop generic over it is specialised for
/// each kernel, so its body is the function itself, inlined, and the loop vectorises.
/// (A closure handed through the thread split is not inlined into the loop.)
protocol UnaryKernel {
    associatedtype Scalar
    static func apply(_ x: Scalar) -> Scalar
}

extension UnaryKernel {
    /// `output[i] = apply(input[i])` for every `i` in `range`.
    @inline(__always)
    static func fill(_ output: UnsafeMutableBufferPointer<Scalar>, from input: UnsafeBufferPointer<Scalar>, _ range: Range<Int>) {
        for i in range { output[i] = apply(input[i]) }
    }
}

/// ``VectorMath/exp(_:)-(T)`` as a kernel.
enum ExpKernel<T: TensorScalar>: UnaryKernel {
    @inline(__always) static func apply(_ x: T) -> T { VectorMath.exp(x) }
}

/// ``VectorMath/tanh(_:)-(T)`` as a kernel.
enum TanhKernel<T: TensorScalar>: UnaryKernel {
    @inline(__always) static func apply(_ x: T) -> T { VectorMath.tanh(x) }
}

/// ``VectorMath/sigmoid(_:)-(T)`` as a kernel.
enum SigmoidKernel<T: TensorScalar>: UnaryKernel {
    @inline(__always) static func apply(_ x: T) -> T { VectorMath.sigmoid(x) }
}
