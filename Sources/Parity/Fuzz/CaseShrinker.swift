/// Shrinks a failing case to a small one that still fails, by greedy simplification.
///
/// From the current case it derives simpler candidates, in this order: drop a statement
/// nothing uses; end the program at a statement (its value as the result); put one of
/// a node's operands, or an input or earlier statement's name, in the node's place (so
/// a call gives way to its argument); inline a statement used once or one that only
/// renames; drop a keyword option or the last subscript component; drop an unused
/// input, or replace every use of an input by another input; shrink an input's shape
/// (an axis to 1 or one shorter, keeping the leading values, or a size-1 axis removed);
/// lower the order; switch float32 to float64; round an input's values to one decimal,
/// then to integers. The first candidate that is strictly smaller (`Measure`), still
/// valid and still fails becomes the current case, and the search starts again; it
/// stops when no candidate fails or after ``maxAttempts`` calls of the predicate.
///
/// "Valid" is checked on the backend under test (``backend``) before the predicate is asked
/// (which is what may run torch): the candidate must parse, and if the original case
/// evaluated there (to its order) so must the candidate, with finite values if the
/// original's were finite. So
/// a shrunk case stays inside the ops' domains (removing the `exp` from `log(exp(x))`
/// gives NaN and is not kept), and a mismatch does not turn into a crash.
public struct CaseShrinker: Sendable {
    /// The most candidates handed to the predicate.
    public var maxAttempts: Int
    /// The backend that checks a candidate is still valid (the library under test).
    public let backend: any ParityBackend & Sendable

    public init(backend: any ParityBackend & Sendable, maxAttempts: Int = 500) {
        self.backend = backend
        self.maxAttempts = maxAttempts
    }

    /// The outcome of a shrink.
    public struct Result: Sendable {
        /// The smallest failing case found (the original if nothing smaller fails).
        public var minimal: CaseSpec
        /// How many candidates were accepted.
        public var steps: Int
        /// How many times the predicate was called.
        public var attempts: Int
        /// Whether the search stopped at ``CaseShrinker/maxAttempts`` rather than at a minimum.
        public var exhausted: Bool
    }

    /// Shrinks `spec`, a case for which `stillFails` is true. Only literal inputs are
    /// shrunk (generated inputs are left as they are).
    public func shrink(_ spec: CaseSpec, stillFails: (CaseSpec) -> Bool) -> Result {
        let requirement = BackendRequirement(of: spec, on: backend)
        var current = spec
        var currentMeasure = Measure(spec)
        var steps = 0, attempts = 0
        search: while attempts < maxAttempts {
            for candidate in Self.candidates(of: current) {
                guard let measure = Measure(candidate), let known = currentMeasure, measure < known,
                      requirement.isMet(by: candidate) else { continue }
                guard attempts < maxAttempts else { break search }
                attempts += 1
                if stillFails(candidate) {
                    current = candidate
                    currentMeasure = measure
                    steps += 1
                    continue search
                }
            }
            return Result(minimal: current, steps: steps, attempts: attempts, exhausted: false)
        }
        return Result(minimal: current, steps: steps, attempts: attempts, exhausted: true)
    }

    // MARK: - Candidates

