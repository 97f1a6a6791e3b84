import Autograd
import Parity
import ParityAutograd
import PythonBridge

/// Turns specs into fixtures by running every case in torch.
struct FixtureGenerator {
    let torch: TorchBackend
    let pythonVersion: String
    /// Inputs beyond these are refused before torch draws them; results beyond them after.
    var limits = HarnessLimits.default

    /// This generator with other limits.
    func limited(by limits: HarnessLimits) -> FixtureGenerator {
        var copy = self
        copy.limits = limits
        return copy
    }

    /// Every case of `spec`, with torch's results. Nothing is returned unless every
    /// case succeeds, so that a fixture file is never half-written.
    func generate(_ spec: SuiteSpec, progress: (Int, CaseSpec) -> Void = { _, _ in }) throws(ParityError) -> FixtureSuite {
        var cases: [FixtureCase] = []
        for (i, c) in spec.cases.enumerated() {
            progress(i, c)
            do {
                cases.append(try generate(c))
            } catch {
                throw error.inCase(c.name)
            }
        }
        return FixtureSuite(suite: spec.suite, torch: torch.version, python: pythonVersion, cases: cases)
    }

    func generate(_ c: CaseSpec) throws(ParityError) -> FixtureCase {
        // Specs read from files were checked; the fuzzer's cases are checked here.
        try limits.checkCase(c.inputs.map { ($0.name, $0.value.shape) })
        var inputs: [(name: String, value: HostTensor)] = []
        for (name, input) in c.inputs {
            do {
                inputs.append((name, try materialize(input, dtype: c.dtype)))
            } catch {
                throw ParityError("cannot make the input: \(error)", field: "inputs.\(name)")
            }
        }
        let outcome: CaseOutcome
        do {
            outcome = try CaseRunner.run(torch, expr: c.expr, inputs: inputs, dtype: c.dtype, order: c.order) { shape in
                // A seeded random upstream gradient: an all-ones one would hide transposed gradients.
                shape.isEmpty ? HostTensor(scalar: 1) : try torch.randn(shape: shape, seed: Self.seed(c.name), dtype: c.dtype)
            }
        } catch where c.expectsError && error.isRefusal {
            // The refusal this case is about: keep torch's message (its first line).
            let message = error.message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? error.message
            return .refused(name: c.name, expr: c.expr, dtype: c.dtype, order: c.order, inputs: inputs, message: message)
        }
        if c.expectsError {
            throw ParityError("the case is marked \"error\": true, but torch computed a result")
        }
        var fixture = FixtureCase(name: c.name, expr: c.expr, dtype: c.dtype, order: c.order, tolerance: c.tolerance,
                                  inputs: inputs, upstream: outcome.upstream, output: outcome.output, grads: outcome.grads)
        if c.dtype == .float32 && !outcome.output.isInt64 {
            // The same float32 values, computed in float64: torch's own float32 error is measured against it.
            let wide = try CaseRunner.run(torch, expr: c.expr, inputs: inputs, dtype: .float64, order: c.order) { _ in outcome.upstream }
            fixture.float64 = .init(output: wide.output, grads: wide.grads)
        }
        // A fixture `parity` would refuse to read is not written.
        try fixture.checkLimits(limits)
        return fixture
    }

    /// The exact values torch uses for an input, in the case's dtype (int64 inputs in int64).
    func materialize(_ input: InputSpec, dtype: ScalarType) throws(PythonError) -> HostTensor {
        switch input {
        case .literal(let t): try torch.literal(t, dtype: dtype)
        case let .randn(shape, seed): try torch.randn(shape: shape, seed: seed, dtype: dtype)
        case let .uniform(shape, low, high, seed): try torch.uniform(shape: shape, low: low, high: high, seed: seed, dtype: dtype)
        case let .randint(shape, low, high, seed): try torch.randint(shape: shape, low: low, high: high, seed: seed)
        }
    }

    /// A seed derived from the case name (FNV-1a), stable across runs and machines.
    static func seed(_ name: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash)
    }
}
