import Testing
import Autograd

/// A reduction of a [2, 3, 4] input, with the result's shape worked out by hand.
struct AxisCase: Sendable, CustomTestStringConvertible {
    let axes: [Int]?
    let keepdims: Bool
    let expectedShape: [Int]

    var testDescription: String {
        "axes \(axes.map { "\($0)" } ?? "nil")\(keepdims ? ", keepdims" : "") → \(expectedShape)"
    }

    /// Which of the three dimensions are reduced (negative axes count from the end).
    var reduced: [Bool] {
        guard let axes else { return [true, true, true] }
        let normalized = axes.map { $0 < 0 ? $0 + 3 : $0 }
        return (0..<3).map { normalized.contains($0) }
    }

    /// How many elements each output element averages.
    var reducedCount: Int {
        zip([2, 3, 4], reduced).reduce(1) { $1.1 ? $0 * $1.0 : $0 }
    }

    static let all: [AxisCase] = [
        AxisCase(axes: nil, keepdims: false, expectedShape: []),
        AxisCase(axes: nil, keepdims: true, expectedShape: [1, 1, 1]),
        AxisCase(axes: [0], keepdims: false, expectedShape: [3, 4]),
        AxisCase(axes: [1], keepdims: true, expectedShape: [2, 1, 4]),
        AxisCase(axes: [2], keepdims: false, expectedShape: [2, 3]),
        AxisCase(axes: [-1], keepdims: false, expectedShape: [2, 3]),
        AxisCase(axes: [-3], keepdims: true, expectedShape: [1, 3, 4]),
        AxisCase(axes: [0, 2], keepdims: false, expectedShape: [3]),
        AxisCase(axes: [2, 0], keepdims: true, expectedShape: [1, 3, 1]),
        AxisCase(axes: [-1, -2], keepdims: false, expectedShape: [2]),
        AxisCase(axes: [0, 1, 2], keepdims: false, expectedShape: []),
        AxisCase(axes: [1, -1, 0], keepdims: true, expectedShape: [1, 1, 1]),
    ]
}

/// The [2, 3, 4] sum by three nested loops, in the row-major order of the output with
/// the reduced dimensions kept as 1 (the same order as without them).
private func loopSum(_ x: Tensor, reduced: [Bool]) -> [Double] {
    let dims = (0..<3).map { reduced[$0] ? 1 : x.shape[$0] }
    var out = [Double](repeating: 0, count: dims[0] * dims[1] * dims[2])
    for i in 0..<2 {
        for j in 0..<3 {
            for k in 0..<4 {
                let oi = reduced[0] ? 0 : i, oj = reduced[1] ? 0 : j, ok = reduced[2] ? 0 : k
                out[(oi * dims[1] + oj) * dims[2] + ok] += x[i, j, k]
            }
        }
    }
    return out
}

/// For each input element (row-major), the offset of the output element it feeds.
private func outputOffsets(reduced: [Bool]) -> [Int] {
    let dims = (0..<3).map { reduced[$0] ? 1 : [2, 3, 4][$0] }
    var offsets: [Int] = []
    for i in 0..<2 {
        for j in 0..<3 {
            for k in 0..<4 {
                let oi = reduced[0] ? 0 : i, oj = reduced[1] ? 0 : j, ok = reduced[2] ? 0 : k
                offsets.append((oi * dims[1] + oj) * dims[2] + ok)
            }
        }
    }
    return offsets
}

@Suite("Reductions: sum and mean")
struct ReductionGradientTests {
    private static func input() -> Tensor {
        var rng = SplitMix64(seed: 31)
        return rng.tensor([2, 3, 4], in: -2...2)
    }

    /// A summation of n terms is within n·u·Σ|xᵢ| of the exact sum (u = 2⁻⁵³), whatever
    /// the order: the bound for both the loops and the library.
    private static func summationTolerance(_ x: Tensor) -> Double {
        Double(x.count) * (Double.ulpOfOne / 2) * x.scalars.reduce(0) { $0 + abs($1) }
    }

