import Autograd
import Parity

/// This repository's autograd library as a `ParityBackend`: every operation of
/// the catalogue, in float64 and float32, to the third order.
public struct AutogradBackend: ParityBackend, Sendable {
    public init() {}

    /// Every catalogue entry this library implements (all of them: a test checks it),
    /// and subscripts.
    public var supportedOperations: Set<OpName>? { Self.operations }

    /// Worked out once: the harness asks for every operation of every case.
    private static let operations = Set(OpTable.all.map(\.opName).filter { AutogradOps.implementation(of: $0) != nil } + [.getitem])

    public func input(_ tensor: HostTensor, dtype: ScalarType) throws -> Variable {
        Variable(try tensor.tensor(DType(dtype)))
    }

    public func constant(_ tensor: HostTensor, dtype: ScalarType) throws -> Variable {
        Variable.constant(try tensor.tensor(DType(dtype)))
    }

    /// Applies `operation`; an int64 operand of an op that does not take them
    /// (`Op.takesInt64Operands`) is refused here, with the library's error
    /// (some of its non-throwing functions, `exp(_:)`, would stop the program instead).
    public func apply(_ operation: Op, _ operands: [Operand<Variable>], _ options: OptionValues) throws -> [Variable] {
        guard let implementation = AutogradOps.implementation(of: operation.opName) else {
            throw ParityError.unsupported("the library does not implement \(operation.name)")
        }
        if !operation.takesInt64Operands {
            for operand in operands {
                let values: [Variable] = switch operand {
                case .value(let v): [v]
                case .list(let vs): vs
                case .number, .absent: []
                }
                if values.contains(where: { $0.dtype == .int64 }) {
                    throw AutogradError.unsupportedDType(.int64, op: operation.name)
                }
            }
        }
        // torch's `dtype=` (softmax, the reductions) casts the input first.
        if let name = options.string("dtype"), operation.options.contains(where: { $0.name == "dtype" }) {
            guard let dtype = DType(rawValue: name), dtype.isFloatingPoint else {
                throw AutogradError.invalidArgument(op: operation.name, reason: "dtype must be 'float32' or 'float64', not '\(name)'")
            }
            var cast = operands
            cast[0] = .value(try operands[0].variable().to(dtype))
            return try implementation(cast, options)
        }
        return try implementation(operands, options)
    }

    public func index(_ value: Variable, _ items: [SubscriptItem]) throws -> Variable {
        try getitem(value, items.map { item -> Index in
            switch item {
            case .index(let i): .at(i)
            case let .slice(start, stop, step): .slice(start: start, stop: stop, step: step)
            case .indices(let list): .indices(list)
            case .ellipsis: .ellipsis
            case .newAxis: .newAxis
            }
        })
    }

    public func index(_ value: Variable, _ components: [SubscriptOperand<Variable>]) throws -> Variable {
        try getitem(value, components.map { component -> Index in
            switch component {
            case .item(.index(let i)): .at(i)
            case let .item(.slice(start, stop, step)): .slice(start: start, stop: stop, step: step)
            case .item(.indices(let list)): .indices(list)
            case .item(.ellipsis): .ellipsis
            case .item(.newAxis): .newAxis
            case .tensor(let t): .tensor(t.data)
            }
        })
    }

    /// An upstream gradient of another floating-point dtype than the output's (the case's
    /// dtype, where `dtype=` changed the output's) is cast to the output's first, as
    /// torch's engine casts `grad_outputs`.
    public func gradients(of output: Variable, withRespectTo inputs: [Variable], upstream: Variable, createGraph: Bool) throws -> [Variable] {
        let seed = upstream.dtype != output.dtype && upstream.dtype.isFloatingPoint && output.dtype.isFloatingPoint
            ? upstream.to(output.dtype) : upstream
        return try Autograd.gradients(of: output, withRespectTo: inputs, seed: seed, createGraph: createGraph)
    }

    public func sumOfSums(_ values: [Variable]) throws -> Variable {
        guard var total = values.first.map(sum) else { throw ParityError("no values to sum") }
        for v in values.dropFirst() { total = try add(total, sum(v)) }
        return total
    }

    public func read(_ value: Variable) throws -> HostTensor {
        HostTensor(value.data)
    }

    /// The library's own message for its errors.
    public func message(for error: any Error) -> String? {
        (error as? AutogradError)?.description
    }
}
