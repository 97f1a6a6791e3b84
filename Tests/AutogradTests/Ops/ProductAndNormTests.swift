import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `actual` and `expected` agree elementwise: both NaN, equal infinities, or within `rtol`.
private func expectValues(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-14, _ what: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        let ok = (a.isNaN && e.isNaN) || a == e || Swift.abs(a - e) <= rtol * Swift.abs(e)
        #expect(ok, "\(what): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }
}

/// First derivatives (`g`, recorded) and the gradient of `sum(g)` (`h`), as torch's
/// `grad(y.sum(), x, create_graph=True)` then `grad(g.sum(), x)`.
private func derivatives(_ x: Tensor, _ f: (Variable) throws -> Variable) throws -> (y: [Double], g: [Double], h: [Double]) {
    let v = Variable(x)
    let y = try f(v)
    let g = try gradients(of: sum(y), withRespectTo: [v], createGraph: true)[0]
    let h = try gradients(of: sum(g), withRespectTo: [v])[0]
    return (y.data.scalars, g.data.scalars, h.data.scalars)
}

@Suite("prod, cumsum and norm: values, gradients, zeros and ties")
struct ProductAndNormTests {
    // MARK: prod

    /// torch 2.15's values (float64): `y = x.prod()`, `g` with create_graph, `h` the
    /// gradient of `g.sum()`. One zero: its slot gets the others' product; two zeros: first
    /// derivatives 0, second not.
    @Test func prodMatchesTorchWithZeros() throws {
        let cases: [(x: [Double], y: Double, g: [Double], h: [Double])] = [
            ([2, 3, 4], 24, [12, 8, 6], [7, 6, 5]),
            ([2, 0, 4], 0, [0, 8, 0], [4, 6, 2]),
            ([0, 3, 0], 0, [0, 0, 0], [3, 0, 3]),
            // torch's last second derivative here is NaN, from the internals of its
            // cumprod_backward on [1, ∞, 0]; the exclusive products' own derivative
            // (∂(x₀x₁)/∂x₂ + ∂(x₀x₂)/∂x₂ + … = x₁ + x₀ = 0) is kept instead.
            ([0, 0, .infinity], .nan, [.nan, .nan, 0], [.infinity, .infinity, 0]),
        ]
        for c in cases {
            let r = try derivatives(try Tensor(shape: [3], scalars: c.x)) { prod($0) }
            expectValues(r.y, [c.y], "prod(\(c.x))")
            expectValues(r.g, c.g, "prod'(\(c.x))")
            expectValues(r.h, c.h, "prod''(\(c.x))")
        }
        // A pass that records nothing takes torch's shortcut for two or more zeros: zeros,
        // even where the exclusive products would be 0 · ∞ = NaN.
        let x = Variable(try Tensor(shape: [3], scalars: [0, 0, .infinity]))
        #expect(try gradients(of: prod(x), withRespectTo: [x])[0].data.scalars == [0, 0, 0])
    }

