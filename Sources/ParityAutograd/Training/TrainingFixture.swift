import Autograd
import AutogradNN
import Parity
import Foundation

/// Where training specs and fixtures live in a checkout.
public enum TrainingFixtureFiles {
    /// `fixtures/specs/training/*.json`.
    public static let specDirectory = "fixtures/specs/training"
    /// `fixtures/torch/training/*.json`.
    public static let fixtureDirectory = "fixtures/torch/training"

    /// The `.json` files in the `training` directory of `root` (`fixtures/specs` or
    /// `fixtures/torch`), or none if it has no such directory.
    public static func trainingFiles(under root: String) throws(ParityError) -> [String] {
        let directory = (root as NSString).appendingPathComponent("training")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        return try FixtureFiles.jsonFiles(in: directory)
    }

    /// The file, relative to the training fixture directory, holding a case's final
    /// parameters as torch's `safetensors.torch.save_file` wrote them: `SUITE/CASE.safetensors`.
    public static func modelFile(suite: String, case name: String) -> String {
        "\(suite)/\(name).safetensors"
    }

    /// Whether the JSON file at `path` is a training spec or fixture (`"kind": "training"`).
    /// An unreadable or invalid file, or one beyond `limits`, is not (the regular reader
    /// reports its problem).
    public static func isTraining(_ path: String, limits: HarnessLimits = .default) -> Bool {
        guard let text = try? FixtureFiles.readText(path, maxBytes: limits.maxFileBytes),
              let json = try? JSONValue(parsing: text, limits: limits) else { return false }
        return TrainingSuiteSpec.isTraining(json)
    }
}

/// A suite of training runs with torch's results (`fixtures/torch/training/NAME.json`),
/// written by `gen-fixtures`, replayed by `swift test` and `parity`.
public struct TrainingFixtureSuite: Sendable {
    public var suite: String
    public var torch: String
    public var python: String
    /// How torch read the Swift-written initial parameters: `"safetensors 0.8.0"`
    /// (`safetensors.torch.load_file`), or the generator's own small reader.
    public var safetensors: String
    public var cases: [TrainingFixtureCase]

    public init(suite: String, torch: String, python: String, safetensors: String, cases: [TrainingFixtureCase]) {
        self.suite = suite
        self.torch = torch
        self.python = python
        self.safetensors = safetensors
        self.cases = cases
    }
}

/// One training run, self-describing: everything needed to replay it (model, exact
/// initial parameters, exact data, the rows of every batch, loss, optimizer with every
/// setting) and what torch gave (the loss of each step, every parameter after the last).
public struct TrainingFixtureCase: Sendable {
    public var name: String
    public var dtype: DType
    public var tolerance: Tolerance?
    public var model: ModelDescription
    public var loss: Loss
    public var optimizer: OptimizerDescription
    public var clipGradNorm: Double?
    /// Where the inputs came from (the spec's seeds and loader settings), for the record
    /// and for checking that the loader still draws the same batches; the replay uses
    /// the values below, never these.
    public var source: Source
    /// Inputs `[N, ...]` and targets (`[N, 1]` values, or `[N]` class indices), in the case's dtype.
    public var inputs: HostTensor
    public var targets: HostTensor
    /// The rows of each step's batch; for a recurrent case (``windows``), of each
    /// iteration (time step), the windows' iterations one after the other.
    public var batches: [[Int]]
    /// For a recurrent case (`bptt_length`): how ``batches`` group into optimizer steps.
    public var windows: Windows?
    /// The parameters before the first step, by name, in the model's order.
    public var initial: [(name: String, value: HostTensor)]
    /// torch's loss at each step (computed before that step's update; for a recurrent
    /// case, the sum of the window's per-iteration losses).
    public var losses: [Double]
    /// torch's state after the last step: parameters and buffers (`state_dict()`).
    public var final: [(name: String, value: HostTensor)]
    /// For a case with `evaluate`: torch's output and loss on every row in eval mode after
    /// the last step.
    public var evaluation: Evaluation?
    /// For a float32 case: torch's run of the same case in float64 (from the same values,
    /// widened), against which both float32 runs' errors are measured.
    public var float64: Reference?

    public struct Source: Sendable, Equatable {
        public var initSeed: UInt64
        public var data: DatasetDescription
        public var batching: TrainingCaseSpec.Batching

        public init(initSeed: UInt64, data: DatasetDescription, batching: TrainingCaseSpec.Batching) {
            self.initSeed = initSeed
            self.data = data
            self.batching = batching
        }
    }

    public struct Reference: Sendable {
        public var losses: [Double]
        public var final: [(name: String, value: HostTensor)]
        public var evaluation: Evaluation?

        public init(losses: [Double], final: [(name: String, value: HostTensor)], evaluation: Evaluation? = nil) {
            self.losses = losses
            self.final = final
            self.evaluation = evaluation
        }
    }

