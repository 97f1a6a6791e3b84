/// Drawing an op's keyword options, and the few ops that need more than their metadata.
///
/// Most options are drawn from their ``Op/Option/Kind`` alone, for the rank of the op's
/// first tensor operand: `.axes` an axis or a list of distinct axes, `.int` an axis,
/// `.bool` either, `.number` a value in (0.1, 0.9) (a slope, a probability, a
/// correction). A list of integers (`.ints`) means something different for each op (a
/// shape, a permutation), so it is drawn only by a generator of the op's own, in
/// ``FuzzOptions/generators``; an op that requires one and has none is skipped (see
/// ``FuzzOptions/skipReason(_:)``). The same table gives ops whose operands must fit
/// each other (split sizes, a weight matrix for `linear`) the literals or input shapes
/// they need. Whatever is drawn, the Swift side evaluates the call before it is kept,
/// so a bad draw costs a retry, never a bad case.
enum FuzzOptions {
    /// What an op's own generator draws for one call, given its first operand's shape.
    struct SpecialDraw {
        /// Option values by name; options left out are drawn generically.
        var options: [String: OptionValue] = [:]
        /// Operands written as literals (a number, a list of numbers), by operand slot.
        var literals: [Int: FuzzGraph.Argument] = [:]
        /// Operands that are fresh inputs of the given shape, by operand slot (when the
        /// case has room for another input).
        var freshInputs: [Int: [Int]] = [:]
    }

    /// An op's own generator: what to draw for a call whose first operand (the one the
    /// expression is built on) has `shape`.
    typealias Generator = @Sendable (_ op: Op, _ shape: [Int], _ rng: inout SplitMix64) -> SpecialDraw

    /// Draws options for a call of `op` whose first tensor operand has `shape`: those of
    /// `special`, then required options always, the others about half of the time.
    static func draw(for op: Op, shape: [Int], special: [String: OptionValue],
                     _ rng: inout SplitMix64) -> [(name: String, value: OptionValue)] {
        var drawn: [(name: String, value: OptionValue)] = []
        for option in op.options {
            if let value = special[option.name] {
                drawn.append((option.name, value))
                continue
            }
            // `alpha` of add and sub is left out: the domain wrappers (`e·e + 1` for a
            // divisor, `1/(e·e + 2)` for a probability) rely on plain addition.
            if option.name == "alpha" { continue }
            let required = op.requiredOptions.contains(option.name)
            guard required || rng.chance(0.5), let value = generic(option.kind, rank: shape.count, &rng) else { continue }
            drawn.append((option.name, value))
        }
        return drawn.filter { option in
            heldBack.allSatisfy { rule in
                !rule.operations.contains(op.name) || rule.option != option.name || drawn.contains { $0.name == rule.needs }
            }
        }
    }

    /// Options drawn only together with another one, because of an open finding of the
    /// fuzzer (a mismatch in the op table, not in the fuzzer): the ops, the option, the
    /// option it is held back without, and the finding. Remove an entry once its finding
    /// is fixed, so that the fuzz covers the combination again.
    static let heldBack: [(operations: Set<String>, option: String, needs: String, finding: String)] = []

    /// Calls left out because of an open finding, judged by their operands' shapes (`nil`
    /// for a number or a list): the ops, the finding, and which calls it rules out.
    /// Remove an entry once its finding is fixed.
    static let heldBackCalls: [(operations: Set<String>, finding: String, rulesOut: @Sendable ([[Int]?]) -> Bool)] = [
        (["linear"],
         "a bias of rank 2 or more: torch documents F.linear's bias as (out_features), and accepts or refuses a "
            + "larger one by its internal folding path, not by shape rules (for x [1, 2, 1] it accepts a bias "
            + "[1, 1, 1] and refuses [1, 2, 1]; for x [5, 2, 3] it accepts [1, 2, 4] and refuses [1, 1, 4]). "
            + "Swift accepts any bias that broadcasts to x @ W without changing its shape. "
            + "Shrunk: {\"expr\": \"linear(x, w, x)\", \"inputs\": {\"x\": [[[1.0], [0.0]]], \"w\": [[-1.0]]}}.",
         { shapes in shapes.count == 3 && (shapes[2]?.count ?? 0) > 1 }),
    ]

