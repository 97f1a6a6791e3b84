import Foundation

/// A suite of cases as people write them (`fixtures/specs/NAME.json`), read by both the
/// fixture generator and the Swift side. The suite and case names are ``FixtureName``s.
///
/// ```json
/// {"suite": "seed", "cases": [
///   {"name": "tanh_sigmoid", "expr": "sigmoid(tanh(x))", "inputs": {"x": 1.0}},
///   {"name": "bcast", "expr": "sum(x * y)", "inputs": {"x": {"shape": [3, 1], "randn": 11}, "y": [[1.0, 2.0]]}}
/// ]}
/// ```
public struct SuiteSpec: Sendable {
    public var suite: String
    public var cases: [CaseSpec]

    public init(suite: String, cases: [CaseSpec]) {
        self.suite = suite
        self.cases = cases
    }
}

/// One case of a spec: an expression, its inputs, and how to check it.
public struct CaseSpec: Sendable {
    public var name: String
    /// The expression, in the parity expression language (``Program``).
    public var expr: String
    /// The inputs in the order they were written.
    public var inputs: [(name: String, value: InputSpec)]
    public var dtype: ScalarType
    /// The highest derivative order checked, 1 to 3.
    public var order: Int
    /// Overrides the dtype's default ``Tolerance``.
    public var tolerance: Tolerance?
    /// `"error": true`: torch must refuse the case, and so must Swift (a shape mismatch,
    /// an axis or index out of range).
    public var expectsError: Bool

    public init(name: String, expr: String, inputs: [(name: String, value: InputSpec)],
                dtype: ScalarType = .float64, order: Int = 1, tolerance: Tolerance? = nil, expectsError: Bool = false) {
        self.expectsError = expectsError
        self.name = name
        self.expr = expr
        self.inputs = inputs
        self.dtype = dtype
        self.order = order
        self.tolerance = tolerance
    }
}

/// How an input's values are given: literally, or drawn by the generator from a seed.
///
/// An input is floating-point, of the case's dtype, unless it is int64: a literal with
/// `"dtype": "int64"` (`{"shape": [4], "data": [0, 4, 2, 2], "dtype": "int64"}`, whole
/// numbers within ±2⁵³) or a `randint` draw. An int64 input never gets a gradient (torch
/// cannot differentiate integers); the other inputs keep the case's dtype.
public enum InputSpec: Sendable, Equatable {
    /// A number (0-d), nested arrays, or `{"shape": [...], "data": [...]}`.
    case literal(HostTensor)
    /// `{"shape": [...], "randn": SEED}`: standard normal values.
    case randn(shape: [Int], seed: Int)
    /// `{"shape": [...], "uniform": [LOW, HIGH], "seed": SEED}`: uniform on [LOW, HIGH).
    case uniform(shape: [Int], low: Double, high: Double, seed: Int)
    /// `{"shape": [...], "randint": [LOW, HIGH], "seed": SEED}`: int64 values, uniform on
    /// the integers LOW..<HIGH (torch.randint): class labels, indices. Never differentiated.
    case randint(shape: [Int], low: Int, high: Int, seed: Int)
}

extension SuiteSpec {
    /// Reads a spec file. Errors name the file, the case and the field.
    /// - Throws: ``ParityError`` for a malformed spec, an invalid suite or case name
    ///   (``FixtureName``), or a file or inputs beyond `limits`.
    public init(contentsOf path: String, limits: HarnessLimits = .default) throws(ParityError) {
        self = try FieldReader.readFile(path, kind: "spec", limits: limits) { (text: String) throws(ParityError) in
            try Self(parsing: text, limits: limits)
        }
    }

    /// Reads a spec from JSON text (see ``init(contentsOf:limits:)``).
    public init(parsing text: String, limits: HarnessLimits = .default) throws(ParityError) {
        let root = try FieldReader(document: text, limits: limits)
        _ = try root.members(allowed: ["suite", "cases"])
        suite = try root.required("suite").string()
        try FixtureName.check(suite, field: "suite")
        cases = try root.required("cases").cases(named: \.name, read: CaseSpec.init) { c throws(ParityError) in
            try limits.checkCase(c.inputs.map { ($0.name, $0.value.shape) })
        }
    }
}

extension CaseSpec {
    static let fields: Set<String> = ["name", "expr", "inputs", "dtype", "order", "tolerance", "error"]

    init(_ field: FieldReader) throws(ParityError) {
        _ = try field.members()
        let name = try field.required("name").string()
        // Once the case is named, fields are named relative to it.
        let field = FieldReader(field.value)
        do throws(ParityError) {
            _ = try field.members(allowed: Self.fields)
            try FixtureName.check(name, field: "name")
            self.name = name
            expr = try field.required("expr").string()
            inputs = []
            for (key, value) in try field.required("inputs").members() {
                inputs.append((key, try InputSpec(FieldReader(value, path: "inputs.\(key)"))))
            }
            let dtype = try field.optional("dtype")?.dtype()
            let order = try field.optional("order")?.order()
            self.dtype = dtype ?? .float64
            self.order = order ?? 1
            tolerance = try field.optional("tolerance")?.tolerance()
            let expectsError = try field.optional("error")?.bool()
            self.expectsError = expectsError ?? false
        } catch {
            throw error.inCase(name)
        }
    }
}

extension InputSpec {
    init(_ field: FieldReader) throws(ParityError) {
        guard case .object = field.value else {
            self = .literal(try field.literalTensor())
            return
        }
        if try field.optional("data") != nil {
            self = .literal(try field.hostTensor())
            return
        }
        let shape = try field.required("shape").shape()
        if let seed = try field.optional("randn") {
            _ = try field.members(allowed: ["shape", "randn"])
            self = .randn(shape: shape, seed: try seed.int())
        } else if let range = try field.optional("uniform") {
            _ = try field.members(allowed: ["shape", "uniform", "seed"])
            let bounds = try range.array()
            guard bounds.count == 2 else { throw range.error("expected [LOW, HIGH]") }
            let low = try bounds[0].double(), high = try bounds[1].double()
            guard low.isFinite, high.isFinite, low < high else { throw range.error("expected finite LOW < HIGH") }
            self = .uniform(shape: shape, low: low, high: high, seed: try field.required("seed").int())
        } else if let range = try field.optional("randint") {
            _ = try field.members(allowed: ["shape", "randint", "seed"])
            let bounds = try range.array()
            guard bounds.count == 2 else { throw range.error("expected [LOW, HIGH]") }
            let low = try bounds[0].int(), high = try bounds[1].int()
            let limit = Int(HostTensor.maxInt64Magnitude)
            guard low < high, low >= -limit, high <= limit else { throw range.error("expected integers LOW < HIGH within ±2^53") }
            self = .randint(shape: shape, low: low, high: high, seed: try field.required("seed").int())
        } else {
            throw field.error("expected a number, nested arrays, {\"shape\", \"data\"}, {\"shape\", \"randn\"}, "
                              + "{\"shape\", \"uniform\", \"seed\"} or {\"shape\", \"randint\", \"seed\"}")
        }
    }
}
