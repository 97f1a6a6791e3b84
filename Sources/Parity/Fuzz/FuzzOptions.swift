/// Drawing an op's keyword options for a random operand.
///
/// Most options are drawn from their ``Op/Option/Kind`` alone, for the rank of the op's
/// first tensor operand: `.axes` an axis or a list of distinct axes, `.int` an axis,
/// `.bool` either, `.number` a value in (0.1, 0.9) (a slope, a probability, an
/// epsilon). A list of integers (`.ints`) means something different for each op (a
/// shape, a permutation, split sizes), so it is drawn only by a generator of the op's
/// own, in ``FuzzOptions/generators``; an op that requires one and has none is skipped
/// (see ``FuzzOptions/skipReason(_:)``). Whatever is drawn, the Swift side evaluates
/// the call before it is kept, so a bad draw costs a retry, never a bad case.
enum FuzzOptions {
    /// Draws options for a call of `op` whose first tensor operand has `shape`. Required
    /// options are always drawn, the others about half of the time.
    static func draw(for op: Op, shape: [Int], _ rng: inout SplitMix64) -> [(name: String, value: OptionValue)] {
        var special: [String: OptionValue] = [:]
        if let generator = generators[op.name] { special = generator(op, shape, &rng) }
        var drawn: [(name: String, value: OptionValue)] = []
        for option in op.options {
            if let value = special[option.name] {
                drawn.append((option.name, value))
                continue
            }
            let required = op.requiredOptions.contains(option.name)
            guard required || rng.chance(0.5), let value = generic(option.kind, rank: shape.count, &rng) else { continue }
            drawn.append((option.name, value))
        }
        return drawn.filter { option in
            heldBack.allSatisfy { rule in
                rule.option != option.name || drawn.contains { $0.name == rule.needs }
            }
        }
    }

    /// Options drawn only together with another one, because of an open finding of the
    /// fuzzer (a mismatch in the op table, not in the fuzzer): the option, the option it
    /// is held back without, and the finding. Remove an entry once its finding is fixed,
    /// so that the fuzz covers the combination again.
    static let heldBack: [(option: String, needs: String, finding: String)] = [
        ("keepdims", "axis",
         "sum/mean with keepdims but no axis: torch.sum(x, keepdim=b) (no dim) is a TypeError, while Swift reduces "
            + "over all axes. Shrunk: {\"expr\": \"sum(y, keepdims=false)\", \"inputs\": {\"y\": -1.0}}. "
            + "The op table could pass dim=None (torch accepts dim=None with keepdim), or Swift could refuse."),
    ]

    /// Why `op` cannot be generated, or `nil` if it can.
    static func skipReason(_ op: Op) -> String? {
        if op.operands.isEmpty { return "it has no operand to build on" }
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
        }
    }

    /// Draws options for one call of an op, given its first tensor operand's shape:
    /// values by option name; options it leaves out are drawn generically.
    typealias Generator = @Sendable (_ op: Op, _ shape: [Int], _ rng: inout SplitMix64) -> [String: OptionValue]

    /// The ops whose options are not drawn from their kinds alone, by op name. A name
    /// that is not in the op table costs nothing.
    static let generators: [String: Generator] = [
        "transpose": permutation,
        "permute": permutation,
        "reshape": reshape,
        "view": reshape,
        "broadcast_to": broadcastTarget,
        "expand": broadcastTarget,
        "sum_to": sumTarget,
        "split": splitSizes,
    ]

    /// Every `.ints` option: a permutation of the axes (the identity now and then).
    private static let permutation: Generator = { op, shape, rng in
        let axes = rng.chance(0.15) ? Array(0..<shape.count) : rng.shuffled(Array(0..<shape.count))
        return values(op, .ints, .ints(axes))
    }

    /// Every `.ints` option: a shape with the same number of elements (rank 0 to 3),
    /// with one `-1` now and then.
    private static let reshape: Generator = { op, shape, rng in
        let count = shape.reduce(1, *)
        var remaining = count
        var target: [Int] = []
        for _ in 0..<rng.int(in: 0...2) {
            let divisors = (1...remaining).filter { remaining % $0 == 0 }
            let d = rng.element(of: divisors) ?? 1
            target.append(d)
            remaining /= d
        }
        if remaining > 1 || rng.chance(0.5) { target.append(remaining) }
        target = rng.shuffled(target)
        if !target.isEmpty, rng.chance(0.2) { target[rng.int(in: 0..<target.count)] = -1 }
        return values(op, .ints, .ints(target))
    }

    /// Every `.ints` option: the shape with its size-1 axes widened and maybe a new leading axis.
    private static let broadcastTarget: Generator = { op, shape, rng in
        var target = shape.map { $0 == 1 && rng.chance(0.7) ? rng.int(in: 2...3) : $0 }
        if target.count < 3, rng.chance(0.5) { target.insert(rng.int(in: 1...3), at: 0) }
        return values(op, .ints, .ints(target))
    }

    /// Every `.ints` option: a shape that broadcasts to the operand's (leading axes
    /// dropped, some axes summed to 1).
    private static let sumTarget: Generator = { op, shape, rng in
        let dropped = rng.int(in: 0...shape.count)
        let target = shape.dropFirst(dropped).map { rng.chance(0.5) ? 1 : $0 }
        return values(op, .ints, .ints(Array(target)))
    }

    /// The `.int`/`.axes` option an axis, the `.ints` option sizes that add up to it.
    private static let splitSizes: Generator = { op, shape, rng in
        guard !shape.isEmpty else { return [:] }
        let axis = rng.int(in: 0..<shape.count)
        var sizes: [Int] = []
        var left = shape[axis]
        while left > 0 {
            let size = rng.int(in: 1...left)
            sizes.append(size)
            left -= size
        }
        return values(op, .int, .int(axis)).merging(values(op, .axes, .int(axis))) { a, _ in a }
            .merging(values(op, .ints, .ints(sizes))) { a, _ in a }
    }

    /// `value` for every option of `op` of the given kind.
    private static func values(_ op: Op, _ kind: Op.Option.Kind, _ value: OptionValue) -> [String: OptionValue] {
        Dictionary(op.options.filter { $0.kind == kind }.map { ($0.name, value) }) { a, _ in a }
    }
}
