import Foundation
import Testing
import Autograd
import AutogradNN
import Parity
import ParityAutograd

/// The committed training specs and fixtures of this checkout, found from this file's path.
enum TrainingRepository {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Training
        .deletingLastPathComponent()  // AutogradNNTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static let suites: Result<[TrainingFixtureSuite], ParityError> = {
        do throws(ParityError) {
            let files = try FixtureFiles.jsonFiles(in: path(TrainingFixtureFiles.fixtureDirectory))
            return .success(try files.map { file throws(ParityError) in try TrainingFixtureSuite(contentsOf: file) })
        } catch {
            return .failure(error)
        }
    }()

    static func specs() throws -> [TrainingSuiteSpec] {
        try FixtureFiles.jsonFiles(in: path(TrainingFixtureFiles.specDirectory)).map { try TrainingSuiteSpec(contentsOf: $0) }
    }
}

/// One training fixture case as a test argument, shown as `suite/name`.
struct TrainingCaseArgument: Sendable, CustomTestStringConvertible {
    let suite: String
    let fixture: TrainingFixtureCase

    var testDescription: String { "\(suite)/\(fixture.name)" }

    static let all: [TrainingCaseArgument] = {
        guard case .success(let suites) = TrainingRepository.suites else { return [] }
        return suites.flatMap { suite in suite.cases.map { TrainingCaseArgument(suite: suite.suite, fixture: $0) } }
    }()
}

@Suite("Training parity with PyTorch")
struct TrainingParityTests {
    @Test func fixturesAreReadable() throws {
        let suites = try TrainingRepository.suites.get()
        #expect(suites.map(\.suite).sorted() == ["cnn", "optimizers", "sine", "sine_lstm", "spiral"])
        #expect(TrainingCaseArgument.all.count >= 12)
        for suite in suites {
            #expect(Set(suite.cases.map(\.dtype)) == [.float64, .float32], "\(suite.suite): both dtypes")
        }
    }

    /// Each case replayed in Swift: the loss of every step and every parameter after the
    /// last step, against torch's, with the case's tolerance.
    @Test("Swift trains as torch does", arguments: TrainingCaseArgument.all)
    func trainsAsTorchDoes(_ argument: TrainingCaseArgument) {
        let report = TrainingReplay.check(argument.fixture, suite: argument.suite)
        let evaluations = argument.fixture.evaluation == nil ? 0 : 2
        #expect(report.comparisons.count == 1 + argument.fixture.final.count + evaluations || report.error != nil)
        for failure in report.failures {
            Issue.record("\(argument.testDescription): \(failure)")
        }
    }

    /// torch wrote each case's final parameters with `safetensors.torch.save_file`; the
    /// Swift model loads that file and holds exactly the values of the fixture.
    @Test("torch-written safetensors files load", arguments: TrainingCaseArgument.all)
    func torchWrittenModelsLoad(_ argument: TrainingCaseArgument) throws {
        let fixture = argument.fixture
        let file = TrainingRepository.path(TrainingFixtureFiles.fixtureDirectory + "/"
            + TrainingFixtureFiles.modelFile(suite: argument.suite, case: fixture.name))
        var generator = SeededGenerator(seed: 99)
        let model = fixture.model.build(dtype: fixture.dtype, generator: &generator)
        try model.load(from: file)
        let state = model.stateDict()
        #expect(state.map(\.name) == fixture.final.map(\.name))
        for ((name, tensor), expected) in zip(state, fixture.final) {
            // Parameters and floating-point buffers in the case's dtype; counters in int64.
            let dtype = expected.value.isInt64 ? DType.int64 : fixture.dtype
            #expect(tensor.dtype == dtype && HostTensor(tensor) == expected.value, "\(name)")
        }
    }

