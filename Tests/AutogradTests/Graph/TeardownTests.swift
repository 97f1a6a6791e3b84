import Testing
@testable import Autograd

/// Graphs are released completely (no reference cycles) and without recursion.
@Suite("Graph lifetime")
struct TeardownTests {
    /// A chain of 1,000,000 ops builds, backpropagates and is released without
    /// overflowing the stack (Swift's recursive release fails from about 24,000 links).
    /// The gradient of a chain of negations is (−1)^n.
    @Test func millionOpChainBuildsBackpropsAndReleases() throws {
        let n = 1_000_000
        weak var firstFunction: Function?
        weak var lastOutput: Variable?
        let x = Variable(0.5)
        do {
            var y = x
            for i in 0..<n {
                y = neg(y)
                if i == 0 { firstFunction = y.creator }
            }
            lastOutput = y
            #expect(y.creator?.generation == n - 1)
            y.backward()
            #expect(y.data.scalar == 0.5)  // an even number of negations
        }
        #expect(x.grad?.data.scalar == 1)
        #expect(firstFunction == nil)
        #expect(lastOutput == nil)
    }

    /// The same with the gradient graph recorded (createGraph) and kept on the leaf.
    @Test func deepChainWithRecordedGradientReleases() throws {
        weak var output: Variable?
        weak var gradient: Variable?
        do {
            let x = Variable(0.1)
            var y = x
            for _ in 0..<200_000 { y = y * 1.0 }
            y.backward(createGraph: true)
            gradient = x.grad
            output = y
            #expect(x.grad?.data.scalar == 1)
            x.cleargrad()  // the leaf's recorded gradient refers back to the leaf, as in torch
        }
        #expect(output == nil)
        #expect(gradient == nil)
    }

    /// After a graph goes out of scope, every function and variable in it is freed.
    @Test func graphIsFreedWhenOutOfScope() throws {
        weak var x: Variable?
        weak var a: Variable?
        weak var f: Function?
        weak var y: Variable?
        do {
            let xs = Variable(2.0)
            let as_ = square(xs)
            let ys = square(as_) + exp(as_)
            ys.backward()
            (x, a, f, y) = (xs, as_, as_.creator, ys)
            #expect(f != nil)
        }
        #expect(x == nil)
        #expect(a == nil)
        #expect(f == nil)
        #expect(y == nil)
    }

    /// Higher-order gradients (createGraph) leave no cycle behind either.
    @Test func graphWithCreateGraphIsFreed() throws {
        weak var x: Variable?
        weak var g1: Variable?
        weak var g2: Variable?
        weak var f: Function?
        do {
            let xs = Variable(Tensor([0.5, 1.5]))
            let ys = sum(sigmoid(xs) * tanh(xs))
            let first = try gradients(of: ys, withRespectTo: [xs], createGraph: true)[0]
            let second = try gradients(of: sum(first), withRespectTo: [xs], createGraph: true)[0]
            (x, g1, g2, f) = (xs, first, second, second.creator)
            #expect(f != nil)
        }
        #expect(x == nil)
        #expect(g1 == nil)
        #expect(g2 == nil)
        #expect(f == nil)
    }

    /// Outputs are held weakly by their creator: dropping them does not leak the function.
    @Test func unusedOutputsAreNotKeptAlive() {
        weak var output: Variable?
        let x = Variable(1.0)
        do {
            let y = exp(x)
            output = y
        }
        #expect(output == nil)
    }
}
