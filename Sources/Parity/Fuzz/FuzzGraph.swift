/// An expression under construction, as a graph (a DAG: a node may be used by several
/// others) whose every node has been evaluated on the case's inputs by the backend under test.
///
/// The fuzzer grows it bottom-up, one node at a time: ``adding(_:)`` renders the program
/// that ends in the new node, evaluates it with the harness's own ``Evaluator`` on the
/// fuzzer's backend (``ExpressionFuzzer/backend``), and keeps the node only if that succeeds with finite values of
/// moderate size. So every node's shape and values are known, and no per-op shape rules
/// are needed: whatever the backend accepts is valid. ``program(output:)`` prints the
/// graph as the expression language, with a statement `a = ...` for each node used
/// more than once.
struct FuzzGraph {
    /// An operand of a call.
    enum Argument: Equatable {
        case node(Int)
        case number(Double)
        /// A list literal of numbers (`[2, 1]`: split sizes), a constant tensor.
        case numbers([Double])
        /// `[a, b, ...]`, for a ``Op/OperandKind/tensorList`` operand.
        case list([Int])
    }

    enum Node {
        /// An input of the case, by name.
        case input(String)
        /// An operation of the op table, with its options.
        case call(String, [Argument], options: [(name: String, value: OptionValue)])
        /// `s[i]`: one result of a call that returns several.
        case pick(Int, index: Int)
        /// `x[...]`.
        case `subscript`(Int, [SubscriptItem])
    }

    /// The nodes, each after its operands (so their order is a topological order).
    private(set) var nodes: [Node] = []
    /// Each node's values, `nil` for a call that returns several results.
    private(set) var values: [HostTensor?] = []
    /// For a call that returns several results: how many.
    private(set) var resultCounts: [Int: Int] = [:]
    /// The inputs' values, by name, in the order they were added.
    private(set) var inputs: [(name: String, value: HostTensor)] = []

    /// The backend that evaluates each node (the library under test).
    let backend: any ParityBackend & Sendable
    let dtype: ScalarType
    /// The largest magnitude a node's values may reach: beyond it, float32 rounding
    /// differences grow past the comparison's tolerance and exp overflows soon after.
    let magnitudeLimit: Double

    init(backend: any ParityBackend & Sendable, dtype: ScalarType, magnitudeLimit: Double) {
        self.backend = backend
        self.dtype = dtype
        self.magnitudeLimit = magnitudeLimit
    }

    /// The indices of the nodes that hold one tensor (every node but multi-result calls).
    var tensorNodes: [Int] { values.indices.filter { values[$0] != nil } }

    /// The shape of a tensor node.
    func shape(_ node: Int) -> [Int]? { values[node]?.shape }

    /// Adds an input with the given (already rounded) values. Input names must be fresh.
    mutating func addInput(_ name: String, _ value: HostTensor) -> Int {
        let rounded = value.rounded(to: dtype)
        nodes.append(.input(name))
        values.append(rounded)
        inputs.append((name, value))
        return nodes.count - 1
    }

    /// This graph with `node` added, or `nil` if Swift cannot evaluate it, or its values
    /// are empty, non-finite or beyond ``magnitudeLimit``. A call that returns several
    /// results is added if at least its first result can be picked.
    func adding(_ node: Node) -> (graph: FuzzGraph, index: Int)? {
        var graph = self
        graph.nodes.append(node)
        let index = graph.nodes.count - 1
        if case .call(let name, _, _) = node, OpTable.operation(named: name)?.returnsList == true {
            var count = 0
            while count < 8, graph.evaluate(graph.program(output: index, pick: count)) != nil { count += 1 }
            guard count > 0 else { return nil }
            graph.values.append(nil)
            graph.resultCounts[index] = count
            return (graph, index)
        }
        guard let value = graph.evaluate(graph.program(output: index)) else { return nil }
        graph.values.append(value)
        return (graph, index)
    }

    /// Runs `source` on the inputs on the backend (forward only, on constants); `nil` if
    /// it throws or its values are unusable.
    func evaluate(_ source: String) -> HostTensor? {
        guard let program = try? Program(parsing: source) else { return nil }
        func forward<Backend: ParityBackend>(_ backend: Backend) throws -> HostTensor {
            let values = try inputs.map { try backend.constant($0.value, dtype: dtype) }
            let output = try Evaluator(backend: backend, dtype: dtype)
                .evaluate(program, inputs: zip(inputs, values).map { ($0.name, $1) })
            return try backend.read(output)
        }
        guard let result = try? forward(backend), !result.data.isEmpty,
              result.data.allSatisfy({ $0.isFinite && abs($0) <= magnitudeLimit }) else { return nil }
        return result
    }

    // MARK: - Printing

