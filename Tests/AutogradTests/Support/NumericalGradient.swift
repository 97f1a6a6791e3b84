import Testing
import Autograd

// A DeZero/torch-style gradient checker (torch.autograd.gradcheck and gradgradcheck):
// analytic gradients from the library against central differences of the forward pass.

// MARK: - Random numbers

/// SplitMix64 (Steele, Lea & Flood, 2014; Vigna's reference `splitmix64.c`): a small,
/// fast, seedable generator, so that every test sees the same "random" inputs on every
/// run and platform. Not Foundation's or the system's randomness.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform values in `range`, row-major, as a float64 tensor of `shape`.
    mutating func tensor(_ shape: [Int], in range: ClosedRange<Double>) -> Tensor {
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ in Double.random(in: range, using: &self) }
        return try! Tensor(shape: shape, scalars: values)
    }

    /// Values whose magnitude is uniform in `magnitude`, with a random sign: inputs kept
    /// away from a point of non-differentiability or a pole at 0 (relu, 1/x).
    mutating func tensor(_ shape: [Int], magnitude: ClosedRange<Double>) -> Tensor {
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ -> Double in
            let m = Double.random(in: magnitude, using: &self)
            return Bool.random(using: &self) ? m : -m
        }
        return try! Tensor(shape: shape, scalars: values)
    }

    /// Uniform `Float` values in `range`, as a float32 tensor of `shape`.
    mutating func float32Tensor(_ shape: [Int], in range: ClosedRange<Float>) -> Tensor {
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ in Float.random(in: range, using: &self) }
        return try! Tensor(shape: shape, float32Scalars: values)
    }

    /// Weights for the checker's scalar loss `sum(f(x) * w)`: distinct, of magnitude 0.5...1.5
    /// with random signs, so that a gradient routed to the wrong element (a transposed or
    /// permuted backward) changes the loss's gradient and is caught. With `w = 1` such a
    /// bug is invisible, because every element of the seed gradient would be equal.
    mutating func weights(_ shape: [Int]) -> Tensor {
        tensor(shape, magnitude: 0.5...1.5)
    }
}

// MARK: - The checker

/// gradcheck's defaults (torch.autograd.gradcheck): step `eps = 1e-6`, and an analytic
/// value `a` passes against a numeric value `n` if `|a - n| <= atol + rtol·|n|`.
enum GradCheck {
    static let eps = 1e-6
    static let atol = 1e-5
    static let rtol = 1e-3

    static func isClose(analytic: Double, numeric: Double) -> Bool {
        abs(analytic - numeric) <= atol + rtol * abs(numeric)
    }
}

/// One element whose analytic and numeric derivatives disagree.
struct GradientMismatch: CustomStringConvertible {
    var op: String
    var order: Int
    var input: Int
    var element: Int
    var index: [Int]
    var analytic: Double
    var numeric: Double

    var description: String {
        let kind = order == 1 ? "gradient" : "second-order gradient"
        return "\(op): \(kind) of input \(input), element \(element) (index \(index)): "
            + "analytic \(analytic), numeric \(numeric) "
            + "(|difference| \(abs(analytic - numeric)) > atol \(GradCheck.atol) + rtol \(GradCheck.rtol)·|numeric|)"
    }
}

/// What a check found: disagreeing elements, and structural problems (wrong gradient
/// shape or dtype, a forward pass that changed shape under perturbation).
struct GradCheckReport {
    var mismatches: [GradientMismatch] = []
    var problems: [String] = []
    /// How many elements were compared (so a caller can tell a check really ran).
    var checkedElements = 0

    var passed: Bool { mismatches.isEmpty && problems.isEmpty }
}

/// The row-major multi-index of element `flat` of a tensor of `shape`.
func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for d in shape.indices.reversed() {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}

/// `tensor` with element `flat` moved by `delta`.
private func perturbed(_ tensor: Tensor, _ flat: Int, by delta: Double) -> Tensor {
    var values = tensor.scalars
    values[flat] += delta
    return try! Tensor(shape: tensor.shape, scalars: values)
}

/// The dot product of two tensors' elements, in `Double`.
private func dot(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Checks the first derivatives of `f` at `inputs` (all float64): the analytic gradient
/// of `L = sum(f(xs) * w)` for a fixed random `w` against `(L(x + eps) - L(x - eps)) / 2eps`,
/// element by element. Gradient shapes must equal the inputs' shapes.
func firstOrderReport(
    _ op: String, _ inputs: [Tensor], seed: UInt64, _ f: ([Variable]) throws -> Variable
) throws -> GradCheckReport {
    precondition(inputs.allSatisfy { $0.dtype == .float64 }, "the checker needs float64 inputs")
    var rng = SplitMix64(seed: seed)
    var report = GradCheckReport()

    let xs = inputs.map { Variable($0) }
    let y = try f(xs)
    let w = rng.weights(y.shape)
    let loss = sum(y * Variable.constant(w))
    let analytic = try gradients(of: loss, withRespectTo: xs)

    func weightedOutput(_ tensors: [Tensor]) throws -> Double {
        let out = try withNoGrad { try f(tensors.map { Variable($0) }) }
        if out.shape != y.shape {
            report.problems.append("\(op): output shape \(out.shape) under perturbation, \(y.shape) without")
        }
        return dot(out.data, w)
    }

    for (i, input) in inputs.enumerated() {
        let g = analytic[i]
        guard g.shape == input.shape else {
            report.problems.append("\(op): gradient of input \(i) has shape \(g.shape), the input has shape \(input.shape)")
            continue
        }
        if g.dtype != .float64 {
            report.problems.append("\(op): gradient of input \(i) has dtype \(g.dtype), the input float64")
        }
        let gValues = g.data.scalars
        for j in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[i] = perturbed(input, j, by: GradCheck.eps)
            minus[i] = perturbed(input, j, by: -GradCheck.eps)
            let numeric = (try weightedOutput(plus) - weightedOutput(minus)) / (2 * GradCheck.eps)
            report.checkedElements += 1
            if !GradCheck.isClose(analytic: gValues[j], numeric: numeric) {
                report.mismatches.append(GradientMismatch(
                    op: op, order: 1, input: i, element: j, index: multiIndex(j, in: input.shape),
                    analytic: gValues[j], numeric: numeric))
            }
        }
    }
    return report
}

