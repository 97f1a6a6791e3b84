import Autograd
import AutogradNN
import Parity

// What the fixture generator needs from the training format: the request it sends to
// torch, the reader of torch's answer, and the comparison of a regenerated fixture with
// the committed one (`gen-fixtures --check`).

extension DatasetDescription {
    /// The number of rows the dataset has (known before torch makes it).
    public var rows: Int {
        switch self {
        case .sine(let n, _): n
        case let .spiral(pointsPerClass, classes, _): pointsPerClass * classes
        case .digits(_, let rows): rows
        case .sinCurve(let count, _): count - 1
        }
    }
}

extension TrainingCaseSpec {
    /// The rows of every batch (iteration) of the case, and for a recurrent case
    /// (`bptt_length`) how they group into windows.
    public func plan() throws(ParityError) -> (batches: [[Int]], windows: TrainingFixtureCase.Windows?) {
        if batching.bpttLength != nil {
            let (batches, windows) = try batching.windows(rows: data.rows, steps: steps)
            return (batches, windows)
        }
        return (try batching.batches(rows: data.rows, steps: steps), nil)
    }

    /// The case as torch's side of the generator reads it: dtype, model, dataset recipe
    /// (and the values, for data Swift makes), the rows of every batch, the windows of a
    /// recurrent case, loss, optimizer (every setting), clipping and evaluation.
    public func torchRequest(batches: [[Int]], windows: TrainingFixtureCase.Windows? = nil) throws(ParityError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("dtype", .string(dtype.rawValue)),
            ("model", model.json),
            ("data", data.json),
        ]
        if let (inputs, targets) = try data.swiftData() {
            members += [("inputs", inputs.json), ("targets", targets.json)]
        }
        members += [
            ("batches", .array(batches.map { .array($0.map { .integer($0) }) })),
            ("loss", .string(loss.rawValue)),
            ("optimizer", optimizer.json),
        ]
        if let windows { members.append(("windows", windows.json)) }
        if let clipGradNorm { members.append(("clip_grad_norm", .number(clipGradNorm))) }
        if evaluate { members.append(("evaluate", .bool(true))) }
        return .object(members)
    }
}

/// torch's answer to a ``TrainingCaseSpec/torchRequest(batches:windows:)``.
public struct TorchTrainingResult: Sendable {
    /// The data as torch holds it in the case's dtype.
    public var inputs: HostTensor
    public var targets: HostTensor
    /// The initial parameters as torch holds them after loading the Swift-written file.
    public var loaded: [(name: String, value: HostTensor)]
    public var losses: [Double]
    /// The state (parameters and buffers) after the last step.
    public var final: [(name: String, value: HostTensor)]
    public var evaluation: TrainingFixtureCase.Evaluation?
    public var float64: TrainingFixtureCase.Reference?

    public init(parsing text: String) throws(ParityError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw ParityError("torch's answer is not valid JSON: \(error)")
        }
        let root = FieldReader(json)
        _ = try root.members(allowed: ["inputs", "targets", "loaded", "losses", "final", "eval", "float64"])
        inputs = try root.required("inputs").hostTensor()
        targets = try root.required("targets").hostTensor()
        loaded = try TrainingFixtureCase.parameters(try root.required("loaded"))
        losses = try TrainingFixtureCase.numbers(try root.required("losses"))
        final = try TrainingFixtureCase.parameters(try root.required("final"))
        evaluation = try root.optional("eval").map { (f: FieldReader) throws(ParityError) in try TrainingFixtureCase.Evaluation(f) }
        if let reference = try root.optional("float64") {
            float64 = .init(losses: try TrainingFixtureCase.numbers(try reference.required("losses")),
                            final: try TrainingFixtureCase.parameters(try reference.required("final")),
                            evaluation: try reference.optional("eval").map { (f: FieldReader) throws(ParityError) in
                                try TrainingFixtureCase.Evaluation(f)
                            })
        } else {
            float64 = nil
        }
    }
}

extension TrainingFixtureCase {
    /// A fixture case from its spec, the inputs the generator used and torch's results.
    public init(spec: TrainingCaseSpec, batches: [[Int]], windows: Windows? = nil, initial: [(name: String, value: HostTensor)],
                torch result: TorchTrainingResult) {
        name = spec.name
        dtype = spec.dtype
        tolerance = spec.tolerance
        model = spec.model
        loss = spec.loss
        optimizer = spec.optimizer
        clipGradNorm = spec.clipGradNorm
        source = Source(initSeed: spec.initSeed, data: spec.data, batching: spec.batching)
        inputs = result.inputs
        targets = result.targets
        self.batches = batches
        self.windows = windows
        self.initial = initial
        losses = result.losses
        final = result.final
        evaluation = result.evaluation
        float64 = result.float64
    }

    /// The batches `source` gives with today's `AutogradNN/DataLoader` (or
    /// `AutogradNN/SeqDataLoader`, with the windows): a fixture whose batches differ was
    /// made by a loader that shuffled differently.
    public func batchesFromSource() throws(ParityError) -> [[Int]] {
        try planFromSource().batches
    }

    /// The batches and windows `source` gives today.
    public func planFromSource() throws(ParityError) -> (batches: [[Int]], windows: Windows?) {
        if let windows {
            let plan = try source.batching.windows(rows: source.data.rows, steps: windows.lengths.count)
            return (plan.batches, plan.windows)
        }
        return (try source.batching.batches(rows: source.data.rows, steps: batches.count), nil)
    }
}

/// Where a regenerated training fixture differs from the committed one: inputs (data,
/// batches, initial parameters) must be identical; torch's losses and final parameters
/// must agree within the case's tolerance.
public enum TrainingDrift {
    public static func differences(committed: TrainingFixtureSuite, regenerated: TrainingFixtureSuite) -> [String] {
        var problems: [String] = []
        for new in regenerated.cases {
            guard let old = committed.cases.first(where: { $0.name == new.name }) else {
                problems.append("case '\(new.name)' is missing")
                continue
            }
            let prefix = "case '\(new.name)'"
            if old.inputs != new.inputs || old.targets != new.targets { problems.append("\(prefix): the data differ") }
            if old.batches != new.batches || old.windows != new.windows { problems.append("\(prefix): the batches differ") }
            if old.initial.map(\.name) != new.initial.map(\.name) || !zip(old.initial, new.initial).allSatisfy({ $0.value == $1.value }) {
                problems.append("\(prefix): the initial parameters differ")
            }
            if old.model != new.model || old.optimizer != new.optimizer || old.loss != new.loss || old.clipGradNorm != new.clipGradNorm {
                problems.append("\(prefix): the model, loss or optimizer differ")
            }
            if (old.evaluation == nil) != (new.evaluation == nil) { problems.append("\(prefix): the evaluation differs") }
            let comparisons = TrainingReplay.compare(losses: new.losses, final: new.final, evaluation: new.evaluation,
                                                     withLosses: old.losses, final: old.final, evaluation: old.evaluation,
                                                     tolerance: new.effectiveTolerance)
            problems += comparisons.compactMap { $0.failure.map { "\(prefix): \($0)" } }
        }
        let stale = Set(committed.cases.map(\.name)).subtracting(regenerated.cases.map(\.name))
        problems += stale.sorted().map { "case '\($0)' is not in the spec" }
        return problems
    }
}
