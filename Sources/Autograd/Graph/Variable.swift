/// A node of the graph: a tensor (``data``), its gradient (``grad``), and the
/// ``Function`` that produced it (``creator``), as in DeZero.
///
/// ```swift
/// let x = Variable(0.5)
/// let y = square(exp(square(x)))
/// y.backward()
/// x.grad?.data.scalar   // 3.297442541400256
/// ```
///
/// Variables made by the user are leaves (`creator == nil`) and keep their gradient
/// after ``backward(retainGrad:createGraph:)``. Intermediate results keep theirs only
/// if ``retainGrad()`` was called on them, or `retainGrad: true` is passed.
///
/// A variable may be shared between threads and tasks as torch's tensors are: using it
/// as an input, and backward passes and ``gradients(of:withRespectTo:seed:createGraph:)``
/// through it, may run at once, and the additions of concurrent passes into one
/// ``grad`` are serialised. Assigning ``data``, ``grad``, ``name`` or ``requiresGrad`` (or calling
/// ``cleargrad()``) while another thread uses the variable is a data race. See
/// <doc:ThreadSafety>.
public final class Variable: @unchecked Sendable {
    // A million-op chain is a million of these, so the fields are ordered to pack (the
    // flags fill the tensor's tail padding). The fields the engine touches are
    // `@exclusivity(unchecked)`: Swift would otherwise check at run time, on every
    // access, that no two accesses overlap, which was a quarter of the cost of an op on
    // a scalar. Nothing in the library takes overlapping inout accesses to them (nor can
    // a user without `swap(&v.data, &v.data)`-like code, which is then undefined).

    /// The value.
    @exclusivity(unchecked) public var data: Tensor
    /// Whether gradients flow to this variable. `false` for constants (numbers in
    /// `x * 2`) and for results computed only from such constants or under ``withNoGrad(_:)``.
    ///
    /// A leaf's flag may be changed (torch's `requires_grad_()`), to freeze a parameter:
    /// graphs built afterwards treat it as a constant, and a backward pass gives it no
    /// gradient. Changing it on a computed result, or asking an int64 leaf to require
    /// gradients, stops the program with torch's complaint (torch raises).
    public var requiresGrad: Bool {
        get { storedRequiresGrad }
        set {
            if creator != nil {
                fatalError("requiresGrad: you can only change the requiresGrad flag of leaf variables")
            }
            if newValue && !data.dtype.isFloatingPoint {
                fatalError(AutogradError.unsupportedDType(data.dtype, op: "Variable.requiresGrad = true").description)
            }
            storedRequiresGrad = newValue
        }
    }
    @exclusivity(unchecked) private var storedRequiresGrad: Bool
    /// Whether this intermediate result keeps its ``grad`` after a backward pass.
    @exclusivity(unchecked) public private(set) var retainsGrad = false
    @exclusivity(unchecked) private var storedOutputIndex: Int32 = 0
    /// The creator's generation + 1 (0 for leaves): a variable is always of a later
    /// generation than everything it was computed from, which orders backward.
    @exclusivity(unchecked) var generation = 0
    /// The gradient of the last backward pass's output with respect to this variable,
    /// accumulated over passes until ``cleargrad()``. A `Variable`, so that it can be
    /// differentiated again (see `createGraph`).
    @exclusivity(unchecked) public var grad: Variable?
    /// The function whose output this is; `nil` for leaves and constants.
    @exclusivity(unchecked) public internal(set) var creator: Function?
    /// An optional label, shown in descriptions.
    public var name: String?

    /// Which output of its creator this variable is.
    var outputIndex: Int {
        get { Int(storedOutputIndex) }
        set { storedOutputIndex = Int32(newValue) }
    }

    /// A leaf holding `data` that requires gradients if it can: a floating-point tensor
    /// does; an ``DType/int64`` tensor (labels, indices) makes a constant, since integers
    /// are never differentiable (torch: "only Tensors of floating point dtype can require
    /// gradients").
    /// - Parameters:
    ///   - data: The value.
    ///   - name: An optional label, shown in descriptions.
    public init(_ data: Tensor, name: String? = nil) {
        self.data = data
        self.name = name
        self.storedRequiresGrad = data.dtype.isFloatingPoint
    }

    /// A leaf holding `data`, requiring gradients or not as asked.
    ///
    /// Asking an ``DType/int64`` tensor to require gradients stops the program with
    /// ``AutogradError/unsupportedDType(_:op:)``'s description, as torch raises: pass
    /// `requiresGrad: false` (or use ``constant(_:)``), or convert the tensor with
    /// ``Tensor/converted(to:)`` first.
    /// - Parameters:
    ///   - data: The value.
    ///   - name: An optional label, shown in descriptions.
    ///   - requiresGrad: Whether gradients flow to this variable.
    public init(_ data: Tensor, name: String? = nil, requiresGrad: Bool) {
        if requiresGrad && !data.dtype.isFloatingPoint {
            fatalError(AutogradError.unsupportedDType(data.dtype, op: "Variable(requiresGrad: true)").description)
        }
        self.data = data
        self.name = name
        self.storedRequiresGrad = requiresGrad
    }

    /// A variable whose `requiresGrad` the caller has checked against the dtype (the ops' outputs).
    init(_ data: Tensor, name: String?, requiresGradUnchecked: Bool) {
        self.data = data
        self.name = name
        self.storedRequiresGrad = requiresGradUnchecked
    }

    /// A leaf holding a 0-d tensor.
    public convenience init(_ scalar: Double, dtype: DType = .float64, name: String? = nil) {
        self.init(Tensor(scalar, dtype: dtype), name: name)
    }

    /// A constant: a number or tensor that takes part in the graph but gets no gradient.
    public static func constant(_ data: Tensor) -> Variable {
        Variable(data, requiresGrad: false)
    }

    /// A 0-d constant of the same dtype as `other`, for a plain number in `x * 2`.
    static func constant(_ value: Double, like other: Variable) -> Variable {
        Variable(Tensor(value, dtype: other.dtype), requiresGrad: false)
    }

    public var shape: [Int] { data.shape }
    public var dtype: DType { data.dtype }
    public var rank: Int { data.rank }
    public var count: Int { data.count }

    /// Keep this intermediate result's gradient after backward passes (torch's `retain_grad()`).
    public func retainGrad() {
        retainsGrad = true
    }

    /// Forget the gradient (DeZero's `cleargrad`, torch's `x.grad = None`).
    public func cleargrad() {
        grad = nil
    }

    /// Releases the graph behind this variable iteratively (see ``Teardown``): without
    /// it a chain of a few tens of thousands of nodes overflows the stack on release.
    deinit {
        guard creator != nil || grad != nil else { return }
        Teardown.dismantle(self)
    }

    /// Takes this variable out of its creator's outputs and returns the creator, for a
    /// variable that is being freed.
    func detachFromCreator() -> Function? {
        guard let creator = creator.take() else { return nil }
        creator.forgetOutput(outputIndex)
        return creator
    }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        let label = name.map { "\($0) = " } ?? ""
        return "variable(\(label)\(data))"
    }
}