    /// Truncated BPTT: the optimizer steps of a recurrent case. Window `k` is the next
    /// `lengths[k]` iterations of ``TrainingFixtureCase/batches``: before it the state is
    /// reset if `k` is in `resets` (each epoch's first window); then per iteration a
    /// forward step (the state kept), the window's loss the sum of the iterations'
    /// losses; then backward, the state detached, and the optimizer's step.
    public struct Windows: Sendable, Equatable {
        public var lengths: [Int]
        public var resets: [Int]

        public init(lengths: [Int], resets: [Int]) {
            self.lengths = lengths
            self.resets = resets
        }

        var json: JSONValue {
            .object([("lengths", .array(lengths.map { .integer($0) })), ("resets", .array(resets.map { .integer($0) }))])
        }
    }

    /// The model's output on every row, and its loss, in eval mode after the last step.
    public struct Evaluation: Sendable {
        public var output: HostTensor
        public var loss: Double

        public init(output: HostTensor, loss: Double) {
            self.output = output
            self.loss = loss
        }

        var json: JSONValue {
            .object([("output", output.json), ("loss", .number(loss))])
        }

        init(_ field: FieldReader) throws(ParityError) {
            _ = try field.members(allowed: ["output", "loss"])
            output = try field.required("output").hostTensor()
            loss = try field.required("loss").double()
        }
    }

    public var effectiveTolerance: Tolerance { tolerance ?? .default(for: ScalarType(dtype)) }

    /// The number of optimizer steps: windows of a recurrent case, batches otherwise.
    public var steps: Int { windows?.lengths.count ?? batches.count }

    /// The per-step losses as one tensor, for comparisons.
    static func lossTensor(_ losses: [Double]) -> HostTensor {
        HostTensor(shape: [losses.count], data: losses)
    }
}

// MARK: - JSON

extension TrainingFixtureSuite {
    public var json: JSONValue {
        .object([
            ("kind", .string("training")),
            ("suite", .string(suite)),
            ("torch", .string(torch)),
            ("python", .string(python)),
            ("safetensors", .string(safetensors)),
            ("cases", .array(cases.map(\.json))),
        ])
    }

    /// Reads a training fixture file. Errors name the file, the case and the field.
    /// - Throws: `ParityError` for a malformed fixture (a duplicate case name), or a
    ///   file, tensor or model beyond `limits`.
    public init(contentsOf path: String, limits: HarnessLimits = .default) throws(ParityError) {
        self = try FieldReader.readFile(path, kind: "fixture", limits: limits) { (text: String) throws(ParityError) in
            try Self(parsing: text, limits: limits)
        }
    }

    /// Reads a training fixture from JSON text (see ``init(contentsOf:limits:)``).
    public init(parsing text: String, limits: HarnessLimits = .default) throws(ParityError) {
        let root = try FieldReader(document: text, limits: limits)
        let json = root.value
        _ = try root.members(allowed: ["kind", "suite", "torch", "python", "safetensors", "cases"])
        guard TrainingSuiteSpec.isTraining(json) else {
            throw ParityError("a training fixture starts with \"kind\": \"training\"", field: "kind")
        }
        suite = try root.required("suite").string()
        torch = try root.required("torch").string()
        python = try root.required("python").string()
        safetensors = try root.required("safetensors").string()
        cases = try root.required("cases").cases(named: \.name, read: TrainingFixtureCase.init) { c throws(ParityError) in
            try c.checkLimits(limits)
        }
    }
}

