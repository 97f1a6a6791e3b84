import Testing
@testable import Parity
import ParityAutograd
import Autograd

@Suite("Expression evaluation")
struct EvaluatorTests {
    func run(_ expr: String, _ inputs: [(name: String, value: HostTensor)], order: Int = 1) throws(ParityError) -> CaseOutcome {
        try CaseRunner.run(AutogradBackend(), expr: expr, inputs: inputs, dtype: .float64, order: order) { shape in
            HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *)))
        }
    }

    /// Python's precedence: `-x ** 2` is `-(x ** 2)`; `2 ** 3 ** 2` is `2 ** 9`.
    @Test func pythonPrecedence() throws {
        #expect(try run("-x ** 2", [("x", HostTensor(scalar: 3))]).output.data == [-9])
        #expect(try run("x * 2 ** 3 ** 2", [("x", HostTensor(scalar: 1))]).output.data == [512])
        #expect(try run("(-x) ** 2", [("x", HostTensor(scalar: 3))]).output.data == [9])
    }

    /// Statements share intermediates: a = x², y = a² + a² = 2x⁴; dy/dx = 8x³ = 64 at 2.
    @Test func statementsBindNames() throws {
        let outcome = try run("a = square(x); square(a) + square(a)", [("x", HostTensor(scalar: 2))])
        #expect(outcome.output.data == [32])
        #expect(outcome.grads[0][0].data == [64])
    }

    /// Orders follow the fixture definition: gk = grad(Σᵢ sum(g(k-1)ᵢ)).
    /// f = x²y at (x, y) = (1, 2): g1 = (2xy, x²) = (4, 1); Σ = 2xy + x²,
    /// g2 = (2y + 2x, 2x) = (6, 2); Σ = 2y + 4x, g3 = (4, 2).
    @Test func ordersFollowTheFixtureDefinition() throws {
        let outcome = try run("x ** 2 * y", [("x", HostTensor(scalar: 1)), ("y", HostTensor(scalar: 2))], order: 3)
        #expect(outcome.grads.map { $0.map(\.data) } == [[[4], [1]], [[6], [2]], [[4], [2]]])
    }

    @Test func optionsReachTheOp() throws {
        let x = HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(try run("sum(x, axis=1)", [("x", x)]).output == HostTensor(shape: [2], data: [6, 15]))
        #expect(try run("sum(x, axis=[0, 1], keepdims=true)", [("x", x)]).output == HostTensor(shape: [1, 1], data: [21]))
        #expect(try run("mean(x, axis=-2)", [("x", x)]).output == HostTensor(shape: [3], data: [2.5, 3.5, 4.5]))
    }

    /// torch's keywords and Python's literals: `dim=`, `keepdim=True`, `None` for an absent option.
    @Test func torchKeywordsAndPythonLiterals() throws {
        let x = HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(try run("sum(x, dim=1, keepdim=True)", [("x", x)]).output == HostTensor(shape: [2, 1], data: [6, 15]))
        #expect(try run("sum(x, dim=None)", [("x", x)]).output == HostTensor(scalar: 21))
        #expect(try run("max(x, dim=1) - -inf", [("x", x)]).output == HostTensor(shape: [2], data: [.infinity, .infinity]))
    }

    /// Errors name the column of the offending part of the expression.
    @Test(arguments: [
        ("sigmod(x)", 1, "unknown operation 'sigmod'; did you mean 'sigmoid'?"),
        ("x + z", 5, "unknown name 'z'"),
        ("x * (y", 7, "expected ')' to close '(' at column 5"),
        ("sum(x, axis=5)", 1, "axis 5 is out of range"),
        ("sum(x, axes=1)", 8, "sum has no option 'axes'"),
        ("sum(x, keepdims=1)", 17, "must be true or false"),
        ("exp(x, x)", 1, "exp takes 1 operand(s), got 2"),
        ("x + [1, 2, 3]", 3, "shapes [2] and [3] do not broadcast"),
        ("x = exp(x); x", 1, "'x' is an input and cannot be assigned"),
        ("exp + x", 1, "'exp' is an operation"),
        ("sum(x, axis=0, dim=0)", 16, "sum got the option 'axis' twice, as 'axis' and as 'dim'"),
        ("sum(x, dims=0)", 8, "sum has no option 'dims' (options: axis or dim, keepdims or keepdim, dtype)"),
        ("exp(None)", 5, "exp's operand 1 is required: it cannot be None"),
        ("x + 'a'", 5, "a string cannot be used as a tensor"),
    ])
    func errorsAreLocated(_ expr: String, _ column: Int, _ message: String) {
        do {
            _ = try run(expr, [("x", HostTensor(shape: [2], data: [1, 2])), ("y", HostTensor(shape: [2], data: [1, 2]))])
            Issue.record("\(expr) evaluated without error")
        } catch {
            #expect(error.column == column, "\(expr): \(error)")
            #expect(error.message.contains(message), "\(expr): \(error)")
        }
    }

    /// Every op of the table has a unique name, a torch counterpart and a summary.
    @Test func opTableIsWellFormed() {
        #expect(Set(OpTable.all.map(\.name)).count == OpTable.all.count)
        for op in OpTable.all {
            #expect(op.torch.contains("."), "\(op.name)")
            #expect(!op.summary.isEmpty, "\(op.name)")
        }
        for op in BinaryOperator.allCases {
            #expect(OpTable.operation(named: OpTable.name(of: op)) != nil)
        }
    }
}