    /// The recorded inputs are what the recorded sources give today: Swift's seeded
    /// initialisation and DataLoader have not changed under the fixtures.
    @Test("initial parameters and batches come from their seeds", arguments: TrainingCaseArgument.all)
    func inputsComeFromTheirSeeds(_ argument: TrainingCaseArgument) throws {
        let fixture = argument.fixture
        var generator = SeededGenerator(seed: fixture.source.initSeed)
        let model = fixture.model.build(dtype: fixture.dtype, generator: &generator)
        let initial = model.stateDict()
        #expect(initial.map(\.name) == fixture.initial.map(\.name))
        #expect(zip(initial, fixture.initial).allSatisfy { HostTensor($0.tensor) == $1.value })
        let plan = try fixture.planFromSource()
        #expect(plan.batches == fixture.batches && plan.windows == fixture.windows)
        #expect(fixture.inputs.shape.first == fixture.source.data.rows)
    }

    /// A float32 case's tolerance must hold torch's own float32 run against its float64
    /// run: the tolerance is justified by torch's drift, not by Swift's.
    @Test("float32 tolerances cover torch's own drift", arguments: TrainingCaseArgument.all.filter { $0.fixture.dtype == .float32 })
    func float32ToleranceCoversTorchsDrift(_ argument: TrainingCaseArgument) throws {
        let fixture = argument.fixture
        let reference = try #require(fixture.float64, "a float32 case records torch's float64 run")
        let comparisons = TrainingReplay.compare(
            TrainingReplay.Outcome(losses: fixture.losses, final: fixture.final, evaluation: fixture.evaluation),
            with: TrainingFixtureCase(replacingResultsOf: fixture, with: reference),
            tolerance: fixture.effectiveTolerance)
        for comparison in comparisons where !comparison.passed {
            Issue.record("\(argument.testDescription): torch float32 vs float64: \(comparison.failure ?? "")")
        }
    }

    /// Each spec case has a fixture case made from the same description.
    @Test func everySpecCaseHasAFixture() throws {
        let suites = try TrainingRepository.suites.get()
        for spec in try TrainingRepository.specs() {
            guard let suite = suites.first(where: { $0.suite == spec.suite }) else {
                Issue.record("training suite '\(spec.suite)' has no fixture; run `swift run gen-fixtures`")
                continue
            }
            for c in spec.cases {
                guard let fixture = suite.cases.first(where: { $0.name == c.name }) else {
                    Issue.record("\(spec.suite)/\(c.name): no fixture; regenerate")
                    continue
                }
                #expect(fixture.dtype == c.dtype && fixture.model == c.model && fixture.optimizer == c.optimizer
                        && fixture.loss == c.loss && fixture.clipGradNorm == c.clipGradNorm
                        && fixture.steps == c.steps
                        && (fixture.evaluation != nil) == c.evaluate,
                        "\(spec.suite)/\(c.name): spec and fixture differ; regenerate")
                #expect(fixture.source == .init(initSeed: c.initSeed, data: c.data, batching: c.batching), "\(spec.suite)/\(c.name)")
            }
            #expect(suite.cases.count == spec.cases.count, "\(spec.suite): stale cases in the fixture")
        }
    }
}

extension TrainingFixtureCase {
    /// This case with `reference`'s losses and final parameters as the expected results.
    init(replacingResultsOf fixture: TrainingFixtureCase, with reference: TrainingFixtureCase.Reference) {
        self = fixture
        losses = reference.losses
        final = reference.final
        evaluation = reference.evaluation
    }
}

@Suite("Training specs and fixtures: errors")
struct TrainingFormatErrorTests {
    static let valid = """
    {"name": "c", "model": {"kind": "mlp", "sizes": [1, 4, 1]}, "data": {"kind": "sine", "n": 10, "seed": 0},
     "loss": "mse", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 3}
    """

    static func suite(_ caseJSON: String) -> String {
        #"{"kind": "training", "suite": "s", "cases": ["# + caseJSON + "]}"
    }

