import Testing
import Autograd

/// For a [2, 3, 4] input, the elements each output element reduces (row-major, in the
/// output's row-major order), and the output slot of every input element: worked out
/// with three explicit loops, independently of the library's strided reduction.
struct ReductionSlices {
    var slices: [[Double]]
    var slotOfElement: [Int]

    init(_ x: Tensor, reduced: [Bool]) {
        precondition(x.shape == [2, 3, 4])
        let dims = (0..<3).map { reduced[$0] ? 1 : x.shape[$0] }
        slices = Array(repeating: [], count: dims[0] * dims[1] * dims[2])
        slotOfElement = []
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    let oi = reduced[0] ? 0 : i, oj = reduced[1] ? 0 : j, ok = reduced[2] ? 0 : k
                    let slot = (oi * dims[1] + oj) * dims[2] + ok
                    slices[slot].append(x[i, j, k])
                    slotOfElement.append(slot)
                }
            }
        }
    }
}

@Suite("Reductions: max and min")
struct ReductionExtremaTests {
    /// Distinct values (continuous random draws), so no slice has a tie and the
    /// gradient is the ordinary derivative; the gaps are far larger than gradcheck's step.
    private static func input() -> Tensor {
        var rng = SplitMix64(seed: 41)
        return rng.tensor([2, 3, 4], in: -2...2)
    }

    private static func tensor(_ shape: [Int], _ values: [Double]) -> Tensor {
        try! Tensor(shape: shape, scalars: values)
    }

    @Test(arguments: AxisCase.all)
    func forwardIsTheSliceExtreme(c: AxisCase) throws {
        let t = Self.input()
        let reference = ReductionSlices(t, reduced: c.reduced)
        let x = Variable(t)
        let maxima = try max(x, axes: c.axes, keepdims: c.keepdims)
        let minima = try min(x, axes: c.axes, keepdims: c.keepdims)
        #expect(maxima.shape == c.expectedShape)
        #expect(minima.shape == c.expectedShape)
        // Picking an element is exact: no rounding anywhere.
        #expect(maxima.data.scalars == reference.slices.map { $0.max()! })
        #expect(minima.data.scalars == reference.slices.map { $0.min()! })
    }

    /// Without ties, the whole seed of each slice goes to its extreme element: exactly.
    @Test(arguments: AxisCase.all)
    func gradientGoesToTheExtremeElement(c: AxisCase) throws {
        let t = Self.input()
        let reference = ReductionSlices(t, reduced: c.reduced)
        var rng = SplitMix64(seed: 42)
        let seed = Variable.constant(rng.weights(c.expectedShape))
        let s = seed.data.scalars
        let x = Variable(t)
        let values = t.scalars

        let gMax = try gradients(of: max(x, axes: c.axes, keepdims: c.keepdims), withRespectTo: [x], seed: seed)[0]
        let expectedMax = values.indices.map { i in
            let slot = reference.slotOfElement[i]
            return values[i] == reference.slices[slot].max()! ? s[slot] : 0
        }
        #expect(gMax.shape == [2, 3, 4])
        #expect(gMax.data.scalars == expectedMax)

        let gMin = try gradients(of: min(x, axes: c.axes, keepdims: c.keepdims), withRespectTo: [x], seed: seed)[0]
        let expectedMin = values.indices.map { i in
            let slot = reference.slotOfElement[i]
            return values[i] == reference.slices[slot].min()! ? s[slot] : 0
        }
        #expect(gMin.data.scalars == expectedMin)
    }

    @Test(arguments: AxisCase.all)
    func numericalGradient(c: AxisCase) throws {
        let x = Self.input()
        try checkGradients("max \(c)", [x]) { xs in try max(xs[0], axes: c.axes, keepdims: c.keepdims) }
        try checkGradients("min \(c)", [x]) { xs in try min(xs[0], axes: c.axes, keepdims: c.keepdims) }
    }

