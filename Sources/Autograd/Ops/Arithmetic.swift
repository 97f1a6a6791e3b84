import RealModule

// Arithmetic: add, subtract, multiply, divide, negate, power.
//
// Binary ops broadcast their operands (numpy/torch rules). Their backward therefore
// ends by summing each gradient back to its input's shape (`sumTo`), DeZero's rule.
// The backward formulas follow torch's (tools/autograd/derivatives.yaml), including the
// order of operations, so that results agree at the extremes too.

// MARK: - Add

/// `y = a + b`. Gradients: `∂y/∂a = 1`, `∂y/∂b = 1`.
public final class Add: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].zip(xs[1], .add)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].summed(to: input(0).shape), gys[0].summed(to: input(1).shape)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].trustedSum(to: input(0).shape), gys[0].trustedSum(to: input(1).shape)]
    }
}

/// `a + b`, broadcasting. - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
public func add(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Add().apply([a, b])[0]
}

// MARK: - Subtract

/// `y = a - b`. Gradients: `∂y/∂a = 1`, `∂y/∂b = -1`.
public final class Subtract: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].zip(xs[1], .subtract)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].summed(to: input(0).shape), (-gys[0]).summed(to: input(1).shape)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].trustedSum(to: input(0).shape), gys[0].map(.negate).trustedSum(to: input(1).shape)]
    }
}

/// `a - b`, broadcasting. - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
public func sub(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Subtract().apply([a, b])[0]
}

// MARK: - Multiply

/// `y = a · b`. Gradients: `∂y/∂a = b`, `∂y/∂b = a`.
public final class Multiply: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].zip(xs[1], .multiply)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (a, b, gy) = (input(0), input(1), gys[0])
        return [(gy * b).summed(to: a.shape), (gy * a).summed(to: b.shape)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        let (a, b, gy) = (input(0).data, input(1).data, gys[0])
        return [gy.trustedZip(b, .multiply).trustedSum(to: a.shape), gy.trustedZip(a, .multiply).trustedSum(to: b.shape)]
    }
}

/// `a * b`, broadcasting. - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
public func mul(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Multiply().apply([a, b])[0]
}

// MARK: - Divide

/// `y = a / b`. Gradients: `∂y/∂a = 1/b`, `∂y/∂b = -a/b²`, computed as `-(a/b)/b`
/// (torch's order: `b·b` would overflow for large `b` where `a/b/b` does not).
public final class Divide: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].zip(xs[1], .divide)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (a, b, gy) = (input(0), input(1), gys[0])
        return [(gy / b).summed(to: a.shape), (-gy * ((a / b) / b)).summed(to: b.shape)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        let (a, b, gy) = (input(0).data, input(1).data, gys[0])
        let gb = gy.map(.negate).trustedZip(a.trustedZip(b, .divide).trustedZip(b, .divide), .multiply)
        return [gy.trustedZip(b, .divide).trustedSum(to: a.shape), gb.trustedSum(to: b.shape)]
    }
}

/// `a / b`, broadcasting. - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
public func div(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Divide().apply([a, b])[0]
}

// MARK: - Negate

/// `y = -x`. Gradient: `∂y/∂x = -1`.
public final class Negate: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.negate)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [-gys[0]]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        gy.map(.negate)
    }
}

/// `-x`.
public func neg(_ x: Variable) -> Variable {
    Negate().applyTrapping(x)
}

// MARK: - Power

/// `y = x ** c` for a fixed number `c`.
/// Gradient: `∂y/∂x = c · x^(c-1)`, and exactly 0 when `c == 0` (torch's rule, which
/// keeps `0 · 0^(-1) = NaN` out of `d(x⁰)/dx` at `x = 0`).
public final class PowerByScalar: UnaryFunction {
    public let exponent: Double

    public init(exponent: Double) {
        self.exponent = exponent
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.power(exponent))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        if exponent == 0 { return [Variable.constant(x.data.filled(with: 0))] }
        return [gys[0] * (exponent * pow(x, exponent - 1))]
    }
}

