import Foundation

/// A suite of cases with torch's results (`fixtures/torch/NAME.json`): written by
/// `gen-fixtures`, read by `swift test` and `parity`. Self-describing: it holds the exact
/// inputs and upstream gradient used, so no side re-creates random numbers.
public struct FixtureSuite: Sendable {
    public var suite: String
    /// The torch and Python versions that produced it.
    public var torch: String
    public var python: String
    public var cases: [FixtureCase]

    public init(suite: String, torch: String, python: String, cases: [FixtureCase]) {
        self.suite = suite
        self.torch = torch
        self.python = python
        self.cases = cases
    }
}

/// One case with its reference results.
public struct FixtureCase: Sendable {
    public var name: String
    public var expr: String
    public var dtype: ScalarType
    public var order: Int
    public var tolerance: Tolerance?
    /// The inputs; an int64 one (``HostTensor/isInt64``) is a constant, with no gradient.
    public var inputs: [(name: String, value: HostTensor)]
    /// The gradient fed into the output: 1 for a 0-d output, seeded random values
    /// otherwise; empty (shape `[0]`) for an int64 output, which is not differentiated.
    public var upstream: HostTensor
    public var output: HostTensor
    /// `grads[k-1]` is the order-k gradient, one tensor per floating-point input
    /// (``differentiableInputs``), in input order:
    /// `g1 = grad(output, inputs, upstream)`, `gk = grad(Σᵢ sum(g(k-1)ᵢ), inputs)`.
    /// Empty for an int64 output.
    public var grads: [[HostTensor]]
    /// For a case marked `"error": true`: torch's exception (`RuntimeError: ...`). Such a
    /// case has no upstream, output or gradients (they are empty).
    public var refusal: String?
    /// For a float32 case: torch's results for the same inputs and upstream in float64,
    /// so that a report can set Swift's float32 error beside torch's own.
    public var float64: ReferenceValues?

    public init(name: String, expr: String, dtype: ScalarType, order: Int, tolerance: Tolerance?,
                inputs: [(name: String, value: HostTensor)], upstream: HostTensor, output: HostTensor, grads: [[HostTensor]],
                refusal: String? = nil) {
        self.refusal = refusal
        self.name = name
        self.expr = expr
        self.dtype = dtype
        self.order = order
        self.tolerance = tolerance
        self.inputs = inputs
        self.upstream = upstream
        self.output = output
        self.grads = grads
    }

    /// A case torch refuses, with torch's message.
    public static func refused(name: String, expr: String, dtype: ScalarType, order: Int,
                               inputs: [(name: String, value: HostTensor)], message: String) -> FixtureCase {
        let empty = HostTensor(shape: [0], data: [])
        return FixtureCase(name: name, expr: expr, dtype: dtype, order: order, tolerance: nil, inputs: inputs,
                           upstream: empty, output: empty, grads: [], refusal: message)
    }

    /// The reference values of a case: its output and gradients of every order.
    public struct ReferenceValues: Sendable {
        public var output: HostTensor
        public var grads: [[HostTensor]]

        public init(output: HostTensor, grads: [[HostTensor]]) {
            self.output = output
            self.grads = grads
        }
    }

    /// The tolerance the case is checked with (int64 values are compared exactly).
    public var effectiveTolerance: Tolerance { tolerance ?? .default(for: dtype) }

    /// The inputs that get gradients: all but the int64 ones, in input order.
    public var differentiableInputs: [(name: String, value: HostTensor)] {
        inputs.filter { !$0.value.isInt64 }
    }

    /// Whether the case has gradients: not for a refusal, nor for an int64 output.
    public var isDifferentiated: Bool { refusal == nil && !output.isInt64 }
}

extension FixtureSuite {
    /// The JSON document, as committed.
    public var json: JSONValue {
        .object([
            ("suite", .string(suite)),
            ("torch", .string(torch)),
            ("python", .string(python)),
            ("cases", .array(cases.map(\.json))),
        ])
    }

    /// Reads a fixture file. Errors name the file, the case and the field.
    /// - Throws: ``ParityError`` for a malformed fixture (a duplicate case name, a refused
    ///   case with results), or a file or tensor beyond `limits`.
    public init(contentsOf path: String, limits: HarnessLimits = .default) throws(ParityError) {
        self = try FieldReader.readFile(path, kind: "fixture", limits: limits) { (text: String) throws(ParityError) in
            try Self(parsing: text, limits: limits)
        }
    }

    /// Reads a fixture from JSON text (see ``init(contentsOf:limits:)``).
    public init(parsing text: String, limits: HarnessLimits = .default) throws(ParityError) {
        let root = try FieldReader(document: text, limits: limits)
        _ = try root.members(allowed: ["suite", "torch", "python", "cases"])
        suite = try root.required("suite").string()
        torch = try root.required("torch").string()
        python = try root.required("python").string()
        cases = try root.required("cases").cases(named: \.name, read: FixtureCase.init) { c throws(ParityError) in
            try c.checkLimits(limits)
        }
    }
}