    /// Second derivatives through max/min inside smooth expressions (their own second
    /// derivative is 0, but their backward must be differentiable with respect to the seed).
    @Test func numericalSecondOrderThroughExtrema() throws {
        let x = Self.input()
        try checkSecondOrderGradients("max(x, axis 1)²", [x]) { xs in try square(max(xs[0], axis: 1)) }
        try checkSecondOrderGradients("x · min(x, axes [0, 2], keepdims)", [x]) { xs in
            try xs[0] * min(xs[0], axes: [0, 2], keepdims: true)
        }
        try checkSecondOrderGradients("exp(max x) - min(x, -1)", [x]) { xs in
            try exp(max(xs[0])) - sum(min(xs[0], axis: -1))
        }
    }

    /// torch.amax's rule: the gradient is split evenly among tied extremes,
    /// `(grad / count) · [x = result]`.
    @Test func tiesShareTheGradientEvenly() throws {
        let x = Variable(Tensor([1, 3, 3, 2]))
        let y = try max(x)
        #expect(y.data.scalar == 3)
        #expect(try gradients(of: y, withRespectTo: [x])[0].data.scalars == [0, 0.5, 0.5, 0])

        // Three-way tie for the minimum: 1/3 each.
        let m = Variable(Tensor([2, -1, 0, -1, -1]))
        #expect(try gradients(of: min(m), withRespectTo: [m])[0].data.scalars == [0, 1.0 / 3, 0, 1.0 / 3, 1.0 / 3])

        // Per row, with a seed: row 0 has two maxima, row 1 is all equal, row 2 has none tied.
        let rows = Variable(Self.tensor([3, 4], [1, 3, 3, 2, 5, 5, 5, 5, 0, -1, 4, 2]))
        let seed = Variable.constant(Tensor([2, 8, -1]))
        let g = try gradients(of: max(rows, axis: 1), withRespectTo: [rows], seed: seed)[0]
        #expect(g.data.scalars == [0, 1, 1, 0, 2, 2, 2, 2, 0, 0, -1, 0])

        // All equal over two axes: each of the 6 elements gets 1/6.
        let flat = Variable(try Tensor(repeating: 1.5, shape: [2, 3]))
        let gFlat = try gradients(of: max(flat, axes: [0, 1], keepdims: true), withRespectTo: [flat])[0]
        #expect(gFlat.data.scalars == [Double](repeating: 1.0 / 6, count: 6))
    }

    /// torch.amax propagates NaN, and the slice's gradient is NaN everywhere: no element
    /// equals the NaN result, so `grad / 0 · 0` is NaN. Other slices are unaffected.
    @Test func nanPropagates() throws {
        let x = Variable(Tensor([1, .nan, 3, 2]))
        for y in [try max(x), try min(x)] {
            #expect(try #require(y.data.scalar).isNaN)
            #expect(try gradients(of: y, withRespectTo: [x])[0].data.scalars.allSatisfy { $0.isNaN })
        }
        let rows = Variable(Self.tensor([2, 3], [1, .nan, 3, 4, 6, 5]))
        let y = try max(rows, axis: 1)
        #expect(y.data.scalars[0].isNaN && y.data.scalars[1] == 6)
        let g = try gradients(of: y, withRespectTo: [rows])[0].data.scalars
        #expect(g[0..<3].allSatisfy { $0.isNaN })
        #expect(Array(g[3...]) == [0, 1, 0])
        // A NaN after an infinity still wins.
        #expect(try max(Variable(Tensor([.infinity, .nan])), axis: 0).data.scalar?.isNaN == true)
    }

    /// Infinities are ordinary values: a slice of -∞ has maximum -∞, shared by both.
    @Test func infinities() throws {
        let x = Variable(Self.tensor([2, 2], [-.infinity, -.infinity, .infinity, 1]))
        let y = try max(x, axis: 1)
        #expect(y.data.scalars == [-.infinity, .infinity])
        #expect(try gradients(of: y, withRespectTo: [x])[0].data.scalars == [0.5, 0.5, 1, 0])
        #expect(try min(x, axis: 0).data.scalars == [-.infinity, -.infinity])
    }