extension TrainingFixtureCase {
    static func parametersJSON(_ parameters: [(name: String, value: HostTensor)]) -> JSONValue {
        .object(parameters.map { ($0.name, $0.value.json) })
    }

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("name", .string(name)),
            ("dtype", .string(dtype.rawValue)),
        ]
        if let tolerance { members.append(("tolerance", tolerance.json)) }
        members += [
            ("model", model.json),
            ("loss", .string(loss.rawValue)),
            ("optimizer", optimizer.json),
        ]
        if let clipGradNorm { members.append(("clip_grad_norm", .number(clipGradNorm))) }
        let sourceMembers: [(key: String, value: JSONValue)] =
            [("init_seed", .integer(Int(source.initSeed))), ("data", source.data.json)] + source.batching.jsonMembers
        members += [
            ("source", .object(sourceMembers)),
            ("inputs", inputs.json),
            ("targets", targets.json),
            ("batches", .array(batches.map { .array($0.map { .integer($0) }) })),
        ]
        if let windows { members.append(("windows", windows.json)) }
        members += [
            ("initial", Self.parametersJSON(initial)),
            ("losses", .array(losses.map { .number($0) })),
            ("final", Self.parametersJSON(final)),
        ]
        if let evaluation { members.append(("eval", evaluation.json)) }
        if let float64 {
            var reference: [(key: String, value: JSONValue)] = [
                ("losses", .array(float64.losses.map { .number($0) })),
                ("final", Self.parametersJSON(float64.final)),
            ]
            if let evaluation = float64.evaluation { reference.append(("eval", evaluation.json)) }
            members.append(("float64", .object(reference)))
        }
        return .object(members)
    }

    init(_ field: FieldReader) throws(ParityError) {
        _ = try field.members()
        let name = try field.required("name").string()
        let field = FieldReader(field.value)
        do throws(ParityError) {
            _ = try field.members(allowed: [
                "name", "dtype", "tolerance", "model", "loss", "optimizer", "clip_grad_norm", "source",
                "inputs", "targets", "batches", "windows", "initial", "losses", "final", "eval", "float64",
            ])
            self.name = name
            dtype = DType(try field.required("dtype").dtype())
            tolerance = try field.optional("tolerance")?.tolerance()
            model = try ModelDescription(try field.required("model"))
            loss = try field.required("loss").loss()
            optimizer = try OptimizerDescription(try field.required("optimizer"))
            clipGradNorm = try field.optional("clip_grad_norm")?.positiveDouble()
            let sourceField = try field.required("source")
            _ = try sourceField.members(allowed: ["init_seed", "data", "batch_size", "shuffle", "drop_last", "loader_seed",
                                                  "bptt_length"])
            source = Source(initSeed: UInt64(try sourceField.required("init_seed").nonNegativeInt()),
                            data: try DatasetDescription(try sourceField.required("data")),
                            batching: try TrainingCaseSpec.Batching(sourceField))
            inputs = try field.required("inputs").hostTensor()
            targets = try field.required("targets").hostTensor()
            guard let rows = inputs.shape.first, targets.shape.first == rows else {
                throw ParityError("inputs \(inputs.shape) and targets \(targets.shape) need the same number of rows", field: "targets")
            }
            let batchesField = try field.required("batches")
            batches = []
            for item in try batchesField.array() {
                var batch: [Int] = []
                for index in try item.array() {
                    let i = try index.int()
                    guard i >= 0 && i < rows else { throw index.error("row \(i) is out of range for \(rows) rows") }
                    batch.append(i)
                }
                batches.append(batch)
            }
            if let windowsField = try field.optional("windows") {
                _ = try windowsField.members(allowed: ["lengths", "resets"])
                var lengths: [Int] = []
                for item in try windowsField.required("lengths").array() {
                    let n = try item.int()
                    guard n >= 1 else { throw item.error("a window has at least one iteration") }
                    lengths.append(n)
                }
                guard lengths.reduce(0, +) == batches.count else {
                    throw windowsField.error("the windows' lengths add up to \(lengths.reduce(0, +)), not to the \(batches.count) batches")
                }
                var resets: [Int] = []
                for item in try windowsField.required("resets").array() {
                    let k = try item.int()
                    guard k >= 0 && k < lengths.count && k > (resets.last ?? -1) else {
                        throw item.error("resets are increasing window indices in 0..<\(lengths.count)")
                    }
                    resets.append(k)
                }
                windows = Windows(lengths: lengths, resets: resets)
            } else {
                windows = nil
            }
            guard (windows != nil) == model.isRecurrent else {
                throw ParityError(model.isRecurrent ? "a recurrent model needs windows" : "windows need a recurrent model", field: "windows")
            }
            initial = try Self.parameters(try field.required("initial"))
            losses = try Self.numbers(try field.required("losses"))
            let steps = windows?.lengths.count ?? batches.count
            guard losses.count == steps else {
                throw ParityError("\(losses.count) losses for \(steps) steps", field: "losses")
            }
            final = try Self.parameters(try field.required("final"))
            guard final.map(\.name) == initial.map(\.name) else {
                throw ParityError("the final parameters are not named as the initial ones", field: "final")
            }
            evaluation = try field.optional("eval").map { (f: FieldReader) throws(ParityError) in try Evaluation(f) }
            if let reference = try field.optional("float64") {
                _ = try reference.members(allowed: ["losses", "final", "eval"])
                float64 = Reference(losses: try Self.numbers(try reference.required("losses")),
                                    final: try Self.parameters(try reference.required("final")),
                                    evaluation: try reference.optional("eval").map { (f: FieldReader) throws(ParityError) in try Evaluation(f) })
            } else {
                float64 = nil
            }
        } catch {
            throw error.inCase(name)
        }
    }

    /// Throws unless the model, the data and every parameter fit `limits`.
    public func checkLimits(_ limits: HarnessLimits) throws(ParityError) {
        do {
            try model.checkLimits(limits)
        } catch {
            throw ParityError(error.message, field: "model")
        }
        let tensors: [(field: String, tensor: HostTensor)] = [("inputs", inputs), ("targets", targets)]
            + initial.map { ("initial.\($0.name)", $0.value) } + final.map { ("final.\($0.name)", $0.value) }
            + (evaluation.map { [("eval.output", $0.output)] } ?? [])
        for (field, tensor) in tensors {
            do {
                _ = try limits.checkTensor(tensor.shape)
            } catch {
                throw ParityError(error.message, field: field)
            }
        }
    }

    static func parameters(_ field: FieldReader) throws(ParityError) -> [(name: String, value: HostTensor)] {
        var result: [(name: String, value: HostTensor)] = []
        for (key, value) in try field.members() {
            result.append((key, try FieldReader(value, path: field.child(key)).hostTensor()))
        }
        return result
    }

    static func numbers(_ field: FieldReader) throws(ParityError) -> [Double] {
        var result: [Double] = []
        for item in try field.array() { result.append(try item.double()) }
        return result
    }
}
