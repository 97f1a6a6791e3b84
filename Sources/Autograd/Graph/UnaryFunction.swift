/// A ``Function`` of one tensor with one result: the shape of the elementwise ops.
///
/// A subclass writes ``forward(_:)-(Tensor)`` on a single tensor instead of the array
/// form, its Variable-level ``Function/backward(_:)-([Variable])`` as any function does, and, for
/// speed, ``backwardWithoutGraph(_:)-(Tensor)`` on a single tensor. Applying it with
/// ``apply(_:)-(Variable)`` (what `tanh(x)` does) then builds no arrays: on a 0-d
/// tensor the arrays cost more than the arithmetic.
///
/// A custom op, `y = x³`: `forward` with ``Tensor``'s math (no graph), `backward` with
/// Variable operations on ``Function/input(_:)``, so that it can be differentiated again:
///
/// ```swift
/// final class Cube: UnaryFunction {
///     override func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
///         x * x * x
///     }
///     override func backward(_ gys: [Variable]) -> [Variable] {
///         [gys[0] * 3 * input(0) ** 2]
///     }
/// }
///
/// let x = Variable(2.0)
/// let y = Cube()(x)                 // 8
/// y.backward(createGraph: true)
/// let gx = x.grad!                  // 3x² = 12
/// x.cleargrad()
/// gx.backward()                     // x.grad = 6x = 12
/// ```
open class UnaryFunction: Function {
    override public init() {}

    /// Computes the output from the input's tensor.
    open func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        fatalError("\(name) must override forward(_ x: Tensor)")
    }

    /// The tensor-level backward pass (see ``Function/backwardWithoutGraph(_:)-([Tensor])``)
    /// on the one output's gradient; `nil` (the default) makes the engine call
    /// ``Function/backward(_:)-([Variable])``.
    open func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        nil
    }

    /// - Throws: ``AutogradError/wrongInputCount(op:expected:got:)`` unless given one tensor.
    override public final func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        guard xs.count == 1 else { throw .wrongInputCount(op: name, expected: 1, got: xs.count) }
        return [try forward(xs[0])]
    }

    override public final func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        backwardWithoutGraph(gys[0]).map { [$0] }
    }

    /// ``Function/apply(_:)`` on the one input, without building arrays.
    /// - Throws: the forward pass's error, ``AutogradError/unsupportedDType(_:op:)`` for
    ///   an int64 input to an op that does not accept one (see
    ///   ``Function/acceptsIntegerInputs``), or ``AutogradError/functionReused(_:)``.
    public final func apply(_ x: Variable) throws(AutogradError) -> Variable {
        try markApplied()
        try checkDType(x.data)
        let data = try forward(x.data)
        let y = Variable(data, name: nil,
                         requiresGradUnchecked: x.requiresGrad && GradMode.isEnabled && data.dtype.isFloatingPoint)
        if y.requiresGrad {
            recordInput(x)
            recordOutput(y, index: 0)
        }
        return y
    }

    /// ``apply(_:)-(Variable)`` for ops that cannot fail on a well-formed tensor.
    final func applyTrapping(_ x: Variable) -> Variable {
        trapping { () throws(AutogradError) in try apply(x) }
    }
}
