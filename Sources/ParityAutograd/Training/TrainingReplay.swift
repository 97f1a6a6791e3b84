import Autograd
import AutogradNN
import Parity

/// The Swift side of a training-parity case: the same run, step by step, from the
/// fixture's own initial parameters, data and batches.
public enum TrainingReplay {
    /// What a run gives: the loss of each step, the state (parameters and buffers) after
    /// the last, and, for a case with `evaluate`, the eval-mode output and loss.
    public struct Outcome: Sendable {
        public var losses: [Double]
        public var final: [(name: String, value: HostTensor)]
        public var evaluation: TrainingFixtureCase.Evaluation?

        public init(losses: [Double], final: [(name: String, value: HostTensor)], evaluation: TrainingFixtureCase.Evaluation? = nil) {
            self.losses = losses
            self.final = final
            self.evaluation = evaluation
        }
    }

    /// Runs `fixture` in Swift: build the model, load `initial` (strictly, by name), then
    /// per batch `zeroGrad`, forward, loss, backward, optional clipping, `step`. A
    /// recurrent case (``TrainingFixtureCase/windows``) steps once per window: the state
    /// reset where the fixture says, one forward step per iteration with the losses
    /// summed, backward, the state detached, clipping, `step`. With an evaluation, the
    /// model then goes to eval mode and runs on every row.
    /// - Throws: `ParityError` for a state that does not fit the model, settings the
    ///   optimizer refuses, or an operation that fails (shapes).
    public static func run(_ fixture: TrainingFixtureCase) throws(ParityError) -> Outcome {
        var generator = SeededGenerator(seed: 0)  // overwritten by the fixture's initial values
        let model = fixture.model.build(dtype: fixture.dtype, generator: &generator)
        let state = try fixture.initial.map { entry throws(ParityError) in (name: entry.name, tensor: try entry.value.tensor(fixture.dtype)) }
        do {
            try model.loadStateDict(state, strict: true)
        } catch {
            throw ParityError("initial parameters: \(error)", field: "initial")
        }
        let optimizer: any Optimizer
        do {
            optimizer = try fixture.optimizer.make(model.parameters)
        } catch {
            throw ParityError(error.description, field: "optimizer")
        }
        let inputs = try fixture.inputs.tensor(fixture.dtype)
        let targets = try fixture.targets.tensor(fixture.dtype)

        // Optimizer step k runs over batches[groups[k]].
        var groups: [Range<Int>] = []
        if let windows = fixture.windows {
            var start = 0
            for length in windows.lengths {
                groups.append(start..<(start + length))
                start += length
            }
        } else {
            groups = fixture.batches.indices.map { $0..<($0 + 1) }
        }
        let resets = Set(fixture.windows?.resets ?? [])
        let recurrent = model.namedModules().compactMap { $0.module as? RecurrentLayer }

        var losses: [Double] = []
        for (step, group) in groups.enumerated() {
            do {
                if resets.contains(step) { recurrent.forEach { $0.resetState() } }
                optimizer.zeroGrad()
                var total: Variable?
                for batch in fixture.batches[group] {
                    let x = try inputs.rows(batch), t = try targets.rows(batch)
                    let loss = try fixture.loss(try model(Variable(x)), t)
                    total = total.map { $0 + loss } ?? loss
                }
                guard let loss = total else { throw ParityError("step \(step + 1): an empty window", field: "windows") }
                loss.backward()
                recurrent.forEach { $0.detachState() }
                if let maxNorm = fixture.clipGradNorm { clipGradNorm(model.parameters, maxNorm: maxNorm) }
                optimizer.step()
                losses.append(loss.data.scalars[0])
            } catch let error as ParityError {
                throw error
            } catch let error as NNError {
                throw ParityError("step \(step + 1): \(error)", field: "batches")
            } catch {
                throw ParityError("step \(step + 1): \(error)")
            }
        }
        let final = model.stateDict().map { ($0.name, HostTensor($0.tensor)) }
        var evaluation: TrainingFixtureCase.Evaluation?
        if fixture.evaluation != nil {
            model.eval()
            do {
                let output = try model(Variable(inputs))
                let loss = try fixture.loss(output, targets)
                evaluation = .init(output: HostTensor(output.data), loss: loss.data.scalars[0])
            } catch {
                throw ParityError("evaluation: \(error)", field: "eval")
            }
        }
        return Outcome(losses: losses, final: final, evaluation: evaluation)
    }

