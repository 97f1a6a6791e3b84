import Testing
@testable import Autograd

/// The seed text's own checks (DeZero step 7, "automating backpropagation"), in Swift.
@Suite("Seed: step 7 of DeZero")
struct SeedTests {
    /// `y = C(B(A(x)))` with A = Square, B = Exp, C = Square: the creator chain links back to x.
    @Test func creatorChainLinksFunctionsAndVariables() throws {
        let x = Variable(0.5)
        let A = Square(), B = Exp(), C = Square()
        let a = A(x)
        let b = B(a)
        let y = C(b)

        #expect(y.creator === C)
        #expect(y.creator?.inputs[0] === b)
        #expect(y.creator?.inputs[0].creator === B)
        #expect(y.creator?.inputs[0].creator?.inputs[0] === a)
        #expect(y.creator?.inputs[0].creator?.inputs[0].creator === A)
        #expect(y.creator?.inputs[0].creator?.inputs[0].creator?.inputs[0] === x)
        #expect(x.creator == nil)
    }

    /// Walking the chain by hand (take the creator, take its input, call its backward)
    /// gives what `backward()` gives: 3.297442541400256.
    ///
    /// Derivation: y = (e^(x²))² = e^(2x²), dy/dx = 4x·e^(2x²); at x = 0.5 that is
    /// 2·e^0.5 = 3.2974425414002564 (the seed prints 3.297442541400256).
    @Test func manualBackpropEqualsBackward() throws {
        let x = Variable(0.5)
        let A = Square(), B = Exp(), C = Square()
        let a = A(x), b = B(a), y = C(b)

        y.grad = Variable(1.0)
        let fC = try #require(y.creator)
        let bIn = fC.inputs[0]
        bIn.grad = fC.backward(try #require(y.grad))
        let fB = try #require(bIn.creator)
        let aIn = fB.inputs[0]
        aIn.grad = fB.backward(try #require(bIn.grad))
        let fA = try #require(aIn.creator)
        let xIn = fA.inputs[0]
        xIn.grad = fA.backward(try #require(aIn.grad))
        let manual = try #require(x.grad?.data.scalar)

        x.cleargrad()
        y.grad = nil
        y.backward()
        let automatic = try #require(x.grad?.data.scalar)
        // The manual walk recorded nothing: the gradients are plain values.
        #expect(bIn.grad?.creator == nil && aIn.grad?.creator == nil)

        #expect(manual == automatic)
        #expect(abs(automatic - 3.297442541400256) <= 1e-15)
        #expect(abs(automatic - 2 * 1.6487212707001282) <= 1e-15)  // 2·e^0.5, e^0.5 from Python's math.exp(0.5)
    }

    /// d/dx sigmoid(tanh(x)) at x = 1 is 0.0911 (PyTorch prints tensor([0.0911]);
    /// DeZero prints 0.09112821805819912).
    ///
    /// Derivation: t = tanh 1 = 0.7615941559557649, s = σ(t) = 0.6816997..., and
    /// ds/dx = s(1 − s)(1 − t²) = 0.2169812... · 0.4199743416140261 = 0.0911282180581991.
    @Test func tanhThenSigmoidMatchesPyTorch() throws {
        let x = Variable(1.0)
        let A = Tanh(), B = Sigmoid()
        let a = A(x)
        let b = B(a)
        b.grad = Variable(1.0)
        b.backward()
        let g = try #require(x.grad?.data.scalar)
        #expect(abs(g - 0.09112821805819912) <= 1e-15)
        #expect((g * 10_000).rounded() / 10_000 == 0.0911)

        // The derivation above, recomputed independently with the C library.
        let t = 0.7615941559557649, s = 1 / (1 + 1 / 2.14168768474935)  // t = tanh 1, e^t = 2.14168768474935
        #expect(abs(g - s * (1 - s) * (1 - t * t)) <= 1e-15)
    }

    /// The same chain written idiomatically.
    @Test func idiomaticFormsReadNaturally() throws {
        let x = Variable(1.0)
        let y = sigmoid(tanh(x))
        y.backward()
        #expect(abs(try #require(x.grad?.data.scalar) - 0.09112821805819912) <= 1e-15)

        let u = Variable(3.0), v = Variable(2.0)
        let w = u * v + 2        // 8
        let z = 2 * u - v / 4    // 5.5
        let p = -u ** 2          // Swift binds prefix minus first: (-3)² = 9
        let q = -(u ** 2)        // -9, Python's reading of -u ** 2
        #expect(w.data.scalar == 8)
        #expect(z.data.scalar == 5.5)
        #expect(p.data.scalar == 9)
        #expect(q.data.scalar == -9)
    }
}
