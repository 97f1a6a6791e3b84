import Testing
import RealModule
@testable import Autograd

/// `Function.backwardWithoutGraph` (the tensor-level pass used when nothing is recorded)
/// must give the same bits as `backward` (the Variable-level pass used with createGraph).
@Suite("Tensor-level backward agrees with the Variable-level backward")
struct FastBackwardTests {
    static let cases: [(String, @Sendable ([Variable]) throws -> Variable)] = [
        ("exp", { exp($0[0]) }), ("log", { log($0[0] * $0[0] + 0.5) }), ("sqrt", { sqrt($0[0] * $0[0] + 0.1) }),
        ("sin", { sin($0[0]) }), ("cos", { cos($0[0]) }), ("tanh", { tanh($0[0]) }), ("sigmoid", { sigmoid($0[0]) }),
        ("relu", { relu($0[0]) }), ("square", { square($0[0]) }), ("neg", { -$0[0] }),
        ("add", { $0[0] + $0[1] }), ("sub", { $0[0] - $0[1] }), ("mul", { $0[0] * $0[1] }), ("div", { $0[0] / ($0[1] + 3) }),
        ("sum axis", { try sum($0[0] * $0[1], axis: 0, keepdims: false) }),
        ("broadcast", { try broadcastTo($0[1], [3, 4]) * $0[0] }), ("sumTo", { try sumTo($0[0], [1, 4]) }),
        ("reshape", { try reshape($0[0], [4, 3]) }),
        ("chain", { sigmoid(tanh($0[0] * $0[1])) / (exp(sin($0[0])) + 1) }),
    ]

    @Test(arguments: [DType.float64, .float32], 0..<cases.count)
    func sameBits(dtype: DType, index: Int) throws {
        let (name, f) = Self.cases[index]
        let a = try Tensor(shape: [3, 4], scalars: (0..<12).map { i in Double.sin(Double(i) * 1.7) * 2 }, dtype: dtype)
        let b = try Tensor(shape: [1, 4], scalars: [0.3, -1.2, 2.5, 0.7], dtype: dtype)
        func grads(createGraph: Bool) throws -> [[Double]] {
            let x = Variable(a), y = Variable(b)
            let out = try f([x, y])
            let seed = Variable.constant(try Tensor(shape: out.shape, scalars: (0..<out.count).map { i in 0.5 + Double(i) / 7 }, dtype: dtype))  // uneven seed
            return try gradients(of: out, withRespectTo: [x, y], seed: seed, createGraph: createGraph).map(\.data.scalars)
        }
        let fast = try grads(createGraph: false), recorded = try grads(createGraph: true)
        for (i, (p, q)) in zip(fast, recorded).enumerated() {
            #expect(p.map(\.bitPattern) == q.map(\.bitPattern), "\(name) \(dtype) input \(i): \(p) vs \(q)")
        }
    }

    /// The same on 0-d tensors, whose element is stored inline and whose one-input ops
    /// take the engine's array-free path.
    static let scalarCases: [(String, @Sendable (Variable, Variable) -> Variable)] = [
        ("exp", { x, _ in exp(x) }), ("log", { x, _ in log(x * x + 0.5) }), ("sqrt", { x, _ in sqrt(x * x + 0.1) }),
        ("sin", { x, _ in sin(x) }), ("cos", { x, _ in cos(x) }), ("relu", { x, y in relu(x) * y }),
        ("square", { x, _ in square(x) }), ("neg", { x, y in -x * y }), ("x used twice", { x, y in tanh(x) * sigmoid(x) + y }),
        ("chain", { x, y in sigmoid(tanh(x * y)) / (exp(sin(x)) + 1) }),
        ("long chain", { x, _ in (0..<50).reduce(x) { v, _ in sigmoid(tanh(v)) } }),
    ]

    @Test(arguments: [DType.float64, .float32], 0..<scalarCases.count)
    func sameBitsOnScalars(dtype: DType, index: Int) throws {
        let (name, f) = Self.scalarCases[index]
        func grads(createGraph: Bool) throws -> [UInt64] {
            let x = Variable(-0.7, dtype: dtype), y = Variable(1.3, dtype: dtype)
            return try gradients(of: f(x, y), withRespectTo: [x, y], createGraph: createGraph).map { $0.data.scalar!.bitPattern }
        }
        #expect(try grads(createGraph: false) == grads(createGraph: true), "\(name) \(dtype)")
    }
}
