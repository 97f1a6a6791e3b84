import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("abs: values and gradients")
struct SignAndMagnitudeTests {
    // MARK: abs

    /// |x|, and gradient sign(x): 0 at ±0 and at NaN (torch's sgn), -1 and 1 elsewhere;
    /// the second derivative is 0.
    @Test func absValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [6], scalars: [-2, -0.0, 0, 3, .nan, -.infinity]))
        let y = abs(x)
        let values = y.data.scalars
        #expect(Array(values[0..<4]) == [2, 0, 0, 3])
        #expect(values[4].isNaN)
        #expect(values[5] == .infinity)
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [-1, 0, 0, 1, 0, -1])
        #expect(try gradients(of: sum(g), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0, 0, 0])
    }

    @Test(arguments: [[], [5], [2, 3]] as [[Int]])
    func absNumericalGradient(shape: [Int]) throws {
        var rng = SplitMix64(seed: 31)
        try checkGradients("abs", [rng.tensor(shape, magnitude: 0.1...2)]) { xs in abs(xs[0]) }
    }
}
