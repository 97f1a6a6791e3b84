import Testing
import Autograd

// The examples of the doc comments of `UnaryFunction` and `Function`, copied exactly,
// compiled from outside the module, and differentiated twice. Expected values are
// hand-derived: (x³)' = 3x², (x³)'' = 6x; for y = a·sin(b), ∂y/∂b = a·cos(b),
// ∂²y/∂b² = -a·sin(b), ∂²y/∂a∂b = cos(b).

final class Cube: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x * x * x
    }
    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * 3 * input(0) ** 2]
    }
}

final class SinProduct: Function {
    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [xs[0] * xs[1].sin()]
    }
    override func backward(_ gys: [Variable]) -> [Variable] {
        let (a, b, gy) = (input(0), input(1), gys[0])
        return [gy * sin(b), gy * a * cos(b)]
    }
}

@Suite("Custom ops from outside the module")
struct CustomOpTests {
    @Test func cubeToSecondOrder() {
        let x = Variable(2.0)
        let y = Cube()(x)
        #expect(y.data.item() == 8)
        y.backward(createGraph: true)
        let gx = x.grad!
        #expect(gx.data.item() == 12)     // 3x²
        x.cleargrad()
        gx.backward()
        #expect(x.grad!.data.item() == 12)   // 6x
    }

    @Test func sinProductToSecondOrder() {
        let a = Variable(2.0), b = Variable(0.5)
        let y = SinProduct()(a, b)
        #expect(abs(y.data.item() - 2 * taylorSin(0.5)) < 1e-15)
        y.backward(createGraph: true)
        let gb = b.grad!
        #expect(abs(gb.data.item() - 2 * taylorCos(0.5)) < 1e-15)
        #expect(abs(a.grad!.data.item() - taylorSin(0.5)) < 1e-15)
        a.cleargrad(); b.cleargrad()
        gb.backward()
        #expect(abs(b.grad!.data.item() - -2 * taylorSin(0.5)) < 1e-15)
        #expect(abs(a.grad!.data.item() - taylorCos(0.5)) < 1e-15)
    }
}

// sin and cos of a Double, by their Taylor series (independent of the library and of
// libm): 0.5 is small enough for 20 terms to reach the last bit.
func taylorSin(_ x: Double) -> Double {
    var term = x, total = x
    for n in 1..<20 { term *= -x * x / Double((2 * n) * (2 * n + 1)); total += term }
    return total
}

func taylorCos(_ x: Double) -> Double {
    var term = 1.0, total = 1.0
    for n in 1..<20 { term *= -x * x / Double((2 * n - 1) * (2 * n)); total += term }
    return total
}
