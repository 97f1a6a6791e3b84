import Autograd
import AutogradNN

// What the fixture generator needs from the training format: the request it sends to
// torch, the reader of torch's answer, and the comparison of a regenerated fixture with
// the committed one (`gen-fixtures --check`).

extension DatasetDescription {
    /// The number of rows the dataset has (known before torch makes it).
    public var rows: Int {
        switch self {
        case .sine(let n, _): n
        case let .spiral(pointsPerClass, classes, _): pointsPerClass * classes
        }
    }
}

extension TrainingCaseSpec {
    /// The case as torch's side of the generator reads it: dtype, model, dataset recipe,
    /// the rows of every batch, loss, optimizer (every setting) and clipping.
    public func torchRequest(batches: [[Int]]) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("dtype", .string(dtype.rawValue)),
            ("model", model.json),
            ("data", data.json),
            ("batches", .array(batches.map { .array($0.map { .integer($0) }) })),
            ("loss", .string(loss.rawValue)),
            ("optimizer", optimizer.json),
        ]
        if let clipGradNorm { members.append(("clip_grad_norm", .number(clipGradNorm))) }
        return .object(members)
    }
}

/// torch's answer to a ``TrainingCaseSpec/torchRequest(batches:)``.
public struct TorchTrainingResult: Sendable {
    /// The data as torch holds it in the case's dtype.
    public var inputs: HostTensor
    public var targets: HostTensor
    /// The initial parameters as torch holds them after loading the Swift-written file.
    public var loaded: [(name: String, value: HostTensor)]
    public var losses: [Double]
    public var final: [(name: String, value: HostTensor)]
    public var float64: TrainingFixtureCase.Reference?

    public init(parsing text: String) throws(ParityError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw ParityError("torch's answer is not valid JSON: \(error)")
        }
        let root = FieldReader(json)
        _ = try root.members(allowed: ["inputs", "targets", "loaded", "losses", "final", "float64"])
        inputs = try root.required("inputs").hostTensor()
        targets = try root.required("targets").hostTensor()
        loaded = try TrainingFixtureCase.parameters(try root.required("loaded"))
        losses = try TrainingFixtureCase.numbers(try root.required("losses"))
        final = try TrainingFixtureCase.parameters(try root.required("final"))
        if let reference = try root.optional("float64") {
            float64 = .init(losses: try TrainingFixtureCase.numbers(try reference.required("losses")),
                            final: try TrainingFixtureCase.parameters(try reference.required("final")))
        } else {
            float64 = nil
        }
    }
}

extension TrainingFixtureCase {
    /// A fixture case from its spec, the inputs the generator used and torch's results.
    public init(spec: TrainingCaseSpec, batches: [[Int]], initial: [(name: String, value: HostTensor)],
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
        self.initial = initial
        losses = result.losses
        final = result.final
        float64 = result.float64
    }

    /// The batches `source` gives with today's `AutogradNN/DataLoader`: a fixture whose
    /// batches differ was made by a loader that shuffled differently.
    public func batchesFromSource() throws(ParityError) -> [[Int]] {
        try source.batching.batches(rows: source.data.rows, steps: batches.count)
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
            if old.batches != new.batches { problems.append("\(prefix): the batches differ") }
            if old.initial.map(\.name) != new.initial.map(\.name) || !zip(old.initial, new.initial).allSatisfy({ $0.value == $1.value }) {
                problems.append("\(prefix): the initial parameters differ")
            }
            if old.model != new.model || old.optimizer != new.optimizer || old.loss != new.loss || old.clipGradNorm != new.clipGradNorm {
                problems.append("\(prefix): the model, loss or optimizer differ")
            }
            let comparisons = TrainingReplay.compare(losses: new.losses, final: new.final, withLosses: old.losses,
                                                     final: old.final, tolerance: new.effectiveTolerance)
            problems += comparisons.compactMap { $0.failure.map { "\(prefix): \($0)" } }
        }
        let stale = Set(committed.cases.map(\.name)).subtracting(regenerated.cases.map(\.name))
        problems += stale.sorted().map { "case '\($0)' is not in the spec" }
        return problems
    }
}