/// `y = c ** x` for a fixed number `c`.
/// Gradient: `∂y/∂x = y · ln c`, and 0 where `c == 0` and `x ≥ 0` (torch's rule:
/// `0^x` is flat there, though `ln 0 = -∞`).
public final class ScalarPower: UnaryFunction {
    public let base: Double

    public init(base: Double) {
        self.base = base
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.exponential(base: base))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0), gy = gys[0]
        let y = output(0) ?? pow(base, x)
        let slope = y * Double.log(base)
        guard base == 0 else { return [gy * slope] }
        let flat = x.data.mask { $0 >= 0 }
        return [gy * select(flat, zerosLike(slope), slope)]
    }
}

/// `y = a ** b`, both tensors, broadcasting.
/// Gradients: `∂y/∂a = b · a^(b-1)` (0 where `b == 0`), `∂y/∂b = y · ln a`
/// (0 where `a == 0` and `b ≥ 0`): torch's masks, which keep `0 · ∞` out.
public final class Power: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].zip(xs[1], .power)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        let a = input(0).broadcast(to: gy.shape), b = input(1).broadcast(to: gy.shape)
        let y = output(0) ?? a ** b

        let baseSlope = b * a ** (b - 1)
        let ga = select(b.data.mask { $0 == 0 }, zerosLike(baseSlope), gy * baseSlope)

        let flat = zipMasks(a.data.mask { $0 == 0 }, b.data.mask { $0 >= 0 }) { $0 && $1 }
        let exponentSlope = y * log(a)
        let gb = gy * select(flat, zerosLike(exponentSlope), exponentSlope)
        return [ga.summed(to: input(0).shape), gb.summed(to: input(1).shape)]
    }
}

/// `x ** exponent` for a number.
public func pow(_ x: Variable, _ exponent: Double) -> Variable {
    PowerByScalar(exponent: exponent)(x)
}

/// `base ** x` for a number.
public func pow(_ base: Double, _ x: Variable) -> Variable {
    ScalarPower(base: base)(x)
}

/// `a ** b`, broadcasting. - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
public func pow(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Power().apply([a, b])[0]
}

/// `x ** 2` as its own function (DeZero's `Square`). Gradient: `∂y/∂x = 2x`.
public final class Square: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.square)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * (input(0) * 2)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        input(0).data.gradient(.square, incoming: gy)
    }
}

/// `x²`.
public func square(_ x: Variable) -> Variable {
    Square().applyTrapping(x)
}

func zipMasks(_ a: [Bool], _ b: [Bool], _ combine: (Bool, Bool) -> Bool) -> [Bool] {
    zip(a, b).map(combine)
}

// MARK: - Reciprocal and reciprocal square root

/// `y = 1/x` (`torch.reciprocal`): ±∞ at ±0. Gradient (derivatives.yaml): `∂y/∂x = -1/x²`,
/// applied as `-g · (y · y)` on the output, so `x = 0` gives `-∞` and `x = ∞` gives `-0`.
public final class Reciprocal: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.reciprocal)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let y = output(0) ?? reciprocal(input(0))
        return [-gys[0] * (y * y)]
    }
}

/// `1/x`, elementwise.
public func reciprocal(_ x: Variable) -> Variable { Reciprocal().applyTrapping(x) }

/// `y = 1/√x` (`torch.rsqrt`): ∞ at 0, NaN below. Gradient: `∂y/∂x = -½ x^(-3/2) = -½ y³`,
/// applied as `(-½ · g) · y³` on the output, as torch's `-0.5 * grad * result.pow(3)`.
public final class Rsqrt: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.rsqrt)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let y = output(0) ?? rsqrt(input(0))
        return [(-0.5 * gys[0]) * pow(y, 3)]
    }
}

/// `1/√x`, elementwise.
public func rsqrt(_ x: Variable) -> Variable { Rsqrt().applyTrapping(x) }