    /// Replays `fixture` and compares, with the case's tolerance, the loss of every step
    /// and every final parameter with torch's.
    public static func check(_ fixture: TrainingFixtureCase, suite: String) -> CaseReport {
        do {
            let outcome = try run(fixture)
            return CaseReport(training: suite, name: fixture.name, dtype: fixture.dtype,
                              comparisons: compare(outcome, with: fixture, tolerance: fixture.effectiveTolerance), error: nil)
        } catch {
            return CaseReport(training: suite, name: fixture.name, dtype: fixture.dtype, comparisons: [], error: error.inCase(fixture.name))
        }
    }

    /// Loss by loss (one comparison, labelled `loss per step`), then parameter by parameter
    /// and buffer by buffer (`final NAME`), then the evaluation (`eval output`, `eval loss`).
    public static func compare(_ outcome: Outcome, with fixture: TrainingFixtureCase, tolerance: Tolerance) -> [TensorComparison] {
        compare(losses: outcome.losses, final: outcome.final, evaluation: outcome.evaluation,
                withLosses: fixture.losses, final: fixture.final, evaluation: fixture.evaluation, tolerance: tolerance)
    }

    static func compare(losses: [Double], final: [(name: String, value: HostTensor)], evaluation: TrainingFixtureCase.Evaluation?,
                        withLosses expectedLosses: [Double], final expectedFinal: [(name: String, value: HostTensor)],
                        evaluation expectedEvaluation: TrainingFixtureCase.Evaluation?,
                        tolerance: Tolerance) -> [TensorComparison] {
        var comparisons = [tolerance.compare(TrainingFixtureCase.lossTensor(losses), TrainingFixtureCase.lossTensor(expectedLosses),
                                             label: "loss per step")]
        for (name, expected) in expectedFinal {
            let actual = final.first { $0.name == name }?.value ?? HostTensor(shape: [0], data: [])
            comparisons.append(tolerance.compare(actual, expected, label: "final \(name)"))
        }
        if let expectedEvaluation {
            let missing = HostTensor(shape: [0], data: [])
            comparisons.append(tolerance.compare(evaluation?.output ?? missing, expectedEvaluation.output, label: "eval output"))
            comparisons.append(tolerance.compare(evaluation.map { HostTensor(scalar: $0.loss) } ?? missing,
                                                 HostTensor(scalar: expectedEvaluation.loss), label: "eval loss"))
        }
        return comparisons
    }

    /// How far torch's own float32 run is from its float64 run of the same case (largest
    /// absolute and relative error over the losses and final parameters): the yardstick
    /// a float32 case's tolerance is chosen against. `nil` for a float64 case.
    public static func torchFloat32Drift(_ fixture: TrainingFixtureCase) -> (abs: Double, rel: Double)? {
        guard let reference = fixture.float64 else { return nil }
        let comparisons = compare(losses: fixture.losses, final: fixture.final, evaluation: fixture.evaluation,
                                  withLosses: reference.losses, final: reference.final, evaluation: reference.evaluation,
                                  tolerance: Tolerance(rtol: 0, atol: 0))
        return (comparisons.map(\.maxAbsError).max() ?? 0, comparisons.map(\.maxRelError).max() ?? 0)
    }

    /// The same measure for Swift's float32 run against torch's float64 run.
    public static func float32Drift(of outcome: Outcome, _ fixture: TrainingFixtureCase) -> (abs: Double, rel: Double)? {
        guard let reference = fixture.float64 else { return nil }
        let comparisons = compare(losses: outcome.losses, final: outcome.final, evaluation: outcome.evaluation,
                                  withLosses: reference.losses, final: reference.final, evaluation: reference.evaluation,
                                  tolerance: Tolerance(rtol: 0, atol: 0))
        return (comparisons.map(\.maxAbsError).max() ?? 0, comparisons.map(\.maxRelError).max() ?? 0)
    }
}

extension CaseReport {
    /// The report of a training case (checked at first order: losses and parameters).
    public init(training suite: String, name: String, dtype: DType, comparisons: [TensorComparison], error: ParityError?) {
        self.init(suite: suite, name: name, dtype: ScalarType(dtype), order: 1, comparisons: comparisons, error: error, refusal: nil)
    }
}