    /// Whether a call of `op` on operands of these shapes is held back (``heldBackCalls``).
    static func isHeldBack(_ op: Op, operandShapes: [[Int]?]) -> Bool {
        heldBackCalls.contains { $0.operations.contains(op.name) && $0.rulesOut(operandShapes) }
    }

    /// Why `op` cannot be generated, or `nil` if it can.
    static func skipReason(_ op: Op) -> String? {
        if op.operands.isEmpty { return "it has no operand to build on" }
        if op.returnsInt64 { return "its result is int64, which has no gradient to check" }
        if op.name.hasPrefix("conv2d") || op.name.hasPrefix("conv_transpose2d") {
            return "it needs an image [N, C, H, W] (ranks here are 0 to 3) and a weight shaped to fit it"
        }
        if generators[op.name] == nil,
           let option = op.options.first(where: { $0.kind == .ints && op.requiredOptions.contains($0.name) }) {
            return "its required option '\(option.name)' is a list of integers with a meaning of its own; "
                + "add a generator to FuzzOptions.generators"
        }
        return nil
    }

    /// A value drawn from the option's kind alone, or `nil` to leave the option out.
    private static func generic(_ kind: Op.Option.Kind, rank: Int, _ rng: inout SplitMix64) -> OptionValue? {
        switch kind {
        case .axes:
            guard rank > 0 else { return rng.chance(0.5) ? .ints([]) : nil }
            if rng.chance(0.6) { return .int(rng.int(in: -rank..<rank)) }
            let count = rng.int(in: 1...rank)
            return .ints(Array(rng.shuffled(Array(0..<rank)).prefix(count)).sorted())
        case .int:
            let bound = max(rank, 1)
            return .int(rng.int(in: -bound..<bound))
        case .bool:
            return .bool(rng.chance(0.5))
        case .number:
            return .number((rng.double(in: 0.1, 0.9) * 100).rounded() / 100)
        case .ints:
            return nil
        case .choice(let choices):
            return rng.element(of: choices).map { .string($0) }
        }
    }

    // MARK: - Ops with generators of their own

    /// The ops that need more than their metadata, by op name. A name that is not in
    /// the op table costs nothing.
    static let generators: [String: Generator] = [
        "transpose": permutation,
        "permute": permutation,
        "reshape": reshape,
        "view": reshape,
        "broadcast_to": broadcastTarget,
        "expand": broadcastTarget,
        "sum_to": sumTarget,
        "split": splitSizes,
        "matmul": matrixProduct,
        "linear": linearLayer,
        "linear_nobias": linearLayer,
        "softmax_cross_entropy": classLabels,
        "cross_entropy": classLabels,
        "nll_loss": classLabels,
    ]

    /// The labels operand: one whole number in `0..<C` per row of `[N, C]` logits, written
    /// as a literal (random values would not be class labels).
    private static let classLabels: Generator = { op, shape, rng in
        let rows = shape.count == 2 ? shape[0] : 1
        let classes = shape.count == 2 ? max(shape[1], 1) : 1
        let labels = (0..<rows).map { _ in Double(rng.int(in: 0..<classes)) }
        let slot = op.domains.firstIndex(of: .classLabel) ?? 1
        return SpecialDraw(literals: [slot: .numbers(labels)])
    }

    /// Every `.ints` option: a permutation of the axes (the identity now and then).
    private static let permutation: Generator = { op, shape, rng in
        let axes = rng.chance(0.15) ? Array(0..<shape.count) : rng.shuffled(Array(0..<shape.count))
        return SpecialDraw(options: values(op, .ints, .ints(axes)))
    }