    @Test(arguments: AxisCase.all)
    func sumForward(c: AxisCase) throws {
        let x = Self.input()
        let y = try sum(Variable(x), axes: c.axes, keepdims: c.keepdims)
        #expect(y.shape == c.expectedShape)
        let expected = loopSum(x, reduced: c.reduced)
        #expect(y.count == expected.count)
        let tolerance = Self.summationTolerance(x)
        for (i, (got, want)) in zip(y.data.scalars, expected).enumerated() {
            #expect(abs(got - want) <= tolerance, "sum \(c) element \(i): \(got) vs \(want)")
        }
    }

    @Test(arguments: AxisCase.all)
    func meanForward(c: AxisCase) throws {
        let x = Self.input()
        let y = try mean(Variable(x), axes: c.axes, keepdims: c.keepdims)
        #expect(y.shape == c.expectedShape)
        let n = Double(c.reducedCount)
        let expected = loopSum(x, reduced: c.reduced).map { $0 / n }
        // The sums' bound, divided by n, plus the division's own rounding (≤ 1 ulp).
        let tolerance = Self.summationTolerance(x) / n
        for (i, (got, want)) in zip(y.data.scalars, expected).enumerated() {
            #expect(abs(got - want) <= tolerance + want.ulp, "mean \(c) element \(i): \(got) vs \(want)")
        }
    }

    /// The gradient of a sum is the seed broadcast back over the reduced axes, and of a
    /// mean the seed divided by the number of elements averaged: exactly.
    @Test(arguments: AxisCase.all)
    func gradientIsSeedSpreadBack(c: AxisCase) throws {
        let x = Variable(Self.input())
        var rng = SplitMix64(seed: 32)
        let seed = Variable.constant(rng.weights(c.expectedShape))
        let s = seed.data.scalars
        let offsets = outputOffsets(reduced: c.reduced)

        let gSum = try gradients(of: sum(x, axes: c.axes, keepdims: c.keepdims), withRespectTo: [x], seed: seed)[0]
        #expect(gSum.shape == [2, 3, 4])
        #expect(gSum.data.scalars == offsets.map { s[$0] })

        let gMean = try gradients(of: mean(x, axes: c.axes, keepdims: c.keepdims), withRespectTo: [x], seed: seed)[0]
        #expect(gMean.shape == [2, 3, 4])
        let n = Double(c.reducedCount)
        #expect(gMean.data.scalars == offsets.map { s[$0] / n })
    }

    @Test(arguments: AxisCase.all)
    func numericalGradient(c: AxisCase) throws {
        let x = Self.input()
        try checkGradients("sum \(c)", [x]) { xs in try sum(xs[0], axes: c.axes, keepdims: c.keepdims) }
        try checkGradients("mean \(c)", [x]) { xs in try mean(xs[0], axes: c.axes, keepdims: c.keepdims) }
    }

    /// Reductions inside differentiable expressions: second derivatives through Sum's
    /// backward (reshape + broadcast) and mean's division.
    @Test func numericalSecondOrderThroughReductions() throws {
        let x = Self.input()
        try checkSecondOrderGradients("sum(x², axis 1)", [x]) { xs in try sum(square(xs[0]), axes: [1]) }
        try checkSecondOrderGradients("mean(exp x, axes [0, 2], keepdims)", [x]) { xs in
            try mean(exp(xs[0]), axes: [0, 2], keepdims: true)
        }
        try checkSecondOrderGradients("sum(x, -1, keepdims)·sin x", [x]) { xs in
            try sum(xs[0], axis: -1, keepdims: true) * sin(xs[0])
        }
    }

    /// The whole-tensor forms: `sum(x)` and `mean(x)` are 0-d; ∂mean/∂x = 1/24 everywhere.
    @Test func wholeTensorForms() throws {
        let t = Self.input()
        let x = Variable(t)
        let total = loopSum(t, reduced: [true, true, true])[0]
        let s = sum(x), m = mean(x)
        #expect(s.shape == [] && m.shape == [])
        #expect(abs(try #require(s.data.scalar) - total) <= Self.summationTolerance(t))
        #expect(abs(try #require(m.data.scalar) - total / 24) <= Self.summationTolerance(t) / 24)
        let g = try gradients(of: m, withRespectTo: [x])[0]
        #expect(g.data.scalars == [Double](repeating: 1.0 / 24, count: 24))
        let gs = try gradients(of: s, withRespectTo: [x])[0]
        #expect(gs.data.scalars == [Double](repeating: 1, count: 24))
    }

