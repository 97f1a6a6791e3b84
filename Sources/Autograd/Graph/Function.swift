/// An operation in the graph, the base class of every op (DeZero's `Function`).
///
/// A subclass writes two methods, side by side:
/// - ``forward(_:)`` computes outputs from raw tensors;
/// - ``backward(_:)-([Variable])`` maps the outputs' gradients to the inputs' gradients, with
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
///
/// A custom op of two inputs, `y = a · sin(b)`: `forward` with ``Tensor``'s math (no
/// graph), `backward` with Variable operations on ``input(_:)`` (so that it can be
/// differentiated again). For inputs that broadcast, reduce each gradient to its input's
/// shape with ``sumTo(_:_:)``; this example assumes equal shapes.
///
/// ```swift
/// final class SinProduct: Function {
///     override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
///         [xs[0] * xs[1].sin()]
///     }
///     override func backward(_ gys: [Variable]) -> [Variable] {
///         let (a, b, gy) = (input(0), input(1), gys[0])
///         return [gy * sin(b), gy * a * cos(b)]
///     }
/// }
///
/// let a = Variable(2.0), b = Variable(0.5)
/// let y = SinProduct()(a, b)        // a fresh instance per call: a function is one node
/// y.backward(createGraph: true)     // keep the graph of the gradients
/// let gb = b.grad!                  // a · cos(b)
/// a.cleargrad(); b.cleargrad()
/// gb.backward()                     // b.grad = -a · sin(b), a.grad = cos(b)
/// ```
///
/// Once applied, a function is only read (by backward passes, which may run on several
/// threads at once when its graph is shared, see <doc:ThreadSafety>): a subclass must not
/// change its own stored properties after ``forward(_:)``.
open class Function {
    // The graph links are stored so that the common case allocates nothing beyond the
    // function itself and stays small (a million-op chain is a million of these): the
    // first two inputs and the first output inline, any others in `moreLinks` (only
    // concatenation has more than two inputs, only split more than one output).
    // The hot fields skip Swift's run-time exclusivity checks, as in `Variable`.
    @exclusivity(unchecked) private var firstInput: Variable?
    @exclusivity(unchecked) private var secondInput: Variable?
    /// The outputs, not owned: a graph is owned from its outputs down (an owning
    /// reference back would be a cycle). An output clears its slot when it dies
    /// (``Variable/detachFromCreator()``), so a slot is either a live variable or `nil`.
    /// Unowned rather than `weak`: a weak reference gives every variable a side table
    /// and sends all its reference counting down the slow path.
    @exclusivity(unchecked) private var firstOutput: Unmanaged<Variable>?
    private var moreLinks: MoreLinks?
    /// The largest generation among the inputs; backward visits later generations first.
    @exclusivity(unchecked) public private(set) var generation = 0
    @exclusivity(unchecked) private var storedInputCount: Int32 = 0
    @exclusivity(unchecked) private var storedOutputCount: Int32 = 0
    /// Set once applied; a function instance is one node of one graph.
    @exclusivity(unchecked) private var isApplied = false

    /// Inputs beyond the second and outputs beyond the first.
    private final class MoreLinks {
        var inputs: [Variable] = []
        var outputs: [Unmanaged<Variable>?] = []
        /// Each output's value (shape and dtype), for a zero gradient if an output is
        /// gone. (The engine reaches a function only through a live output, so a single
        /// output is always there when its gradient is needed.)
        var outputTemplates: [Tensor] = []
    }

    /// The number of inputs recorded (0 until applied with gradients on).
    public var inputCount: Int { Int(storedInputCount) }
    /// The number of outputs recorded.
    public var outputCount: Int { Int(storedOutputCount) }

    public init() {}

    /// A short name for messages and graph drawings: the class name by default.
    open var name: String { String(describing: type(of: self)) }

    /// Whether this op takes ``DType/int64`` inputs. `false` by default: ``apply(_:)``
    /// refuses an int64 input with ``AutogradError/unsupportedDType(_:op:)`` before
    /// ``forward(_:)`` runs, so a float op never sees integers. The ops that only move
    /// elements (reshape, transpose, broadcast, indexing, concatenate, split) override it
    /// with `true`; their forward passes keep the dtype. Integer outputs never require
    /// gradients, so such an op is never recorded for them.
    open var acceptsIntegerInputs: Bool { false }

