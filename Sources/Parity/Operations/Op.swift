import Autograd

/// One entry of the op table: how an expression's function name or operator maps to
/// the Swift implementation and to its torch counterpart. Everything that needs to
/// know about ops (the evaluators on both sides, the README's op list, the fuzzer)
/// reads ``OpTable``.
public struct Operation: Sendable {
    /// What a positional operand may be.
    public enum OperandKind: Sendable {
        /// A tensor; a number or list written here becomes a constant tensor of the case's dtype.
        case tensor
        /// A tensor or a plain number (as on either side of `x * 2`), passed on as a number.
        case tensorOrNumber
    }

    /// A keyword option such as `axis=1` or `keepdims=true`.
    public struct Option: Sendable {
        public enum Kind: Sendable {
            /// An integer or a list of integers (`axis=1`, `axis=[0, 2]`).
            case axes
            case bool
        }

        public let name: String
        public let kind: Kind
        /// The keyword torch uses for it (`dim` for `axis`).
        public let torchName: String

        public init(_ name: String, _ kind: Kind, torch torchName: String) {
            self.name = name
            self.kind = kind
            self.torchName = torchName
        }
    }

    /// The name used in expressions: `sigmoid(x)`; operators have names too (`add` for `+`).
    public let name: String
    public let operands: [OperandKind]
    public let options: [Option]
    /// The Python callable that computes the same thing in torch, as a dotted path
    /// (`torch.sigmoid`, `operator.add`), called with the operands and the options
    /// renamed to ``Option/torchName``.
    public let torch: String
    /// A one-line summary, with the math.
    public let summary: String
    /// The Swift implementation.
    public let swift: @Sendable (_ operands: [Operand<Variable>], _ options: OptionValues) throws(AutogradError) -> Variable

    public init(
        _ name: String, operands: [OperandKind], options: [Option] = [], torch: String, summary: String,
        swift: @escaping @Sendable (_ operands: [Operand<Variable>], _ options: OptionValues) throws(AutogradError) -> Variable
    ) {
        self.name = name
        self.operands = operands
        self.options = options
        self.torch = torch
        self.summary = summary
        self.swift = swift
    }
}

/// An operand as a backend receives it: one of its values, or a plain number.
public enum Operand<Value> {
    case value(Value)
    case number(Double)
}

/// The value of an option in an expression.
public enum OptionValue: Sendable, Equatable {
    case int(Int)
    case ints([Int])
    case bool(Bool)
}

/// The options given to one call, by name.
public struct OptionValues: Sendable, Equatable {
    public var values: [String: OptionValue]

    public init(_ values: [String: OptionValue] = [:]) {
        self.values = values
    }

    /// The axes of `name`: `nil` if absent, one or several otherwise.
    public func axes(_ name: String) -> [Int]? {
        switch values[name] {
        case .int(let a): [a]
        case .ints(let a): a
        default: nil
        }
    }

    public func bool(_ name: String, default value: Bool) -> Bool {
        if case .bool(let b) = values[name] { return b }
        return value
    }
}
