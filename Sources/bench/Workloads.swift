import ArgumentParser
@_spi(Benchmarking) import Autograd
import AutogradNN
import COpenBLAS
import Foundation

/// The Swift side of each workload; each mirrors a function in torch_workloads.py.
enum SwiftWorkloads {
    /// `steps` × (tanh → sigmoid) on a 0-d float64, forward and backward.
    static func scalarChain(steps: Int) {
        let x = Variable(0.5)
        var y = x
        for _ in 0..<steps { y = sigmoid(tanh(y)) }
        y.backward()
    }

    /// A chain of `ops` sin ops on a 0-d float64: forward, backward, release.
    static func deepChain(ops: Int) {
        let x = Variable(0.5)
        var y = x
        for _ in 0..<ops { y = sin(y) }
        y.backward()
    }

    /// Bytes per node of an `ops`-long chain while it is alive: the growth of resident
    /// memory while it is built. Meaningful in a fresh process only (freed memory that the
    /// allocator keeps would be reused), so `bench` measures it in a child process.
    static func deepChainBytesPerNode(ops: Int) -> Double {
        let before = residentBytes()
        let x = Variable(0.5)
        var y = x
        for _ in 0..<ops { y = sin(y) }
        let after = residentBytes()
        withExtendedLifetime(y) {}
        return Double(after - before) / Double(ops)
    }

    /// sum(sigmoid(tanh(x))) on `x`, forward and backward.
    static func elementwise(_ x: Variable) {
        x.cleargrad()
        sum(sigmoid(tanh(x))).backward()
    }

    /// `(a @ b)` for square float64 matrices, forward and backward with a random upstream
    /// gradient: three GEMMs.
    struct Matmul {
        let a: Variable, b: Variable, upstream: Tensor

        init(n: Int) throws {
            var rng = SplitMix64(seed: 0)
            a = Variable(try rng.normal([n, n]))
            b = Variable(try rng.normal([n, n]))
            upstream = try rng.normal([n, n])
        }

        func run() throws {
            a.cleargrad()
            b.cleargrad()
            try matmul(a, b).backward(seed: upstream)
        }
    }

    /// The fastest of `repeats` runs of `workload` and the fastest of `repeats` n × n × n
    /// `cblas_dgemm` calls on OpenBLAS's default thread count (as the library uses for such
    /// a product), alternating, so that both see the same machine: the rate BLAS reaches
    /// here, for the matmul workload's "% of the dgemm rate".
    static func fastestAgainstDgemm(n: Int, repeats: Int, _ workload: () throws -> Void) throws
        -> (workload: Double, dgemm: Double)
    {
        var rng = SplitMix64(seed: 1)
        let a = try rng.normal([n, n]).scalars, b = try rng.normal([n, n]).scalars
        var c = [Double](repeating: 0, count: n * n)
        let n32 = Int32(n)
        var fastest = (workload: Double.infinity, dgemm: Double.infinity)
        for _ in 0..<repeats {
            fastest.workload = min(fastest.workload, try measure(repeats: 1, warmup: 0, workload)[0])
            if let threads = BLASThreading.defaultThreads { openblas_set_num_threads(Int32(threads)) }
            fastest.dgemm = min(fastest.dgemm, measure(repeats: 1, warmup: 0) {
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, &c, n32)
            }[0])
        }
        return fastest
    }

    /// One SGD step of a 64 → 128 → 1 sigmoid MLP with mean squared error.
    struct MLPStep {
        let x: Variable, t: Variable
        let parameters: [Variable]

        init(batch: Int, dtype: DType) throws {
            var rng = SplitMix64(seed: 0)
            x = .constant(try rng.normal([batch, 64], dtype: dtype))
            t = .constant(try rng.normal([batch, 1], dtype: dtype))
            parameters = [
                Variable(try rng.normal([64, 128], scale: 0.1, dtype: dtype)),
                Variable(try .zeros([128], dtype: dtype)),
                Variable(try rng.normal([128, 1], scale: 0.1, dtype: dtype)),
                Variable(try .zeros([1], dtype: dtype)),
            ]
        }

        func run() throws {
            for p in parameters { p.cleargrad() }
            let (w1, b1, w2, b2) = (parameters[0], parameters[1], parameters[2], parameters[3])
            let y = try matmul(sigmoid(try matmul(x, w1) + b1), w2) + b2
            let loss = mean((y - t) ** 2)
            loss.backward()
            withNoGrad {
                for p in parameters {
                    if let g = p.grad { p.data = (p - 0.1 * g).data }
                }
            }
        }
    }
}

extension SwiftWorkloads {
    /// `conv2d(x, w, b, padding: 1)` for `x` `[batch, inChannels, size, size]` and a 3×3
    /// kernel, forward and backward with a fixed random upstream gradient: the gradients
    /// of the input, the weight and the bias.
    struct Conv2dStep {
        let x: Variable, weight: Variable, bias: Variable, upstream: Tensor