    /// The simpler variants of `spec`, the largest simplifications first.
    static func candidates(of spec: CaseSpec) -> [CaseSpec] {
        guard let program = try? Program(parsing: spec.expr) else { return [] }
        var results: [CaseSpec] = []
        func with(_ statements: [Statement], _ result: Expression, inputs: [(name: String, value: InputSpec)]? = nil) {
            var candidate = spec
            candidate.expr = (statements.map(\.description) + [result.description]).joined(separator: "; ")
            if let inputs { candidate.inputs = inputs }
            results.append(candidate)
        }
        let statements = program.statements
        let inputNames = spec.inputs.map(\.name)

        // Statements nothing uses.
        for (i, statement) in statements.enumerated() where !isUsed(statement.name, after: i, program) {
            with(Array(statements[..<i] + statements[(i + 1)...]), program.result)
        }

        // A statement's value as the result, dropping what follows it.
        for (i, statement) in statements.enumerated() {
            with(Array(statements[..<i]), statement.value)
        }

        // One node replaced, in the result and then in each statement (outermost first).
        let resultNames = inputNames + statements.map(\.name)
        for rewritten in program.result.rewrites({ replacements($0, names: resultNames) }) {
            with(statements, rewritten)
        }
        for (i, statement) in statements.enumerated() {
            let names = inputNames + statements[..<i].map(\.name)
            for rewritten in statement.value.rewrites({ replacements($0, names: names) }) {
                var edited = statements
                edited[i] = Statement(name: statement.name, value: rewritten, location: statement.location)
                with(edited, program.result)
            }
        }

        // Statements used once, or that only rename (`a = x`), inlined.
        for (i, statement) in statements.enumerated() {
            let later = statements[(i + 1)...].map(\.value) + [program.result]
            let isLeaf = statement.value.children.isEmpty
            guard isLeaf || later.reduce(0, { $0 + $1.uses(of: statement.name) }) == 1 else { continue }
            let rest = statements[(i + 1)...].map {
                Statement(name: $0.name, value: $0.value.substituting(statement.name, with: statement.value), location: $0.location)
            }
            with(Array(statements[..<i]) + rest, program.result.substituting(statement.name, with: statement.value))
        }

        // Inputs: unused ones dropped, or every use of one replaced by another.
        let all = statements.map(\.value) + [program.result]
        for (i, input) in spec.inputs.enumerated() {
            var fewer = spec.inputs
            fewer.remove(at: i)
            if all.allSatisfy({ $0.uses(of: input.name) == 0 }) {
                with(statements, program.result, inputs: fewer)
                continue
            }
            for other in spec.inputs where other.name != input.name {
                let replacement = Expression.name(other.name, at: SourceLocation(offset: 0))
                let edited = statements.map {
                    Statement(name: $0.name, value: $0.value.substituting(input.name, with: replacement), location: $0.location)
                }
                with(edited, program.result.substituting(input.name, with: replacement), inputs: fewer)
            }
        }

        // Input shapes.
        for (i, input) in spec.inputs.enumerated() {
            guard case .literal(let tensor) = input.value else { continue }
            for smaller in smallerShapes(of: tensor) {
                var candidate = spec
                candidate.inputs[i].value = .literal(smaller)
                results.append(candidate)
            }
        }

        // Order, dtype, values.
        for order in stride(from: 1, to: spec.order, by: 1) {
            var candidate = spec
            candidate.order = order
            results.append(candidate)
        }
        if spec.dtype == .float32 {
            var candidate = spec
            candidate.dtype = .float64
            results.append(candidate)
        }
        for decimals in [1, 0] {
            for (i, input) in spec.inputs.enumerated() {
                guard case .literal(var tensor) = input.value else { continue }
                tensor.data = tensor.data.map { Measure.rounded($0, decimals: decimals) }
                var candidate = spec
                candidate.inputs[i].value = .literal(tensor)
                results.append(candidate)
            }
        }
        return results
    }

    /// What may stand in place of `node`: its operands, a name (when `node` is not a
    /// leaf), the call without one of its options, the subscript without its last component.
    private static func replacements(_ node: Expression, names: [String]) -> [Expression] {
        var results = node.operands
        switch node {
        case .number, .boolean, .none, .string, .name:
            return results
        case let .call(name, arguments, keywords, at):
            for k in keywords.indices {
                var fewer = keywords
                fewer.remove(at: k)
                results.append(.call(name, arguments: arguments, keywords: fewer, at: at))
            }
        case let .subscript(base, components, at) where components.count > 1:
            results.append(.subscript(base, Array(components.dropLast()), at: at))
        default:
            break
        }
        return results + names.map { .name($0, at: node.location) }
    }

    private static func isUsed(_ name: String, after index: Int, _ program: Program) -> Bool {
        program.statements[(index + 1)...].contains { $0.value.uses(of: name) > 0 } || program.result.uses(of: name) > 0
    }

