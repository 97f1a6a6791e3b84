import Testing
import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// References computed here, independently of the library: the textbook formulas on the
// slices of ReductionSlices, in Double with the C library's exp/log/sqrt.

/// `log Σ exp(v)` the naive way (fine for the moderate values of these tests).
private func naiveLogSumExp(_ v: [Double]) -> Double {
    log(v.reduce(0) { $0 + exp($1) })
}

/// `Σ (v − mean)² / (n − correction)`, two passes.
private func twoPassVariance(_ v: [Double], correction: Double) -> Double {
    let mean = v.reduce(0, +) / Double(v.count)
    return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (Double(v.count) - correction)
}

private func expectClose(
    _ actual: [Double], _ expected: [Double], relative: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        #expect(abs(a - e) <= relative * abs(e), "\(what) element \(i): \(a) vs \(e)", sourceLocation: sourceLocation)
    }
}

@Suite("Reductions: logsumexp, var, std")
struct ReductionStatisticsTests {
    private static func input() -> Tensor {
        var rng = SplitMix64(seed: 51)
        return rng.tensor([2, 3, 4], in: -2...2)
    }

    private static func tensor(_ shape: [Int], _ values: [Double]) -> Tensor {
        try! Tensor(shape: shape, scalars: values)
    }

    // MARK: - logsumexp

    @Test(arguments: AxisCase.all)
    func logsumexpForward(c: AxisCase) throws {
        let t = Self.input()
        let reference = ReductionSlices(t, reduced: c.reduced)
        let y = try logsumexp(Variable(t), axes: c.axes, keepdims: c.keepdims)
        #expect(y.shape == c.expectedShape)
        expectClose(y.data.scalars, reference.slices.map(naiveLogSumExp), relative: 1e-14, "logsumexp \(c)")
    }

    /// The gradient is the softmax of each slice: `exp(xᵢ) / Σ exp(x)`, times the seed.
    @Test(arguments: AxisCase.all)
    func logsumexpGradientIsSoftmax(c: AxisCase) throws {
        let t = Self.input()
        let reference = ReductionSlices(t, reduced: c.reduced)
        var rng = SplitMix64(seed: 52)
        let seed = Variable.constant(rng.weights(c.expectedShape))
        let x = Variable(t)
        let g = try gradients(of: logsumexp(x, axes: c.axes, keepdims: c.keepdims), withRespectTo: [x], seed: seed)[0]
        let values = t.scalars, s = seed.data.scalars
        let expected = values.indices.map { i -> Double in
            let slot = reference.slotOfElement[i]
            return s[slot] * exp(values[i]) / reference.slices[slot].reduce(0) { $0 + exp($1) }
        }
        expectClose(g.data.scalars, expected, relative: 1e-13, "∂logsumexp \(c)")
    }

    @Test(arguments: AxisCase.all)
    func logsumexpNumericalGradient(c: AxisCase) throws {
        let x = Self.input()
        try checkGradients("logsumexp \(c)", [x]) { xs in try logsumexp(xs[0], axes: c.axes, keepdims: c.keepdims) }
        try checkSecondOrderGradients("logsumexp \(c)", [x]) { xs in
            try logsumexp(xs[0], axes: c.axes, keepdims: c.keepdims)
        }
    }

    /// Shifted by the maximum, ±1000 is exact where `exp` alone overflows to ∞ or
    /// underflows to 0:
    /// - `[1000, 1000]`: `1000 + log 2`, gradient `[½, ½]`;
    /// - `[1000, −1000, 999]`: `1000 + log(1 + e⁻²⁰⁰⁰ + e⁻¹) = 1000 + log(1 + e⁻¹)`
    ///   (`e⁻²⁰⁰⁰` underflows to 0, and is below half an ulp of 1 anyway);
    /// - `[−1000, −1000]`: `−1000 + log 2`.
    @Test func logsumexpOfLargeLogits() throws {
        let x = Variable(Self.tensor([3, 3], [1000, 1000, -.infinity, 1000, -1000, 999, -1000, -1000, -.infinity]))
        let y = try logsumexp(x, axis: 1)
        #expect(y.data.scalars == [1000 + log(2.0), 1000 + log(1 + exp(-1.0)), -1000 + log(2.0)])
        // The gradient is `exp(x − y)` (torch's formula): `y` near 1000 carries an absolute
        // rounding error up to half an ulp of 1000 (5.7e-14), which `x − y` keeps, so the
        // softmax weights are good to about 1e-13 relative, not to an ulp.
        let g = try gradients(of: y, withRespectTo: [x])[0].data.scalars
        expectClose([g[0], g[1]], [0.5, 0.5], relative: 1e-13, "row 0")
        #expect(g[2] == 0)
        // Row 1: softmax weights 1/(1 + e⁻¹), 0, e⁻¹/(1 + e⁻¹).
        expectClose([g[3], g[5]], [1 / (1 + exp(-1.0)), exp(-1.0) / (1 + exp(-1.0))], relative: 1e-13, "row 1")
        #expect(g[4] == 0)
    }

