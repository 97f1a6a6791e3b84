import Testing
@testable import Autograd

/// `x³`, written as a user would: the example in `UnaryFunction`'s documentation.
private final class Cube: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        try x.zip(x, .multiply).zip(x, .multiply)
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * 3 * input(0) * input(0)]
    }
}

@Suite("UnaryFunction: one-input ops without arrays")
struct UnaryFunctionTests {
    @Test func aUserSubclassDifferentiatesToAllOrders() throws {
        // d(x³)/dx = 3x² = 6.75 and d²(x³)/dx² = 6x = 9 at x = 1.5 (by hand).
        let x = Variable(1.5)
        let y = try Cube().apply(x)
        #expect(y.data.scalar == 3.375)
        #expect(y.creator is Cube && y.creator?.inputCount == 1 && y.creator?.input(0) === x)
        let g = try gradients(of: y, withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalar == 6.75)
        #expect(try gradients(of: g, withRespectTo: [x])[0].data.scalar == 9)
        // Without a tensor-level rule, a first-order pass falls back on `backward(_:)`.
        y.backward()
        #expect(x.grad?.data.scalar == 6.75)
    }

    @Test func theArrayFormChecksTheInputCount() {
        let x = Variable(0.5), y = Variable(0.25)
        #expect(throws: AutogradError.wrongInputCount(op: "Tanh", expected: 1, got: 2)) { try Tanh().apply([x, y]) }
        // The array form of a one-input call still works and records the same graph.
        let z = Tanh()(x)
        #expect(z.creator?.inputs.map(ObjectIdentifier.init) == [ObjectIdentifier(x)])
        #expect(z.creator?.outputs.first??.data == tanh(x).data)
    }

    @Test func anInstanceIsAppliedOnce() throws {
        let f = Sigmoid(), x = Variable(0.5)
        _ = try f.apply(x)
        #expect(throws: AutogradError.functionReused("Sigmoid")) { try f.apply(x) }
    }

    @Test func nothingIsRecordedWithoutGradients() {
        let x = Variable(0.5)
        let y = withNoGrad { tanh(x) }
        #expect(y.creator == nil && !y.requiresGrad)
        let c = tanh(Variable.constant(Tensor(0.5)))
        #expect(c.creator == nil && !c.requiresGrad)
        #expect(y.data == c.data)
    }
}
