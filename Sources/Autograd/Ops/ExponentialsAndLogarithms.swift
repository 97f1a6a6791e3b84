// Exponentials and logarithms beyond exp and log (Elementwise.swift): log1p, expm1.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml and FunctionsManual.cpp,
// masks and order of operations included.

// MARK: - log1p, expm1

/// `y = ln(1 + x)`, accurate near 0 (`log1p(1e-300) = 1e-300`). Gradient: `1/(x + 1)`.
public final class Log1p: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.log1p)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / (input(0) + 1)]
    }
}

/// `ln(1 + x)`, elementwise.
public func log1p(_ x: Variable) -> Variable { Log1p().applyTrapping(x) }

/// `y = eˣ - 1`, accurate near 0. Gradient: `eˣ = y + 1`.
public final class Expm1: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.expm1)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * ((output(0) ?? expm1(input(0))) + 1)]
    }
}

/// `eˣ - 1`, elementwise.
public func expm1(_ x: Variable) -> Variable { Expm1().applyTrapping(x) }
