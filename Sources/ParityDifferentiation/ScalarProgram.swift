import _Differentiation

/// One instruction of a scalar program in SSA form: instruction `i` writes register `i`,
/// and its operands are the numbers of earlier registers. A parsed `Program` becomes a
/// list of these (see ``ScalarTape``), and ``ScalarProgram/run(_:_:through:)`` executes
/// the list in a single `@differentiable(reverse)` function, so that the compiler, not a
/// hand-written backward pass, derives the gradients.
public enum ScalarInstruction: Hashable, Sendable {
    /// The `k`-th leaf (input) of the program.
    case input(Int)
    /// A constant, already rounded to the case's dtype.
    case constant(Double)
    case add(Int, Int)
    case subtract(Int, Int)
    case multiply(Int, Int)
    case divide(Int, Int)
    /// `a ** b` (C's `pow`); a number exponent or base is a constant register.
    case power(Int, Int)
    case negate(Int)
    /// `x · x`.
    case square(Int)
    case exp(Int)
    case log(Int)
    case sqrt(Int)
    case sin(Int)
    case cos(Int)
    case tanh(Int)
    /// `1 / (1 + e⁻ˣ)` for `x ≥ 0`, `eˣ / (1 + eˣ)` below, so that neither form overflows.
    case sigmoid(Int)
    /// `x` where `x > 0`, else 0 (NaN stays NaN, as in torch).
    case relu(Int)

    /// The registers the instruction reads.
    public var operands: [Int] {
        switch self {
        case .input, .constant:
            []
        case let .add(a, b), let .subtract(a, b), let .multiply(a, b), let .divide(a, b), let .power(a, b):
            [a, b]
        case let .negate(a), let .square(a), let .exp(a), let .log(a), let .sqrt(a), let .sin(a), let .cos(a),
             let .tanh(a), let .sigmoid(a), let .relu(a):
            [a]
        }
    }
}

/// The differentiable interpreter of scalar programs.
public enum ScalarProgram {
    /// Executes `code[0...output]` on `inputs` (the leaves' values, in leaf order) and
    /// returns register `output`.
    ///
    /// This is the function the compiler differentiates: `valueWithPullback(at: inputs)
    /// { run($0, code, through: output) }` gives the output and, from the pullback, the
    /// gradient with respect to every leaf. What makes that possible in this toolchain:
    /// a `for` loop over indices, a `switch` over the instruction, `if` on a value, array
    /// reads (`Array.subscript` has a registered derivative) and `append` (also
    /// registered); the instruction list and the register numbers are not
    /// differentiable (`withoutDerivative(at:)`). Array subscript *writes* have no
    /// registered derivative, so registers are only ever appended.
    ///
    /// - Precondition: every operand and `output` are registers of `code` below the
    ///   instruction that reads them, and every `.input(k)` has `k < inputs.count`;
    ///   ``ScalarTape`` only builds such lists.
    @differentiable(reverse, wrt: inputs)
    public static func run<T: DifferentiableScalar>(_ inputs: [T], _ code: [ScalarInstruction], through output: Int) -> T {
        var registers: [T] = []
        for i in withoutDerivative(at: 0...output) {
            let value: T
            switch withoutDerivative(at: code[i]) {
            case .input(let k):
                value = inputs[k]
            case .constant(let c):
                value = T(c)
            case let .add(a, b):
                value = T.add(registers[a], registers[b])
            case let .subtract(a, b):
                value = T.subtract(registers[a], registers[b])
            case let .multiply(a, b):
                value = T.multiply(registers[a], registers[b])
            case let .divide(a, b):
                value = T.divide(registers[a], registers[b])
            case let .power(a, b):
                value = T.power(registers[a], registers[b])
            case .negate(let a):
                value = T.negate(registers[a])
            case .square(let a):
                let x = registers[a]
                value = T.multiply(x, x)
            case .exp(let a):
                value = T.exponential(registers[a])
            case .log(let a):
                value = T.logarithm(registers[a])
            case .sqrt(let a):
                value = T.squareRoot(registers[a])
            case .sin(let a):
                value = T.sine(registers[a])
            case .cos(let a):
                value = T.cosine(registers[a])
            case .tanh(let a):
                value = T.hyperbolicTangent(registers[a])
            case .sigmoid(let a):
                let x = registers[a]
                if x.doubleValue >= 0 {
                    value = T.divide(T(1), T.add(T(1), T.exponential(T.negate(x))))
                } else {
                    let e = T.exponential(x)
                    value = T.divide(e, T.add(T(1), e))
                }
            case .relu(let a):
                let x = registers[a]
                if x.doubleValue > 0 || x.doubleValue.isNaN {
                    value = x
                } else {
                    value = T(0)
                }
            }
            registers.append(value)
        }
        return registers[withoutDerivative(at: output)]
    }
}
