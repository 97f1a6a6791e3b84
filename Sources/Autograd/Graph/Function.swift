/// An operation in the graph, the base class of every op (DeZero's `Function`).
///
/// A subclass writes two methods, side by side:
/// - ``forward(_:)`` computes outputs from raw tensors;
/// - ``backward(_:)`` maps the outputs' gradients to the inputs' gradients, with
///   ``Variable`` operations, so that a backward pass can itself be differentiated.
///
/// Calling a function (``callAsFunction(_:)``, or ``apply(_:)`` which throws instead of
/// trapping) runs `forward` and, when gradients are recorded, links the graph: the
/// function keeps its ``inputs`` strongly and its outputs weakly (so that no reference
/// cycle forms), and each output's ``Variable/creator`` is this function.
///
/// ```swift
/// let A = Square(), B = Exp(), C = Square()
/// let x = Variable(0.5)
/// let y = C(B(A(x)))
/// y.creator === C                   // true
/// y.creator?.inputs[0].creator === B   // true
/// ```
open class Function {
    /// The variables this function was applied to, kept for the backward pass.
    public private(set) var inputs: [Variable] = []
    /// The outputs, not owned: a graph is owned from its outputs down (an owning
    /// reference back would be a cycle). An output clears its slot when it dies
    /// (``Variable/detachFromCreator()``), so a slot is either a live variable or `nil`.
    /// Unowned rather than `weak`: a weak reference gives every variable a side table
    /// and sends all its reference counting down the slow path.
    private var outputReferences: [Unmanaged<Variable>?] = []
    /// Shape and dtype of each output, for a zero gradient if an output is gone.
    private var outputTemplates: [Tensor] = []
    /// The largest generation among the inputs; backward visits later generations first.
    public private(set) var generation = 0
    /// Set once applied; a function instance is one node of one graph.
    private var isApplied = false
    /// Scratch flag of the backward engine.
    var isQueued = false

    public init() {}

    /// A short name for messages and graph drawings: the class name by default.
    open var name: String { String(describing: type(of: self)) }

    /// Computes the outputs from the inputs' raw tensors.
    open func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        preconditionFailure("\(name) must override forward(_:)")
    }

    /// Computes the inputs' gradients (one per input, in order) from the outputs'
    /// gradients (one per output, in order), with differentiable ``Variable`` operations.
    open func backward(_ gys: [Variable]) -> [Variable] {
        preconditionFailure("\(name) must override backward(_:)")
    }

    /// The backward pass on raw tensors, for passes that record nothing (first-order
    /// gradients, the common case): the same formulas as ``backward(_:)``, with the same
    /// order of operations and so the same results to the last bit, but without building
    /// the Variables and Functions that make ``backward(_:)`` differentiable. An op may
    /// override it for speed; `nil` (the default) makes the engine call ``backward(_:)``.
    open func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        nil
    }

    /// The outputs that are still alive, in order.
    public var outputs: [Variable?] { outputReferences.map { $0?.takeUnretainedValue() } }

    /// Output `i`, if it is still alive (without building the ``outputs`` array).
    public final func output(_ i: Int) -> Variable? {
        outputReferences[i]?.takeUnretainedValue()
    }

    /// Forgets output `i`, which is being freed.
    final func forgetOutput(_ i: Int) {
        outputReferences[i] = nil
    }

    /// The number of outputs.
    public final var outputCount: Int { outputReferences.count }

    /// Runs the function on `inputs`, recording it in the graph if gradients are on and
    /// any input requires one.
    /// - Throws: the forward pass's error (shapes, axes, dtypes), or
    ///   ``AutogradError/functionReused(_:)`` if this instance was applied before.
    @discardableResult
    public final func apply(_ inputs: [Variable]) throws(AutogradError) -> [Variable] {
        guard !isApplied else { throw .functionReused(name) }
        isApplied = true
        let ys = try forward(inputs.map(\.data))
        let record = GradMode.isEnabled && inputs.contains { $0.requiresGrad }
        let outputs = ys.map { Variable($0, requiresGrad: record) }
        guard record else { return outputs }
        self.inputs = inputs
        generation = inputs.map(\.generation).max() ?? 0
        outputReferences = outputs.map { Unmanaged.passUnretained($0) }
        outputTemplates = ys
        for (i, y) in outputs.enumerated() {
            y.creator = self
            y.outputIndex = i
            y.generation = generation + 1
        }
        return outputs
    }

    /// Runs a single-output function: `let y = Square()(x)`. Stops the program on an
    /// error (a shape mismatch); use ``apply(_:)`` to handle it instead.
    public final func callAsFunction(_ inputs: Variable...) -> Variable {
        let outputs = trapping { () throws(AutogradError) in try apply(inputs) }
        precondition(outputs.count == 1, "\(name) has \(outputs.count) outputs; use apply(_:)")
        return outputs[0]
    }

    /// The backward pass of a one-input, one-output function on a single gradient, for
    /// walking a graph by hand as DeZero's step 7 does: `b.grad = C.backward(y.grad!)`.
    public final func backward(_ gy: Variable) -> Variable {
        backward([gy])[0]
    }

    /// The gradient of each output for a backward pass: the pending one, or zeros.
    func outputGradients() -> [Variable] {
        outputReferences.indices.map { i in
            output(i)?.pendingGrad ?? Variable.constant(outputTemplates[i].filled(with: 0))
        }
    }

    /// Hands the inputs to the caller and forgets them (for ``Teardown``).
    func takeInputs() -> [Variable] {
        defer { inputs = [] }
        return inputs
    }
}
