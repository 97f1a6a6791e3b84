/// How the samples of one of torch's OpInfos (its test suite's inputs for an op) become
/// calls of a catalogue op: which OpInfo, how its call's parameters are named, which of
/// them are the op's operands, and, where torch's calling convention differs from the
/// catalogue's, a rewrite.
///
/// A sample is `op(input, *args, **kwargs)`. Its values are bound to torch's parameter
/// names (``parameters``: the input's name, then the positional ones), the keywords
/// added; the rewrite (if any) adjusts them; the op's operands take the values of
/// ``operands``, and every other named value must be one of the op's options under its
/// torch name (``Op/Option/torchName``), `None`, or a default in ``defaults``.
/// Anything else makes the sample inexpressible, with the reason.
public struct OpInfoMapping: Sendable {
    /// The OpInfo's `name` in torch's `op_db` (`nn.functional.softplus`).
    public let opInfo: String
    /// Its `variant_test_name` (empty for the main one).
    public let variant: String
    /// The names the call binds: the sample's input first, then its positional arguments.
    public let parameters: [String]
    /// The torch names of the op's operands, in the catalogue's order.
    public let operands: [String]
    /// Parameters the catalogue op has no option for, accepted at torch's default value
    /// only (`inplace=False`).
    public let defaults: [String: OpInfoValue]
    /// Adjusts a bound call where conventions differ (a weight stored transposed, a
    /// sibling op for an absent bias). Throws the reason a sample cannot be expressed.
    public let rewrite: (@Sendable (inout OpInfoCall) throws(OpInfoSkip) -> Void)?

    public init(
        _ opInfo: String, variant: String = "", parameters: [String], operands: [String],
        defaults: [String: OpInfoValue] = [:],
        rewrite: (@Sendable (inout OpInfoCall) throws(OpInfoSkip) -> Void)? = nil
    ) {
        self.opInfo = opInfo
        self.variant = variant
        self.parameters = parameters
        self.operands = operands
        self.defaults = defaults
        self.rewrite = rewrite
    }
}

/// A sample bound to parameter names, on its way to a catalogue call.
public struct OpInfoCall: Sendable {
    /// The catalogue op it calls (a rewrite may pick a sibling: `conv2d_nobias`).
    public var op: String
    /// The torch names of the op's operands (a rewrite may change them with the op).
    public var operands: [String]
    /// The bound values, by torch parameter name.
    public var arguments: [String: OpInfoValue]
    /// Parameters accepted only at this value.
    public var defaults: [String: OpInfoValue]
    /// For an op that returns several results (`split`): how many this call gives, which a
    /// rewrite works out from the arguments; each becomes a case of its own.
    public var results: Int?
    /// Written after the call (a subscript: `[:, :, 1:, :]`), where the op's result needs
    /// trimming to be torch's.
    public var suffix = ""
}

/// Why a sample cannot be written as a catalogue call.
public struct OpInfoSkip: Error, Sendable, Equatable {
    public let reason: String
    /// Whether the sample was left out for its size (a tensor the dump did not carry),
    /// not for anything the language lacks: reported apart, outside the expressible share.
    public let tooLarge: Bool

    public init(_ reason: String, tooLarge: Bool = false) {
        self.reason = reason
        self.tooLarge = tooLarge
    }
}
