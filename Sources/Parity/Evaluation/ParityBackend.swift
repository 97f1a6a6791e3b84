/// An autograd implementation the parity harness can run cases on: this repository's
/// library (`AutogradBackend`, in `ParityAutograd`), torch (in `gen-fixtures`), the
/// compiler's `_Differentiation` (`ParityDifferentiation`), or any other library that
/// wants to be held to torch's fixtures. It supplies values, the operations of the
/// catalogue (``OpTable``) it implements, and gradients; see <doc:VerifyYourOwnLibrary>.
///
/// A backend declares what it can run (``supportedOperations``, ``supportedScalarTypes``,
/// ``maxOrder``): a case outside that is reported as unsupported, apart from the cases
/// that fail. An implementation may also throw ``ParityError/unsupported(_:)`` for a
/// finer limit (an option it does not take).
public protocol ParityBackend {
    /// A tensor that takes part in a graph (a `Variable`, a torch tensor, ...).
    associatedtype Value

    /// The operations this backend implements, or `nil` (the default) for the whole
    /// catalogue and subscripts. Name them with the typed constants: `[.add, .mul, .tanh]`,
    /// and ``OpName/getitem`` if it implements ``index(_:_:)-(_,[SubscriptItem])``.
    var supportedOperations: Set<OpName>? { get }
    /// The scalar types it computes in: a case of another dtype, or with an int64 input
    /// when ``ScalarType/int64`` is missing, is unsupported. All three by default.
    var supportedScalarTypes: Set<ScalarType> { get }
    /// The highest derivative order it computes (3, the harness's highest, by default).
    var maxOrder: Int { get }

    /// A leaf that requires gradients, holding `tensor` in `dtype` (never called for an
    /// int64 input: those are ``constant(_:dtype:)``s).
    func input(_ tensor: HostTensor, dtype: ScalarType) throws -> Value
    /// A constant (no gradient), for numbers and lists written in an expression and for
    /// int64 inputs. An int64 `tensor` (``HostTensor/isInt64``) is int64 whatever `dtype` says.
    func constant(_ tensor: HostTensor, dtype: ScalarType) throws -> Value
    /// Applies an operation of the catalogue: one result, or several if it ``Op/returnsList``.
    /// Called only for ``supportedOperations``.
    func apply(_ operation: Op, _ operands: [Operand<Value>], _ options: OptionValues) throws -> [Value]
    /// `value[items]`: integer indices, slices and index arrays, numpy/torch style.
    func index(_ value: Value, _ items: [SubscriptItem]) throws -> Value
    /// `value[components]` where a component may be an index tensor (`x[t]`, `t` an int64
    /// value; a tensor of another dtype must be refused, as torch refuses it). The default
    /// handles subscripts without tensors by ``index(_:_:)-(_,[SubscriptItem])`` and refuses the rest.
    func index(_ value: Value, _ components: [SubscriptOperand<Value>]) throws -> Value
    /// The gradients of `output` with respect to `inputs`, seeded with `upstream`
    /// (zeros for an input the output does not depend on). With `createGraph`, the
    /// results can be differentiated again.
    func gradients(of output: Value, withRespectTo inputs: [Value], upstream: Value, createGraph: Bool) throws -> [Value]
    /// `Σᵢ sum(values[i])`, a 0-d value: the scalar whose gradient is the next order.
    func sumOfSums(_ values: [Value]) throws -> Value
    /// The value's shape and data.
    func read(_ value: Value) throws -> HostTensor
    /// What to report for an error this backend threw, or `nil` to report it as
    /// Swift describes it, after the op's name (the default).
    func message(for error: any Error) -> String?
}

/// One component of a subscript, as the evaluator hands it to a backend.
public enum SubscriptItem: Sendable, Equatable {
    /// `x[2]`, `x[-1]`: selects one position and drops the axis.
    case index(Int)
    /// `x[1:3]`, `x[::2]`, `x[:]`: a range of positions.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// `x[[0, 2, 0]]`: gathers positions along the axis (repeats allowed).
    case indices([Int])
    /// `x[..., 0]`: as many whole axes as the other components leave over.
    case ellipsis
    /// `x[None]`: a new axis of size 1 (consumes no axis of `x`).
    case newAxis
}

/// One component of a subscript as the evaluator hands it to a backend: a plain
/// ``SubscriptItem`` or an index tensor computed by the expression (`x[t]`).
public enum SubscriptOperand<Value> {
    case item(SubscriptItem)
    /// A tensor of indices (torch: a long tensor; a 0-d one picks one position).
    case tensor(Value)
}

extension ParityBackend {
    public var supportedOperations: Set<OpName>? { nil }
    public var supportedScalarTypes: Set<ScalarType> { Set(ScalarType.allCases) }
    public var maxOrder: Int { 3 }
    public func message(for error: any Error) -> String? { nil }

    /// Whether this backend implements `operation` (``supportedOperations``).
    public func supports(_ operation: OpName) -> Bool {
        supportedOperations?.contains(operation) ?? true
    }

    /// Why this backend cannot run a case, or `nil` if it declares everything the case
    /// needs: its operations (subscripts count as `getitem`), its dtype, int64 inputs and
    /// its derivative order.
    public func unsupportedReason(
        _ program: Program, dtype: ScalarType, order: Int, inputs: [(name: String, value: HostTensor)]
    ) -> String? {
        // Unknown names are left to the evaluator, which reports them as errors in the case.
        let missing = program.operationNames.filter { name in
            let op = OpName(rawValue: name)
            return (op == .getitem || op.operation != nil) && !supports(op)
        }
        if !missing.isEmpty {
            return "the backend does not implement \(missing.joined(separator: ", "))"
        }
        if !supportedScalarTypes.contains(dtype) { return "the backend does not compute in \(dtype)" }
        if inputs.contains(where: { $0.value.isInt64 }), !supportedScalarTypes.contains(.int64) {
            return "the backend does not take int64 inputs"
        }
        if order > maxOrder { return "the backend differentiates to order \(maxOrder), the case asks for \(order)" }
        return nil
    }

    public func index(_ value: Value, _ components: [SubscriptOperand<Value>]) throws -> Value {
        var items: [SubscriptItem] = []
        for component in components {
            guard case .item(let item) = component else {
                throw ParityError("this backend does not take index tensors")
            }
            items.append(item)
        }
        return try index(value, items)
    }
}