    /// The program whose result is `output` (for a multi-result call, its result `pick`).
    /// Nodes used more than once become statements, named `a`, `b`, ... in order.
    func program(output: Int, pick: Int? = nil) -> String {
        let uses = useCounts(from: output)
        var statementNames: [Int: String] = [:]
        var statements: [String] = []
        var names = Self.statementNames.makeIterator()
        for node in 0..<output where (uses[node] ?? 0) >= 2 {
            if case .input = nodes[node] { continue }
            let name = names.next() ?? "t\(node)"
            statements.append("\(name) = \(expression(node, statementNames))")
            statementNames[node] = name
        }
        var result = expression(output, statementNames)
        if let pick {
            result = .subscript(result, [.index(.number(Double(pick), at: Self.nowhere))], at: Self.nowhere)
        }
        return (statements + [result.description]).joined(separator: "; ")
    }

    /// The op-table names the program ending in `output` uses (`getitem` for subscripts).
    func operationNames(output: Int) -> Set<String> {
        var names = Set<String>()
        for node in useCounts(from: output).keys {
            switch nodes[node] {
            case .call(let name, _, _): names.insert(name)
            case .subscript: names.insert("getitem")
            case .input, .pick: break
            }
        }
        return names
    }

    /// The input names the program ending in `output` reads.
    func inputNames(output: Int) -> Set<String> {
        Set(useCounts(from: output).keys.compactMap { node in
            if case .input(let name) = nodes[node] { return name }
            return nil
        })
    }

    /// Statement names: short, and never an input's (`x`, `y`, `z`, `w`) or `e`.
    private static let statementNames = ["a", "b", "c", "d", "f", "g", "h", "k", "m", "n", "p", "q", "r", "s", "u", "v"]

    /// How many times each node reachable from `output` is used (the output once).
    private func useCounts(from output: Int) -> [Int: Int] {
        var uses: [Int: Int] = [output: 1]
        var visited = Set<Int>()
        var stack = [output]
        while let node = stack.popLast() {
            guard visited.insert(node).inserted else { continue }
            for child in children(of: node) {
                uses[child, default: 0] += 1
                stack.append(child)
            }
        }
        return uses
    }

    /// The nodes `node` uses directly, with repeats (`mul(a, a)` uses `a` twice).
    func children(of node: Int) -> [Int] {
        switch nodes[node] {
        case .input: []
        case .call(_, let arguments, _):
            arguments.flatMap { argument -> [Int] in
                switch argument {
                case .node(let n): [n]
                case .number, .numbers: []
                case .list(let items): items
                }
            }
        case .pick(let base, _), .subscript(let base, _): [base]
        }
    }

    private static let nowhere = SourceLocation(offset: 0)

    /// The syntax tree of `node`, naming the nodes that are statements.
    private func expression(_ node: Int, _ statementNames: [Int: String]) -> Expression {
        if let name = statementNames[node] { return .name(name, at: Self.nowhere) }
        switch nodes[node] {
        case .input(let name):
            return .name(name, at: Self.nowhere)
        case let .call(name, arguments, options):
            let operands = arguments.map { argument -> Expression in
                switch argument {
                case .node(let n): expression(n, statementNames)
                case .number(let x): .number(x, at: Self.nowhere)
                case .numbers(let xs): .list(xs.map { .number($0, at: Self.nowhere) }, at: Self.nowhere)
                case .list(let items): .list(items.map { expression($0, statementNames) }, at: Self.nowhere)
                }
            }
            if operands.count == 2, let op = BinaryOperator.allCases.first(where: { OpTable.name(of: $0) == name }) {
                return .binary(op, operands[0], operands[1], at: Self.nowhere)
            }
            if operands.count == 1, name == OpTable.negation {
                return .negate(operands[0], at: Self.nowhere)
            }
            let keywords = options.map { KeywordArgument(name: $0.name, value: Self.literal($0.value), location: Self.nowhere) }
            return .call(name, arguments: operands, keywords: keywords, at: Self.nowhere)
        case let .pick(base, index):
            return .subscript(expression(base, statementNames), [.index(.number(Double(index), at: Self.nowhere))],
                              at: Self.nowhere)
        case let .subscript(base, items):
            return .subscript(expression(base, statementNames), items.map(Self.component), at: Self.nowhere)
        }
    }

    private static func literal(_ value: OptionValue) -> Expression {
        switch value {
        case .int(let i): .number(Double(i), at: nowhere)
        case .ints(let list): .list(list.map { .number(Double($0), at: nowhere) }, at: nowhere)
        case .bool(let b): .boolean(b, at: nowhere)
        case .number(let x): .number(x, at: nowhere)
        case .string(let s): .string(s, at: nowhere)
        }
    }

    private static func component(_ item: SubscriptItem) -> SubscriptComponent {
        func number(_ i: Int?) -> Expression? { i.map { .number(Double($0), at: nowhere) } }
        switch item {
        case .index(let i): return .index(.number(Double(i), at: nowhere))
        case let .slice(start, stop, step): return .slice(start: number(start), stop: number(stop), step: number(step))
        case .indices(let list): return .index(.list(list.map { .number(Double($0), at: nowhere) }, at: nowhere))
        case .ellipsis: return .ellipsis
        case .newAxis: return .index(.none(at: nowhere))
        }
    }
}
