import Autograd

/// An autograd implementation the parity harness can run cases on: this library
/// (``SwiftBackend``), torch (in `gen-fixtures`), or another Swift library that wants
/// to reuse the fixtures. It supplies values, the ops of ``OpTable``, and gradients.
public protocol ParityBackend {
    /// A tensor that takes part in a graph (a `Variable`, a torch tensor, ...).
    associatedtype Value

    /// A leaf that requires gradients, holding `tensor` in `dtype`.
    func input(_ tensor: HostTensor, dtype: DType) throws -> Value
    /// A constant (no gradient), for numbers and lists written in an expression.
    func constant(_ tensor: HostTensor, dtype: DType) throws -> Value
    /// Applies an operation of the op table: one result, or several if it ``Op/returnsList``.
    func apply(_ operation: Op, _ operands: [Operand<Value>], _ options: OptionValues) throws -> [Value]
    /// `value[items]`: integer indices, slices and index arrays, numpy/torch style.
    func index(_ value: Value, _ items: [SubscriptItem]) throws -> Value
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

/// This library as a ``ParityBackend``.
public struct SwiftBackend: ParityBackend {
    public init() {}

    public func input(_ tensor: HostTensor, dtype: DType) throws -> Variable {
        Variable(try tensor.tensor(dtype))
    }

    public func constant(_ tensor: HostTensor, dtype: DType) throws -> Variable {
        Variable.constant(try tensor.tensor(dtype))
    }

    public func apply(_ operation: Op, _ operands: [Operand<Variable>], _ options: OptionValues) throws -> [Variable] {
        try operation.swift(operands, options)
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
