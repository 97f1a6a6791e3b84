/// A case's results on one backend: output, the upstream gradient used, and the
/// gradients of every order (`grads[k-1][i]` is the order-k gradient for the `i`-th
/// floating-point input: int64 inputs get none). An int64 output is not differentiated:
/// its upstream is empty (shape `[0]`) and `grads` is `[]`.
public struct CaseOutcome: Sendable {
    public var output: HostTensor
    public var upstream: HostTensor
    public var grads: [[HostTensor]]
}

/// Runs a case on a backend: the same procedure for torch and for Swift.
public enum CaseRunner {
    /// Evaluates `expr` on `inputs` and differentiates it up to `order`:
    /// `g1 = grad(output, inputs, upstream)`, `gk = grad(Σᵢ sum(g(k-1)ᵢ), inputs)`.
    /// - Parameters:
    ///   - backend: the backend that evaluates and differentiates (a fresh one per case).
    ///   - expr: the case's expression, in the harness's expression language.
    ///   - inputs: the named inputs, in the order of the gradients.
    ///   - dtype: the dtype the case runs in.
    ///   - order: the highest derivative order, 1 to 3.
    ///   - upstream: the gradient fed into the output, given its shape.
    public static func run<Backend: ParityBackend>(
        _ backend: Backend, expr: String, inputs: [(name: String, value: HostTensor)],
        dtype: ScalarType, order: Int, upstream: ([Int]) throws -> HostTensor
    ) throws(ParityError) -> CaseOutcome {
        let program: Program
        do {
            program = try Program(parsing: expr)
        } catch {
            throw ParityError(error.message, column: error.location.column)
        }
        if let reason = backend.unsupportedReason(program, dtype: dtype, order: order, inputs: inputs) {
            throw ParityError.unsupported(reason)
        }
        return try step("evaluating", backend) { () throws -> CaseOutcome in
            // int64 inputs are constants: torch cannot differentiate integers.
            let values = try inputs.map {
                $0.value.isInt64 ? try backend.constant($0.value, dtype: dtype) : try backend.input($0.value, dtype: dtype)
            }
            let leaves = zip(inputs, values).filter { !$0.0.value.isInt64 }.map(\.1)
            let output = try Evaluator(backend: backend, dtype: dtype)
                .evaluate(program, inputs: zip(inputs, values).map { ($0.name, $1) })
            let outputTensor = try backend.read(output)
            if outputTensor.isInt64 {
                return CaseOutcome(output: outputTensor, upstream: HostTensor(shape: [0], data: []), grads: [])
            }
            let seed = try upstream(outputTensor.shape)
            guard seed.shape == outputTensor.shape else {
                throw ParityError("upstream shape \(seed.shape) differs from output shape \(outputTensor.shape)")
            }
            // Nothing to differentiate (every input a constant): no gradient of any order.
            if leaves.isEmpty { return CaseOutcome(output: outputTensor, upstream: seed, grads: Array(repeating: [], count: order)) }
            var grads: [[HostTensor]] = []
            var current = try backend.gradients(
                of: output, withRespectTo: leaves, upstream: try backend.constant(seed, dtype: dtype), createGraph: order > 1)
            grads.append(try current.map(backend.read))
            for k in stride(from: 2, through: order, by: 1) {
                let total = try backend.sumOfSums(current)
                current = try backend.gradients(
                    of: total, withRespectTo: leaves, upstream: try backend.constant(HostTensor(scalar: 1), dtype: dtype),
                    createGraph: k < order)
                grads.append(try current.map(backend.read))
            }
            return CaseOutcome(output: outputTensor, upstream: seed, grads: grads)
        }
    }

    /// Runs `body`, turning any error into a ``ParityError``.
    private static func step<T, Backend: ParityBackend>(
        _ what: String, _ backend: Backend, _ body: () throws -> T
    ) throws(ParityError) -> T {
        do {
            return try body()
        } catch let error as ParityError {
            throw error
        } catch {
            if let message = backend.message(for: error) { throw ParityError(message) }
            throw ParityError("\(what): \(error)")
        }
    }
}
