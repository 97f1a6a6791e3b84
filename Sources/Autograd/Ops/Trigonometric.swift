// Trigonometric and hyperbolic functions beyond sin, cos and tanh (Elementwise.swift):
// tan, cosh, sinh.
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

/// `y = cosh x`. Gradient: `sinh x`. (Internal: gelu_tanh's second derivative uses it.)
final class Cosh: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.cosh)
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Sinh()(input(0))]
    }
}

/// `y = sinh x`. Gradient: `cosh x`.
final class Sinh: UnaryFunction {
    override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.sinh)
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Cosh()(input(0))]
    }
}