        init(batch: Int, inChannels: Int, outChannels: Int, size: Int, dtype: DType) throws {
            var rng = SplitMix64(seed: 0)
            x = Variable(try rng.normal([batch, inChannels, size, size], dtype: dtype))
            weight = Variable(try rng.normal([outChannels, inChannels, 3, 3], scale: 0.1, dtype: dtype))
            bias = Variable(try rng.normal([outChannels], scale: 0.1, dtype: dtype))
            upstream = try rng.normal([batch, outChannels, size, size], dtype: dtype)
        }

        func run() throws {
            x.cleargrad()
            weight.cleargrad()
            bias.cleargrad()
            try conv2d(x, weight, bias, padding: 1).backward(seed: upstream)
        }
    }

    /// AutogradNN's `LSTM.sequence` over a `[steps, batch, inputSize]` float32 input (a
    /// constant, as torch's input without `requires_grad`) from zero state, then the
    /// backward of the sum of every step's output: the parameters' gradients.
    struct LSTMSequence {
        let lstm: LSTM, input: Variable

        init(steps: Int, batch: Int, inputSize: Int, hiddenSize: Int) throws {
            lstm = LSTM(inputSize: inputSize, hiddenSize: hiddenSize, dtype: .float32, seed: 0)
            var rng = SplitMix64(seed: 0)
            input = .constant(try rng.normal([steps, batch, inputSize], dtype: .float32))
        }

        func run() throws {
            lstm.zeroGrad()
            sum(try lstm.sequence(input).output).backward()
        }
    }
}

/// A small seeded generator (SplitMix64) with normal draws (Box–Muller), so that the
/// benchmark's inputs do not depend on the system's randomness.
struct SplitMix64 {
    var state: UInt64

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

    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Normal values (mean 0, standard deviation `scale`) in a tensor of `shape`.
    mutating func normal(_ shape: [Int], scale: Double = 1, dtype: DType = .float64) throws -> Tensor {
        let n = shape.reduce(1, *)
        var values: [Double] = []
        values.reserveCapacity(n)
        while values.count < n {
            let u = max(uniform(), 0x1p-53), v = uniform()
            let r = (-2 * Foundation.log(u)).squareRoot()
            values.append(scale * r * Foundation.cos(2 * .pi * v))
        }
        return try Tensor(shape: shape, scalars: values, dtype: dtype)
    }
}

extension SwiftWorkloads {
    /// One training epoch of an MLP 64 → 64 → 10 (ReLU) with Adam (lr 1e-3) and softmax
    /// cross-entropy, batches of 32 in order (no shuffling, so that both sides do the same
    /// work), float32, over the first 1,437 digits of the fixture (pixels ÷ 16). The model
    /// and optimizer persist across runs, as torch's do: each run is one more epoch.
    struct DigitsEpoch {
        /// The fixture, relative to the package root (bench runs from it, as tools/bench.sh does).
        static let relativePath = "Tests/AutogradNNTests/Fixtures/digits.npz"
        static let trainingRows = 1_437, batchSize = 32

        /// The fixture's absolute path (also sent to the torch child).
        /// - Throws: ``DigitsMissing`` when it is not under the current directory.
        static func locate(directory: String = FileManager.default.currentDirectoryPath) throws(DigitsMissing) -> String {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(relativePath).path
            guard FileManager.default.fileExists(atPath: path) else { throw DigitsMissing(path: path) }
            return path
        }

        struct DigitsMissing: Error, CustomStringConvertible {
            let path: String
            var description: String {
                "the digits fixture is not at \(path): run bench from the package root (tools/bench.sh does), "
                    + "where \(DigitsEpoch.relativePath) is committed"
            }
        }

        let model: MLP, optimizer: Adam, loader: DataLoader

        init(path: String) throws {
            let archive = try NPZ.read(from: path)
            guard let x = archive["x"], let y = archive["y"], x.rank == 2, x.shape[1] == 64, y.shape == [x.shape[0]],
                  y.dtype == .int64, x.shape[0] >= Self.trainingRows else {
                throw ValidationError("\(path): expected x [N, 64] and int64 y [N] with N ≥ \(Self.trainingRows)")
            }
            let rows = Array(0..<Self.trainingRows)
            let inputs = try (x / 16).converted(to: .float32).rows(rows)
            model = MLP(sizes: [64, 64, 10], activation: .relu, dtype: .float32, seed: 0)
            optimizer = try Adam(model.parameters, lr: 1e-3)
            loader = try DataLoader(inputs: inputs, targets: try y.rows(rows), batchSize: Self.batchSize, shuffle: false)
        }

        func run() throws {
            for batch in loader.epoch(0) {
                let loss = try Loss.softmaxCrossEntropy(try model(Variable.constant(batch.inputs)), batch.targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
        }
    }
}
