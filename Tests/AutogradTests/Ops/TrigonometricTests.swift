import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("atan2: values, gradients and edges")
struct TrigonometricTests {
    /// The four quadrants and the axes, against the C library; gradients b/(a² + b²) and
    /// −a/(a² + b²) by calculus.
    @Test func atan2ValuesAndGradients() throws {
        let a = Variable(try Tensor(shape: [6], scalars: [1, 1, -1, -1, 0, 2]))
        let b = Variable(try Tensor(shape: [6], scalars: [1, -1, -1, 1, -3, 0]))
        let y = try atan2(a, b)
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        for i in 0..<6 {
            let (ai, bi) = (a.data.scalars[i], b.data.scalars[i])
            #expect(y.data.scalars[i] == Glibc.atan2(ai, bi))
            expectRelative(g[0].data.scalars[i], bi / (ai * ai + bi * bi) + 0, rtol: 1e-15, "∂a atan2(\(ai), \(bi))")
            expectRelative(g[1].data.scalars[i], -ai / (ai * ai + bi * bi), rtol: 1e-15, "∂b atan2(\(ai), \(bi))")
        }
    }

    /// Edges, torch 2.15's values: at the origin (and where a² + b² underflows to 0) both
    /// gradients are 0, not NaN; a = ∞ gives ∂b = NaN (−∞ · 0), b = ∞ gives ∂a = NaN; NaN propagates.
    @Test func atan2Edges() throws {
        let a = Variable(try Tensor(shape: [6], scalars: [0, 1e-200, .infinity, 1, .nan, 0]))
        let b = Variable(try Tensor(shape: [6], scalars: [0, 1e-200, 1, .infinity, 1, -0.0]))
        let y = try atan2(a, b)
        let values = y.data.scalars
        #expect(values[0] == 0 && values[1] == Double.pi / 4 && values[2] == Double.pi / 2 && values[3] == 0)
        #expect(values[4].isNaN && values[5] == Double.pi)
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        let ga = g[0].data.scalars, gb = g[1].data.scalars
        #expect(ga[0] == 0 && ga[1] == 0 && ga[2] == 0 && ga[3].isNaN && ga[4].isNaN && ga[5] == 0)
        #expect(gb[0] == 0 && gb[1] == 0 && gb[2].isNaN && gb[3] == 0 && gb[4].isNaN && gb[5] == 0)
    }

    @Test(arguments: [([2, 3], [2, 3]), ([3, 1], [1, 4]), ([], [3])] as [([Int], [Int])])
    func atan2NumericalGradients(shapes: ([Int], [Int])) throws {
        var rng = SplitMix64(seed: 81)
        let a = rng.tensor(shapes.0, magnitude: 0.3...2), b = rng.tensor(shapes.1, magnitude: 0.3...2)
        try checkGradients("atan2", [a, b]) { xs in try atan2(xs[0], xs[1]) }
        try checkSecondOrderGradients("atan2", [a, b]) { xs in try atan2(xs[0], xs[1]) }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2], [3], op: "atan2")) {
            try atan2(Variable(try Tensor(shape: [2], scalars: [1, 2])), Variable(try Tensor(shape: [3], scalars: [1, 2, 3])))
        }
    }
}
