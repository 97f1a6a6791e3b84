import _Differentiation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar that writes every operation done with it onto a ``ScalarTape``: the way to
/// second and third derivatives here.
///
/// `_Differentiation` cannot differentiate a derivative: `gradient(at:of:)` and the
/// pullbacks it returns are not `@differentiable`, so `gradient(at: x) { gradient(at: $0, of: f) }`
/// does not compile ("cannot differentiate functions that have not been marked
/// '@differentiable'"). But the pullback the compiler derives for the generic
/// ``ScalarProgram/run(_:_:through:)`` is ordinary code over the scalar type. Run with
/// this type, it records the gradient computation as new instructions on the tape — a
/// scalar program again, which the compiler can differentiate once more.
///
/// The price: the primitives' derivatives for this type are written here, restating the
/// ones `_Differentiation` registers for `Double` (cited on each), because the standard
/// library's are for `Double` and `Float` only. The chain rule, the order of the
/// accumulation and the branches still come from the compiler's derivative of `run`.
/// A gradient computed without `createGraph` never uses this type.
public struct TracedScalar {
    /// Where a recorded value lives.
    struct Node {
        let tape: ScalarTape
        let register: Int
    }

    /// The value, rounded to the tape's dtype after each operation: what the recorded
    /// program computes. Only branch decisions (`relu`, `sigmoid`, `pow`'s guard) read it.
    public let value: Double
    /// `nil` for a constant, which is recorded only when an operation uses it.
    let node: Node?

    init(value: Double, node: Node?) {
        self.value = value
        self.node = node
    }

    /// The register holding this value on `tape`, recording a constant if it has none.
    func register(on tape: ScalarTape) -> Int {
        node?.register ?? tape.constant(value)
    }

    /// Records `instruction(registers of operands)`, or folds it when every operand is a
    /// constant. `value` is the result in `Double`, rounded here to the tape's dtype.
    private static func record(
        _ value: Double, _ operands: TracedScalar..., instruction: ([Int]) -> ScalarInstruction
    ) -> TracedScalar {
        guard let tape = operands.lazy.compactMap({ $0.node?.tape }).first else {
            return TracedScalar(value)
        }
        let register = tape.record(instruction(operands.map { $0.register(on: tape) }))
        return TracedScalar(value: tape.rounded(value), node: Node(tape: tape, register: register))
    }
}

extension TracedScalar: DifferentiableScalar {
    public typealias TangentVector = TracedScalar

    /// A constant: nothing is recorded until an operation uses it.
    public init(_ value: Double) {
        self.init(value: value, node: nil)
    }

    public var doubleValue: Double { value }

    public mutating func move(by offset: TracedScalar) {
        self = self + offset
    }

    /// The zero tangent: a constant, so that adding it records nothing.
    public static var zero: TracedScalar { TracedScalar(0) }

    /// Tangent accumulation. Adding the zero tangent is the identity and is not
    /// recorded (the compiler's pullbacks add many zeros: an array read's pullback is a
    /// one-hot array).
    public static func + (a: TracedScalar, b: TracedScalar) -> TracedScalar {
        if a.node == nil, a.value == 0 { return b }
        if b.node == nil, b.value == 0 { return a }
        return add(a, b)
    }

    public static func - (a: TracedScalar, b: TracedScalar) -> TracedScalar {
        if b.node == nil, b.value == 0 { return a }
        if a.node == nil, a.value == 0 { return negate(b) }
        return subtract(a, b)
    }

    /// The same recorded value (or the same constant).
    public static func == (a: TracedScalar, b: TracedScalar) -> Bool {
        switch (a.node, b.node) {
        case (nil, nil): a.value.bitPattern == b.value.bitPattern
        case let (x?, y?): x.tape === y.tape && x.register == y.register
        default: false
        }
    }

    // MARK: The primitives, recorded

    @differentiable(reverse) public static func add(_ a: TracedScalar, _ b: TracedScalar) -> TracedScalar {
        record(a.value + b.value, a, b) { .add($0[0], $0[1]) }
    }

    @differentiable(reverse) public static func subtract(_ a: TracedScalar, _ b: TracedScalar) -> TracedScalar {
        record(a.value - b.value, a, b) { .subtract($0[0], $0[1]) }
    }

    @differentiable(reverse) public static func multiply(_ a: TracedScalar, _ b: TracedScalar) -> TracedScalar {
        record(a.value * b.value, a, b) { .multiply($0[0], $0[1]) }
    }

    @differentiable(reverse) public static func divide(_ a: TracedScalar, _ b: TracedScalar) -> TracedScalar {
        record(a.value / b.value, a, b) { .divide($0[0], $0[1]) }
    }

    /// `a ** b`. A constant exponent 0 folds to the constant 1 (C's `pow(x, ±0)` is 1 for
    /// every `x`, NaN included). This matters for gradients of gradients: `pow`'s rule
    /// `v·b·a^(b−1)` records `a ** 0` for `a ** 1` (the derivative of `x ** 2`), and the
    /// standard library's rule for *that*, `v·0·a⁻¹`, is NaN at `a = 0` (third order of
    /// `x ** 2` at 0), where the derivative of a constant is 0, as torch has it.
    @differentiable(reverse) public static func power(_ a: TracedScalar, _ b: TracedScalar) -> TracedScalar {
        if b.node == nil, b.value == 0 { return TracedScalar(1) }
        return record(pow(a.value, b.value), a, b) { .power($0[0], $0[1]) }
    }