    /// Every `.ints` option: a shape with the same number of elements (rank 0 to 3),
    /// with one `-1` now and then.
    private static let reshape: Generator = { op, shape, rng in
        let count = shape.reduce(1, *)
        var remaining = count
        var target: [Int] = []
        for _ in 0..<rng.int(in: 0...2) {
            let divisors = (1...max(remaining, 1)).filter { remaining % $0 == 0 }
            let d = rng.element(of: divisors) ?? 1
            target.append(d)
            remaining /= max(d, 1)
        }
        if remaining > 1 || rng.chance(0.5) { target.append(remaining) }
        target = rng.shuffled(target)
        if !target.isEmpty, rng.chance(0.2) { target[rng.int(in: 0..<target.count)] = -1 }
        return SpecialDraw(options: values(op, .ints, .ints(target)))
    }

    /// Every `.ints` option: the shape with its size-1 axes widened and maybe a new
    /// leading axis (or a `-1` keeping a size).
    private static let broadcastTarget: Generator = { op, shape, rng in
        var target = shape.map { $0 == 1 && rng.chance(0.7) ? rng.int(in: 2...3) : $0 }
        if target.count < 3, rng.chance(0.5) { target.insert(rng.int(in: 1...3), at: 0) }
        if let keep = target.indices.last, !shape.isEmpty, rng.chance(0.15) { target[keep] = -1 }
        return SpecialDraw(options: values(op, .ints, .ints(target)))
    }

    /// Every `.ints` option: a shape that broadcasts to the operand's (leading axes
    /// dropped, some axes summed to 1).
    private static let sumTarget: Generator = { op, shape, rng in
        let dropped = rng.int(in: 0...shape.count)
        let target = shape.dropFirst(dropped).map { rng.chance(0.5) ? 1 : $0 }
        return SpecialDraw(options: values(op, .ints, .ints(Array(target))))
    }

    /// `split(x, sizes, axis=a)`: the `.int` option an axis; the second operand sizes
    /// that add up to the axis's length, or a chunk size.
    private static let splitSizes: Generator = { op, shape, rng in
        guard !shape.isEmpty else { return SpecialDraw() }
        let axis = rng.int(in: 0..<shape.count)
        let length = shape[axis]
        let sizes: FuzzGraph.Argument
        if rng.chance(0.4) {
            sizes = .number(Double(rng.int(in: 1...length)))
        } else {
            var list: [Double] = []
            var left = length
            while left > 0 {
                let size = rng.int(in: 1...left)
                list.append(Double(size))
                left -= size
            }
            sizes = .numbers(list)
        }
        let written = rng.chance(0.5) ? axis : axis - shape.count
        return SpecialDraw(options: values(op, .int, .int(written)), literals: [1: sizes])
    }

    /// `a @ b`: half the time `b` is a fresh matrix or vector whose leading size is `a`'s last.
    private static let matrixProduct: Generator = { _, shape, rng in
        guard let inner = shape.last, rng.chance(0.5) else { return SpecialDraw() }
        return SpecialDraw(freshInputs: [1: rng.chance(0.75) ? [inner, rng.int(in: 1...4)] : [inner]])
    }

    /// `linear(x, W, b)`: `W` of shape `[in, out]` for `x`'s last size `in`, `b` of shape `[out]`.
    private static let linearLayer: Generator = { op, shape, rng in
        guard let inner = shape.last else { return SpecialDraw() }
        let out = rng.int(in: 1...4)
        var fresh = [1: [inner, out]]
        if op.operands.count > 2 { fresh[2] = rng.chance(0.8) ? [out] : [] }
        return SpecialDraw(freshInputs: fresh)
    }

    /// `value` for every option of `op` of the given kind.
    private static func values(_ op: Op, _ kind: Op.Option.Kind, _ value: OptionValue) -> [String: OptionValue] {
        Dictionary(op.options.filter { $0.kind == kind }.map { ($0.name, value) }) { a, _ in a }
    }
}
