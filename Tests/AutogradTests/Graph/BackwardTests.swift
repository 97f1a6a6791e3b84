import Foundation
import Testing
@testable import Autograd

@Suite("Backward over DAGs")
struct BackwardTests {
    /// A variable used twice receives both contributions: d(x + x)/dx = 2.
    @Test func reuseAddsContributions() {
        let x = Variable(3.0)
        let y = x + x
        y.backward()
        #expect(x.grad?.data.scalar == 2)
    }

    /// a = x², y = a² + a² = 2x⁴, dy/dx = 8x³ = 64 at x = 2. Needs generation order:
    /// both uses of `a` must be summed before square(x)'s backward runs.
    @Test func sharedIntermediateIsOrderedByGeneration() {
        let x = Variable(2.0)
        let a = square(x)
        let y = square(a) + square(a)
        y.backward()
        #expect(y.data.scalar == 32)
        #expect(x.grad?.data.scalar == 64)
    }

    /// A diamond of unequal branch lengths: y = exp(x)·sin(exp(x)) with the long branch
    /// through sin. dy/dx = e^x sin(e^x) + e^x cos(e^x) e^x.
    @Test func unevenBranchesMeetCorrectly() throws {
        let xv = 0.3
        let x = Variable(xv)
        let a = exp(x)
        let y = a * sin(a)
        y.backward()
        let e = 1.3498588075760032  // e^0.3 (Python: math.exp(0.3))
        let expected = e * 0.9756924260160704 + e * e * 0.21914444965564364  // sin(e), cos(e) from Python's math
        #expect(abs(try #require(x.grad?.data.scalar) - expected) <= 1e-14)
    }

    /// Gradients accumulate across backward calls until cleared (DeZero, torch).
    @Test func gradientsAccumulateUntilCleared() {
        let x = Variable(3.0)
        let y = x * x  // dy/dx = 6
        y.backward()
        y.backward()
        #expect(x.grad?.data.scalar == 12)
        x.cleargrad()
        y.backward()
        #expect(x.grad?.data.scalar == 6)
    }

    /// Leaves keep their gradient; intermediates only when asked to.
    @Test func intermediatesKeepGradientsOnlyWhenRetained() {
        let x = Variable(2.0)
        let a = square(x)
        let b = exp(a)
        b.retainGrad()
        let y = b * 3
        y.backward()
        #expect(a.grad == nil)
        #expect(y.grad == nil)
        #expect(b.grad?.data.scalar == 3)
        #expect(x.grad != nil)

        let x2 = Variable(2.0)
        let a2 = square(x2)
        let y2 = a2 * 3
        y2.backward(retainGrad: true)
        #expect(a2.grad?.data.scalar == 3)
        #expect(y2.grad?.data.scalar == 1)
    }

