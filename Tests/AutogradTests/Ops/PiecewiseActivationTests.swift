import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Piecewise activations")
struct PiecewiseActivationTests {
    // MARK: leaky_relu

    /// x for x > 0, slope·x otherwise; gradient 1 or slope (slope at 0 and for NaN).
    @Test func leakyReLUValuesAndGradient() throws {
        let x = Variable(try Tensor(shape: [4], scalars: [-2, 0, 3, .nan]))
        let y = leakyReLU(x, slope: 0.25)
        #expect(Array(y.data.scalars[0..<3]) == [-0.5, 0, 3])
        let g = try gradients(of: sum(y), withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == [0.25, 0.25, 1, 0.25])
        #expect(try gradients(of: sum(g), withRespectTo: [x])[0].data.scalars == [0, 0, 0, 0])
        var rng = SplitMix64(seed: 35)
        try checkGradients("leaky_relu", [rng.tensor([2, 3], magnitude: 0.05...2)]) { xs in leakyReLU(xs[0]) }
    }
}
