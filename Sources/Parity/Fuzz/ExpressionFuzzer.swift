/// Generates random, well-typed parity cases over the op table: `gen-fixtures --fuzz`.
///
/// Each case is an expression of 1 to 6 operations on 1 to 4 inputs whose shapes
/// broadcast (0-d to 3-d), in float64 or float32, checked to order 1 to 3 (at most 2
/// when an op is not ``Op/isSmooth``). It is built bottom-up on concrete values (see
/// `FuzzGraph`): each new operation takes the previous result as one operand and, for
/// the others, an input, an earlier result (which then appears twice, as a statement
/// `a = ...`), a fresh input or a number; its options are drawn for its operand's rank
/// (`FuzzOptions`). An operand with a ``Op/Domain`` is kept inside it: a fresh input
/// is drawn there, and a result that is not comfortably inside is wrapped (`exp(e)` or
/// `e * e + 0.5` for a positive operand, `e * e + 1` or `±exp(e)` for a divisor,
/// `sigmoid(e)` for a probability). The Swift side evaluates every candidate; those it
/// refuses, or whose values are not finite, are drawn again. The finished case is run
/// to its order in Swift, and its gradients must be finite too.
///
/// Everything comes from a ``SplitMix64`` seeded by the seed and the case's index: a
/// seed always gives the same cases, and case `i` does not depend on the others.
public struct ExpressionFuzzer: Sendable {
    /// The limits of what is generated.
    public struct Configuration: Sendable {
        /// Operations per case (not counting domain wrappers) are drawn in `1...maxOperations`.
        public var maxOperations = 6
        public var maxInputs = 4
        /// Input ranks are drawn in `0...maxRank`, sizes in `1...maxDimension`.
        public var maxRank = 3
        public var maxDimension = 4
        /// The most elements an input may have.
        public var maxElements = 24
        public var float32Probability = 0.35
        /// The largest magnitude any intermediate value may reach.
        public var magnitudeLimit = 1e3
        /// The largest magnitude a gradient (of any order) may reach.
        public var gradientLimit = 1e5

        public init() {}
    }

    public let seed: UInt64
    /// The backend that evaluates candidates (a case is kept only if it computes there,
    /// finite and moderate, with continuous gradients): the library under test.
    public let backend: any ParityBackend & Sendable
    public let configuration: Configuration
    /// The ops cases are made of.
    public let operations: [Op]
    /// The ops of the table that cannot be generated, with the reason.
    public let skipped: [(name: String, reason: String)]

    /// The pseudo-op name of subscripts (`x[0, 1:]`), as ``Expression/operationNames`` counts them.
    public static let subscriptName = "getitem"

    public init(
        seed: UInt64, backend: any ParityBackend & Sendable, configuration: Configuration = Configuration(),
        operations: [Op] = OpTable.all
    ) {
        self.seed = seed
        self.backend = backend
        self.configuration = configuration
        var usable: [Op] = []
        var skipped: [(String, String)] = []
        for op in operations {
            if let reason = FuzzOptions.skipReason(op) { skipped.append((op.name, reason)) } else { usable.append(op) }
        }
        self.operations = usable
        self.skipped = skipped
    }

    /// The suite `fuzz-SEED` of `count` cases.
    public func suite(count: Int) throws(ParityError) -> SuiteSpec {
        var cases: [CaseSpec] = []
        for index in 0..<count { cases.append(try makeCase(index)) }
        return SuiteSpec(suite: Self.suiteName(seed: seed), cases: cases)
    }

    public static func suiteName(seed: UInt64) -> String { "fuzz-\(seed)" }

    /// Case `index` of this seed, named `fuzz_SEED_INDEX`.
    /// - Throws: if no valid case came out of many attempts (an op table the fuzzer
    ///   cannot build anything from).
    public func makeCase(_ index: Int) throws(ParityError) -> CaseSpec {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        var rng = SplitMix64(seed: mixer.next())
        let name = "fuzz_\(seed)_\(index)"
        for _ in 0..<200 {
            var builder = CaseBuilder(fuzzer: self, rng: rng)
            if let spec = builder.build(name: name) { return spec }
            rng = builder.rng
        }
        throw ParityError("no valid case after 200 attempts", caseName: name)
    }
}

/// The state of one case under construction.
private struct CaseBuilder {
    let fuzzer: ExpressionFuzzer
    var rng: SplitMix64
    var graph: FuzzGraph
    /// The shape the inputs are variants of.
    let baseShape: [Int]
    var configuration: ExpressionFuzzer.Configuration { fuzzer.configuration }

    static let inputNames = ["x", "y", "z", "w"]

