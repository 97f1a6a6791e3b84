/// One entry of the op catalogue (``OpTable``): an expression's function name or operator,
/// its operands and options, and its torch counterpart. Everything that needs to know
/// about ops (the evaluator, every backend, the fuzzer, the coverage matrix of
/// <doc:Coverage>, the tests) reads the catalogue; each backend supplies the
/// implementations (this library's are in `ParityAutograd`).
public struct Op: Sendable {
    /// What an operand may be. Operands are written positionally, in catalogue order, or
    /// by keyword under their ``operandNames`` (torch's: `weight=w`); the trailing ones from
    /// ``requiredOperandCount`` on are optional (absent, or `None`).
    public enum OperandKind: Sendable {
        /// A tensor; a number or list written here becomes a constant tensor of the case's dtype.
        case tensor
        /// A tensor or a plain number (as on either side of `x * 2`), passed on as a number.
        case tensorOrNumber
        /// A list of tensors: `cat([a, b], axis=0)`.
        case tensorList
    }

    /// A keyword option such as `axis=1` or `keepdims=true`.
    public struct Option: Sendable {
        public enum Kind: Sendable, Equatable {
            /// An integer or a list of integers (`axis=1`, `axis=[0, 2]`).
            case axes
            /// A list of integers (a shape, a permutation); a single integer means `[n]`.
            case ints
            case int
            case number
            case bool
            /// One of a few strings: `reduction='sum'`. The evaluator passes any string on,
            /// so that a backend refuses an unknown one as torch does (an error case).
            case choice([String])
        }

        public let name: String
        public let kind: Kind
        /// The keyword torch's counterpart takes it as (`dim` for `axis`). Expressions
        /// accept it beside ``name`` (`sum(x, dim=1)`), but not both in one call.
        public let torchName: String

        /// torch's `dtype=` on softmax and reductions: the input cast to that dtype first
        /// (`softmax(x, dim=1, dtype='float64')`; torch writes `torch.float64`).
        public static let dtype = Option("dtype", .choice(["float32", "float64"]))

        public init(_ name: String, _ kind: Kind, torch torchName: String? = nil) {
            self.name = name
            self.kind = kind
            self.torchName = torchName ?? name
        }
    }

    /// Where an operand's values must lie for the op to be defined and well-conditioned,
    /// for generated inputs (the fuzzer keeps random inputs inside it).
    public enum Domain: Sendable, Equatable {
        case any
        /// Strictly positive (`log`, `sqrt`, the base of `pow`).
        case positive
        /// Away from zero (a divisor).
        case nonzero
        /// Strictly between 0 and 1 (a probability).
        case probability
        /// A whole number in `0..<C`, `C` the size of the first operand's class axis (the
        /// labels of `softmax_cross_entropy`; anything else is refused).
        case classLabel
        /// Strictly between −1 and 1 (`asin`, `acos`, `atanh`).
        case insideUnit
        /// Strictly above 1 (`acosh`).
        case aboveOne
    }

    /// The name used in expressions: `sigmoid(x)`; operators have names too (`add` for `+`).
    public let name: String
    /// ``name`` as a typed name (`OpName.sigmoid`).
    public var opName: OpName { OpName(rawValue: name) }
    public let operands: [OperandKind]
    /// The keyword of each operand (torch's parameter name), or `nil` where it has none
    /// (then it can only be written positionally). Set with ``naming(operands:required:)``.
    public private(set) var operandNames: [String?]
    /// How many leading operands must be given; the rest are optional and reach a
    /// backend as ``Operand/absent`` when left out (all are required by default).
    public private(set) var requiredOperandCount: Int
    public let options: [Option]
    /// Options that must be given.
    public let requiredOptions: Set<String>
    /// The Python callable that computes the same thing in torch, as a dotted path
    /// (`torch.sigmoid`, `operator.add`, or `torch_ops.NAME` for the few adapters in
    /// `Sources/gen-fixtures/torch_ops.py`), called with the operands positionally and the
    /// options as keywords renamed to ``Option/torchName``.
    public let torch: String
    /// Whether the op returns several tensors (a tuple in torch), indexed in expressions:
    /// `s = split(x, [1, 2], axis=1); s[0] + s[1]`.
    public let returnsList: Bool
    /// A one-line summary, with the math.
    public let summary: String
    /// The domain of each operand (``Domain/any`` unless set with ``with(domains:smooth:)``).
    public private(set) var domains: [Domain]
    /// Whether the op is smooth on its domain (no kinks, steps or ties), so that random
    /// inputs can be differentiated to any order and checked by central differences.
    public private(set) var isSmooth = true
    /// The highest derivative order torch computes for the op (3, the harness's highest,
    /// unless torch has no double backward: `hardsigmoid`'s is 1).
    public private(set) var torchMaxOrder = 3
    /// Whether int64 operands are meaningful (shape moves, comparisons, cross-entropy
    /// labels, argmax), so that a backend passes them to its implementation. For every
    /// other op torch refuses int64 operands or promotes them, and a backend should refuse
    /// them itself (this library's backend does, with its own error).
    public private(set) var takesInt64Operands = false
    /// Whether the result is int64 (`argmax`): compared exactly, never differentiated.
    public private(set) var returnsInt64 = false