    /// Along an axis, torch 2.15's values: `x.prod(1)` of [[1, 0, 3], [0, 0, 2]].
    @Test func prodAlongAnAxisMatchesTorch() throws {
        let r = try derivatives(try Tensor(shape: [2, 3], scalars: [1, 0, 3, 0, 0, 2])) { try prod($0, axis: 1) }
        expectValues(r.y, [0, 0], "prod")
        expectValues(r.g, [0, 3, 0, 0, 0, 0], "prod'")
        expectValues(r.h, [3, 4, 1, 2, 2, 0], "prod''")
        let kept = try prod(Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])), axes: [0], keepdims: true)
        #expect(kept.shape == [1, 3] && kept.data.scalars == [4, 10, 18])
        #expect(prod(Variable(try Tensor.zeros([0]))).data.scalars == [1])
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try prod(Variable(try Tensor.zeros([2, 2])), axis: 2) }
    }

    /// Numerically, first and second order, over all elements, one axis and two axes, with
    /// and without zeros (a zero is a smooth point of a product: the checks apply there too).
    @Test(arguments: [nil, [1], [0, 2]] as [[Int]?], [false, true])
    func prodNumericalGradients(axes: [Int]?, withZeros: Bool) throws {
        var rng = SplitMix64(seed: 91)
        var values = rng.tensor([2, 3, 2], magnitude: 0.5...1.5).scalars
        if withZeros { values[1] = 0; values[4] = 0; values[7] = 0 }
        let x = try Tensor(shape: [2, 3, 2], scalars: values)
        try checkGradients("prod", [x]) { xs in try prod(xs[0], axes: axes) }
        try checkSecondOrderGradients("prod", [x]) { xs in try prod(xs[0], axes: axes, keepdims: true) }
    }

    /// float32 keeps its dtype, 0-d gives the gradient itself.
    @Test func prodFloat32AndScalar() throws {
        let x = Variable(try Tensor(shape: [3], float32Scalars: [2, 0, 4]))
        let g = try gradients(of: prod(x), withRespectTo: [x])[0]
        #expect(g.dtype == .float32 && g.data.scalars == [0, 8, 0])
        let s = Variable(3.0)
        #expect(try gradients(of: prod(s) * 5, withRespectTo: [s])[0].data.scalar == 5)
    }

    // MARK: cumsum

    /// Running sums by hand; the gradient is the running sum from the end of the weights
    /// (torch 2.15 gives [6, 5, 3] for weights [1, 2, 3]).
    @Test func cumsumValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(try cumsum(x, axis: 1).data.scalars == [1, 3, 6, 4, 9, 15])
        #expect(try cumsum(x, axis: -2).data.scalars == [1, 2, 3, 5, 7, 9])
        let v = Variable(try Tensor(shape: [3], scalars: [0, 0, 2]))
        let w = Variable.constant(try Tensor(shape: [3], scalars: [1, 2, 3]))
        #expect(try gradients(of: sum(try cumsum(v, axis: 0) * w), withRespectTo: [v])[0].data.scalars == [6, 5, 3])
        #expect(try cumsum(Variable(2.0), axis: 0).data.scalar == 2)
        #expect(throws: AutogradError.axisOutOfRange(axis: 2, rank: 2)) { try cumsum(x, axis: 2) }
        var rng = SplitMix64(seed: 92)
        try checkGradients("cumsum", [rng.tensor([3, 4], in: -1...1)]) { xs in try cumsum(xs[0], axis: 1) }
        try checkSecondOrderGradients("cumsum", [rng.tensor([3, 4], in: -1...1)]) { xs in
            try cumsum(xs[0] * xs[0], axis: 0)
        }
    }

    // MARK: norm

    /// torch 2.15's `linalg.vector_norm([3, -4, 0], p)` (= `torch.norm`), its gradient and
    /// the gradient of the gradient's sum; at [0, 0] the gradient is 0 for every p, and the
    /// second derivative NaN for p = 2, 0.5 and 1.5 (0 for 3), as torch's.
    @Test func normMatchesTorch() throws {
        let cases: [(p: Double, y: Double, g: [Double], h: [Double], zeroH: [Double])] = [
            (2, 5, [0.6, -0.8, 0], [0.224, 0.168, 0.2], [.nan, .nan]),
            (1, 7, [1, -1, 0], [0, 0, 0], [0, 0]),
            (.infinity, 4, [0, -1, 0], [0, 0, 0], [0, 0]),
            (-.infinity, 0, [0, 0, 0], [0, 0, 0], [0, 0]),
            (0, 2, [0, 0, 0], [0, 0, 0], [0, 0]),
            (3, 4.497941445275415, [0.4448513517305356, -0.7908468475209521, 0], [0.3650062373173625, 0.2737546779880219, 0], [0, 0]),
            (0.5, 13.928203230275509, [2.154700538379252, -1.8660254037844386, 0], [-0.3367876570272817, -0.2525907427704613, .nan], [.nan, .nan]),
            (1.5, 5.584250376480029, [0.7329564758289748, -0.8463452372482761, 0], [0.12960078984776482, 0.09720059238582361, .nan], [.nan, .nan]),
        ]
        for c in cases {
            let r = try derivatives(try Tensor(shape: [3], scalars: [3, -4, 0])) { try norm($0, p: c.p) }
            expectValues(r.y, [c.y], rtol: 1e-15, "norm p=\(c.p)")
            expectValues(r.g, c.g, "norm' p=\(c.p)")
            expectValues(r.h, c.h, rtol: 1e-13, "norm'' p=\(c.p)")
            let z = try derivatives(try Tensor.zeros([2])) { try norm($0, p: c.p) }
            expectValues(z.y, [0], "norm p=\(c.p) at 0")
            expectValues(z.g, [0, 0], "norm' p=\(c.p) at 0")
            expectValues(z.h, c.zeroH, "norm'' p=\(c.p) at 0")
        }
    }

    /// ∞-norm ties share the gradient, NaN wins and takes none (sgn(NaN) = 0); the 2-norm
    /// of a NaN is NaN everywhere and of an ∞ is ∞ with gradient NaN there. torch 2.15's values.
    @Test func normTiesAndNonFinite() throws {
        func grad(_ values: [Double], _ p: Double) throws -> (Double, [Double]) {
            let x = Variable(try Tensor(shape: [values.count], scalars: values))
            let y = try norm(x, p: p)
            return (y.data.scalar!, try gradients(of: y, withRespectTo: [x])[0].data.scalars)
        }
        let (tie, tieGrad) = try grad([1, 5, -5], .infinity)
        #expect(tie == 5 && tieGrad == [0, 0.5, -0.5])
        let (low, lowGrad) = try grad([1, -1, -5], -.infinity)
        #expect(low == 1 && lowGrad == [0.5, -0.5, 0])
        let (withNaN, nanGrad) = try grad([1, .nan, -5], .infinity)
        #expect(withNaN.isNaN && nanGrad == [0, 0, 0])
        let (two, twoGrad) = try grad([1, .nan, -5], 2)
        #expect(two.isNaN && twoGrad.allSatisfy(\.isNaN))
        let (big, bigGrad) = try grad([1, .infinity, -5], 2)
        #expect(big == .infinity && bigGrad[0] == 0 && bigGrad[1].isNaN && bigGrad[2] == 0)
        #expect(try norm(Variable(try Tensor(shape: [3], scalars: [1, .nan, 0])), p: 0).data.scalar == 2)
        #expect(try norm(Variable(try Tensor(shape: [2], scalars: [1e200, 1e200]))).data.scalar == .infinity)
    }

    /// Over an axis, with keepdims; an all-zero row has gradient 0.
    @Test func normAlongAxes() throws {
        let x = Variable(try Tensor(shape: [2, 2], scalars: [3, 4, 0, 0]))
        let y = try norm(x, axes: [1])
        #expect(y.data.scalars == [5, 0])
        #expect(try gradients(of: sum(y), withRespectTo: [x])[0].data.scalars == [0.6, 0.8, 0, 0])
        #expect(try norm(x, p: 1, axes: [0], keepdims: true).shape == [1, 2])
        // A negative order is torch's too: (Σ |x|^p)^(1/p), 0 where a slice has a zero.
        let harmonic = try norm(x, p: -1, axes: [1]).data.scalars
        #expect(abs(harmonic[0] - 12.0 / 7) < 1e-12 && harmonic[1] == 0)
        #expect(throws: AutogradError.emptyReduction(op: "max", axis: nil)) { try norm(Variable(try Tensor.zeros([0])), p: .infinity) }
    }

    @Test(arguments: [2, 1, 3, 0.7, 1.5, Double.infinity, -Double.infinity], [nil, [1]] as [[Int]?])
    func normNumericalGradients(p: Double, axes: [Int]?) throws {
        var rng = SplitMix64(seed: 93)
        // Distinct magnitudes away from 0, so every order is differentiable there.
        let x = try Tensor(shape: [2, 3], scalars: [0.4, -1.3, 0.9, 1.7, -0.6, 1.1])
        try checkGradients("norm", [x]) { xs in try norm(xs[0], p: p, axes: axes) }
        if p.isFinite { try checkSecondOrderGradients("norm", [x]) { xs in try norm(xs[0], p: p, axes: axes) } }
        _ = rng.next()
    }

    /// float32 in, float32 values and gradients out, close to the float64 ones; int64 refused.
    @Test func float32AndInt64() throws {
        let values: [Double] = [0.5, -1.25, 2, 0.75, -0.5, 1.5]
        let ops: [(String, (Variable) throws -> Variable)] = [
            ("prod", { try prod($0, axis: 1) }), ("cumsum", { try cumsum($0, axis: 0) }),
            ("norm", { try norm($0, p: 3, axes: [1]) }), ("norm2", { try norm($0) }),
            ("normInf", { try norm($0, p: .infinity) }),
        ]
        for (name, f) in ops {
            let v32 = Variable(try Tensor(shape: [2, 3], scalars: values, dtype: .float32))
            let v64 = Variable(try Tensor(shape: [2, 3], scalars: values))
            let y32 = try f(v32), y64 = try f(v64)
            #expect(y32.dtype == .float32, "\(name)")
            let g32 = try gradients(of: sum(y32), withRespectTo: [v32])[0], g64 = try gradients(of: sum(y64), withRespectTo: [v64])[0]
            #expect(g32.dtype == .float32, "\(name)")
            for (a, b) in zip(y32.data.scalars + g32.data.scalars, y64.data.scalars + g64.data.scalars) {
                #expect(Swift.abs(a - b) <= 1e-6 * Swift.abs(b) + 1e-7, "float32 \(name): \(a) vs \(b)")
            }
            #expect(throws: AutogradError.self) { try f(Variable(Tensor(int64: [1, 2]))) }
        }
    }
}