    init(fuzzer: ExpressionFuzzer, rng: SplitMix64) {
        var rng = rng
        let dtype: ScalarType = rng.chance(fuzzer.configuration.float32Probability) ? .float32 : .float64
        baseShape = Self.randomShape(fuzzer.configuration, &rng)
        graph = FuzzGraph(backend: fuzzer.backend, dtype: dtype, magnitudeLimit: fuzzer.configuration.magnitudeLimit)
        self.fuzzer = fuzzer
        self.rng = rng
    }

    /// A case, or `nil` if this attempt came to nothing (the caller tries again).
    mutating func build(name: String) -> CaseSpec? {
        for i in 0..<rng.int(in: 1...min(3, configuration.maxInputs)) {
            let shape = i == 0 ? baseShape : variant(of: baseShape)
            _ = graph.addInput(CaseBuilder.inputNames[i], HostTensor(shape: shape, data: values(shape, .any)))
        }
        var frontier = rng.int(in: 0..<graph.inputs.count)
        let target = rng.int(in: 1...configuration.maxOperations)
        var applied = 0
        for _ in 0..<(target * 4) where applied < target {
            guard let next = applyOperation(to: frontier) else { continue }
            frontier = next
            applied += 1
        }
        guard applied > 0 else { return nil }
        return finish(output: frontier, name: name)
    }

    /// Picks the order, checks the gradients, and writes the case.
    private mutating func finish(output: Int, name: String) -> CaseSpec? {
        let operations = graph.operationNames(output: output)
        let smooth = operations.allSatisfy { OpTable.operation(named: $0)?.isSmooth ?? true }
        let torchOrder = operations.compactMap { OpTable.operation(named: $0)?.torchMaxOrder }.min() ?? 3
        let maxOrder = min(smooth ? 3 : 2, torchOrder)
        var order = min(maxOrder, 1 + (rng.index(weightedBy: [0.45, 0.3, 0.25]) ?? 0))
        let used = graph.inputNames(output: output)
        let inputs = graph.inputs.filter { used.contains($0.name) }
        let expr = graph.program(output: output)
        guard gradientsAreContinuous(expr: expr, inputs: inputs) else { return nil }
        while order >= 1 {
            if gradientsAreUsable(expr: expr, inputs: inputs, order: order) {
                return CaseSpec(name: name, expr: expr, inputs: inputs.map { ($0.name, .literal($0.value)) },
                                dtype: graph.dtype, order: order)
            }
            order -= 1
        }
        return nil
    }