    /// A catalogue entry; one result unless `returnsList`.
    public init(
        _ name: String, operands: [OperandKind], options: [Option] = [], required: Set<String> = [],
        torch: String, returnsList: Bool = false, summary: String
    ) {
        self.name = name
        self.operands = operands
        self.options = options
        self.requiredOptions = required
        self.torch = torch
        self.returnsList = returnsList
        self.summary = summary
        self.domains = Array(repeating: .any, count: operands.count)
        self.operandNames = Array(repeating: nil, count: operands.count)
        self.requiredOperandCount = operands.count
    }

    /// This op with its operands' keywords (torch's parameter names) and, if `required`
    /// is given, only that many leading operands required (the rest optional).
    public func naming(operands names: [String?], required: Int? = nil) -> Op {
        precondition(names.count == operands.count, "\(name): one keyword (or nil) per operand")
        var copy = self
        copy.operandNames = names
        if let required { copy.requiredOperandCount = required }
        return copy
    }

    /// Whether operand `slot` may be left out.
    public func isOptionalOperand(_ slot: Int) -> Bool {
        slot >= requiredOperandCount
    }

    /// This op with int64 operands passed to the Swift implementation (``takesInt64Operands``),
    /// and with an int64 result if `returnsInt64`.
    public func acceptingInt64(returnsInt64: Bool = false) -> Op {
        var copy = self
        copy.takesInt64Operands = true
        copy.returnsInt64 = returnsInt64
        return copy
    }

    /// This op with the highest order torch differentiates it to.
    public func differentiable(upTo order: Int) -> Op {
        var copy = self
        copy.torchMaxOrder = order
        return copy
    }

    /// This op with operand domains and smoothness set.
    public func with(domains: [Domain]? = nil, smooth: Bool = true) -> Op {
        var copy = self
        if let domains { copy.domains = domains }
        copy.isSmooth = smooth
        return copy
    }
}

/// An operand as a backend receives it.
public enum Operand<Value> {
    /// One of the backend's values.
    case value(Value)
    /// A plain number (only for ``Op/OperandKind/tensorOrNumber``).
    case number(Double)
    /// Several values (only for ``Op/OperandKind/tensorList``).
    case list([Value])
    /// An optional operand left out or given `None` (``Op/requiredOperandCount``).
    case absent
}

/// The value of an option in an expression.
public enum OptionValue: Sendable, Equatable {
    case int(Int)
    case ints([Int])
    case bool(Bool)
    case number(Double)
    /// A string (for ``Op/Option/Kind/choice(_:)`` options).
    case string(String)
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

    /// An integer list option (a single integer counts as a one-element list).
    public func ints(_ name: String) -> [Int]? {
        axes(name)
    }

    public func int(_ name: String) -> Int? {
        if case .int(let i) = values[name] { return i }
        return nil
    }

    public func number(_ name: String) -> Double? {
        switch values[name] {
        case .number(let x): x
        case .int(let i): Double(i)
        default: nil
        }
    }

    /// A string option (``Op/Option/Kind/choice(_:)``), `nil` if absent.
    public func string(_ name: String) -> String? {
        if case .string(let s) = values[name] { return s }
        return nil
    }

    public func bool(_ name: String, default value: Bool) -> Bool {
        if case .bool(let b) = values[name] { return b }
        return value
    }
}
