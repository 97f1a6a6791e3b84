// Trigonometric and hyperbolic functions beyond sin, cos and tanh (Elementwise.swift):
// tan, sinh, cosh, the inverse functions asin, acos, atan, atan2, asinh, acosh, atanh.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml and FunctionsManual.cpp,
// masks and order of operations included.

// MARK: - tan, cosh, sinh

/// `y = tan x`. Gradient: `1 + tan²x = 1 + y²`.
public final class Tan: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.tan)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * (1 + square(output(0) ?? tan(input(0))))]
    }
}

/// The tangent, elementwise (radians).
public func tan(_ x: Variable) -> Variable { Tan().applyTrapping(x) }

/// `y = cosh x` (`torch.cosh`). Gradient: `g · sinh x`.
public final class Cosh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.cosh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Sinh()(input(0))]
    }
}

/// The hyperbolic cosine, elementwise.
public func cosh(_ x: Variable) -> Variable { Cosh().applyTrapping(x) }

/// `y = sinh x` (`torch.sinh`). Gradient: `g · cosh x`.
public final class Sinh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.sinh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Cosh()(input(0))]
    }
}

/// The hyperbolic sine, elementwise.
public func sinh(_ x: Variable) -> Variable { Sinh().applyTrapping(x) }

// MARK: - Inverse trigonometric functions

/// `y = arcsin x` on `[-1, 1]` (NaN outside), `torch.asin`.
/// Gradient: `1/√(1 − x²)`, applied as `g · rsqrt(-x·x + 1)`: ∞ at ±1, NaN outside.
public final class Asin: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.asin)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        return [gys[0] * rsqrt(-x * x + 1)]
    }
}

/// The arcsine, elementwise.
public func asin(_ x: Variable) -> Variable { Asin().applyTrapping(x) }

/// `y = arccos x` on `[-1, 1]` (NaN outside), `torch.acos`.
/// Gradient: `-1/√(1 − x²)`, applied as `g · -rsqrt(-x·x + 1)`.
public final class Acos: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.acos)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        return [gys[0] * -rsqrt(-x * x + 1)]
    }
}

/// The arccosine, elementwise.
public func acos(_ x: Variable) -> Variable { Acos().applyTrapping(x) }

/// `y = arctan x` (`torch.atan`): ±π/2 at ±∞. Gradient: `1/(1 + x²)`, applied as
/// `g / (x·x + 1)` (0 at ±∞).
public final class Atan: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.atan)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0)
        return [gys[0] / (x * x + 1)]
    }
}

/// The arctangent, elementwise.
public func atan(_ x: Variable) -> Variable { Atan().applyTrapping(x) }

/// `y = atan2(a, b)`, the angle of the point `(b, a)` in `(-π, π]`, broadcasting
/// (`torch.atan2(a, b)`).
/// Gradients (torch's `atan2_backward`): with `r = 1/(a² + b²)`, and `r = 0` where
/// `a² + b² = 0` (at the origin, and where the squares underflow):
/// `∂y/∂a = g · b · r`, `∂y/∂b = g · (−a) · r`, each summed back to its operand's shape.
/// So the origin gets gradient 0 (not NaN), and `a = ±∞` gives `∂y/∂b = ∞ · 0 = NaN`.
public final class Atan2: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .atan2)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        let a = input(0).broadcast(to: gy.shape), b = input(1).broadcast(to: gy.shape)
        let denominator = a * a + b * b
        let inverse = 1 / denominator
        let r = select(denominator.data.mask { $0 == 0 }, zerosLike(inverse), inverse)
        return [(gy * b * r).summed(to: input(0).shape), (gy * -a * r).summed(to: input(1).shape)]
    }
}

/// `atan2(a, b)` elementwise, broadcasting: the angle of `(b, a)` (`torch.atan2`).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func atan2(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Atan2().apply([a, b])[0]
}

// MARK: - Inverse hyperbolic functions

/// `y = arsinh x` (`torch.asinh`). Gradient: `1/√(x² + 1)`, applied as `g · rsqrt(x² + 1)`.
public final class Asinh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.asinh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * rsqrt(pow(input(0), 2) + 1)]
    }
}

/// The inverse hyperbolic sine, elementwise.
public func asinh(_ x: Variable) -> Variable { Asinh().applyTrapping(x) }

/// `y = arcosh x` on `[1, ∞)` (NaN below), `torch.acosh`. Gradient: `1/√(x² − 1)`, applied
/// as `g · rsqrt(x² − 1)`: ∞ at 1, NaN below.
public final class Acosh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.acosh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * rsqrt(pow(input(0), 2) - 1)]
    }
}

/// The inverse hyperbolic cosine, elementwise.
public func acosh(_ x: Variable) -> Variable { Acosh().applyTrapping(x) }

/// `y = artanh x` on `(-1, 1)` (±∞ at ±1, NaN outside), `torch.atanh`. Gradient:
/// `1/(1 − x²)`, applied as `g / (1 − x²)`: ∞ at ±1.
public final class Atanh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.atanh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / (1 - pow(input(0), 2))]
    }
}

/// The inverse hyperbolic tangent, elementwise.
public func atanh(_ x: Variable) -> Variable { Atanh().applyTrapping(x) }
