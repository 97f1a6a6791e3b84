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

// MARK: - log2, log10, exp2

/// `y = log₂ x` (`torch.log2`). Gradient: `1/(x ln 2)`, applied as `g / (x · ln 2)`
/// with torch's constant 0.6931471805599453.
public final class Log2: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.log2)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / (input(0) * 0.6931471805599453)]
    }
}

/// The base-2 logarithm, elementwise (-∞ at 0, NaN below).
public func log2(_ x: Variable) -> Variable { Log2().applyTrapping(x) }

/// `y = log₁₀ x` (`torch.log10`). Gradient: `1/(x ln 10)`, applied as `g / (x · ln 10)`
/// with torch's constant 2.3025850929940456.
public final class Log10: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.log10)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] / (input(0) * 2.3025850929940456)]
    }
}

/// The base-10 logarithm, elementwise (-∞ at 0, NaN below).
public func log10(_ x: Variable) -> Variable { Log10().applyTrapping(x) }

/// `y = 2ˣ` (`torch.exp2`). Gradient: `2ˣ ln 2 = y · ln 2`, applied as `(g · y) · ln 2`.
public final class Exp2: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.exp2)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [(gys[0] * (output(0) ?? exp2(input(0)))) * 0.6931471805599453]
    }
}

/// `2ˣ`, elementwise.
public func exp2(_ x: Variable) -> Variable { Exp2().applyTrapping(x) }
