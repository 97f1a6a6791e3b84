// Special functions: the error function and its complement.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml, order of operations
// included: the constant `2/√π` is computed as torch computes it, `2.0 / sqrt(M_PI)`.

/// `2/√π` as `2.0 / sqrt(M_PI)` in double, the factor of erf's and erfc's derivatives.
let twoOverRootPi = 2 / Double.pi.squareRoot()

/// `y = erf x = (2/√π) ∫₀ˣ e^(-t²) dt` (`torch.erf`): ±1 at ±∞.
/// Gradient: `∂y/∂x = (2/√π) e^(-x²)`, applied as `((2/√π) · e^(-x²)) · g`; the second
/// derivative `-2x (2/√π) e^(-x²)` is NaN at ±∞ (`∞ · 0`), as in torch.
public final class Erf: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.erf)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [(twoOverRootPi * exp(-pow(input(0), 2))) * gys[0]]
    }
}

/// The error function, elementwise.
public func erf(_ x: Variable) -> Variable { Erf().applyTrapping(x) }

/// `y = erfc x = 1 − erf x`, accurate where erf is close to 1 (`torch.erfc`).
/// Gradient: `∂y/∂x = -(2/√π) e^(-x²)`, applied as `(-(2/√π) · e^(-x²)) · g`.
public final class Erfc: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.erfc)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [(-twoOverRootPi * exp(-pow(input(0), 2))) * gys[0]]
    }
}

/// The complementary error function `1 − erf x`, elementwise.
public func erfc(_ x: Variable) -> Variable { Erfc().applyTrapping(x) }
