/// Turns torch's OpInfo samples into cases of the expression language: each sample
/// becomes a call of the catalogue op it is mapped to (``OpInfoMapping``), with its
/// tensors as the case's inputs, or is skipped with the reason it cannot be written.
public enum OpInfoConverter {
    /// What became of one sample.
    public enum Outcome: Sendable {
        /// One case, or one per result of an op that returns several (`split`), of the
        /// catalogue op `op` (which a rewrite may have chosen: `linear_nobias`).
        case converted(op: String, cases: [CaseSpec])
        case skipped(OpInfoSkip)
    }

    /// The derivative order of a sample's cases: 2 where the OpInfo supports second
    /// derivatives (`supports_gradgrad`), 1 where it supports only first ones or none, and
    /// 1 for an op whose result is int64.
    public static func order(_ samples: OpInfoSamples, op: Op) -> Int {
        samples.supportsAutograd && samples.supportsGradgrad && !op.returnsInt64 ? 2 : 1
    }

    /// Converts sample `index` of `samples` in `dtype`.
    public static func convert(
        _ sample: OpInfoSample, index: Int, of samples: OpInfoSamples, mapping: OpInfoMapping, dtype: ScalarType
    ) -> Outcome {
        do throws(OpInfoSkip) {
            let (op, cases) = try cases(sample, index: index, of: samples, mapping: mapping, dtype: dtype)
            return .converted(op: op, cases: cases)
        } catch {
            return .skipped(error)
        }
    }

    static func cases(
        _ sample: OpInfoSample, index: Int, of samples: OpInfoSamples, mapping: OpInfoMapping, dtype: ScalarType
    ) throws(OpInfoSkip) -> (op: String, cases: [CaseSpec]) {
        if let error = sample.error { throw OpInfoSkip("the sample could not be dumped (\(error))") }
        guard sample.args.count < mapping.parameters.count else {
            throw OpInfoSkip("\(sample.args.count) positional arguments, more than \(mapping.opInfo)'s known parameters")
        }
        var arguments: [String: OpInfoValue] = [mapping.parameters[0]: sample.input]
        for (name, value) in zip(mapping.parameters.dropFirst(), sample.args) { arguments[name] = value }
        for (name, value) in sample.kwargs {
            guard arguments.updateValue(value, forKey: name) == nil else {
                throw OpInfoSkip("'\(name)' given both positionally and as a keyword")
            }
        }
        var call = OpInfoCall(op: samples.op, operands: mapping.operands, arguments: arguments, defaults: mapping.defaults)
        try mapping.rewrite?(&call)
        guard let op = OpTable.operation(named: call.op) else { throw OpInfoSkip("no catalogue op '\(call.op)'") }
        guard call.operands.count == op.operands.count else {
            throw OpInfoSkip("the mapping names \(call.operands.count) operands, \(op.name) takes \(op.operands.count)")
        }

        var inputs = Inputs(takesInt64: op.takesInt64Operands)
        var texts: [String] = []
        for (slot, (name, kind)) in zip(call.operands, op.operands).enumerated() {
            let value = call.arguments.removeValue(forKey: name) ?? .pythonNone
            if op.isOptionalOperand(slot) {
                // An optional operand is left out when None, and written by keyword otherwise.
                if value == .pythonNone { continue }
                guard let keyword = op.operandNames[slot] else { throw OpInfoSkip("the operand \(name) has no keyword") }
                texts.append("\(keyword)=" + (try operand(value, kind: kind, name: name, inputs: &inputs)))
            } else {
                texts.append(try operand(value, kind: kind, name: name, inputs: &inputs))
            }
        }
        // Options in torch's parameter order (then the keywords, by name): the same sample
        // always gives the same text.
        let position = Dictionary(mapping.parameters.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, value) in call.arguments.sorted(by: {
            (position[$0.key] ?? .max, $0.key) < (position[$1.key] ?? .max, $1.key)
        }) {
            if value == .pythonNone { continue }
            guard let option = op.options.first(where: { $0.torchName == name || $0.name == name }) else {
                if call.defaults[name] == value { continue }
                throw OpInfoSkip("torch's \(name)=\(describe(value)) has no counterpart")
            }
            texts.append("\(option.name)=\(try optionText(value, kind: option.kind, name: name))")
        }
        let expr = "\(op.name)(\(texts.joined(separator: ", ")))" + call.suffix
        let base = "\(op.name)_\(dtype == .float64 ? "f64" : "f32")_\(index)"
        let order = Self.order(samples, op: op)
        if op.returnsList {
            guard let count = call.results, count > 0 else { throw OpInfoSkip("\(op.name)'s number of results is unknown") }
            return (op.name, (0..<count).map { k in
                CaseSpec(name: "\(base)_r\(k)", expr: "results = \(expr); results[\(k)]", inputs: inputs.specs, dtype: dtype,
                         order: order)
            })
        }
        return (op.name, [CaseSpec(name: base, expr: expr, inputs: inputs.specs, dtype: dtype, order: order)])
    }

    /// The case's inputs, named in order of appearance.
    struct Inputs {
        let takesInt64: Bool
        var specs: [(name: String, value: InputSpec)] = []

        static let names = ["x", "y", "z", "u", "v", "w", "p", "q", "r", "s"]

        /// The most elements a constant tensor is written out with in the expression.
        static let literalLimit = 4_096

