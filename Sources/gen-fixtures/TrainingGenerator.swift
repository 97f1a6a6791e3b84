import Autograd
import AutogradNN
import Foundation
import Parity
import ParityAutograd
import PythonBridge

/// Turns training specs into fixtures by running each case in torch (`torch_training.py`,
/// through the embedded interpreter).
///
/// Per case: Swift draws the initial parameters (its own seeded, torch-style
/// initialisation) and writes them as a safetensors file; torch loads that file with
/// `safetensors.torch.load_file` into a `torch.nn` model (`load_state_dict`, strict),
/// trains on the batches Swift's DataLoader chose, and writes its final parameters with
/// `safetensors.torch.save_file`, which Swift reads back. Both files must carry exactly
/// the values exchanged as JSON, or the case fails: the fixtures double as a check that
/// a model moves between the two libraries unchanged.
struct TrainingGenerator {
    let module: PythonObject
    let torchVersion: String
    let pythonVersion: String
    /// Which reader torch used for the files (`safetensors 0.8.0`, or the fallback's name).
    let safetensors: String

    init(torchVersion: String, pythonVersion: String) throws(PythonError) {
        module = try PythonScripts.load("torch_training")
        safetensors = try module.attribute("SAFETENSORS").toString()
        self.torchVersion = torchVersion
        self.pythonVersion = pythonVersion
    }

    /// Every case of `spec` with torch's results, and the bytes of the safetensors file
    /// torch wrote with each case's final parameters (by case name).
    func generate(_ spec: TrainingSuiteSpec) throws(ParityError) -> (suite: TrainingFixtureSuite, modelFiles: [(name: String, bytes: Data)]) {
        var cases: [TrainingFixtureCase] = []
        var files: [(name: String, bytes: Data)] = []
        for c in spec.cases {
            do {
                let (fixture, file) = try generate(c)
                cases.append(fixture)
                files.append((c.name, file))
            } catch {
                throw error.inCase(c.name)
            }
        }
        let suite = TrainingFixtureSuite(suite: spec.suite, torch: torchVersion, python: pythonVersion,
                                         safetensors: safetensors, cases: cases)
        return (suite, files)
    }

    func generate(_ c: TrainingCaseSpec) throws(ParityError) -> (fixture: TrainingFixtureCase, modelFile: Data) {
        var generator = SeededGenerator(seed: c.initSeed)
        let model = c.model.build(dtype: c.dtype, generator: &generator)
        let initial = model.stateDict().map { (name: $0.name, value: HostTensor($0.tensor)) }
        let (batches, windows) = try c.plan()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gen-fixtures-\(UUID().uuidString)")
        let initialPath = directory.appendingPathComponent("initial.safetensors").path
        let finalPath = directory.appendingPathComponent("final.safetensors").path
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try model.save(to: initialPath, metadata: ["format": "pt", "source": "swift-autograd"])
        } catch {
            throw ParityError("cannot write the initial parameters: \(error)")
        }

        let answer: String
        do {
            let request = JSONWriter.write(try c.torchRequest(batches: batches, windows: windows))
            answer = try module.attribute("train").call([PythonObject(request), PythonObject(initialPath), PythonObject(finalPath)]).toString()
        } catch let error as PythonError {
            throw ParityError("torch: \(error.typeName): \(error.message)")
        } catch let error as ParityError {
            throw error
        } catch {
            throw ParityError("\(error)")
        }
        let result = try TorchTrainingResult(parsing: answer)

        // Swift → torch: torch holds exactly the values Swift wrote.
        try Self.expectSame(result.loaded, initial, "torch's parameters after loading the Swift-written file")
        // torch → Swift: the file torch wrote reads back as the values torch reported.
        let written: Safetensors.Contents
        let modelFile: Data
        do {
            modelFile = try Data(contentsOf: URL(fileURLWithPath: finalPath))
            written = try Safetensors.decode(Array(modelFile))
        } catch {
            throw ParityError("cannot read torch's safetensors file: \(error)")
        }
        let read = written.tensors.map { (name: $0.name, value: HostTensor($0.tensor)) }
        try Self.expectSame(read.sorted { $0.name < $1.name }, result.final.sorted { $0.name < $1.name },
                            "the safetensors file torch wrote, as Swift reads it")
        // Parameters and floating-point buffers in the case's dtype; counters (batch norm's
        // num_batches_tracked) in int64, as in torch.
        guard written.tensors.allSatisfy({ $0.tensor.dtype == c.dtype || $0.tensor.dtype == .int64 }) else {
            throw ParityError("torch wrote its final parameters in another dtype than \(c.dtype)")
        }
        guard (result.evaluation != nil) == c.evaluate else { throw ParityError("torch's answer lacks the evaluation") }
        return (TrainingFixtureCase(spec: c, batches: batches, windows: windows, initial: initial, torch: result), modelFile)
    }

    /// Fails unless both lists name the same tensors with bit-identical values.
    private static func expectSame(_ actual: [(name: String, value: HostTensor)], _ expected: [(name: String, value: HostTensor)],
                                   _ what: String) throws(ParityError) {
        guard actual.map(\.name) == expected.map(\.name) else {
            throw ParityError("\(what): names \(actual.map(\.name)), expected \(expected.map(\.name))")
        }
        for (a, e) in zip(actual, expected) where a.value != e.value {
            throw ParityError("\(what): '\(a.name)' differs from the values exchanged as JSON")
        }
    }
}
