import Testing
import RealModule
@testable import Autograd

/// Large tensors are split over the cores; every element must still be the one a plain
/// loop computes, at chunk boundaries too.
@Suite("Kernels on large tensors")
struct ParallelTests {
    @Test(arguments: [parallelThreshold - 1, parallelThreshold, 3 * parallelThreshold + 7])
    func splitKernelsMatchAPlainLoop(count: Int) throws {
        let values = (0..<count).map { Double.sin(Double($0) * 0.001) * 3 }
        let x = Variable(try Tensor(shape: [count], scalars: values))
        let y = sigmoid(tanh(x))
        #expect(y.data.scalars == values.map { VectorMath.sigmoid(VectorMath.tanh($0)) })
        sum(y).backward()
        let expected = values.map { t -> Double in
            let u = VectorMath.tanh(t), s = VectorMath.sigmoid(u)
            return 1 * (1 - s) * s * (1 - u * u)  // sigmoid's rule, then tanh's, in the engine's order
        }
        #expect(x.grad?.data.scalars == expected)
    }
}