    /// A slice of -∞ gives -∞ (`log 0`, shifted by 0, not by -∞, which would give NaN),
    /// and, as in torch, a NaN gradient: `exp(−∞ − (−∞))`. +∞ gives +∞; NaN propagates.
    @Test func logsumexpAtInfinityAndNaN() throws {
        let x = Variable(Self.tensor([2, 2], [-.infinity, -.infinity, 0, 0]))
        let y = try logsumexp(x, axis: 1)
        #expect(y.data.scalars == [-.infinity, log(2.0)])
        let g = try gradients(of: y, withRespectTo: [x])[0].data.scalars
        #expect(g[0].isNaN && g[1].isNaN && g[2] == 0.5 && g[3] == 0.5)

        #expect(logsumexp(Variable(Tensor([.infinity, 1]))).data.scalar == .infinity)
        #expect(logsumexp(Variable(Tensor([1, .nan]))).data.scalar?.isNaN == true)
        #expect(logsumexp(Variable(Tensor([.nan, .infinity]))).data.scalar?.isNaN == true)
        // Over nothing: log 0 = -∞.
        let empty = try logsumexp(Variable(try Tensor(shape: [2, 0], scalars: [])), axis: 1)
        #expect(empty.data.scalars == [-.infinity, -.infinity])
    }