extension FixtureCase {
    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name)),
            ("expr", .string(expr)),
            ("dtype", .string(dtype.rawValue)),
            ("order", .integer(order)),
        ]
        if let tolerance { members.append(("tolerance", tolerance.json)) }
        members.append(("inputs", .object(inputs.map { ($0.name, $0.value.json) })))
        if let refusal {
            members.append(("error", .string(refusal)))
            return .object(members)
        }
        // An int64 output is not differentiated: no upstream, no gradients.
        if output.isInt64 {
            members.append(("output", output.json))
            return .object(members)
        }
        members += [
            ("upstream", upstream.json),
            ("output", output.json),
            ("grads", gradsJSON(grads)),
        ]
        if let float64 {
            members.append(("float64", .object([("output", float64.output.json), ("grads", gradsJSON(float64.grads))])))
        }
        return .object(members)
    }

    private func gradsJSON(_ grads: [[HostTensor]]) -> JSONValue {
        .array(grads.map { g in .object(zip(differentiableInputs, g).map { ($0.name, $1.json) }) })
    }

    init(_ field: FieldReader) throws(ParityError) {
        _ = try field.members()
        let name = try field.required("name").string()
        // Once the case is named, fields are named relative to it.
        let field = FieldReader(field.value)
        do throws(ParityError) {
            _ = try field.members(allowed: ["name", "expr", "dtype", "order", "tolerance", "inputs", "error", "upstream", "output", "grads", "float64"])
            self.name = name
            expr = try field.required("expr").string()
            dtype = try field.required("dtype").dtype()
            order = try field.required("order").order()
            tolerance = try field.optional("tolerance")?.tolerance()
            inputs = []
            for (key, value) in try field.required("inputs").members() {
                inputs.append((key, try FieldReader(value, path: "inputs.\(key)").hostTensor()))
            }
            if let refusal = try field.optional("error") {
                let results = ["upstream", "output", "grads", "float64"]
                if let both = results.first(where: { field.value[$0] != nil }) {
                    throw ParityError("a refused case (\"error\") cannot also have \"\(both)\"", field: both)
                }
                self = .refused(name: name, expr: expr, dtype: dtype, order: order, inputs: inputs, message: try refusal.string())
                return
            }
            refusal = nil
            output = try field.required("output").hostTensor()
            if output.isInt64 {
                if let extra = ["upstream", "grads", "float64"].first(where: { field.value[$0] != nil }) {
                    throw ParityError("an int64 output is not differentiated; the case cannot have \"\(extra)\"", field: extra)
                }
                upstream = HostTensor(shape: [0], data: [])
                grads = []
                float64 = nil
                return
            }
            upstream = try field.required("upstream").hostTensor()
            if upstream.isInt64 { throw ParityError("the upstream gradient cannot be int64", field: "upstream") }
            guard upstream.shape == output.shape else {
                throw ParityError("upstream shape \(upstream.shape) differs from output shape \(output.shape)", field: "upstream")
            }
            grads = try Self.grads(try field.required("grads"), order: order, inputs: inputs)
            if let reference = try field.optional("float64") {
                _ = try reference.members(allowed: ["output", "grads"])
                float64 = ReferenceValues(output: try reference.required("output").hostTensor(),
                                          grads: try Self.grads(try reference.required("grads"), order: order, inputs: inputs))
            } else {
                float64 = nil
            }
        } catch {
            throw error.inCase(name)
        }
    }

    /// Throws unless every input fits `limits` (each tensor, and their total), and so
    /// does every other tensor (upstream, output, gradients, float64 results).
    public func checkLimits(_ limits: HarnessLimits) throws(ParityError) {
        try limits.checkCase(inputs.map { ($0.name, $0.value.shape) })
        let results: [(field: String, tensor: HostTensor)] = [("upstream", upstream), ("output", output)]
            + grads.enumerated().flatMap { k, g in zip(differentiableInputs, g).map { ("grads[\(k)].\($0.name)", $1) } }
            + (float64.map { [("float64.output", $0.output)] } ?? [])
        for (field, tensor) in results {
            do {
                _ = try limits.checkTensor(tensor.shape)
            } catch {
                throw ParityError(error.message, field: field)
            }
        }
    }

    /// `[{NAME: TENSOR}, ...]`, one object per order, one floating-point tensor per
    /// floating-point input (an int64 input has none).
    private static func grads(_ field: FieldReader, order: Int, inputs allInputs: [(name: String, value: HostTensor)]) throws(ParityError) -> [[HostTensor]] {
        let inputs = allInputs.filter { !$0.value.isInt64 }
        let orders = try field.array()
        guard orders.count == order else {
            throw field.error("\(orders.count) gradient orders for a case of order \(order)")
        }
        var grads: [[HostTensor]] = []
        for g in orders {
            var byInput: [HostTensor] = []
            for (inputName, inputValue) in inputs {
                let t = try g.required(inputName).hostTensor()
                guard !t.isInt64 else { throw ParityError("a gradient cannot be int64", field: g.child(inputName)) }
                guard t.shape == inputValue.shape else {
                    throw ParityError("gradient shape \(t.shape) differs from the input's \(inputValue.shape)",
                                      field: g.child(inputName))
                }
                byInput.append(t)
            }
            _ = try g.members(allowed: Set(inputs.map(\.name)))
            grads.append(byInput)
        }
        return grads
    }
}