    /// The gradient is piecewise constant: the second derivative of max itself is 0.
    @Test func secondDerivativeIsZero() throws {
        let x = Variable(Self.input())
        let g = try gradients(of: sum(max(x, axis: 2)), withRespectTo: [x], createGraph: true)[0]
        let h = try gradients(of: sum(g * g), withRespectTo: [x])[0]
        #expect(h.data.scalars.allSatisfy { $0 == 0 })
    }

    /// A 0-d tensor is its own maximum; it accepts axis 0 and -1, as in torch.
    @Test func scalarInput() throws {
        let x = Variable(-1.25)
        for axes in [nil, [0], [-1]] as [[Int]?] {
            for keepdims in [false, true] {
                let y = try max(x, axes: axes, keepdims: keepdims)
                #expect(y.shape == [])
                #expect(y.data.scalar == -1.25)
                #expect(try gradients(of: y, withRespectTo: [x])[0].data.scalar == 1)
                #expect(try min(x, axes: axes, keepdims: keepdims).data.scalar == -1.25)
            }
        }
        #expect(throws: AutogradError.axisOutOfRange(axis: 1, rank: 0)) { try max(x, axis: 1) }
    }

    @Test(arguments: [0, 1, 2, -1, -2, -3], [false, true])
    func singleAxisFormsAgree(axis: Int, keepdims: Bool) throws {
        let x = Variable(Self.input())
        #expect(try max(x, axis: axis, keepdims: keepdims).data == max(x, axes: [axis], keepdims: keepdims).data)
        #expect(try min(x, axis: axis, keepdims: keepdims).data == min(x, axes: [axis], keepdims: keepdims).data)
    }

    /// An empty axis list reduces every axis (torch's rule, as for sum).
    @Test func emptyAxisListIsAll() throws {
        let x = Variable(Self.input())
        #expect(try max(x, axes: []).data == max(x).data)
        #expect(try max(x, axes: []).shape == [])
    }

    @Test func axisErrors() {
        let x = Variable(Self.input())
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try max(x, axis: 3) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -4, rank: 3)) { try min(x, axes: [0, -4]) }
        #expect(throws: AutogradError.repeatedAxis(-1)) { try max(x, axes: [2, -1]) }
        #expect(throws: AutogradError.repeatedAxis(0)) { try min(x, axes: [0, 0], keepdims: true) }
        let message = AutogradError.axisOutOfRange(axis: 3, rank: 3).description
        #expect(message == "axis 3 is out of range for a tensor of rank 3 (valid: -3...2)")
    }

    /// A maximum of no elements does not exist: refused, as torch refuses it. Reducing a
    /// non-empty axis of an empty tensor is fine (an empty result).
    @Test func emptyReductions() throws {
        let rows = Variable(try Tensor(shape: [0, 3], scalars: []))
        #expect(throws: AutogradError.emptyReduction(op: "max", axis: 0)) { try max(rows, axis: 0) }
        #expect(throws: AutogradError.emptyReduction(op: "min", axis: nil)) { try min(rows) }
        #expect(throws: AutogradError.emptyReduction(op: "max", axis: nil)) { try max(rows, axes: []) }
        #expect(try max(rows, axis: 1).shape == [0])
        #expect(try min(rows, axis: -1, keepdims: true).shape == [0, 1])
        #expect(AutogradError.emptyReduction(op: "max", axis: 0).description
                == "max: cannot reduce over axis 0, which has size 0")
        #expect(AutogradError.emptyReduction(op: "min", axis: nil).description
                == "min: cannot reduce a tensor with no elements")
    }

    /// float32 stays float32, and picking an element is exact in any precision.
    @Test func float32() throws {
        var rng = SplitMix64(seed: 43)
        let t = rng.float32Tensor([2, 3, 4], in: -2...2)
        let x32 = Variable(t), x64 = Variable(t.converted(to: .float64))
        let y32 = try max(x32, axis: 1), y64 = try max(x64, axis: 1)
        #expect(y32.dtype == .float32)
        #expect(y32.data.scalars == y64.data.scalars)
        let g = try gradients(of: sum(y32), withRespectTo: [x32])[0]
        #expect(g.dtype == .float32)
        #expect(g.data.scalars == (try gradients(of: sum(y64), withRespectTo: [x64])[0].data.scalars))
    }
}