    /// A seed set on the output is used, as in the seed text's `y.grad = np.array(1.0)`.
    @Test func explicitSeedScalesGradients() throws {
        let x = Variable(Tensor([1, 2, 3]))
        let y = x * x
        try y.backward(seed: Tensor([1, 10, 100]))
        #expect(x.grad?.data.scalars == [2, 40, 600])
        #expect(throws: AutogradError.seedShapeMismatch(seed: [2], output: [3])) {
            try y.backward(seed: Tensor([1, 2]))
        }
    }

    /// Constants get no gradient, and gradients do not flow into them.
    @Test func constantsDoNotRequireGradients() {
        let x = Variable(2.0)
        let c = Variable.constant(Tensor(5.0))
        let y = x * c
        y.backward()
        #expect(c.grad == nil)
        #expect(x.grad?.data.scalar == 5)
        #expect(!(c * c).requiresGrad)
        #expect((c * c).creator == nil)
    }

    /// Nothing is recorded in no-grad mode.
    @Test func noGradRecordsNothing() {
        let x = Variable(2.0)
        let y = withNoGrad { sigmoid(x * x) }
        #expect(y.creator == nil)
        #expect(!y.requiresGrad)
        #expect(GradMode.isEnabled)
        let z = sigmoid(x)
        #expect(z.creator != nil)
    }

    /// Recording is on in one thread while another has it off, and back on everywhere
    /// once every no-grad scope has ended, also one left by an error.
    @Test func noGradScopesAreCountedAndThreadLocal() {
        struct Stop: Error {}
        #expect(throws: Stop.self) { try withNoGrad { () throws(Stop) in throw Stop() } }
        #expect(GradMode.isEnabled)
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var enabledInside = true
        Thread {
            withNoGrad {
                entered.signal()
                release.wait()
                enabledInside = GradMode.isEnabled
            }
            done.signal()
        }.start()
        entered.wait()
        // The other thread is inside its scope now: here recording stays on.
        #expect(GradMode.isEnabled && sigmoid(Variable(1.0)).creator != nil)
        release.signal()
        done.wait()
        #expect(!enabledInside)
    }

    /// A `Task` created inside a no-grad scope inherits the setting, as it inherits every
    /// task-local value, and keeps it after the scope has returned; a detached task does
    /// not. (It once recorded again as soon as the scope returned: the scope counter that
    /// spares the task-local lookup had gone back to zero.)
    @Test func taskCreatedInsideNoGradKeepsItAfterTheScope() async {
        let scopeEnded = DispatchSemaphore(value: 0)
        let task = withNoGrad {
            Task {
                scopeEnded.wait()
                return (GradMode.isEnabled, sigmoid(Variable(1.0)).creator == nil)
            }
        }
        #expect(GradMode.isEnabled)
        scopeEnded.signal()
        let (enabled, unrecorded) = await task.value
        #expect(!enabled && unrecorded)
        let detached = withNoGrad { Task.detached { GradMode.isEnabled } }
        #expect(await detached.value)
        #expect(GradMode.isEnabled)
    }

    /// `gradients(of:)` leaves every `.grad` alone and gives zeros for unused inputs.
    @Test func gradientsOfDoesNotTouchGrad() throws {
        let x = Variable(2.0), unused = Variable(Tensor([1, 2]))
        let y = x ** 3
        let g = try gradients(of: y, withRespectTo: [x, unused])
        #expect(g[0].data.scalar == 12)
        #expect(g[1].data.scalars == [0, 0])
        #expect(x.grad == nil)
    }

    /// Higher orders: f = x⁴ − 2x² at x = 2: f' = 4x³ − 4x = 24, f'' = 12x² − 4 = 44, f''' = 24x = 48.
    @Test func higherOrderDerivativesThroughCreateGraph() throws {
        let x = Variable(2.0)
        let y = x ** 4 - 2 * x ** 2
        let g1 = try gradients(of: y, withRespectTo: [x], createGraph: true)[0]
        let g2 = try gradients(of: g1, withRespectTo: [x], createGraph: true)[0]
        let g3 = try gradients(of: g2, withRespectTo: [x])[0]
        #expect(g1.data.scalar == 24)
        #expect(g2.data.scalar == 44)
        #expect(g3.data.scalar == 48)
        #expect(g3.creator == nil)  // the last pass did not record
    }

    /// DeZero step 33's pattern: backward with createGraph, then backward of the gradient.
    @Test func newtonStyleSecondDerivativeThroughGrad() throws {
        let x = Variable(2.0)
        let y = x ** 4 - 2 * x ** 2
        y.backward(createGraph: true)
        let gx = try #require(x.grad)
        x.cleargrad()
        gx.backward()
        #expect(gx.data.scalar == 24)
        #expect(x.grad?.data.scalar == 44)
    }

    /// A Function instance is one node: applying it twice is an error, not a silent rewiring.
    @Test func functionInstancesAreSingleUse() throws {
        let f = Square()
        _ = try f.apply([Variable(1.0)])
        #expect(throws: AutogradError.functionReused("Square")) { try f.apply([Variable(2.0)]) }
    }
}