    /// Whether Swift computes every gradient up to `order`, finite and moderate.
    private func gradientsAreUsable(expr: String, inputs: [(name: String, value: HostTensor)], order: Int) -> Bool {
        guard let outcome = try? CaseRunner.run(
            fuzzer.backend, expr: expr, inputs: inputs, dtype: graph.dtype, order: order,
            upstream: { shape in HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *))) })
        else { return false }
        let limit = configuration.gradientLimit
        return outcome.grads.allSatisfy { $0.allSatisfy { $0.data.allSatisfy { $0.isFinite && abs($0) <= limit } } }
    }

    /// Whether the first-order gradients are continuous at the inputs: Swift's float64
    /// gradients at three nearby points (every value moved by about 10⁻⁹ of itself)
    /// agree with those at the inputs to 10⁻³. A case that sits on a singular point (the
    /// std of equal values, where rounding decides whether the spread is exactly 0 and
    /// the gradient 0, or an ulp and the gradient of order 1; a relu at exactly 0) tests
    /// nothing but rounding, and is drawn again. A wrong backward rule is continuous,
    /// and ties between copies of one value stay ties, so neither is hidden by this.
    private mutating func gradientsAreContinuous(expr: String, inputs: [(name: String, value: HostTensor)]) -> Bool {
        func gradients(_ inputs: [(name: String, value: HostTensor)]) -> [HostTensor]? {
            try? CaseRunner.run(
                fuzzer.backend, expr: expr, inputs: inputs, dtype: .float64, order: 1,
                upstream: { shape in HostTensor(shape: shape, data: Array(repeating: 1, count: shape.reduce(1, *))) }
            ).grads[0]
        }
        guard let reference = gradients(inputs) else { return false }
        for _ in 0..<3 {
            let nearby = inputs.map { input in
                (input.name, HostTensor(shape: input.value.shape, data: input.value.data.map {
                    $0 + (abs($0) * 1e-9 + 1e-12) * rng.double(in: -1, 1)
                }))
            }
            guard let moved = gradients(nearby) else { return false }
            for (a, b) in zip(reference, moved) {
                for (x, y) in zip(a.data, b.data) where !(abs(x - y) <= 1e-3 * (abs(x) + 1)) { return false }
            }
        }
        return true
    }

    // MARK: - Operations

    /// Adds one operation (or subscript) with `frontier` as an operand; the new node, or
    /// `nil` if a few draws found nothing Swift accepts.
    private mutating func applyOperation(to frontier: Int) -> Int? {
        let choices = fuzzer.operations.count + 1  // the last choice is a subscript
        for _ in 0..<6 {
            let choice = rng.int(in: 0..<choices)
            var candidate = graph
            let added: Int?
            if choice == fuzzer.operations.count {
                added = subscriptCandidate(of: frontier, in: &candidate)
            } else {
                added = callCandidate(of: fuzzer.operations[choice], frontier: frontier, in: &candidate)
            }
            if let added {
                graph = candidate
                return added
            }
        }
        return nil
    }

    /// `frontier[...]`: integers, slices and at most one index list over leading axes.
    private mutating func subscriptCandidate(of frontier: Int, in graph: inout FuzzGraph) -> Int? {
        guard let shape = graph.shape(frontier), !shape.isEmpty else { return nil }
        var items: [SubscriptItem] = []
        var hasList = false
        for size in shape.prefix(rng.int(in: 1...shape.count)) {
            let roll = rng.unit()
            if roll < 0.35 {
                items.append(.index(rng.int(in: -size..<size)))
            } else if roll < 0.8 || hasList {
                let start = rng.chance(0.5) ? rng.int(in: -size..<size) : nil
                let stop = rng.chance(0.5) ? rng.int(in: -size...size) : nil
                items.append(.slice(start: start, stop: stop, step: rng.chance(0.25) ? 2 : nil))
            } else {
                hasList = true
                items.append(.indices((0..<rng.int(in: 1...3)).map { _ in rng.int(in: -size..<size) }))
            }
        }
        return commit(.subscript(frontier, items), in: &graph)
    }

    /// A call of `op` with `frontier` in one of its operand slots (the first, for an op
    /// with a generator of its own in ``FuzzOptions/generators``).
    private mutating func callCandidate(of op: Op, frontier: Int, in graph: inout FuzzGraph) -> Int? {
        let generator = FuzzOptions.generators[op.name]
        // Optional operands are left out (``Op/requiredOperandCount``).
        let frontierSlot = generator == nil ? rng.int(in: 0..<op.requiredOperandCount) : 0
        let special = generator.map { $0(op, graph.shape(frontier) ?? [], &rng) } ?? FuzzOptions.SpecialDraw()
        var arguments: [FuzzGraph.Argument] = []
        for (slot, kind) in op.operands.prefix(op.requiredOperandCount).enumerated() {
            let domain = slot < op.domains.count ? op.domains[slot] : .any
            if let literal = special.literals[slot] {
                arguments.append(literal)
                continue
            }
            if let shape = special.freshInputs[slot], kind != .tensorList,
               let fresh = freshInput(shape: shape, domain: domain, in: &graph) {
                arguments.append(.node(fresh))
                continue
            }
            switch kind {
            case .tensorList:
                let first = slot == frontierSlot ? frontier : pooledOperand(near: frontier, domain: .any, in: &graph)
                guard let first, let items = listOperand(startingWith: first, domain: domain, in: &graph) else { return nil }
                arguments.append(.list(items))
            case .tensorOrNumber where slot != frontierSlot && rng.chance(0.35):
                arguments.append(.number(number(in: domain)))
            case .tensor, .tensorOrNumber:
                let node = slot == frontierSlot ? frontier : pooledOperand(near: frontier, domain: domain, in: &graph)
                guard let node, let inside = keep(node, inside: domain, in: &graph) else { return nil }
                arguments.append(.node(inside))
            }
        }
        let firstTensor = arguments.lazy.compactMap { argument -> Int? in
            switch argument {
            case .node(let n): n
            case .list(let items): items.first
            case .number, .numbers: nil
            }
        }.first
        let shape = firstTensor.flatMap(graph.shape) ?? []
        let operandShapes = arguments.map { argument -> [Int]? in
            if case .node(let n) = argument { graph.shape(n) } else { nil }
        }
        guard !FuzzOptions.isHeldBack(op, operandShapes: operandShapes) else { return nil }
        let options = FuzzOptions.draw(for: op, shape: shape, special: special.options, &rng)
        guard let call = commit(.call(op.name, arguments, options: options), in: &graph) else { return nil }
        guard let count = graph.resultCounts[call] else { return call }
        return commit(.pick(call, index: rng.int(in: 0..<count)), in: &graph)
    }

    /// Adds `node` to `graph` if Swift evaluates it; its index.
    private func commit(_ node: FuzzGraph.Node, in graph: inout FuzzGraph) -> Int? {
        guard let (extended, index) = graph.adding(node) else { return nil }
        graph = extended
        return index
    }

    /// Another operand for a call on `frontier`: an input or earlier result (maybe the
    /// frontier itself), another result of a multi-result call, or a fresh input.
    private mutating func pooledOperand(near frontier: Int, domain: Op.Domain, in graph: inout FuzzGraph) -> Int? {
        if graph.inputs.count < configuration.maxInputs, rng.chance(0.2) {
            return freshInput(near: frontier, domain: domain, in: &graph)
        }
        if rng.chance(0.3), let multiple = rng.element(of: graph.resultCounts.sorted { $0.key < $1.key }) {
            return commit(.pick(multiple.key, index: rng.int(in: 0..<multiple.value)), in: &graph)
        }
        return rng.element(of: graph.tensorNodes)
    }

    /// A new input whose values lie inside `domain`, shaped like `frontier` (broadcast-
    /// compatibly), like it with its last two axes swapped (for matrix products), or anew.
    private mutating func freshInput(near frontier: Int, domain: Op.Domain, in graph: inout FuzzGraph) -> Int? {
        let near = graph.shape(frontier) ?? baseShape
        let shape: [Int]
        switch rng.unit() {
        case ..<0.6: shape = variant(of: near)
        case ..<0.8 where near.count >= 2: shape = Array(near.dropLast(2)) + [near[near.count - 1], near[near.count - 2]]
        case ..<0.8 where near.count == 1: shape = [near[0], rng.int(in: 1...configuration.maxDimension)]
        default: shape = Self.randomShape(configuration, &rng)
        }
        return freshInput(shape: shape, domain: domain, in: &graph)
    }

    /// A new input of `shape` whose values lie inside `domain`; `nil` if the case has
    /// as many inputs as it may.
    private mutating func freshInput(shape: [Int], domain: Op.Domain, in graph: inout FuzzGraph) -> Int? {
        guard graph.inputs.count < configuration.maxInputs,
              let name = CaseBuilder.inputNames.first(where: { n in !graph.inputs.contains { $0.name == n } }) else {
            return nil
        }
        let shape = Self.fitted(shape, configuration)
        return graph.addInput(name, HostTensor(shape: shape, data: values(shape, domain)))
    }

    /// Two or three tensors for a list operand: `first`, and others of its shape (or rank).
    private mutating func listOperand(startingWith first: Int, domain: Op.Domain, in graph: inout FuzzGraph) -> [Int]? {
        guard let shape = graph.shape(first) else { return nil }
        let sameShape = graph.tensorNodes.filter { graph.shape($0) == shape }
        let sameRank = graph.tensorNodes.filter { graph.shape($0)?.count == shape.count }
        var items = [first]
        for _ in 0..<rng.int(in: 1...2) {
            let pool = rng.chance(0.7) ? sameShape : sameRank
            if let item = rng.element(of: pool) { items.append(item) }
        }
        var inside: [Int] = []
        for item in items {
            guard let kept = keep(item, inside: domain, in: &graph) else { return nil }
            inside.append(kept)
        }
        return inside
    }

    // MARK: - Domains

    /// `node` if its values lie comfortably inside `domain`, else `node` wrapped so that they do.
    private mutating func keep(_ node: Int, inside domain: Op.Domain, in graph: inout FuzzGraph) -> Int? {
        guard let value = graph.values[node] else { return nil }
        if Self.comfortablyInside(value, domain) { return node }
        let e = FuzzGraph.Argument.node(node)
        // Each wrapper is a chain of calls; `.node(-1)` stands for the previous link.
        let previous = FuzzGraph.Argument.node(-1)
        typealias Link = (op: String, arguments: [FuzzGraph.Argument])
        let wrappers: [[Link]]
        switch domain {
        case .any:
            return node
        case .positive:
            wrappers = [[("exp", [e])], [("mul", [e, e]), ("add", [previous, .number(0.5)])]]
        case .nonzero:
            wrappers = [[("mul", [e, e]), ("add", [previous, .number(1)])], [("exp", [e])],
                        [("exp", [e]), (OpTable.negation, [previous])]]
        case .probability:
            wrappers = [[("sigmoid", [e])], [("mul", [e, e]), ("add", [previous, .number(2)]), ("div", [.number(1), previous])]]
        case .classLabel:
            return nil  // labels are literals, drawn by FuzzOptions.generators
        case .insideUnit:
            wrappers = [[("tanh", [e]), ("mul", [previous, .number(0.9)])], [("sin", [e]), ("mul", [previous, .number(0.9)])]]
        case .aboveOne:
            wrappers = [[("mul", [e, e]), ("add", [previous, .number(1.5)])], [("exp", [e]), ("add", [previous, .number(1.25)])]]
        }
        let available = wrappers.filter { $0.allSatisfy { OpTable.operation(named: $0.op) != nil } }
        guard let wrapper = rng.element(of: available) else { return nil }
        var last = node
        for link in wrapper {
            let arguments = link.arguments.map { $0 == previous ? .node(last) : $0 }
            guard let added = commit(.call(link.op, arguments, options: []), in: &graph) else { return nil }
            last = added
        }
        // A wrapper can fall short (sigmoid of a large value rounds to 1): then give up.
        guard let wrapped = graph.values[last], Self.comfortablyInside(wrapped, domain) else { return nil }
        return last
    }

    /// Whether every value is inside `domain` with a margin (so that float32 rounding
    /// and derivatives of any order stay well-conditioned).
    static func comfortablyInside(_ value: HostTensor, _ domain: Op.Domain) -> Bool {
        switch domain {
        case .any: true
        case .positive: value.data.allSatisfy { $0 >= 0.25 }
        case .nonzero: value.data.allSatisfy { abs($0) >= 0.25 }
        case .probability: value.data.allSatisfy { $0 >= 0.02 && $0 <= 0.98 }
        case .classLabel: value.data.allSatisfy { $0 >= 0 && $0.rounded() == $0 }
        case .insideUnit: value.data.allSatisfy { abs($0) <= 0.9 }
        case .aboveOne: value.data.allSatisfy { $0 >= 1.25 }
        }
    }

    /// A number operand inside `domain`.
    private mutating func number(in domain: Op.Domain) -> Double {
        let choices: [Double] = switch domain {
        case .any: [2, 3, 0.5, -1, 1.5, -2, 0.25]
        case .positive: [0.5, 1.5, 2, 3, 0.25]
        case .nonzero: [2, -1, 0.5, -3, 1.5]
        case .probability: [0.25, 0.5, 0.75]
        case .classLabel: [0]
        case .insideUnit: [0.5, -0.25, 0.75, 0]
        case .aboveOne: [1.5, 2, 3]
        }
        return rng.element(of: choices) ?? 1
    }

    // MARK: - Shapes and values

    /// A shape of rank `0...maxRank` (rank 2 most often) with at most `maxElements` elements.
    private static func randomShape(_ configuration: ExpressionFuzzer.Configuration, _ rng: inout SplitMix64) -> [Int] {
        let rank = min(configuration.maxRank, rng.index(weightedBy: [1, 2, 3, 2]) ?? 0)
        return fitted((0..<rank).map { _ in rng.int(in: 1...configuration.maxDimension) }, configuration)
    }

    /// `shape` within the input limits: its last `maxRank` axes, the largest ones
    /// shortened until it has at most `maxElements` elements.
    private static func fitted(_ shape: [Int], _ configuration: ExpressionFuzzer.Configuration) -> [Int] {
        var shape = Array(shape.suffix(configuration.maxRank))
        while shape.reduce(1, *) > configuration.maxElements, let largest = shape.indices.max(by: { shape[$0] < shape[$1] }) {
            shape[largest] -= 1
        }
        return shape
    }

    /// A shape that broadcasts with `shape`: half the time leading axes dropped, and
    /// each remaining axis set to 1 with probability 0.3.
    private mutating func variant(of shape: [Int]) -> [Int] {
        let dropped = rng.chance(0.5) ? rng.int(in: 0...shape.count) : 0
        return shape.dropFirst(dropped).map { rng.chance(0.3) ? 1 : $0 }
    }

    /// Values for an input of `shape` inside `domain`, with three decimals (so that a
    /// shrunk case reads well, and ties between elements are rare).
    private mutating func values(_ shape: [Int], _ domain: Op.Domain) -> [Double] {
        (0..<shape.reduce(1, *)).map { _ in
            let x: Double = switch domain {
            case .any: rng.double(in: -2, 2)
            case .positive: rng.double(in: 0.5, 2)
            case .nonzero: (rng.chance(0.5) ? -1 : 1) * rng.double(in: 0.5, 2)
            case .probability: rng.double(in: 0.1, 0.9)
            case .classLabel: 0
            case .insideUnit: rng.double(in: -0.8, 0.8)
            case .aboveOne: rng.double(in: 1.5, 3)
            }
            return (x * 1000).rounded() / 1000
        }
    }
}
