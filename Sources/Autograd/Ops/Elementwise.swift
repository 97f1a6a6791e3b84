// Elementwise functions of one variable: exp, log, sqrt, sin, cos, tanh, sigmoid, relu.
//
// Each backward is written with Variable operations, so it is itself differentiable
// (second and third derivatives come for free). Where the derivative is a function of
// the output (exp, sqrt, tanh, sigmoid), the output is reused, as torch does.

/// `y = eˣ`. Gradient: `∂y/∂x = eˣ = y`.
public final class Exp: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.exp)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * (output(0) ?? exp(input(0)))]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        output(0).map { $0.data.gradient(.exp, incoming: gy) }
    }
}

/// `eˣ`, elementwise.
public func exp(_ x: Variable) -> Variable { Exp().applyTrapping(x) }

/// `y = ln x`. Gradient: `∂y/∂x = 1/x`.
public final class Log: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.log)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / input(0)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        input(0).data.gradient(.log, incoming: gy)
    }
}

/// The natural logarithm, elementwise (NaN below 0, -∞ at 0).
public func log(_ x: Variable) -> Variable { Log().applyTrapping(x) }

/// `y = √x`. Gradient: `∂y/∂x = 1/(2√x) = 1/(2y)`.
public final class Sqrt: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.sqrt)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / ((output(0) ?? sqrt(input(0))) * 2)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        output(0).map { $0.data.gradient(.sqrt, incoming: gy) }
    }
}

/// The square root, elementwise.
public func sqrt(_ x: Variable) -> Variable { Sqrt().applyTrapping(x) }

/// `y = sin x`. Gradient: `∂y/∂x = cos x`.
public final class Sin: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.sin)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * cos(input(0))]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        input(0).data.gradient(.sin, incoming: gy)
    }
}

/// The sine, elementwise (radians).
public func sin(_ x: Variable) -> Variable { Sin().applyTrapping(x) }

/// `y = cos x`. Gradient: `∂y/∂x = -sin x`.
public final class Cos: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.cos)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * -sin(input(0))]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        input(0).data.gradient(.cos, incoming: gy)
    }
}

/// The cosine, elementwise (radians).
public func cos(_ x: Variable) -> Variable { Cos().applyTrapping(x) }

/// `y = tanh x`. Gradient: `∂y/∂x = 1 - tanh²x = 1 - y²`.
///
/// The forward pass computes `tanh |x| = E/(E + 2)` with `E = e^(2|x|) − 1` as `expm1`
/// (`VectorMath.tanh`, vectorised, within 2.2 ulps), not the textbook
/// `(eˣ - e⁻ˣ)/(eˣ + e⁻ˣ)`: that quotient is `∞/∞ = NaN` from `x ≈ 710`, where tanh is 1.
public final class Tanh: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.tanh)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let y = output(0) ?? tanh(input(0))
        return [gys[0] * (1 - y * y)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        output(0).map { $0.data.gradient(.tanh, incoming: gy) }
    }
}

/// The hyperbolic tangent, elementwise.
public func tanh(_ x: Variable) -> Variable { Tanh().applyTrapping(x) }

/// `y = σ(x) = 1 / (1 + e⁻ˣ)`. Gradient: `∂y/∂x = σ(x)(1 - σ(x)) = y(1 - y)`.
///
/// For `x < -709` (float64), `e⁻ˣ` overflows to ∞ and `y` is exactly 0, the correctly
/// rounded result; for large positive `x`, `y` is exactly 1. No NaN at either end.
public final class Sigmoid: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.sigmoid)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let y = output(0) ?? sigmoid(input(0))
        return [gys[0] * (1 - y) * y]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        output(0).map { $0.data.gradient(.sigmoid, incoming: gy) }
    }
}

/// The logistic sigmoid, elementwise.
public func sigmoid(_ x: Variable) -> Variable { Sigmoid().applyTrapping(x) }

/// `y = max(x, 0)` (NaN stays NaN). Gradient: 1 where `x > 0`, else 0 (also at 0, as
/// in torch); a NaN input passes the gradient through, as torch's `threshold_backward` does.
public final class ReLU: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.map(.relu)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        return [select(input(0).data.mask { !($0 <= 0) }, gy, zerosLike(gy))]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        input(0).data.gradient(.relu, incoming: gy)
    }
}

/// The rectified linear unit, elementwise.
public func relu(_ x: Variable) -> Variable { ReLU().applyTrapping(x) }

// MARK: - Select (internal)

/// `y = mask ? a : b` for a fixed boolean mask; `a`, `b` and the mask share a shape.
/// Gradients: `∂y/∂a = mask`, `∂y/∂b = ¬mask`, applied by selection, not by multiplying
/// with 0/1 (which would turn an infinite gradient into NaN where it is masked out).
final class Select: Function {
    let mask: [Bool]

    init(mask: [Bool]) {
        self.mask = mask
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [Tensor.select(mask, xs[0], xs[1])]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0], zero = zerosLike(gy)
        return [select(mask, gy, zero), select(mask, zero, gy)]
    }
}

func select(_ mask: [Bool], _ a: Variable, _ b: Variable) -> Variable {
    Select(mask: mask)(a, b)
}

/// A constant of zeros shaped like `x`.
func zerosLike(_ x: Variable) -> Variable {
    Variable.constant(x.data.filled(with: 0))
}