    /// `sum(x, axis:)` and `mean(x, axis:)` are the one-axis forms of `axes:`.
    @Test(arguments: [0, 1, 2, -1, -2, -3], [false, true])
    func singleAxisFormsAgree(axis: Int, keepdims: Bool) throws {
        let x = Variable(Self.input())
        #expect(try sum(x, axis: axis, keepdims: keepdims).data == sum(x, axes: [axis], keepdims: keepdims).data)
        #expect(try mean(x, axis: axis, keepdims: keepdims).data == mean(x, axes: [axis], keepdims: keepdims).data)
    }

    /// A 0-d tensor accepts axis 0 and -1 (as in torch) and reduces nothing.
    @Test func scalarInput() throws {
        let x = Variable(2.5)
        for axis in [0, -1] {
            for keepdims in [false, true] {
                let y = try sum(x, axis: axis, keepdims: keepdims)
                #expect(y.shape == [])
                #expect(y.data.scalar == 2.5)
                #expect(try mean(x, axis: axis, keepdims: keepdims).data.scalar == 2.5)
                #expect(try gradients(of: y, withRespectTo: [x])[0].data.scalar == 1)
            }
        }
        #expect(throws: AutogradError.axisOutOfRange(axis: 1, rank: 0)) { try sum(x, axis: 1) }
    }

    /// Axes outside -rank..<rank, and repeated axes (also when spelled differently).
    @Test func axisErrors() {
        let x = Variable(Self.input())
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try sum(x, axis: 3) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -4, rank: 3)) { try sum(x, axes: [0, -4]) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try mean(x, axis: 3) }
        #expect(throws: AutogradError.repeatedAxis(1)) { try sum(x, axes: [1, 1]) }
        #expect(throws: AutogradError.repeatedAxis(-2)) { try sum(x, axes: [1, -2]) }  // -2 is axis 1
        #expect(throws: AutogradError.repeatedAxis(-3)) { try mean(x, axes: [0, -3]) }
    }

    /// Empty reductions: a sum of nothing is 0, a mean of nothing is NaN (0/0, as in torch).
    @Test func emptyReductions() throws {
        let empty = Variable(try Tensor(shape: [0], scalars: []))
        #expect(sum(empty).data.scalar == 0)
        #expect(try #require(mean(empty).data.scalar).isNaN)

        let rows = Variable(try Tensor(shape: [2, 0], scalars: []))
        let s = try sum(rows, axis: 1)
        #expect(s.shape == [2])
        #expect(s.data.scalars == [0, 0])
        let m = try mean(rows, axis: 1)
        #expect(m.shape == [2])
        #expect(m.data.scalars.allSatisfy { $0.isNaN })
        let columns = try sum(rows, axis: 0)  // sums 2 rows of nothing: 0 columns
        #expect(columns.shape == [0])
    }

    /// float32: the sum equals the float64 sum of the same values rounded to Float (within
    /// 1 ulp; the library accumulates in double), and gradients are float32.
    @Test(arguments: [nil, [1], [0, 2]] as [[Int]?])
    func float32(axes: [Int]?) throws {
        var rng = SplitMix64(seed: 33)
        let t32 = rng.float32Tensor([2, 3, 4], in: -2...2)
        let x32 = Variable(t32), x64 = Variable(t32.converted(to: .float64))
        for (y32, y64) in [(try sum(x32, axes: axes), try sum(x64, axes: axes)),
                           (try mean(x32, axes: axes), try mean(x64, axes: axes))] {
            #expect(y32.dtype == .float32)
            #expect(y32.shape == y64.shape)
            for (i, (a, b)) in zip(y32.data.scalars, y64.data.scalars).enumerated() {
                expectULPs(Float(a), Float(b), within: 1, "float32 reduction over \(String(describing: axes)) at \(i)")
            }
            let g = try gradients(of: sum(y32), withRespectTo: [x32])[0]
            #expect(g.dtype == .float32)
            #expect(g.shape == [2, 3, 4])
        }
    }
}
