import Foundation
import Testing
import Autograd

// Backward passes on several threads through shared variables: the contract in the
// ThreadSafety article. Every gradient is checked against its hand derivation, and the
// accumulated ones against the sum of all passes' contributions. Meant to be run under
// ThreadSanitizer too (`swift test --sanitize=thread`), which then also checks that no
// two passes touch the same memory unsynchronised.

/// Runs `body(thread)` on `threads` threads at once and waits for all of them.
private func onThreads(_ threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for t in 0..<threads {
        group.enter()
        Thread.detachNewThread {
            body(t)
            group.leave()
        }
    }
    group.wait()
}

/// A value the threads of a test add to under a lock: the failures seen (a `#expect`
/// per iteration would flood the log), the sums of the expected contributions.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }

    var current: Value { lock.withLock { value } }
}

/// The input of iteration `i` on thread `t`: distinct, in (-1, 1).
private func input(_ t: Int, _ i: Int, _ k: Int) -> Double {
    sin(Double(1 + t * 7919 + i * 104_729 + k * 13))
}

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

@Suite("Concurrent backward passes through shared variables")
struct ConcurrentBackwardTests {
    static let threads = 4
    static let iterations = 1_000

    /// Each thread builds its own graph y = Σₖ tanh(wₖ xₖ + b) over shared leaves w and b,
    /// asks `gradients(of:)` for dy/dw = (1 − tanh²(wₖxₖ + b)) xₖ and
    /// dy/db = Σₖ (1 − tanh²(wₖxₖ + b)), then calls `backward()`, which adds the same
    /// gradients into w.grad and b.grad. At the end those hold the sum over all passes.
    @Test func sharedLeavesAccumulateEveryPass() throws {
        let wValues = [0.5, -1.25, 2.0]
        let w = Variable(Tensor(wValues)), b = Variable(0.125)
        let failures = Locked<[String]>([])
        // Each thread's own sums of its expected contributions, added up after the join.
        let sums = Locked<(w: [[Double]], b: [Double])>(([], []))

        onThreads(Self.threads) { t in
            var sumW = [0.0, 0.0, 0.0], sumB = 0.0
            for i in 0..<Self.iterations {
                let xs = (0..<3).map { input(t, i, $0) }
                let y = sum(tanh(w * Variable.constant(Tensor(xs)) + b))
                let d = (0..<3).map { k in 1 - Foundation.pow(Foundation.tanh(wValues[k] * xs[k] + 0.125), 2) }
                let expectedW = (0..<3).map { d[$0] * xs[$0] }, expectedB = d.reduce(0, +)
                do {
                    let g = try gradients(of: y, withRespectTo: [w, b])
                    let gw = g[0].data.scalars, gb = g[1].data.scalars[0]
                    if !zip(gw, expectedW).allSatisfy({ close($0, $1) }) || !close(gb, expectedB) {
                        failures.update { $0.append("thread \(t) iteration \(i): gradients(of:) gave \(gw), \(gb); expected \(expectedW), \(expectedB)") }
                    }
                } catch {
                    failures.update { $0.append("thread \(t) iteration \(i): \(error)") }
                }
                y.backward()
                for k in 0..<3 { sumW[k] += expectedW[k] }
                sumB += expectedB
            }
            sums.update { $0.w.append(sumW); $0.b.append(sumB) }
        }

        #expect(failures.current.isEmpty, "\(failures.current.count) wrong: \(failures.current.prefix(3))")
        let totalW = (0..<3).map { k in sums.current.w.reduce(0) { $0 + $1[k] } }
        let totalB = sums.current.b.reduce(0, +)
        let gw = try #require(w.grad).data.scalars, gb = try #require(b.grad).data.scalars[0]
        // The passes add in a different order than the sums above: a few ulps per addition.
        for k in 0..<3 {
            #expect(close(gw[k], totalW[k], 1e-10), "w.grad[\(k)] = \(gw[k]), expected \(totalW[k])")
        }
        #expect(close(gb, totalB, 1e-10), "b.grad = \(gb), expected \(totalB)")
    }

    /// A whole subgraph shared: h = sin(w)·w is built once; every thread differentiates
    /// y = Σ h·xₜ through it, concurrently, to first order (dy/dw = (cos w · w + sin w) x)
    /// and to second order (d/dw Σ dy/dw = (2 cos w − w sin w) x), and calls `backward()`.
    @Test func sharedIntermediateGraph() throws {
        let wValues = [0.3, -0.7]
        let w = Variable(Tensor(wValues))
        let h = sin(w) * w
        let failures = Locked<[String]>([])
        let xSums = Locked<[Double]>([])

        onThreads(Self.threads) { t in
            var xSum = 0.0
            for i in 0..<Self.iterations / 4 {
                let x = input(t, i, 0)
                let y = sum(h * x)
                do {
                    let g = try gradients(of: y, withRespectTo: [w], createGraph: true)[0]
                    let g2 = try gradients(of: sum(g), withRespectTo: [w])[0]
                    for k in 0..<2 {
                        let v = wValues[k]
                        let first = (Foundation.cos(v) * v + Foundation.sin(v)) * x
                        let second = (2 * Foundation.cos(v) - v * Foundation.sin(v)) * x
                        if !close(g.data.scalars[k], first) || !close(g2.data.scalars[k], second) {
                            failures.update { $0.append("thread \(t) iteration \(i) element \(k): \(g.data.scalars[k]), \(g2.data.scalars[k]); expected \(first), \(second)") }
                        }
                    }
                } catch {
                    failures.update { $0.append("thread \(t) iteration \(i): \(error)") }
                }
                y.backward()
                xSum += x
            }
            xSums.update { $0.append(xSum) }
        }

        #expect(failures.current.isEmpty, "\(failures.current.count) wrong: \(failures.current.prefix(3))")
        let totalX = xSums.current.reduce(0, +)
        let gw = try #require(w.grad).data.scalars
        for k in 0..<2 {
            let expected = (Foundation.cos(wValues[k]) * wValues[k] + Foundation.sin(wValues[k])) * totalX
            #expect(close(gw[k], expected, 1e-10), "w.grad[\(k)] = \(gw[k]), expected \(expected)")
        }
        #expect(h.grad == nil, "an intermediate keeps no gradient")
    }

    /// `gradients(of:)` leaves the graph as it found it: no variable's `grad` is set,
    /// and a later `backward()` gives exactly what it gives on an untouched graph.
    @Test func gradientsOfMutatesNothing() throws {
        let x = Variable(0.5)
        let a = exp(x)
        let y = a * a
        _ = try gradients(of: y, withRespectTo: [x, a])
        #expect(x.grad == nil && a.grad == nil && y.grad == nil)
        y.backward()
        // d(e^{2x})/dx = 2e^{2x} at 0.5: 2e (Python: 2 * math.e).
        #expect(close(try #require(x.grad).data.scalars[0], 5.43656365691809, 1e-15))
        #expect(a.grad == nil)
    }
}
