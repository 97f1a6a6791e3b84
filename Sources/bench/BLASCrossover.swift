import COpenBLAS
import Foundation

/// `bench --blas-crossover`: for each product size and precision, seconds per GEMM call on
/// one OpenBLAS thread and on OpenBLAS's default count, measured in alternating rounds, so
/// that the size below which one thread is faster (`BLAS.singleThreadedBelow` in
/// Autograd) can be chosen from this machine's numbers.
///
/// It calls OpenBLAS's C API directly (`openblas_set_num_threads`, `cblas_dgemm`,
/// `cblas_sgemm`), not the library's matmul, whose own thread choice would defeat the
/// comparison.
enum BLASCrossover {
    /// `(m, n, k)` of a row-major `C[m×n] = A[m×k] · B[k×n]`: squares, and the products of
    /// the benchmark's MLP step (batch 256, 64 → 128 → 1), forward and backward.
    static let sizes: [(m: Int, n: Int, k: Int, label: String)] = [
        (32, 32, 32, "square"), (48, 48, 48, "square"), (64, 64, 64, "square"),
        (80, 80, 80, "square"), (96, 96, 96, "square"), (128, 128, 128, "square"),
        (160, 160, 160, "square"), (192, 192, 192, "square"), (256, 256, 256, "square"),
        (384, 384, 384, "square"), (512, 512, 512, "square"),
        (256, 128, 64, "MLP x·W1"), (256, 1, 128, "MLP h·W2"), (256, 128, 1, "MLP gy·W2ᵀ"),
        (64, 128, 256, "MLP xᵀ·gh"), (128, 1, 256, "MLP hᵀ·gy"),
        (1024, 128, 64, "batch 1024 x·W1"), (64, 128, 1024, "batch 1024 xᵀ·gh"),
    ]

    static func run(rounds: Int) -> String {
        let defaultThreads = openblas_get_num_threads()
        var lines = [
            "OpenBLAS \(String(cString: openblas_get_config())), default threads \(defaultThreads); "
                + "\(rounds) alternating rounds, each ≥ 20 ms per side; median seconds per call",
            "",
            "| dtype | m×n×k | m·n·k | what | 1 thread | \(defaultThreads) threads | 1 thread / \(defaultThreads) threads (spread) |",
            "|---|---|---:|---|---:|---:|---:|",
        ]
        for double in [true, false] {
            for size in sizes {
                let call = gemm(double: double, m: size.m, n: size.n, k: size.k)
                var one: [Double] = [], all: [Double] = []
                // calls per round: enough for ~20 ms on one thread
                openblas_set_num_threads(1)
                let estimate = max(1e-7, timePerCall(call, calls: 3))
                let calls = max(3, Int(0.02 / estimate))
                for _ in 0..<rounds {
                    openblas_set_num_threads(1)
                    one.append(timePerCall(call, calls: calls))
                    openblas_set_num_threads(defaultThreads)
                    all.append(timePerCall(call, calls: calls))
                }
                let ratios = zip(one, all).map { $0 / $1 }
                let stats = Statistics(ratios)
                lines.append("| \(double ? "float64" : "float32") | \(size.m)×\(size.n)×\(size.k) | \(size.m * size.n * size.k) | "
                    + "\(size.label) | \(formatSeconds(median(one))) | \(formatSeconds(median(all))) | "
                    + String(format: "%.2f (%.2f–%.2f)", stats.median, stats.quartile1, stats.quartile3) + " |")
            }
        }
        openblas_set_num_threads(defaultThreads)
        lines.append("")
        lines.append("Below 1: one thread is faster. The spread is the interquartile range of the per-round ratios.")
        return lines.joined(separator: "\n")
    }

    /// Seconds per call of `calls` calls, after one untimed call.
    private static func timePerCall(_ call: () -> Void, calls: Int) -> Double {
        call()
        let start = ContinuousClock.now
        for _ in 0..<calls { call() }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(calls)
    }

    /// One GEMM of the given size on fixed random operands (kept alive by the closure).
    private static func gemm(double: Bool, m: Int, n: Int, k: Int) -> () -> Void {
        var rng = SplitMix64(seed: 2)
        let (m32, n32, k32) = (Int32(m), Int32(n), Int32(k))
        if double {
            let a = (0..<m * k).map { _ in rng.uniform() - 0.5 }, b = (0..<k * n).map { _ in rng.uniform() - 0.5 }
            // The outputs are never freed: the tool measures and exits.
            let c = UnsafeMutablePointer<Double>.allocate(capacity: m * n)
            return {
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m32, n32, k32, 1, a, k32, b, n32, 0, c, n32)
            }
        } else {
            let a = (0..<m * k).map { _ in Float(rng.uniform() - 0.5) }, b = (0..<k * n).map { _ in Float(rng.uniform() - 0.5) }
            let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
            return {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m32, n32, k32, 1, a, k32, b, n32, 0, c, n32)
            }
        }
    }
}
