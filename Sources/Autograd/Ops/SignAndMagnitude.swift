// The sign and magnitude of elements: abs.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml and FunctionsManual.cpp,
// masks and order of operations included.

// MARK: - Abs

/// `y = |x|`. Gradient: `sign(x)`, torch's `sgn`: 0 at ±0 and at NaN. The sign is a
/// constant of the graph, so the second derivative is 0 (torch's `sgn_backward`).
public final class Abs: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.abs)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0] * Variable.constant(input(0).data.pointwise(.sign))]
    }
}

/// The absolute value, elementwise.
public func abs(_ x: Variable) -> Variable { Abs().applyTrapping(x) }

// MARK: - Sign

/// `y = sign x`: -1, 0 or 1, and 0 at ±0 and at NaN (`torch.sign`). Gradient: 0 everywhere
/// (derivatives.yaml: `zeros_like(grad)`), a constant, so every higher derivative is 0 too.
public final class Sign: UnaryFunction {
    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.sign)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [zerosLike(gys[0])]
    }
}

/// The sign of each element: -1, 0 or 1 (0 for NaN, as `torch.sign`).
public func sign(_ x: Variable) -> Variable { Sign().applyTrapping(x) }
