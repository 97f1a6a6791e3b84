import _Differentiation
import Foundation
import Testing
import Autograd
import Parity
import ParityAutograd
@testable import ParityDifferentiation

/// The interpreter, the tape and the backend on their own, without fixtures.
@Suite("Scalar backend from _Differentiation")
struct ScalarBackendTests {
    /// Runs `expr` on the scalar backend and returns the output and the gradients of each order.
    func run(_ expr: String, _ inputs: [(String, Double)], dtype: ScalarType = .float64, order: Int = 1) throws -> CaseOutcome {
        try CaseRunner.run(ScalarDifferentiationBackend(), expr: expr,
                           inputs: inputs.map { ($0.0, HostTensor(scalar: $0.1)) }, dtype: dtype, order: order) { _ in
            HostTensor(scalar: 1)
        }
    }

    /// The seed's number, straight from the compiler's derivative of the interpreter.
    @Test func interpreterGradientIsTheSeedsNumber() {
        let code: [ScalarInstruction] = [.input(0), .tanh(0), .sigmoid(1)]
        let (value, gradient) = valueWithGradient(at: [1.0]) { ScalarProgram.run($0, code, through: 2) }
        #expect(gradient.base == [0.09112821805819912])
        #expect(abs(value - 0.6816997421945262) < 1e-15)
    }

    @Test func floatRunsInFloat() throws {
        let outcome = try run("sigmoid(tanh(x))", [("x", 1)], dtype: .float32)
        let x: Float = 1
        let t = tanh(x)
        #expect(outcome.output.data[0] == Double(1 / (1 + exp(-t))))
        #expect(abs(outcome.grads[0][0].data[0] - 0.09112821805819912) < 1e-7)
    }

    /// Gradients of gradients, by recording the compiler's pullback (``TracedScalar``):
    /// x⁴ − 2x² at 2 has derivatives 24, 44 and 48.
    @Test func higherOrders() throws {
        let outcome = try run("x ** 4 - 2 * x ** 2", [("x", 2)], order: 3)
        #expect(outcome.grads.map { $0[0].data[0] } == [24, 44, 48])
    }

    @Test func mixedSecondOrder() throws {
        // g1 = (y, x), Σ g1 = x + y, g2 = (1, 1).
        let outcome = try run("x * y", [("x", 3), ("y", 5)], order: 2)
        #expect(outcome.grads[0].map { $0.data[0] } == [5, 3])
        #expect(outcome.grads[1].map { $0.data[0] } == [1, 1])
    }

    @Test func unusedInputsGetZero() throws {
        let outcome = try run("sin(x)", [("x", 0.3), ("y", 7)], order: 2)
        #expect(outcome.grads[0][1].data == [0])
        #expect(outcome.grads[1][1].data == [0])
        #expect(outcome.grads[1][0].data == [-sin(0.3)])
    }

    /// `a = square(x); square(a) + square(a)` is recorded with one `square(a)`.
    @Test func sharedSubexpressionsShareRegisters() throws {
        let backend = ScalarDifferentiationBackend()
        let outcome = try CaseRunner.run(backend, expr: "a = square(x); square(a) + square(a)",
                                         inputs: [("x", HostTensor(scalar: 2))], dtype: .float64, order: 1) { _ in
            HostTensor(scalar: 1)
        }
        #expect(outcome.output.data == [32])
        #expect(outcome.grads[0][0].data == [64])
        #expect(backend.instructions.prefix(4) == [.input(0), .square(0), .square(1), .add(2, 2)])
    }

    /// The branches follow torch: relu'(0) = 0, sigmoid(±1000) is exactly 1 or 0 with gradient 0.
    @Test func edges() throws {
        #expect(try run("relu(x)", [("x", 0)]).grads[0][0].data == [0])
        #expect(try run("relu(x)", [("x", 2)]).grads[0][0].data == [1])
        let high = try run("sigmoid(x)", [("x", 1000)]), low = try run("sigmoid(x)", [("x", -1000)])
        #expect(high.output.data == [1] && high.grads[0][0].data == [0])
        #expect(low.output.data == [0] && low.grads[0][0].data == [0])
        #expect(try run("sum(mean(x, axis=[], keepdims=true)) * 3", [("x", 2)]).grads[0][0].data == [3])
    }

    /// Where the standard library's derivative rule differs from torch's: d(x⁰)/dx at 0 is
    /// `0 · 0⁻¹ = NaN` from `_Differentiation`'s `pow`, 0 in torch and in Autograd.
    @Test func powRuleOfTheStandardLibrary() throws {
        #expect(try run("x ** 0", [("x", 0)]).grads[0][0].data[0].isNaN)
        #expect(try run("x ** 2", [("x", -2)]).grads[0][0].data == [-4])
    }

    @Test func whatQualifies() throws {
        func reason(_ expr: String, _ inputs: [(String, HostTensor)] = [("x", HostTensor(scalar: 1))]) -> String? {
            let empty = HostTensor(scalar: 0)
            return ScalarDifferentiationBackend.unsupportedReason(FixtureCase(
                name: "c", expr: expr, dtype: .float64, order: 1, tolerance: nil, inputs: inputs,
                upstream: empty, output: empty, grads: [[empty]]))
        }
        #expect(reason("a = exp(x); -a ** 2 / 3 - relu(x) + sum(x, keepdims=false)") == nil)
        #expect(reason("x", [("x", HostTensor(shape: [2], data: [1, 2]))]) != nil)
        #expect(reason("x[0]") != nil)
        #expect(reason("x @ x") != nil)
        #expect(reason("sum(x, axis=1)") != nil)
        #expect(reason("max(x, axis=-1, keepdims=true) + logsumexp(x, axis=0) + var(x, correction=0)") == nil)
        #expect(reason("logsumexp(x)") != nil)
        #expect(reason("transpose(x, axes=[1, 0])") != nil)
        #expect(reason("reshape(x, shape=[1])") != nil)
        #expect(reason("x * [1, 2]") != nil)
        #expect(reason("softmax(x)") != nil)
    }

    /// Tensors are refused with an error, not a trap.
    @Test func refusesTensors() {
        #expect(throws: ParityError.self) {
            try CaseRunner.run(ScalarDifferentiationBackend(), expr: "x", inputs: [("x", HostTensor(shape: [2], data: [1, 2]))],
                               dtype: .float64, order: 1) { _ in HostTensor(shape: [2], data: [1, 1]) }
        }
        #expect(throws: ParityError.self) { try run("x * [1, 2]", [("x", 1)]) }
    }

    @Test func agreementSummary() throws {
        let empty = HostTensor(scalar: 0)
        let fixture = FixtureCase(name: "c", expr: "x * x", dtype: .float64, order: 1, tolerance: nil,
                                  inputs: [("x", HostTensor(scalar: 3))], upstream: HostTensor(scalar: 1),
                                  output: HostTensor(scalar: 9), grads: [[HostTensor(scalar: 6)]])
        let agreement = try #require(ReferenceAgreement.check(fixture, against: CompilerDerivedReference(), backend: AutogradBackend()))
        #expect(agreement.summary == "= torch = Swift")
        var wrong = fixture
        wrong.grads = [[HostTensor(scalar: 7)]]
        #expect(ReferenceAgreement.check(wrong, against: CompilerDerivedReference(), backend: AutogradBackend())?.summary == "≠ torch, = Swift")
        var tensor = fixture
        tensor.inputs = [("x", HostTensor(shape: [1], data: [3]))]
        #expect(ReferenceAgreement.check(tensor, against: CompilerDerivedReference(), backend: AutogradBackend()) == nil)
        _ = empty
    }
}
