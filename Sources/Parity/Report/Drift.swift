/// Differences between a committed fixture and one regenerated from the specs, for
/// `gen-fixtures --check`. Inputs and upstream gradients must be identical (they come
/// from the same seeds); outputs and gradients must agree within the case's tolerance.
public enum Drift {
    /// One line per difference, naming the case and the value; empty if none.
    public static func differences(committed: FixtureSuite, regenerated: FixtureSuite) -> [String] {
        var problems: [String] = []
        let committedByName = Dictionary(committed.cases.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for fresh in regenerated.cases {
            guard let old = committedByName[fresh.name] else {
                problems.append("case '\(fresh.name)': missing from the committed fixture")
                continue
            }
            problems += differences(old, fresh).map { "case '\(fresh.name)': \($0)" }
        }
        let specNames = Set(regenerated.cases.map(\.name))
        for old in committed.cases where !specNames.contains(old.name) {
            problems.append("case '\(old.name)': in the committed fixture but no longer in the spec")
        }
        return problems
    }

    private static func differences(_ old: FixtureCase, _ fresh: FixtureCase) -> [String] {
        switch (old.refusal, fresh.refusal) {
        case (nil, nil): break
        case (_?, _?): return []  // both refused; the wording of torch's message may change between versions
        case (nil, let message?): return ["torch now refuses it (\(message)); the fixture has values"]
        case (_?, nil): return ["torch now computes it; the fixture has a refusal"]
        }
        if old.expr != fresh.expr { return ["expr is '\(old.expr)' in the fixture, '\(fresh.expr)' in the spec"] }
        if old.dtype != fresh.dtype { return ["dtype is \(old.dtype) in the fixture, \(fresh.dtype) in the spec"] }
        if old.order != fresh.order { return ["order is \(old.order) in the fixture, \(fresh.order) in the spec"] }
        if old.tolerance != fresh.tolerance { return ["tolerance differs from the spec's"] }
        if old.inputs.map(\.name) != fresh.inputs.map(\.name) {
            return ["inputs are \(old.inputs.map(\.name)) in the fixture, \(fresh.inputs.map(\.name)) in the spec"]
        }
        if old.inputs.map(\.value.isInt64) != fresh.inputs.map(\.value.isInt64) {
            return ["the inputs' dtypes (int64 or not) differ between the fixture and the spec"]
        }
        var problems: [String] = []
        for (a, b) in zip(old.inputs, fresh.inputs) where a.value != b.value {
            problems.append("input \(a.name) differs from the one the spec now gives")
        }
        if old.upstream != fresh.upstream { problems.append("upstream gradient differs") }
        let tolerance = fresh.effectiveTolerance
        let output = tolerance.compare(old.output, fresh.output, label: "output")
        if let failure = output.failure { problems.append(failure + " (committed vs regenerated)") }
        if old.grads.count != fresh.grads.count {
            problems.append("\(old.grads.count) gradient orders in the fixture, \(fresh.grads.count) regenerated")
        }
        problems += gradientDrift(old.grads, fresh.grads, fresh.differentiableInputs, tolerance, label: "")
        switch (old.float64, fresh.float64) {
        case let (a?, b?):
            let wide = Tolerance.default(for: .float64)
            if let failure = wide.compare(a.output, b.output, label: "float64 output").failure {
                problems.append(failure + " (committed vs regenerated)")
            }
            problems += gradientDrift(a.grads, b.grads, fresh.differentiableInputs, wide, label: "float64 ")
        case (nil, _?): problems.append("the float64 reference is missing")
        case (_?, nil): problems.append("the fixture has a float64 reference the generator no longer makes")
        case (nil, nil): break
        }
        return problems
    }

    private static func gradientDrift(_ old: [[HostTensor]], _ fresh: [[HostTensor]], _ inputs: [(name: String, value: HostTensor)],
                                      _ tolerance: Tolerance, label: String) -> [String] {
        var problems: [String] = []
        for (k, (oldGrads, freshGrads)) in zip(old, fresh).enumerated() {
            for (i, input) in inputs.enumerated() {
                let c = tolerance.compare(oldGrads[i], freshGrads[i], label: "\(label)order-\(k + 1) grad of \(input.name)")
                if let failure = c.failure { problems.append(failure + " (committed vs regenerated)") }
            }
        }
        return problems
    }
}
