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
}