    /// `tensor` with one axis shortened to 1 or by one (keeping its leading values), or
    /// with one size-1 axis removed.
    static func smallerShapes(of tensor: HostTensor) -> [HostTensor] {
        var results: [HostTensor] = []
        for axis in tensor.shape.indices {
            let size = tensor.shape[axis]
            if size > 1 {
                results.append(prefix(of: tensor, axis: axis, keeping: 1))
                if size > 2 { results.append(prefix(of: tensor, axis: axis, keeping: size - 1)) }
            } else if size == 1 {
                var shape = tensor.shape
                shape.remove(at: axis)
                results.append(HostTensor(shape: shape, data: tensor.data))
            }
        }
        return results
    }

    /// The first `count` positions of `tensor` along `axis`.
    static func prefix(of tensor: HostTensor, axis: Int, keeping count: Int) -> HostTensor {
        let outer = tensor.shape[..<axis].reduce(1, *)
        let inner = tensor.shape[(axis + 1)...].reduce(1, *)
        let size = tensor.shape[axis]
        var data: [Double] = []
        data.reserveCapacity(outer * count * inner)
        for o in 0..<outer {
            let start = o * size * inner
            data += tensor.data[start..<(start + count * inner)]
        }
        var shape = tensor.shape
        shape[axis] = count
        return HostTensor(shape: shape, data: data)
    }
}

extension CaseShrinker {
    /// How big a case is, compared lexicographically: syntax nodes, inputs, input
    /// elements, input ranks, order, dtype (float32 above float64), decimals in the
    /// inputs' values. Every candidate lowers one of them and raises none before it.
    struct Measure: Comparable {
        let parts: [Int]

        init?(_ spec: CaseSpec) {
            guard let program = try? Program(parsing: spec.expr) else { return nil }
            let nodes = program.statements.reduce(program.result.size) { $0 + 1 + $1.value.size }
            let tensors = spec.inputs.compactMap { input -> HostTensor? in
                if case .literal(let t) = input.value { return t }
                return nil
            }
            parts = [
                nodes,
                spec.inputs.count,
                tensors.reduce(0) { $0 + $1.data.count },
                tensors.reduce(0) { $0 + $1.shape.count },
                spec.order,
                spec.dtype == .float32 ? 1 : 0,
                tensors.reduce(0) { $0 + $1.data.reduce(0) { $0 + Self.decimals($1) } },
            ]
        }

        static func < (a: Measure, b: Measure) -> Bool { a.parts.lexicographicallyPrecedes(b.parts) }

        /// How many decimals `x` needs (up to 7, which stands for "more").
        static func decimals(_ x: Double) -> Int {
            (0...6).first { rounded(x, decimals: $0) == x } ?? 7
        }

        static func rounded(_ x: Double, decimals: Int) -> Double {
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            return (x * scale).rounded() / scale + 0  // + 0 turns -0 into 0
        }
    }

    /// What the backend under test must still do for a candidate to be considered:
    /// evaluate, and with finite values, when the original case did.
    struct BackendRequirement {
        let backend: any ParityBackend & Sendable
        let evaluates: Bool
        let finite: Bool

        init(of spec: CaseSpec, on backend: any ParityBackend & Sendable) {
            self.backend = backend
            let outcome = Self.run(spec, on: backend)
            evaluates = outcome != nil
            finite = outcome.map(Self.isFinite) ?? false
        }

        func isMet(by candidate: CaseSpec) -> Bool {
            guard (try? Program(parsing: candidate.expr)) != nil else { return false }
            guard evaluates else { return true }
            guard let outcome = Self.run(candidate, on: backend) else { return false }
            return !finite || Self.isFinite(outcome)
        }

        /// The case run on `backend` to its order with an all-ones upstream; `nil` if it
        /// throws or an input is not literal.
        static func run(_ spec: CaseSpec, on backend: any ParityBackend) -> CaseOutcome? {
            var inputs: [(name: String, value: HostTensor)] = []
            for input in spec.inputs {
                guard case .literal(let t) = input.value else { return nil }
                inputs.append((input.name, t))
            }
            return try? CaseRunner.run(
                backend, expr: spec.expr, inputs: inputs, dtype: spec.dtype, order: spec.order,
                upstream: { shape in HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *))) })
        }

        static func isFinite(_ outcome: CaseOutcome) -> Bool {
            outcome.output.data.allSatisfy(\.isFinite) && outcome.grads.allSatisfy { $0.allSatisfy { $0.data.allSatisfy(\.isFinite) } }
        }
    }
}
