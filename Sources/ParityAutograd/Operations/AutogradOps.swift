import Autograd
import Parity

/// This library's implementation of every operation in the catalogue (`OpTable`), by
/// name: what ``AutogradBackend`` runs. A test checks that every catalogue entry has one.
public enum AutogradOps {
    /// One operation: the operands as the evaluator hands them over, the options by
    /// name; one result unless the op `Op/returnsList`.
    public typealias Implementation =
        @Sendable (_ operands: [Operand<Variable>], _ options: OptionValues) throws(AutogradError) -> [Variable]

    /// The implementation of `name`, or `nil` if this library has none.
    public static func implementation(of name: OpName) -> Implementation? {
        table[name]
    }

    /// Every implementation, by name.
    static let table: [OpName: Implementation] = {
        var table: [OpName: Implementation] = [:]
        for family in [arithmetic, elementwise, reductions, activations, losses, shapes, linearAlgebra, convolution,
                       normalization] {
            table.merge(family) { _, _ in fatalError("an operation is implemented twice") }
        }
        return table
    }()

    // MARK: - Builders

    /// An operation with one result.
    static func single(
        _ f: @escaping @Sendable (_ operands: [Operand<Variable>], _ options: OptionValues) throws(AutogradError) -> Variable
    ) -> Implementation {
        { (operands, options) throws(AutogradError) in [try f(operands, options)] }
    }

    /// An operation with several results (`Op/returnsList`).
    static func many(_ f: @escaping Implementation) -> Implementation { f }

    /// A function of one tensor.
    static func unary(_ f: @escaping @Sendable (Variable) -> Variable) -> Implementation {
        single { args, _ throws(AutogradError) in f(try args[0].variable()) }
    }

    /// A function of two tensors (a number written there arrives as a constant tensor).
    static func twoTensors(_ f: @escaping @Sendable (Variable, Variable) throws(AutogradError) -> Variable) -> Implementation {
        single { args, _ throws(AutogradError) in try f(try args[0].variable(), try args[1].variable()) }
    }

    /// A binary operator that takes a number on either side, as Python's do.
    static func binary(
        _ tensors: @escaping @Sendable (Variable, Variable) throws(AutogradError) -> Variable,
        _ numberRight: @escaping @Sendable (Variable, Double) -> Variable,
        _ numberLeft: @escaping @Sendable (Double, Variable) -> Variable
    ) -> Implementation {
        single { args, _ throws(AutogradError) in
            switch (args[0], args[1]) {
            case let (.value(a), .number(b)): numberRight(a, b)
            case let (.number(a), .value(b)): numberLeft(a, b)
            default: try tensors(try args[0].variable(), try args[1].variable())
            }
        }
    }
}

extension Operand where Value == Variable {
    /// The operand as a variable: a number becomes a float64 0-d constant.
    public func variable() throws(AutogradError) -> Variable {
        switch self {
        case .value(let v): return v
        case .number(let x): return Variable.constant(Tensor(x))
        case .list, .absent: throw .wrongInputCount(op: "operand", expected: 1, got: 0)
        }
    }

    /// The operand as a variable, `nil` if absent (an optional operand left out).
    public func optionalVariable() throws(AutogradError) -> Variable? {
        if case .absent = self { return nil }
        return try variable()
    }

    /// The operand's number, `nil` if it is not a number (absent, or a tensor).
    public var number: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    /// The operand as a list of variables.
    public func variables() throws(AutogradError) -> [Variable] {
        switch self {
        case .list(let vs): return vs
        case .value, .number: return [try variable()]
        case .absent: return []
        }
    }
}
