/// One value of an OpInfo sample, as `torch_opinfo.py` dumps it: the input, a positional
/// argument or a keyword argument of the call torch's test suite makes.
public enum OpInfoValue: Sendable, Equatable {
    case tensor(OpInfoTensor)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case string(String)
    /// Python's `None`.
    case pythonNone
    case list([OpInfoValue])
    /// A `torch.dtype` (`dtype=torch.float64`), by name.
    case dtype(String)
    /// Something the dump cannot carry, by Python type name.
    case unsupported(String)
}

/// A tensor of an OpInfo sample: its shape, torch dtype name and values (row-major, as
/// `Double`; `nil` when the dump left out a tensor too large to carry).
public struct OpInfoTensor: Sendable, Equatable {
    public var shape: [Int]
    /// torch's name: `float64`, `float32`, `int64`, `int32`, `bool`, `complex128`, ...
    public var dtype: String
    public var data: [Double]?
    public var requiresGrad: Bool

    public var isFloatingPoint: Bool { ["float64", "float32", "float16", "bfloat16"].contains(dtype) }
    public var isInteger: Bool { ["int64", "int32", "int16", "int8", "uint8", "bool"].contains(dtype) }
}

/// One sample: `op(input, *args, **kwargs)`.
public struct OpInfoSample: Sendable {
    public var input: OpInfoValue
    public var args: [OpInfoValue]
    public var kwargs: [(name: String, value: OpInfoValue)]
    /// The sample's own name in torch's test suite (often empty).
    public var note: String
    /// `sample` (`sample_inputs`) or `reference` (`reference_inputs`).
    public var source: String
    /// Set when the dump could not encode the sample.
    public var error: String?
}

/// The samples of one OpInfo for one op of the catalogue, in one dtype.
public struct OpInfoSamples: Sendable {
    /// The catalogue op the samples are for.
    public var op: String
    public var opInfo: String
    public var variant: String
    /// Whether torch's op_db has this OpInfo.
    public var found: Bool
    public var supportsAutograd: Bool
    public var supportsGradgrad: Bool
    public var samples: [OpInfoSample]
    /// Why no samples could be taken (the OpInfo raised), if so.
    public var error: String?
}

extension OpInfoSamples {
    /// The dump of `torch_opinfo.samples` for several requests: a JSON array.
    public static func parse(_ text: String) throws(ParityError) -> [OpInfoSamples] {
        // A dump carries every sample's values: far more items than a spec may hold.
        let limits = HarnessLimits(maxFileBytes: 1 << 40, maxJSONDepth: 64, maxJSONItems: Int.max)
        let root = try FieldReader(document: text, limits: limits)
        var result: [OpInfoSamples] = []
        for item in try root.array() {
            var samples: [OpInfoSample] = []
            for s in try item.required("samples").array() {
                if let error = try s.optional("error") {
                    samples.append(OpInfoSample(input: .pythonNone, args: [], kwargs: [], note: "", source: "sample",
                                                error: try error.string()))
                    continue
                }
                var kwargs: [(String, OpInfoValue)] = []
                for (key, value) in try s.required("kwargs").members() {
                    kwargs.append((key, try FieldReader(value, path: s.child("kwargs.\(key)")).opInfoValue()))
                }
                samples.append(OpInfoSample(
                    input: try s.required("input").opInfoValue(),
                    args: try s.required("args").array().map { reader throws(ParityError) in try reader.opInfoValue() },
                    kwargs: kwargs,
                    note: try s.optional("note")?.string() ?? "",
                    source: try s.optional("source")?.string() ?? "sample",
                    error: nil))
            }
            func flag(_ key: String) throws(ParityError) -> Bool { try item.optional(key)?.bool() ?? false }
            let error: String? = switch try item.optional("error")?.value {
            case .string(let s)?: s
            default: nil
            }
            result.append(OpInfoSamples(
                op: try item.required("op").string(), opInfo: try item.required("opinfo").string(),
                variant: try item.optional("variant")?.string() ?? "", found: try flag("found"),
                supportsAutograd: try flag("supports_autograd"), supportsGradgrad: try flag("supports_gradgrad"),
                samples: samples, error: error))
        }
        return result
    }
}

extension FieldReader {
    /// One dumped value (see `torch_opinfo.py`).
    func opInfoValue() throws(ParityError) -> OpInfoValue {
        switch value {
        case .null: return .pythonNone
        case .bool(let b): return .bool(b)
        case .integer(let n): return .integer(n)
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .array: throw error("a dumped value is never a bare array")
        case .object(let members):
            guard members.count == 1, let (key, _) = members.first else { throw error("a dumped value has one key") }
            let field = try required(key)
            switch key {
            case "tensor":
                let shape = try field.required("shape").shape()
                let data: [Double]? = switch try field.optional("data")?.value {
                case .null?, nil: nil
                default: try field.required("data").array().map { reader throws(ParityError) in try reader.double() }
                }
                return .tensor(OpInfoTensor(shape: shape, dtype: try field.required("dtype").string(), data: data,
                                            requiresGrad: try field.optional("requires_grad")?.bool() ?? false))
            case "float": return .number(try field.double())
            case "list": return .list(try field.array().map { reader throws(ParityError) in try reader.opInfoValue() })
            case "dtype": return .dtype(try field.string())
            case "unsupported": return .unsupported(try field.string())
            default: throw error("unknown dumped value kind '\(key)'")
            }
        }
    }
}
