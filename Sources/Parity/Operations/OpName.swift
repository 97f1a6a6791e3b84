/// The name of an operation of the catalogue (``OpTable``), as expressions spell it:
/// `OpName.sigmoid` is `sigmoid(x)`, `OpName.add` is `a + b`.
///
/// Every catalogue entry has a constant (`OpName+Catalogue.swift`, generated from the
/// catalogue by `swift run parity --op-names --update-file Sources/Parity/Operations/OpName+Catalogue.swift`;
/// a test fails when the two drift apart), so that a backend names the operations it
/// supports with names the compiler checks.
public struct OpName: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// A name as written in expressions. Prefer the constants: `.sigmoid`, `.logSoftmax`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Subscripts, `x[0, 1:]`: not a catalogue entry, but named like one so that a backend
    /// can declare them (``ParityBackend/supportedOperations``) and reports can count them.
    public static let getitem = OpName(rawValue: "getitem")

    public static func < (a: OpName, b: OpName) -> Bool { a.rawValue < b.rawValue }

    /// The catalogue entry of this name, if there is one.
    public var operation: Op? { OpTable.operation(named: rawValue) }

    /// The Swift identifier of a catalogue name: `log_softmax` → `logSoftmax`; Swift
    /// keywords (`where`, `var`) are escaped with backquotes where used.
    static func identifier(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Swift's reserved words that a catalogue name can be (escaped as `` `where` ``).
    static let keywords: Set<String> = ["where", "var", "let", "in", "is", "as", "if", "for", "return", "repeat", "switch"]

    /// The source of `OpName+Catalogue.swift`: one constant per catalogue entry, in
    /// catalogue order, each with the op's summary and torch counterpart.
    public static func catalogueSource() -> String {
        var out = """
        // Generated from the op catalogue (OpTable) by
        //   swift run parity --op-names --update-file Sources/Parity/Operations/OpName+Catalogue.swift
        // Do not edit: change the catalogue and generate again (a test checks that they agree).

        extension OpName {

        """
        for op in OpTable.all {
            var identifier = identifier(op.name)
            if keywords.contains(identifier) { identifier = "`\(identifier)`" }
            out += "    /// \(op.summary) (`\(op.torch)`)\n"
            out += "    public static let \(identifier) = OpName(rawValue: \"\(op.name)\")\n"
        }
        return out + "}\n"
    }
}