    @differentiable(reverse) public static func negate(_ x: TracedScalar) -> TracedScalar {
        record(-x.value, x) { .negate($0[0]) }
    }

    @differentiable(reverse) public static func exponential(_ x: TracedScalar) -> TracedScalar {
        record(exp(x.value), x) { .exp($0[0]) }
    }

    @differentiable(reverse) public static func logarithm(_ x: TracedScalar) -> TracedScalar {
        record(log(x.value), x) { .log($0[0]) }
    }

    @differentiable(reverse) public static func squareRoot(_ x: TracedScalar) -> TracedScalar {
        record(sqrt(x.value), x) { .sqrt($0[0]) }
    }

    @differentiable(reverse) public static func sine(_ x: TracedScalar) -> TracedScalar {
        record(sin(x.value), x) { .sin($0[0]) }
    }

    @differentiable(reverse) public static func cosine(_ x: TracedScalar) -> TracedScalar {
        record(cos(x.value), x) { .cos($0[0]) }
    }

    @differentiable(reverse) public static func hyperbolicTangent(_ x: TracedScalar) -> TracedScalar {
        record(tanh(x.value), x) { .tanh($0[0]) }
    }
}

// MARK: - Their derivatives, as `_Differentiation` registers them for Double

extension TracedScalar {
    /// `_vjpAdd`: `(v, v)`.
    @derivative(of: add)
    @usableFromInline static func vjpAdd(_ a: TracedScalar, _ b: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> (TracedScalar, TracedScalar)) {
        (add(a, b), { v in (v, v) })
    }

    /// `_vjpSubtract`: `(v, −v)`.
    @derivative(of: subtract)
    @usableFromInline static func vjpSubtract(_ a: TracedScalar, _ b: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> (TracedScalar, TracedScalar)) {
        (subtract(a, b), { v in (v, negate(v)) })
    }

    /// `_vjpMultiply`: `(b·v, a·v)`.
    @derivative(of: multiply)
    @usableFromInline static func vjpMultiply(_ a: TracedScalar, _ b: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> (TracedScalar, TracedScalar)) {
        (multiply(a, b), { v in (multiply(b, v), multiply(a, v)) })
    }

    /// `_vjpDivide`: `(v / b, −a / (b·b) · v)`.
    @derivative(of: divide)
    @usableFromInline static func vjpDivide(_ a: TracedScalar, _ b: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> (TracedScalar, TracedScalar)) {
        (divide(a, b), { v in (divide(v, b), multiply(divide(negate(a), multiply(b, b)), v)) })
    }

    /// `_vjpPow`: `(v·b·a^(b−1), v·aᵇ·ln(a ≤ 0 ? 1 : a))`.
    @derivative(of: power)
    @usableFromInline static func vjpPower(_ a: TracedScalar, _ b: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> (TracedScalar, TracedScalar)) {
        let value = power(a, b)
        return (value, { v in
            let logBase = logarithm(a.value <= 0 ? TracedScalar(1) : a)
            return (multiply(multiply(v, b), power(a, subtract(b, TracedScalar(1)))), multiply(multiply(v, value), logBase))
        })
    }

    /// `_vjpNegate`: `−v`.
    @derivative(of: negate)
    @usableFromInline static func vjpNegate(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        (negate(x), { v in negate(v) })
    }

    /// `_vjpExp`: `eˣ · v`.
    @derivative(of: exponential)
    @usableFromInline static func vjpExponential(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        let value = exponential(x)
        return (value, { v in multiply(value, v) })
    }

    /// `_vjpLog`: `v / x`.
    @derivative(of: logarithm)
    @usableFromInline static func vjpLogarithm(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        (logarithm(x), { v in divide(v, x) })
    }

    /// `_vjpSqrt`: `v / (2·√x)`.
    @derivative(of: squareRoot)
    @usableFromInline static func vjpSquareRoot(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        let value = squareRoot(x)
        return (value, { v in divide(v, multiply(TracedScalar(2), value)) })
    }

    /// `_vjpSin`: `v · cos x`.
    @derivative(of: sine)
    @usableFromInline static func vjpSine(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        (sine(x), { v in multiply(v, cosine(x)) })
    }

    /// `_vjpCos`: `−v · sin x`.
    @derivative(of: cosine)
    @usableFromInline static func vjpCosine(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        (cosine(x), { v in multiply(negate(v), sine(x)) })
    }

    /// `_vjpTanh`: `v · (1 − tanh²x)`.
    @derivative(of: hyperbolicTangent)
    @usableFromInline static func vjpHyperbolicTangent(_ x: TracedScalar) -> (value: TracedScalar, pullback: (TracedScalar) -> TracedScalar) {
        let value = hyperbolicTangent(x)
        return (value, { v in multiply(v, subtract(TracedScalar(1), multiply(value, value))) })
    }
}