        /// Adds `t` as an input and returns its name, or, for a floating-point tensor that
        /// torch's sample does not differentiate (`requires_grad=False`: a loss's weights,
        /// which torch refuses to differentiate), writes it as a constant. Integer tensors
        /// stay int64 for ops that take them (labels, indices, conditions), and become the
        /// case's float dtype otherwise (clamp's int32 bounds), as torch promotes them.
        mutating func add(_ t: OpInfoTensor) throws(OpInfoSkip) -> String {
            guard let data = t.data else {
                throw OpInfoSkip("a tensor of shape \(t.shape) too large for the dump", tooLarge: true)
            }
            if t.isFloatingPoint, !t.requiresGrad {
                guard data.count <= Self.literalLimit else { throw OpInfoSkip("a constant tensor of \(data.count) elements") }
                return OpInfoConverter.literal(shape: t.shape, data)
            }
            let host: HostTensor
            if t.isFloatingPoint {
                host = HostTensor(shape: t.shape, data: data)
            } else if t.isInteger {
                host = HostTensor(shape: t.shape, data: data, dtype: takesInt64 ? .int64 : nil)
            } else {
                throw OpInfoSkip("a \(t.dtype) tensor")
            }
            let name = specs.count < Self.names.count ? Self.names[specs.count] : "t\(specs.count)"
            specs.append((name, .literal(host)))
            return name
        }
    }

    private static func operand(
        _ value: OpInfoValue, kind: Op.OperandKind, name: String, inputs: inout Inputs
    ) throws(OpInfoSkip) -> String {
        switch (value, kind) {
        case (.tensor(let t), .tensor), (.tensor(let t), .tensorOrNumber):
            return try inputs.add(t)
        case (.number, .tensorOrNumber), (.integer, .tensorOrNumber), (.number, .tensor), (.integer, .tensor),
             (.bool, .tensor), (.bool, .tensorOrNumber):
            // A Python scalar: torch promotes it with the tensors (False is 0).
            return try number(value, name: name)
        case (.list(let items), .tensorOrNumber) where items.allSatisfy({ if case .integer = $0 { true } else { false } }):
            // A list of integers (split's sizes) is a constant tensor written in the expression.
            var numbers: [String] = []
            for item in items { numbers.append(try number(item, name: name)) }
            return "[\(numbers.joined(separator: ", "))]"
        case (.list(let items), .tensorList):
            var names: [String] = []
            for item in items {
                guard case .tensor(let t) = item else { throw OpInfoSkip("\(name): a list with a \(describe(item)) in it") }
                names.append(try inputs.add(t))
            }
            return "[\(names.joined(separator: ", "))]"
        case (.pythonNone, _):
            throw OpInfoSkip("no value for the operand \(name)")
        default:
            throw OpInfoSkip("the operand \(name) as \(describe(value))")
        }
    }

    /// `data` of `shape` as nested lists (a number for a 0-d tensor), each value written so
    /// that it reads back exactly.
    static func literal(shape: [Int], _ data: [Double]) -> String {
        func text(_ x: Double) -> String { x.isNaN ? "nan" : x.isInfinite ? (x < 0 ? "-inf" : "inf") : "\(x)" }
        func nested(_ axis: Int, _ offset: Int) -> String {
            guard axis < shape.count else { return text(data[offset]) }
            let stride = shape[(axis + 1)...].reduce(1, *)
            return "[" + (0..<shape[axis]).map { nested(axis + 1, offset + $0 * stride) }.joined(separator: ", ") + "]"
        }
        return nested(0, 0)
    }

    private static func number(_ value: OpInfoValue, name: String) throws(OpInfoSkip) -> String {
        switch value {
        case .integer(let n): return "\(n)"
        case .number(let x) where x.isFinite: return "\(x)"
        case .number(let x) where x.isNaN: return "nan"
        case .number(let x): return x < 0 ? "-inf" : "inf"
        case .bool(let b): return b ? "1" : "0"
        default: throw OpInfoSkip("\(name)=\(describe(value)) is not a number")
        }
    }

    private static func optionText(_ value: OpInfoValue, kind: Op.Option.Kind, name: String) throws(OpInfoSkip) -> String {
        func integer(_ v: OpInfoValue) throws(OpInfoSkip) -> Int {
            guard case .integer(let n) = v else { throw OpInfoSkip("\(name)=\(describe(v)) where an integer is expected") }
            return n
        }
        switch kind {
        case .axes, .ints:
            if case .list(let items) = value {
                var list: [String] = []
                for item in items { list.append("\(try integer(item))") }
                return "[\(list.joined(separator: ", "))]"
            }
            return "\(try integer(value))"
        case .int:
            return "\(try integer(value))"
        case .number:
            return try number(value, name: name)
        case .bool:
            guard case .bool(let b) = value else { throw OpInfoSkip("\(name)=\(describe(value)) where a boolean is expected") }
            return b ? "true" : "false"
        case .choice:
            // Any string is written: one the op does not know is refused on both sides.
            if case .dtype(let name) = value { return "'\(name)'" }  // torch.float64 is 'float64'
            guard case .string(let s) = value, !s.contains("'"), !s.contains("\\") else {
                throw OpInfoSkip("\(name)=\(describe(value)) where a string is expected")
            }
            return "'\(s)'"
        }
    }

    /// A short description of a value for skip reasons.
    static func describe(_ value: OpInfoValue) -> String {
        switch value {
        case .tensor(let t): "a \(t.shape.count)-d \(t.dtype) tensor"
        case .number(let x): "\(x)"
        case .integer(let n): "\(n)"
        case .bool(let b): b ? "True" : "False"
        case .string(let s): "'\(s)'"
        case .pythonNone: "None"
        case .list(let items): "[\(items.map(describe).joined(separator: ", "))]"
        case .dtype(let d): "torch.\(d)"
        case .unsupported(let type): "a \(type)"
        }
    }
}
