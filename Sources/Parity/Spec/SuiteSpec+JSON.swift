/// Writing specs: the inverse of ``SuiteSpec/init(parsing:)``, for cases made by a
/// program (the fuzzer) rather than by people.
extension SuiteSpec {
    /// The spec file's text, one case per line as people write them:
    ///
    /// ```json
    /// {"suite": "fuzz-1", "cases": [
    ///   {"name": "fuzz-1/0", "expr": "tanh(x)", "inputs": {"x": {"shape": [2], "data": [0.5, -1.25]}}},
    ///   ...
    /// ]}
    /// ```
    public var jsonText: String {
        let lines = cases.map { "  " + JSONWriter.line($0.json) }
        return "{\"suite\": \(JSONWriter.quote(suite)), \"cases\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
    }
}

extension CaseSpec {
    /// The case as a spec entry. Fields at their default (`dtype` float64, `order` 1, no
    /// tolerance, no error) are left out, as people leave them out.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name)),
            ("expr", .string(expr)),
            ("inputs", .object(inputs.map { ($0.name, $0.value.json) })),
        ]
        if dtype != .float64 { members.append(("dtype", .string(dtype.rawValue))) }
        if order != 1 { members.append(("order", .integer(order))) }
        if let tolerance { members.append(("tolerance", tolerance.json)) }
        if expectsError { members.append(("error", .bool(true))) }
        return .object(members)
    }

    /// The case on one line, ready to paste into a spec file's `cases`.
    public var jsonLine: String { JSONWriter.line(json) }
}

extension InputSpec {
    /// The input as a spec writes it: literal values as `{"shape", "data"}`.
    public var json: JSONValue {
        switch self {
        case .literal(let tensor):
            tensor.json
        case let .randn(shape, seed):
            .object([("shape", .array(shape.map { .integer($0) })), ("randn", .integer(seed))])
        case let .uniform(shape, low, high, seed):
            .object([("shape", .array(shape.map { .integer($0) })),
                     ("uniform", .array([.number(low), .number(high)])), ("seed", .integer(seed))])
        case let .randint(shape, low, high, seed):
            .object([("shape", .array(shape.map { .integer($0) })),
                     ("randint", .array([.integer(low), .integer(high)])), ("seed", .integer(seed))])
        }
    }
}
