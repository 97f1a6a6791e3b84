import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Clamping and elementwise extrema: clip, maximum, minimum")
struct ClampingTests {
    // MARK: clip

    /// Values clipped to the bounds (NaN kept), and gradient 1 strictly inside the bounds,
    /// 0 at a bound itself and beyond (torch 2.15's clamp_backward for number bounds).
    @Test func clipValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [7], scalars: [-2, -1, -0.5, 0, 1, 3, .nan]))
        let y = try clip(x, min: -1, max: 1)
        let values = y.data.scalars
        #expect(Array(values[0..<6]) == [-1, -1, -0.5, 0, 1, 1])
        #expect(values[6].isNaN)
        let g = try gradients(of: sum(y), withRespectTo: [x])[0]
        #expect(g.data.scalars == [0, 0, 1, 1, 0, 0, 0])
        // One bound only.
        let low = try gradients(of: sum(try clip(x, min: 0)), withRespectTo: [x])[0]
        #expect(low.data.scalars == [0, 0, 0, 0, 1, 1, 0])
        let high = try gradients(of: sum(try clamp(x, max: 0)), withRespectTo: [x])[0]
        #expect(high.data.scalars == [1, 1, 1, 0, 0, 0, 0])
        // min > max: everything becomes max, and nothing is inside.
        let crossed = try clip(x, min: 1, max: -1)
        #expect(Array(crossed.data.scalars[0..<6]) == [-1, -1, -1, -1, -1, -1])
        #expect(try gradients(of: sum(crossed), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0, 0, 0, 0])
    }

    /// A NaN bound makes every element NaN, with gradient 0 everywhere. Expected values
    /// are torch 2.15's output: for `x = torch.tensor([-1., 0.5, 2.], requires_grad=True)`,
    /// `torch.clamp(x, min=nan)`, `(max=nan)`, `(min=nan, max=nan)`, `(min=0., max=nan)`
    /// and `(min=nan, max=1.)` each give `[nan, nan, nan]`, and `.sum().backward()`
    /// gives `x.grad == [0., 0., 0.]`.
    @Test(arguments: [DType.float64, .float32])
    func clipWithANaNBoundIsNaN(dtype: DType) throws {
        let bounds: [(Double?, Double?)] = [(.nan, nil), (nil, .nan), (.nan, .nan), (0, .nan), (.nan, 1)]
        for (low, high) in bounds {
            let x = Variable(try Tensor(shape: [3], scalars: [-1, 0.5, 2], dtype: dtype))
            let y = try clip(x, min: low, max: high)
            #expect(y.dtype == dtype)
            let allNaN = y.data.scalars.allSatisfy { $0.isNaN }
            #expect(allNaN, "min \(String(describing: low)), max \(String(describing: high))")
            let g = try gradients(of: sum(y), withRespectTo: [x])[0]
            #expect(g.data.scalars == [0, 0, 0], "min \(String(describing: low)), max \(String(describing: high))")
        }
    }

    /// float32 compares with the bound rounded to float, as torch does: 0.1f is the bound
    /// 0.1 itself there (so its gradient is 0), although 0.1f > 0.1 in double.
    @Test func clipFloat32BoundIsRounded() throws {
        let x = Variable(try Tensor(shape: [3], float32Scalars: [0.1, 0.05, 0.2]))
        let y = try clip(x, max: 0.1)
        #expect(y.data.scalars == [Double(Float(0.1)), Double(Float(0.05)), Double(Float(0.1))])
        #expect(try gradients(of: sum(y), withRespectTo: [x])[0].data.scalars == [0, 1, 0])
    }

    @Test func clipNeedsABound() {
        #expect(throws: AutogradError.invalidArgument(op: "clip", reason: "at least one of min and max must be given")) {
            try clip(Variable(1.0))
        }
        #expect(AutogradError.invalidArgument(op: "clip", reason: "at least one of min and max must be given").description
                == "clip: at least one of min and max must be given")
    }

    @Test(arguments: [[], [4], [2, 3]] as [[Int]])
    func clipNumericalGradient(shape: [Int]) throws {
        var rng = SplitMix64(seed: 32)
        // Inputs kept 0.05 away from the bounds ±0.5.
        let x = rng.tensor(shape, in: -1...1).scalars.map { Swift.abs(Swift.abs($0) - 0.5) < 0.05 ? $0 * 0.8 : $0 }
        try checkGradients("clip", [try Tensor(shape: shape, scalars: x)]) { xs in try clip(xs[0], min: -0.5, max: 0.5) }
    }

    // MARK: maximum, minimum

    /// Values (NaN propagates), and gradients: the winner gets g, a tie g/2 each, NaN g to both.
    @Test func maximumAndMinimumTies() throws {
        let a = Variable(try Tensor(shape: [4], scalars: [1, 2, 3, .nan]))
        let b = Variable(try Tensor(shape: [4], scalars: [1, 3, 2, 1]))
        let hi = try maximum(a, b), lo = try minimum(a, b)
        #expect(Array(hi.data.scalars[0..<3]) == [1, 3, 3] && hi.data.scalars[3].isNaN)
        #expect(Array(lo.data.scalars[0..<3]) == [1, 2, 2] && lo.data.scalars[3].isNaN)
        let gHi = try gradients(of: sum(hi), withRespectTo: [a, b])
        #expect(gHi[0].data.scalars == [0.5, 0, 1, 1])
        #expect(gHi[1].data.scalars == [0.5, 1, 0, 1])
        let gLo = try gradients(of: sum(lo), withRespectTo: [a, b])
        #expect(gLo[0].data.scalars == [0.5, 1, 0, 1])
        #expect(gLo[1].data.scalars == [0.5, 0, 1, 1])
    }

    /// Broadcasting: the gradient of each operand is the elementwise share summed over the
    /// broadcast dimensions, computed here by index arithmetic. a = [[0], [1], [2]],
    /// b = [[0, 1, 2, 3]]: a[1] = 1 ties b[1], wins against b[0], loses to b[2], b[3].
    @Test func maximumBroadcastGradient() throws {
        let a = Variable(try Tensor(shape: [3, 1], scalars: [0, 1, 2]))
        let b = Variable(try Tensor(shape: [1, 4], scalars: [0, 1, 2, 3]))
        let y = try maximum(a, b)
        #expect(y.data.scalars == referenceBinary(a.data, b.data, outShape: [3, 4]) { Swift.max($0, $1) })
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        let share = referenceBinary(a.data, b.data, outShape: [3, 4]) { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
        let aGrad = (0..<3).map { i in (0..<4).reduce(0.0) { $0 + share[i * 4 + $1] } }
        let bGrad = (0..<4).map { j in (0..<3).reduce(0.0) { $0 + (1 - share[$1 * 4 + j]) } }
        #expect(g[0].data.scalars == aGrad)   // [0.5, 1.5, 2.5]
        #expect(g[1].data.scalars == bGrad)   // [0.5, 1.5, 2.5, 3]
        #expect(g[0].shape == [3, 1] && g[1].shape == [1, 4])
    }

    @Test(arguments: [([2, 3], [2, 3]), ([3, 1], [1, 4]), ([], [3]), ([2, 1, 3], [3])] as [([Int], [Int])])
    func extremaNumericalGradient(shapes: ([Int], [Int])) throws {
        var rng = SplitMix64(seed: 33)
        // Distinct values (no ties), so both functions are differentiable at the inputs.
        let a = rng.tensor(shapes.0, in: -2...2), b = rng.tensor(shapes.1, in: -2...2)
        try checkGradients("maximum", [a, b]) { xs in try maximum(xs[0], xs[1]) }
        try checkGradients("minimum", [a, b]) { xs in try minimum(xs[0], xs[1]) }
    }

    @Test func extremaShapeErrors() {
        let a = Variable(try! Tensor(shape: [2], scalars: [1, 2])), b = Variable(try! Tensor(shape: [3], scalars: [1, 2, 3]))
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "maximum")) { try maximum(a, b) }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "minimum")) { try minimum(a, b) }
        #expect(AutogradError.shapesDoNotBroadcast([2], [3], op: "maximum").description == "maximum: shapes [2] and [3] do not broadcast")
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "maximum")) {
            try maximum(Variable(1.0), Variable(1.0, dtype: .float32))
        }
    }

    // MARK: clip with tensor bounds

    /// Every combination of x, lower, upper in {0, 1, 2, NaN}: values and the three
    /// gradients equal torch 2.15's exactly (Support/TorchClampReference.swift).
    @Test(arguments: [DType.float64, .float32])
    func clipByTensorsMatchesTorchOnEveryTie(dtype: DType) throws {
        let t = torchClampTable
        let n = t.x.count
        let x = Variable(try Tensor(shape: [n], scalars: t.x, dtype: dtype))
        let lower = Variable(try Tensor(shape: [n], scalars: t.lower, dtype: dtype))
        let upper = Variable(try Tensor(shape: [n], scalars: t.upper, dtype: dtype))
        let y = try clip(x, min: lower, max: upper)
        #expect(y.dtype == dtype)
        let g = try gradients(of: sum(y), withRespectTo: [x, lower, upper])
        for i in 0..<n {
            let what = "clamp(\(t.x[i]), \(t.lower[i]), \(t.upper[i]))"
            let value = y.data.scalars[i]
            #expect(value == t.y[i] || (value.isNaN && t.y[i].isNaN), "\(what) = \(value), torch \(t.y[i])")
            #expect(g[0].data.scalars[i] == t.gx[i], "∂x of \(what)")
            #expect(g[1].data.scalars[i] == t.gLower[i], "∂min of \(what)")
            #expect(g[2].data.scalars[i] == t.gUpper[i], "∂max of \(what)")
        }
    }

    /// Broadcasting: x [1, 3], min [2, 1], max 0-d; gradients summed back to each shape.
    /// Expected values are torch 2.15's for the same inputs and the weights [[1, 2, 3], [4, 5, 6]].
    @Test func clipByTensorsBroadcasts() throws {
        let x = Variable(try Tensor(shape: [1, 3], scalars: [0, 1, 2]))
        let lower = Variable(try Tensor(shape: [2, 1], scalars: [0.5, 1.5]))
        let upper = Variable(1.8)
        let y = try clip(x, min: lower, max: upper)
        #expect(y.shape == [2, 3])
        #expect(y.data.scalars == [0.5, 1, 1.8, 1.5, 1.5, 1.8])
        let w = Variable.constant(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        let g = try gradients(of: sum(y * w), withRespectTo: [x, lower, upper])
        #expect(g[0].shape == [1, 3] && g[0].data.scalars == [0, 2, 0])
        #expect(g[1].shape == [2, 1] && g[1].data.scalars == [1, 9])
        #expect(g[2].shape == [] && g[2].data.scalars == [9])
    }

    /// One bound only: maximum or minimum (a tie splits, as torch 2.15 gives).
    @Test func clipByOneTensorBound() throws {
        let x = Variable(try Tensor(shape: [3], scalars: [0, 1, 2]))
        let b = Variable(try Tensor(shape: [3], scalars: [1, 1, 1]))
        let low = try clip(x, min: b, max: nil), high = try clamp(x, min: nil, max: b)
        #expect(low.data.scalars == [1, 1, 2] && high.data.scalars == [0, 1, 1])
        let gl = try gradients(of: sum(low), withRespectTo: [x, b])
        #expect(gl[0].data.scalars == [0, 0.5, 1] && gl[1].data.scalars == [1, 0.5, 0])
        let gh = try gradients(of: sum(high), withRespectTo: [x, b])
        #expect(gh[0].data.scalars == [1, 0.5, 0] && gh[1].data.scalars == [0, 0.5, 1])
        #expect(throws: AutogradError.invalidArgument(op: "clip", reason: "at least one of min and max must be given")) {
            try clip(x, min: nil as Variable?, max: nil as Variable?)
        }
        #expect(throws: AutogradError.shapesDoNotBroadcast([3], [2], op: "clamp")) {
            try clip(x, min: Variable(try Tensor(shape: [2], scalars: [0, 0])), max: b)
        }
    }

    /// Away from ties, numerically: all three operands, broadcasting; the gradient of the
    /// gradient is 0 (piecewise linear).
    @Test func clipByTensorsNumericalGradient() throws {
        var rng = SplitMix64(seed: 36)
        let x = rng.tensor([2, 3], in: -2...2)
        let lower = try Tensor(shape: [3], scalars: [-1.05, 0.3, -0.55])
        let upper = try Tensor(shape: [2, 1], scalars: [0.45, 1.15])
        try checkGradients("clamp", [x, lower, upper]) { xs in try clip(xs[0], min: xs[1], max: xs[2]) }
        let v = [Variable(x), Variable(lower), Variable(upper)]
        let g = try gradients(of: sum(try clip(v[0], min: v[1], max: v[2]) * 3), withRespectTo: v, createGraph: true)
        let h = try gradients(of: sum(g[0]) + sum(g[1]) + sum(g[2]), withRespectTo: v)
        #expect(h.allSatisfy { $0.data.scalars.allSatisfy { $0 == 0 } })
    }
}
