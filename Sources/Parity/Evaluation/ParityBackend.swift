import Autograd

/// An autograd implementation the parity harness can run cases on: this library
/// (``SwiftBackend``), torch (in `gen-fixtures`), or another Swift library that wants
/// to reuse the fixtures. It supplies values, the ops of ``OpTable``, and gradients.
public protocol ParityBackend {
    /// A tensor that takes part in a graph (a `Variable`, a torch tensor, ...).
    associatedtype Value

    /// A leaf that requires gradients, holding `tensor` in `dtype` (never called for an
    /// int64 input: those are ``constant(_:dtype:)``s).
    func input(_ tensor: HostTensor, dtype: DType) throws -> Value
    /// A constant (no gradient), for numbers and lists written in an expression and for
    /// int64 inputs. An int64 `tensor` (``HostTensor/isInt64``) is int64 whatever `dtype` says.
    func constant(_ tensor: HostTensor, dtype: DType) throws -> Value
    /// Applies an operation of the op table: one result, or several if it ``Op/returnsList``.
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
}

/// One component of a subscript, as the evaluator hands it to a backend.
public enum SubscriptItem: Sendable, Equatable {
    /// `x[2]`, `x[-1]`: selects one position and drops the axis.
    case index(Int)
    /// `x[1:3]`, `x[::2]`, `x[:]`: a range of positions.
    case slice(start: Int?, stop: Int?, step: Int?)
    /// `x[[0, 2, 0]]`: gathers positions along the axis (repeats allowed).
    case indices([Int])
}

/// One component of a subscript as the evaluator hands it to a backend: a plain
/// ``SubscriptItem`` or an index tensor computed by the expression (`x[t]`).
public enum SubscriptOperand<Value> {
    case item(SubscriptItem)
    /// A tensor of indices (torch: a long tensor; a 0-d one picks one position).
    case tensor(Value)
}

extension ParityBackend {
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

/// This library as a ``ParityBackend``.
public struct SwiftBackend: ParityBackend {
    public init() {}

    public func input(_ tensor: HostTensor, dtype: DType) throws -> Variable {
        Variable(try tensor.tensor(dtype))
    }

    public func constant(_ tensor: HostTensor, dtype: DType) throws -> Variable {
        Variable.constant(try tensor.tensor(dtype))
    }

    /// Applies `operation`; an int64 operand of an op that does not take them
    /// (``Op/takesInt64Operands``) is refused here, with the library's error.
    public func apply(_ operation: Op, _ operands: [Operand<Variable>], _ options: OptionValues) throws -> [Variable] {
        if !operation.takesInt64Operands {
            for operand in operands {
                let values: [Variable] = switch operand {
                case .value(let v): [v]
                case .list(let vs): vs
                case .number: []
                }
                if values.contains(where: { $0.dtype == .int64 }) {
                    throw AutogradError.unsupportedDType(.int64, op: operation.name)
                }
            }
        }
        return try operation.swift(operands, options)
    }

    public func index(_ value: Variable, _ items: [SubscriptItem]) throws -> Variable {
        try getitem(value, items.map { item -> Index in
            switch item {
            case .index(let i): .at(i)
            case let .slice(start, stop, step): .slice(start: start, stop: stop, step: step)
            case .indices(let list): .indices(list)
            }
        })
    }

    public func index(_ value: Variable, _ components: [SubscriptOperand<Variable>]) throws -> Variable {
        try getitem(value, components.map { component -> Index in
            switch component {
            case .item(.index(let i)): .at(i)
            case let .item(.slice(start, stop, step)): .slice(start: start, stop: stop, step: step)
            case .item(.indices(let list)): .indices(list)
            case .tensor(let t): .tensor(t.data)
            }
        })
    }

    public func gradients(of output: Variable, withRespectTo inputs: [Variable], upstream: Variable, createGraph: Bool) throws -> [Variable] {
        try Autograd.gradients(of: output, withRespectTo: inputs, seed: upstream, createGraph: createGraph)
    }

    public func sumOfSums(_ values: [Variable]) throws -> Variable {
        guard var total = values.first.map(sum) else { throw ParityError("no values to sum") }
        for v in values.dropFirst() { total = try add(total, sum(v)) }
        return total
    }

    public func read(_ value: Variable) throws -> HostTensor {
        HostTensor(value.data)
    }
}