    /// float32 is computed in Float: the exponentials are rounded to Float before summing.
    @Test func logsumexpFloat32() throws {
        let values: [Float] = [0.5, -1.25, 2.0, 0.75]
        let x = Variable(try Tensor(shape: [4], float32Scalars: values))
        let y = logsumexp(x)
        #expect(y.dtype == .float32)
        // m = 2; Σ expf(v − 2) accumulated exactly enough in Double, then logf + 2 in Float.
        let total = values.reduce(0.0) { $0 + Double(expf($1 - 2)) }
        expectULPs(Float(try #require(y.data.scalar)), logf(Float(total)) + 2, within: 0, "float32 logsumexp")
        #expect(try gradients(of: y, withRespectTo: [x])[0].dtype == .float32)
    }

    // MARK: - var and std

    @Test(arguments: AxisCase.all, [0.0, 1.0])
    func varianceAndStdForward(c: AxisCase, correction: Double) throws {
        let t = Self.input()
        let reference = ReductionSlices(t, reduced: c.reduced)
        let x = Variable(t)
        let v = try variance(x, axes: c.axes, keepdims: c.keepdims, correction: correction)
        let s = try std(x, axes: c.axes, keepdims: c.keepdims, correction: correction)
        #expect(v.shape == c.expectedShape && s.shape == c.expectedShape)
        let expected = reference.slices.map { twoPassVariance($0, correction: correction) }
        expectClose(v.data.scalars, expected, relative: 1e-13, "var \(c), correction \(correction)")
        expectClose(s.data.scalars, expected.map { $0.squareRoot() }, relative: 1e-13, "std \(c), correction \(correction)")
    }

    /// By hand: [1, 2, 3, 4] has mean 5/2 and squared deviations 9/4 + 1/4 + 1/4 + 9/4 = 5,
    /// so var = 5/3 (Bessel), 5/4 (population), 5/2 (correction 2); ∂var/∂x = 2(x − 5/2)/(n − c).
    @Test func varianceByHand() throws {
        let x = Variable(Tensor([1, 2, 3, 4]))
        #expect(try variance(x).data.scalar == 5.0 / 3)
        #expect(try variance(x, correction: 0).data.scalar == 1.25)
        #expect(try variance(x, axis: 0, correction: 2).data.scalar == 2.5)
        #expect(try std(x, correction: 0).data.scalar == 1.25.squareRoot())
        let g = try gradients(of: variance(x), withRespectTo: [x])[0].data.scalars
        expectClose(g, [-1, -1.0 / 3, 1.0 / 3, 1], relative: 1e-15, "∂var")
        // ∂std/∂x = ∂var/∂x / (2 std) = (x − x̄) / ((n − 1) std), std = √(5/3).
        let gs = try gradients(of: std(x), withRespectTo: [x])[0].data.scalars
        let root = (5.0 / 3).squareRoot()
        expectClose(gs, [-1.5, -0.5, 0.5, 1.5].map { $0 / (3 * root) }, relative: 1e-15, "∂std")
    }

    @Test(arguments: AxisCase.all)
    func varianceAndStdNumericalGradients(c: AxisCase) throws {
        let x = Self.input()
        try checkGradients("var \(c)", [x]) { xs in try variance(xs[0], axes: c.axes, keepdims: c.keepdims) }
        try checkGradients("std \(c), correction 0", [x]) { xs in
            try std(xs[0], axes: c.axes, keepdims: c.keepdims, correction: 0)
        }
        try checkSecondOrderGradients("var \(c), correction 0", [x]) { xs in
            try variance(xs[0], axes: c.axes, keepdims: c.keepdims, correction: 0)
        }
        try checkSecondOrderGradients("std \(c)", [x]) { xs in try std(xs[0], axes: c.axes, keepdims: c.keepdims) }
    }

    /// Inside an expression (a row standardization), second order.
    @Test func standardizationSecondOrder() throws {
        var rng = SplitMix64(seed: 53)
        let x = rng.tensor([3, 4], in: -2...2)
        try checkSecondOrderGradients("(x − mean) / std", [x]) { xs in
            try (xs[0] - mean(xs[0], axis: 1, keepdims: true)) / std(xs[0], axis: 1, keepdims: true)
        }
    }

    /// At zero spread √ has no derivative; torch's std_backward replaces `grad / (2·std)`
    /// by 0 there, so the gradient (and the second one) is 0, not NaN. Only that row.
    @Test func stdAtZeroSpreadHasZeroGradient() throws {
        let x = Variable(Self.tensor([2, 3], [2, 2, 2, 1, 2, 3]))
        let y = try std(x, axis: 1)
        #expect(y.data.scalars == [0, 1])
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [0, 0, 0, -0.5, 0, 0.5])
        let h = try gradients(of: sum(g * g), withRespectTo: [x])[0]
        #expect(h.data.scalars[0..<3].allSatisfy { $0 == 0 })
        #expect(h.data.scalars.allSatisfy { $0.isFinite })
        // The whole-tensor form too.
        let c = Variable(try Tensor(repeating: 0.5, shape: [2, 2]))
        #expect(try std(c).data.scalar == 0)
        #expect(try gradients(of: std(c), withRespectTo: [c])[0].data.scalars == [0, 0, 0, 0])
    }

    /// Welford's running mean (torch's kernel for a reduction to several values) is exact
    /// on a constant slice: six copies of 0.1 have std exactly 0. A reduction to one value
    /// (torch's other kernel) first takes the mean: six 0.1 add up to 0.5999999999999999,
    /// and that over 6 is 0.09999999999999999, one ulp (2⁻⁵⁶) below 0.1. Then Σ(x − x̄)² = 6·2⁻¹¹²
    /// and std = √(6/5)·2⁻⁵⁶ ≈ 1.52e-17, as torch gives; its gradient is then not 0 but
    /// (x − x̄)/((n − 1)·std) = 1/√30 for every element. Both are torch's values.
    @Test func constantSliceOfInexactValues() throws {
        let rows = Variable(try Tensor(repeating: 0.1, shape: [2, 6]))
        #expect(try std(rows, axis: 1).data.scalars == [0, 0])
        let flat = Variable(try Tensor(repeating: 0.1, shape: [6]))
        let y = try std(flat)
        #expect(y.data.scalar == (6.0 / 5).squareRoot() * 0x1p-56)
        let g = try gradients(of: y, withRespectTo: [flat])[0].data.scalars
        expectClose(g, [Double](repeating: 1 / 30.0.squareRoot(), count: 6), relative: 1e-12, "∂std at an ulp of spread")
    }

    /// The two passes are stable far from 0, where `E[x²] − E[x]²` cancels catastrophically.
    @Test func varianceFarFromZero() throws {
        let x = Variable(Tensor([1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4]))
        #expect(try variance(x).data.scalar == 5.0 / 3)
        // Two rows: Welford's kernel rather than the one-value pass; its running means
        // 1e8 + 1, + 1.5, + 2, + 2.5 and its m2 0.5, 2, 5 are all exact.
        let rows = Variable(Self.tensor([2, 4], x.data.scalars + x.data.scalars.map { $0 - 1e8 }))
        #expect(try variance(rows, axis: 1).data.scalars == [5.0 / 3, 5.0 / 3])
    }

    /// Degrees of freedom `n − correction ≤ 0`: the value is `Σ(x − x̄)² / 0` (NaN for a
    /// single element or a constant slice, ∞ otherwise), and the gradient follows torch's
    /// two formulas (see ``Variance``).
    @Test func degreesOfFreedomAtOrBelowZero() throws {
        // One element, Bessel: 0/0.
        let one = Variable(Self.tensor([3, 1], [1, 2, 3]))
        #expect(try variance(one, axis: 1).data.scalars.allSatisfy { $0.isNaN })
        #expect(try variance(one, axis: 1, correction: 0).data.scalars == [0, 0, 0])
        #expect(try variance(Variable(1.5)).data.scalar?.isNaN == true)
        let scalar = Variable(0.25)
        let spread = try std(scalar, correction: 0)
        #expect(spread.data.scalar == 0)
        #expect(try gradients(of: spread, withRespectTo: [scalar])[0].data.scalar == 0)

        let x = Variable(Tensor([3, 4, 5]))
        // Without axes: `grad · (NaN where x = x̄, else ∞)`.
        let whole = try variance(x, correction: 4)
        #expect(whole.data.scalar == .infinity)
        let gWhole = try gradients(of: whole, withRespectTo: [x])[0].data.scalars
        #expect(gWhole[0] == .infinity && gWhole[1].isNaN && gWhole[2] == .infinity)
        // With an axis: `2 / (n − correction) · grad · (x − x̄)`, here 2/(−1) · (x − 4).
        let alongAxis = try variance(x, axis: 0, correction: 4)
        #expect(alongAxis.data.scalar == .infinity)
        #expect(try gradients(of: alongAxis, withRespectTo: [x])[0].data.scalars == [2, 0, -2])
        // n = correction along an axis: 2/0 = ∞ times (x − x̄).
        let atZero = try gradients(of: variance(x, axis: 0, correction: 3), withRespectTo: [x])[0].data.scalars
        #expect(atZero[0] == -.infinity && atZero[1].isNaN && atZero[2] == .infinity)
    }

    /// Empty slices: NaN, as torch fills them.
    @Test func emptySlices() throws {
        let rows = Variable(try Tensor(shape: [2, 0], scalars: []))
        #expect(try variance(rows, axis: 1).data.scalars.allSatisfy { $0.isNaN })
        #expect(try std(rows, axis: 1, correction: -1).data.scalars.allSatisfy { $0.isNaN })
        #expect(try variance(rows, axis: 0).shape == [0])
    }

    /// float32 is accumulated in Double and rounded once, as torch's kernels do: the
    /// result is the float64 computation on the same values, rounded to Float.
    @Test(arguments: [nil, [1], [0, 2]] as [[Int]?])
    func float32(axes: [Int]?) throws {
        var rng = SplitMix64(seed: 54)
        let t32 = rng.float32Tensor([2, 3, 4], in: -2...2)
        let x32 = Variable(t32), x64 = Variable(t32.converted(to: .float64))
        for (y32, y64) in [(try variance(x32, axes: axes), try variance(x64, axes: axes)),
                           (try std(x32, axes: axes, correction: 0), try std(x64, axes: axes, correction: 0))] {
            #expect(y32.dtype == .float32)
            for (i, (a, b)) in zip(y32.data.scalars, y64.data.scalars).enumerated() {
                expectULPs(Float(a), Float(b), within: 1, "float32 moment over \(String(describing: axes)) at \(i)")
            }
            #expect(try gradients(of: sum(y32), withRespectTo: [x32])[0].dtype == .float32)
        }
    }

    // MARK: - Errors

    @Test func axisErrors() {
        let x = Variable(Self.input())
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try logsumexp(x, axis: 3) }
        #expect(throws: AutogradError.repeatedAxis(0)) { try logsumexp(x, axes: [0, 0]) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -4, rank: 3)) { try variance(x, axis: -4) }
        #expect(throws: AutogradError.repeatedAxis(-3)) { try variance(x, axes: [0, -3], correction: 0) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 5, rank: 3)) { try std(x, axes: [1, 5]) }
        #expect(throws: AutogradError.repeatedAxis(2)) { try std(x, axes: [-1, 2], keepdims: true) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 1, rank: 0)) { try logsumexp(Variable(0.5), axis: 1) }
        #expect(AutogradError.repeatedAxis(2).description == "axis 2 appears more than once")
    }
}
