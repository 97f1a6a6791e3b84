import Dispatch
import Testing
@testable import Autograd

/// Matrix products choose OpenBLAS's thread count by size (`BLAS.singleThreadedBelow`):
/// the results must not depend on that choice, also when several threads multiply at once
/// and so change the process-global count under each other. No timing is asserted.
@Suite("BLAS threads per product")
struct BLASThreadingTests {
    /// `[m, k] · [k, n]` with m·n·k just below and at the threshold, float64 and float32,
    /// against a plain triple loop in `Double`.
    @Test(arguments: [(256, 255, 256), (256, 256, 256)])
    func productsOnEitherSideOfTheThresholdMatchATripleLoop(m: Int, n: Int, k: Int) throws {
        #expect((m * n * k < BLAS.singleThreadedBelow) == (n == 255), "the sizes straddle the threshold")
        var rng = SplitMix64(seed: 91)
        let a = rng.tensor([m, k], in: -1...1), b = rng.tensor([k, n], in: -1...1)
        let (x, y) = (a.scalars, b.scalars)
        var reference = [Double](repeating: 0, count: m * n), scale = reference
        for i in 0..<m {
            for p in 0..<k {
                let xi = x[i * k + p]
                for j in 0..<n {
                    reference[i * n + j] += xi * y[p * n + j]
                    scale[i * n + j] += abs(xi * y[p * n + j])
                }
            }
        }
        let product = try Tensor.matrixProduct(a, b).scalars
        for i in 0..<m * n {
            #expect(abs(product[i] - reference[i]) <= Double(k) * Double.ulpOfOne * scale[i])
        }
        let product32 = try Tensor.matrixProduct(a.converted(to: .float32), b.converted(to: .float32)).scalars
        for i in 0..<m * n {
            #expect(abs(product32[i] - reference[i]) <= Double(k + 1) * Double(Float.ulpOfOne) * scale[i])
        }
    }

    /// Small and large products on several threads at once give the bits they give one
    /// at a time: OpenBLAS's threads split the rows and columns of `C`, never the sum over
    /// `k`, so the thread count another caller set cannot change a result.
    @Test func concurrentProductsOfBothSizesMatchSerialOnes() throws {
        var rng = SplitMix64(seed: 92)
        let small = (rng.tensor([64, 48], in: -1...1), rng.tensor([48, 32], in: -1...1))
        let large = (rng.tensor([300, 256], in: -1...1), rng.tensor([256, 260], in: -1...1))
        #expect(64 * 48 * 32 < BLAS.singleThreadedBelow && 300 * 256 * 260 >= BLAS.singleThreadedBelow)
        let expectedSmall = try Tensor.matrixProduct(small.0, small.1).scalars
        let expectedLarge = try Tensor.matrixProduct(large.0, large.1).scalars
        let calls = 24
        nonisolated(unsafe) var matches = [Bool](repeating: false, count: calls)
        matches.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: calls) { call in
                let (operands, expected) = call % 3 == 0 ? (large, expectedLarge) : (small, expectedSmall)
                output[call] = (try? Tensor.matrixProduct(operands.0, operands.1).scalars) == expected
            }
        }
        #expect(matches.allSatisfy { $0 })
    }
}