/// Checks the second derivatives of `f` at `inputs` (torch's gradgradcheck): with
/// `g = ∇ sum(f(xs) * w)` taken with `createGraph: true`, the analytic gradient of
/// `Σᵢ sum(gᵢ * vᵢ)` (random fixed `v`, a Hessian-vector product) against the central
/// difference of the same quantity computed from first gradients at `x ± eps`.
func secondOrderReport(
    _ op: String, _ inputs: [Tensor], seed: UInt64, _ f: ([Variable]) throws -> Variable
) throws -> GradCheckReport {
    precondition(inputs.allSatisfy { $0.dtype == .float64 }, "the checker needs float64 inputs")
    var rng = SplitMix64(seed: seed)
    var report = GradCheckReport()

    let xs = inputs.map { Variable($0) }
    let y = try f(xs)
    let w = rng.weights(y.shape)
    let firstGradients = try gradients(of: sum(y * Variable.constant(w)), withRespectTo: xs, createGraph: true)
    let v = firstGradients.map { rng.weights($0.shape) }
    var projected = sum(firstGradients[0] * Variable.constant(v[0]))
    for i in firstGradients.indices.dropFirst() {
        projected = projected + sum(firstGradients[i] * Variable.constant(v[i]))
    }
    let analytic = try gradients(of: projected, withRespectTo: xs)

    /// `Σᵢ gᵢ · vᵢ` from the first gradients at `tensors` (no graph recorded).
    func projectedGradient(_ tensors: [Tensor]) throws -> Double {
        let vars = tensors.map { Variable($0) }
        let out = try f(vars)
        let gs = try gradients(of: sum(out * Variable.constant(w)), withRespectTo: vars)
        return zip(gs, v).reduce(0) { $0 + dot($1.0.data, $1.1) }
    }

    for (i, input) in inputs.enumerated() {
        let h = analytic[i]
        guard h.shape == input.shape else {
            report.problems.append("\(op): second-order gradient of input \(i) has shape \(h.shape), the input \(input.shape)")
            continue
        }
        let hValues = h.data.scalars
        for j in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[i] = perturbed(input, j, by: GradCheck.eps)
            minus[i] = perturbed(input, j, by: -GradCheck.eps)
            let numeric = (try projectedGradient(plus) - projectedGradient(minus)) / (2 * GradCheck.eps)
            report.checkedElements += 1
            if !GradCheck.isClose(analytic: hValues[j], numeric: numeric) {
                report.mismatches.append(GradientMismatch(
                    op: op, order: 2, input: i, element: j, index: multiIndex(j, in: input.shape),
                    analytic: hValues[j], numeric: numeric))
            }
        }
    }
    return report
}

/// Records a report's findings as test issues at the caller's location.
func recordGradCheck(_ report: GradCheckReport, sourceLocation: SourceLocation) {
    for problem in report.problems {
        Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    }
    let shown = 8
    for mismatch in report.mismatches.prefix(shown) {
        Issue.record(Comment(rawValue: mismatch.description), sourceLocation: sourceLocation)
    }
    if report.mismatches.count > shown {
        Issue.record(Comment(rawValue: "… and \(report.mismatches.count - shown) more mismatching elements"),
                     sourceLocation: sourceLocation)
    }
    #expect(report.checkedElements > 0 || !report.problems.isEmpty,
            "the gradient check compared no elements", sourceLocation: sourceLocation)
}

/// First-order gradient check of `f` at `inputs` (float64), recording every disagreement.
func checkGradients(
    _ op: String,
    _ inputs: [Tensor],
    seed: UInt64 = 0x5EED,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Variable]) throws -> Variable
) throws {
    recordGradCheck(try firstOrderReport(op, inputs, seed: seed, f), sourceLocation: sourceLocation)
}

/// Second-order gradient check of `f` at `inputs` (float64), recording every disagreement.
func checkSecondOrderGradients(
    _ op: String,
    _ inputs: [Tensor],
    seed: UInt64 = 0x5EED,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Variable]) throws -> Variable
) throws {
    recordGradCheck(try secondOrderReport(op, inputs, seed: seed, f), sourceLocation: sourceLocation)
}