    @Test func aValidSpecReads() throws {
        let spec = try TrainingSuiteSpec(parsing: Self.suite(Self.valid))
        let c = try #require(spec.cases.first)
        #expect(c.model == .mlp(sizes: [1, 4, 1], activation: .sigmoid, bias: true))
        #expect(c.optimizer.kind == .sgd && c.optimizer.lr == 0.1 && c.optimizer.momentum == 0)
        #expect(try c.batching.batches(rows: 10, steps: 3) == Array(repeating: Array(0..<10), count: 3))
    }

    /// Truncated BPTT: each epoch's iterations (SeqDataLoader) cut into windows of
    /// `bptt_length`, the last one shorter; the state reset before each epoch's first.
    @Test func bpttWindows() throws {
        let batching = TrainingCaseSpec.Batching(batchSize: 10, bpttLength: 4)
        let (batches, windows) = try batching.windows(rows: 100, steps: 5)
        #expect(windows == .init(lengths: [4, 4, 2, 4, 4], resets: [0, 3]))
        #expect(batches.count == 18)
        #expect(batches[0] == Array(stride(from: 0, to: 100, by: 10)))
        #expect(batches[9] == Array(stride(from: 9, to: 100, by: 10)) && batches[10] == batches[0])
    }

    /// Each broken spec names the case, the field and the problem.
    @Test(arguments: [
        (#""lr": 0.1"#, #""lr": -1"#, "Invalid learning rate: -1.0"),
        (#""kind": "sgd""#, #""kind": "lbfgs""#, "unknown optimizer 'lbfgs'"),
        (#""sizes": [1, 4, 1]"#, #""sizes": [1]"#, "at least two sizes"),
        (#""sizes": [1, 4, 1]}"#, #""sizes": [1, 4, 1], "activation": "swish"}"#, "unknown activation 'swish'"),
        (#""loss": "mse""#, #""loss": "hinge""#, "unknown loss 'hinge'"),
        (#""steps": 3"#, #""steps": 0"#, "steps must be in 1...1000"),
        (#""kind": "sine""#, #""kind": "moons""#, "unknown dataset kind 'moons'"),
        (#""steps": 3"#, #""steps": 3, "batch_size": 0"#, "batch_size must be at least 1"),
        (#""steps": 3"#, #""steps": 3, "epochs": 2"#, "unknown field"),
        (#""lr": 0.1"#, #""lr": 0.1, "nesterov": true"#, "Nesterov momentum requires a momentum and zero dampening"),
        (#""steps": 3"#, #""steps": 3, "batch_size": 2, "bptt_length": 4"#, "bptt_length needs a recurrent model"),
        (#"{"kind": "mlp", "sizes": [1, 4, 1]}"#, #"{"kind": "lstm", "input": 1, "hidden": 4, "output": 1}"#,
         "a recurrent model needs bptt_length"),
        (#"{"kind": "mlp", "sizes": [1, 4, 1]}"#, #"{"kind": "sequential", "layers": [{"conv2d": [1, 4]}]}"#,
         "takes [in, out, kernel]"),
        (#""kind": "sine", "n": 10, "seed": 0"#, #""kind": "digits", "path": "../digits.npz", "rows": 10"#,
         "inside the package"),
    ])
    func brokenSpecsAreRefused(original: String, replacement: String, message: String) {
        let text = Self.suite(Self.valid.replacingOccurrences(of: original, with: replacement))
        #expect(text != Self.suite(Self.valid), "the replacement applies")
        do {
            _ = try TrainingSuiteSpec(parsing: text)
            Issue.record("accepted a spec with \(replacement)")
        } catch {
            #expect(error.caseName == "c", "\(error)")
            #expect(error.description.contains(message), "'\(error)' does not say '\(message)'")
        }
    }

    /// A fixture whose initial state does not fit its model fails its case with the state's error.
    @Test func aStateThatDoesNotFitFailsTheCase() throws {
        var fixture = try #require(TrainingCaseArgument.all.first).fixture
        fixture.initial.removeLast()
        let report = TrainingReplay.check(fixture, suite: "s")
        #expect(!report.passed && report.comparisons.isEmpty)
        #expect(report.failures.first?.contains("missing parameter(s)") == true, "\(report.failures)")
    }
}