    /// Computes the outputs from the inputs' raw tensors.
    open func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        fatalError("\(name) must override forward(_:)")
    }

    /// Computes the inputs' gradients (one per input, in order) from the outputs'
    /// gradients (one per output, in order), with differentiable ``Variable`` operations.
    open func backward(_ gys: [Variable]) -> [Variable] {
        fatalError("\(name) must override backward(_:)")
    }

    /// The backward pass on raw tensors, for passes that record nothing (first-order
    /// gradients, the common case): the same formulas as ``Function/backward(_:)-([Variable])``, with the same
    /// order of operations and so the same results to the last bit, but without building
    /// the Variables and Functions that make ``Function/backward(_:)-([Variable])`` differentiable. An op may
    /// override it for speed; `nil` (the default) makes the engine call ``Function/backward(_:)-([Variable])``.
    open func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        nil
    }

    /// The variables this function was applied to, kept for the backward pass.
    public var inputs: [Variable] { (0..<inputCount).map(input) }

    /// Input `i` (without building the ``inputs`` array).
    public final func input(_ i: Int) -> Variable {
        switch i {
        case 0: firstInput!
        case 1: secondInput!
        default: moreLinks!.inputs[i - 2]
        }
    }

    /// The outputs that are still alive, in order.
    public var outputs: [Variable?] { (0..<outputCount).map(output) }

    /// Output `i`, if it is still alive (without building the ``outputs`` array).
    public final func output(_ i: Int) -> Variable? {
        (i == 0 ? firstOutput : moreLinks!.outputs[i - 1])?.takeUnretainedValue()
    }

    /// Forgets output `i`, which is being freed.
    final func forgetOutput(_ i: Int) {
        if i == 0 { firstOutput = nil } else { moreLinks!.outputs[i - 1] = nil }
    }

    /// Runs the function on `inputs`, recording it in the graph if gradients are on and
    /// any input requires one.
    /// - Throws: the forward pass's error (shapes, axes, dtypes),
    ///   ``AutogradError/unsupportedDType(_:op:)`` for an int64 input to an op that does
    ///   not accept one (see ``acceptsIntegerInputs``), or
    ///   ``AutogradError/functionReused(_:)`` if this instance was applied before.
    @discardableResult
    public final func apply(_ inputs: [Variable]) throws(AutogradError) -> [Variable] {
        try markApplied()
        for x in inputs { try checkDType(x.data) }
        let ys = try forward(inputs.map(\.data))
        let record = GradMode.isEnabled && inputs.contains { $0.requiresGrad }
        // An integer output of a recorded op (a custom op) is a constant: never differentiable.
        let outputs = ys.map { Variable($0, name: nil, requiresGradUnchecked: record && $0.dtype.isFloatingPoint) }
        guard record else { return outputs }
        recordInputs(inputs)
        for (i, y) in outputs.enumerated() { recordOutput(y, index: i) }
        if outputs.count > 1 { moreLinks!.outputTemplates = ys }
        return outputs
    }

    /// Links `inputs` into the graph (see ``apply(_:)``).
    final func recordInputs(_ inputs: [Variable]) {
        storedInputCount = Int32(inputs.count)
        firstInput = inputs.first
        secondInput = inputs.count > 1 ? inputs[1] : nil
        if inputs.count > 2 { links().inputs = Array(inputs[2...]) }
        generation = inputs.reduce(0) { max($0, $1.generation) }
    }

    /// Links the one input of a one-input function, without building an array.
    final func recordInput(_ x: Variable) {
        storedInputCount = 1
        firstInput = x
        generation = x.generation
    }

    /// Makes `y` this function's output number `index`. Called in order of `index`.
    final func recordOutput(_ y: Variable, index: Int) {
        if index == 0 { firstOutput = Unmanaged.passUnretained(y) } else { links().outputs.append(Unmanaged.passUnretained(y)) }
        storedOutputCount = Int32(index + 1)
        y.creator = self
        y.outputIndex = index
        y.generation = generation + 1
    }

    private func links() -> MoreLinks {
        if let more = moreLinks { return more }
        let more = MoreLinks()
        moreLinks = more
        return more
    }

    /// Refuses an integer input unless the op accepts one (see ``acceptsIntegerInputs``).
    /// - Throws: ``AutogradError/unsupportedDType(_:op:)``.
    @inline(__always)
    final func checkDType(_ x: Tensor) throws(AutogradError) {
        if !x.dtype.isFloatingPoint && !acceptsIntegerInputs { throw .unsupportedDType(x.dtype, op: name) }
    }

    /// Marks a fresh instance as applied.
    /// - Throws: ``AutogradError/functionReused(_:)`` if it was applied before.
    final func markApplied() throws(AutogradError) {
        guard !isApplied else { throw .functionReused(name) }
        isApplied = true
    }

    /// Runs a single-output function: `let y = Square()(x)`. Stops the program on an
    /// error (a shape mismatch); use ``apply(_:)`` to handle it instead.
    public final func callAsFunction(_ inputs: Variable...) -> Variable {
        let outputs = trapping { () throws(AutogradError) in try apply(inputs) }
        if outputs.count != 1 { fatalError("\(name) has \(outputs.count) outputs; use apply(_:)") }
        return outputs[0]
    }

    /// The backward pass of a one-input, one-output function on a single gradient, for
    /// walking a graph by hand as DeZero's step 7 does: `b.grad = C.backward(y.grad!)`.
    /// Like step 7's backward on plain arrays it records nothing (storing a recorded
    /// gradient in `b.grad` would tie `b` and its gradient into a reference cycle); call
    /// `backward(_ gys: [Variable])` with gradients on to differentiate it further.
    public final func backward(_ gy: Variable) -> Variable {
        withNoGrad { backward([gy])[0] }
    }

    /// Zeros shaped like output `i` of a multi-output function, for an output that is gone.
    func zeroGradient(ofOutput i: Int) -> Tensor {
        guard let templates = moreLinks?.outputTemplates, i < templates.count else {
            fatalError("\(name): the gradient of a freed single output was asked for")
        }
        return templates[i].filled(with: 0)
    }

    /// Hands the inputs to the caller and forgets them (for ``Teardown``).
    func takeInputs(into list: inout [Variable]) {
        if let x = firstInput.take() { list.append(x) }
        if let x = secondInput.take() { list.append(x) }
        if let more = moreLinks { list.append(contentsOf: more.inputs) }
        moreLinks = nil
        storedInputCount = 0
    }
}
