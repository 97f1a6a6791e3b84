import _Differentiation
import Parity

/// The scalar program a case builds, one instruction per operation, in SSA form: the
/// leaves (inputs), constants, the ops the evaluator applies, and — for gradients that
/// must be differentiable again — the instructions ``TracedScalar`` records while the
/// compiler's pullback runs.
///
/// Identical instructions are recorded once (common subexpressions share a register),
/// which keeps replays of the forward pass, as the pullback makes them, from growing
/// the tape. Constants are shared by bit pattern, so `0.0` and `-0.0` stay apart.
///
/// One tape per case: it lives as long as the backend that owns it.
final class ScalarTape {
    /// The program so far; instruction `i` writes register `i`.
    private(set) var instructions: [ScalarInstruction] = []
    /// The register of each leaf, in the order they were made.
    private(set) var leaves: [Int] = []
    /// The leaves' values, rounded to ``dtype``.
    private(set) var leafValues: [Double] = []
    /// float64 or float32: how constants and leaves are rounded, and which scalar type
    /// (`Double` or `Float`) evaluates and differentiates the program.
    let dtype: ScalarType

    private var registersOfInstructions: [ScalarInstruction: Int] = [:]
    private var registersOfConstants: [UInt64: Int] = [:]

    init(dtype: ScalarType) {
        self.dtype = dtype
    }

    /// `x` as the tape's dtype stores it (float32 values are exactly representable).
    func rounded(_ x: Double) -> Double {
        dtype == .float32 ? Double(Float(x)) : x
    }

    /// Appends `instruction`, or returns the register of an identical one.
    func record(_ instruction: ScalarInstruction) -> Int {
        if case .constant(let x) = instruction { return constant(x) }
        if let register = registersOfInstructions[instruction] { return register }
        instructions.append(instruction)
        registersOfInstructions[instruction] = instructions.count - 1
        return instructions.count - 1
    }

    /// The register of the constant `x` (rounded to the dtype).
    func constant(_ x: Double) -> Int {
        let x = rounded(x)
        if let register = registersOfConstants[x.bitPattern] { return register }
        instructions.append(.constant(x))
        registersOfConstants[x.bitPattern] = instructions.count - 1
        return instructions.count - 1
    }

    /// A new leaf holding `x` (rounded to the dtype).
    func leaf(_ x: Double) -> Int {
        instructions.append(.input(leaves.count))
        leaves.append(instructions.count - 1)
        leafValues.append(rounded(x))
        return instructions.count - 1
    }

    /// The value of `register`, computed by ``ScalarProgram/run(_:_:through:)`` in the dtype.
    func value(of register: Int) -> Double {
        switch dtype {
        case .float64: ScalarProgram.run(leafValues, instructions, through: register)
        case .float32: Double(ScalarProgram.run(leafValues.map { Float($0) }, instructions, through: register))
        case .int64: fatalError("a scalar tape differentiates floating-point values; int64 is never differentiable")
        }
    }

    /// The registers of `∂output/∂leaf · seed` for every leaf, in leaf order.
    ///
    /// Without `createGraph` the compiler's pullback of ``ScalarProgram/run(_:_:through:)``
    /// runs on `Double` or `Float` (the dtype), and the gradients are recorded as
    /// constants. With it, the pullback runs on ``TracedScalar`` and records its own
    /// computation, so that the gradients are registers that can be differentiated again.
    func gradients(of output: Int, seed: Int, createGraph: Bool) -> [Int] {
        if createGraph {
            let code = instructions
            let leaves = zip(self.leaves, leafValues).map { register, value in
                TracedScalar(value: value, node: .init(tape: self, register: register))
            }
            // Replaying the forward pass on traced leaves finds the recorded registers again.
            let seedValue = ScalarProgram.run(leaves, code, through: seed)
            let (_, pullback) = valueWithPullback(at: leaves) { ScalarProgram.run($0, code, through: output) }
            let gradient = pullback(seedValue).base
            return leaves.indices.map { k in k < gradient.count ? gradient[k].register(on: self) : constant(0) }
        }
        let values = switch dtype {
        case .float64: gradients(Double.self, of: output, seed: seed)
        case .float32: gradients(Float.self, of: output, seed: seed)
        case .int64: fatalError("a scalar tape differentiates floating-point values; int64 is never differentiable")
        }
        return values.map(constant)
    }

    /// The gradient of register `output` seeded with register `seed`, as the compiler
    /// derives it for scalar type `T`. An input the output does not use gets 0 (the
    /// zero tangent of an array is empty).
    private func gradients<T: DifferentiableScalar>(_: T.Type, of output: Int, seed: Int) -> [Double] {
        let code = instructions
        let inputs = leafValues.map { T($0) }
        let seedValue = ScalarProgram.run(inputs, code, through: seed)
        let (_, pullback) = valueWithPullback(at: inputs) { ScalarProgram.run($0, code, through: output) }
        let gradient = pullback(seedValue).base
        return inputs.indices.map { k in k < gradient.count ? gradient[k].doubleValue : 0 }
    }
}
