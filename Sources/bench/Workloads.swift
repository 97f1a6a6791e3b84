import Autograd

/// The Swift side of each workload; each mirrors a function in torch_workloads.py.
enum SwiftWorkloads {
    /// `steps` × (tanh → sigmoid) on a 0-d float64, forward and backward.
    static func scalarChain(steps: Int) {
        let x = Variable(0.5)
        var y = x
        for _ in 0..<steps { y = sigmoid(tanh(y)) }
        y.backward()
    }

    /// A chain of `ops` sin ops on a 0-d float64: forward, backward, release.
    static func deepChain(ops: Int) {
        let x = Variable(0.5)
        var y = x
        for _ in 0..<ops { y = sin(y) }
        y.backward()
    }

    /// Bytes per node of an `ops`-long chain while it is alive: the growth of resident
    /// memory while it is built. Meaningful in a fresh process only (freed memory that the
    /// allocator keeps would be reused), so `bench` measures it in a child process.
    static func deepChainBytesPerNode(ops: Int) -> Double {
        let before = residentBytes()
        let x = Variable(0.5)
        var y = x
        for _ in 0..<ops { y = sin(y) }
        let after = residentBytes()
        withExtendedLifetime(y) {}
        return Double(after - before) / Double(ops)
    }

    /// sum(sigmoid(tanh(x))) on `x`, forward and backward.
    static func elementwise(_ x: Variable) {
        x.cleargrad()
        sum(sigmoid(tanh(x))).backward()
    }
}
