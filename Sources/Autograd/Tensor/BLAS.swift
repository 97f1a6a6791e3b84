#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS's matrix products, opened privately at run time.
///
/// The library is loaded with `dlopen(RTLD_LOCAL)` and its two entry points looked up
/// with `dlsym`, instead of being linked into the program. Linked, its symbols would be
/// in the process's global scope, where they would also answer other libraries' calls:
/// PyTorch's `libtorch_cpu.so` calls `dgemm_`/`sgemm_` by name, so a torch loaded into
/// a program that links OpenBLAS (the fixture generator embeds CPython) would multiply
/// matrices with our OpenBLAS instead of its own kernels, and the fixtures would be
/// partly our BLAS checking itself. Opened locally, nothing of ours can capture torch's
/// symbols.
///
/// Debian's `libopenblas0` (which `libopenblas-dev` pulls in) provides the library.
enum BLAS {
    /// CBLAS's enumerations, as `cblas.h` numbers them.
    private static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

    /// `cblas_dgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)`.
    fileprivate typealias DGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
        UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32
    ) -> Void
    /// `cblas_sgemm`, the same for `Float`.
    fileprivate typealias SGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void

    /// `openblas_set_num_threads(n)`.
    fileprivate typealias SetThreads = @convention(c) (Int32) -> Void
    /// `openblas_get_num_threads()`.
    fileprivate typealias GetThreads = @convention(c) () -> Int32

    fileprivate struct Library: @unchecked Sendable {
        let dgemm: DGEMM
        let sgemm: SGEMM
        /// OpenBLAS's thread-count controls, when the library has them and is its pthread
        /// build (otherwise the thread count is left alone).
        let threads: ThreadControl?
    }

    fileprivate struct ThreadControl {
        let set: SetThreads
        let get: GetThreads
        /// The thread count OpenBLAS had when it was opened (its default: the cores, or
        /// `OPENBLAS_NUM_THREADS`), restored for large products.
        let defaultCount: Int32
    }

    /// The names tried, in order.
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

    fileprivate static let library: Result<Library, BLASUnavailable> = load()

    struct BLASUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    private static func load() -> Result<Library, BLASUnavailable> {
        var reasons: [String] = []
        for name in libraryNames {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name): cannot be opened")
                continue
            }
            guard let d = dlsym(handle, "cblas_dgemm"), let s = dlsym(handle, "cblas_sgemm") else {
                reasons.append("\(name) has no cblas_dgemm/cblas_sgemm")
                continue
            }
            var threads: ThreadControl?
            // Only OpenBLAS's pthread build (`openblas_get_parallel() == 1`): see `chooseThreads`.
            if let parallel = dlsym(handle, "openblas_get_parallel"),
               unsafeBitCast(parallel, to: GetThreads.self)() == 1,
               let set = dlsym(handle, "openblas_set_num_threads"), let get = dlsym(handle, "openblas_get_num_threads") {
                let get = unsafeBitCast(get, to: GetThreads.self)
                threads = ThreadControl(set: unsafeBitCast(set, to: SetThreads.self), get: get, defaultCount: get())
            }
            return .success(Library(dgemm: unsafeBitCast(d, to: DGEMM.self), sgemm: unsafeBitCast(s, to: SGEMM.self),
                                    threads: threads))
        }
        return .failure(BLASUnavailable(description:
            "matrix products need OpenBLAS, which could not be opened (\(reasons.joined(separator: "; "))): "
                + "install Debian's libopenblas0 (apt-get install libopenblas-dev)"))
    }

    /// Whether OpenBLAS could be opened; the reason if not.
    static var availability: Result<Void, BLASUnavailable> {
        library.map { _ in () }
    }

    private static func loaded() -> Library {
        switch library {
        case .success(let library): return library
        case .failure(let problem): fatalError(problem.description)
        }
    }

    /// CBLAS's sizes are 32-bit: a larger one stops with a message, not a bare trap.
    private static func size(_ n: Int, _ what: String) -> Int32 {
        guard let n32 = Int32(exactly: n) else { fatalError("matmul: \(what) \(n) exceeds what BLAS can index (2³¹ − 1)") }
        return n32
    }

    /// `C = op(A) · op(B)`, row-major, for `Double`, on one thread when `m·n·k` is below
    /// ``singleThreadedBelow``.
    static func dgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        let library = loaded()
        chooseThreads(library, m: m, n: n, k: k)
        library.dgemm(rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
                       size(m, "a size"), size(n, "a size"), size(k, "a size"), 1, a, size(lda, "a stride"),
                       b, size(ldb, "a stride"), 0, c, size(ldc, "a stride"))
    }

    /// `C = op(A) · op(B)`, row-major, for `Float`, on one thread when `m·n·k` is below
    /// ``singleThreadedBelow``.
    static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let library = loaded()
        chooseThreads(library, m: m, n: n, k: k)
        library.sgemm(rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
                       size(m, "a size"), size(n, "a size"), size(k, "a size"), 1, a, size(lda, "a stride"),
                       b, size(ldb, "a stride"), 0, c, size(ldc, "a stride"))
    }

    // MARK: - Threads per product

    /// The products (`m·n·k` multiply-adds) below which OpenBLAS runs on one thread:
    /// 2²⁴ = 16,777,216, a 256 × 256 × 256 product.
    ///
    /// OpenBLAS itself splits a product over all its threads once `m·n·k` exceeds 262,144
    /// (`SMP_THRESHOLD_MIN · GEMM_MULTITHREAD_THRESHOLD` in its `interface/gemm.c`), which
    /// is too early here: waking the other threads and sharing the packed panels costs
    /// about what it saves up to 256³, and the products of a small network's training step
    /// (a batch of 256 through 64 → 128 → 1: 2.1 M for the hidden layer) run faster on one.
    ///
    /// Measured with `bench --blas-crossover` (2-core AMD EPYC under KVM, OpenBLAS 0.3.21
    /// pthread, Cooperlake kernels; 9 alternating rounds of ≥ 20 ms per side, the median
    /// ratio of seconds per call, one thread / two, with its interquartile range; the
    /// machine was shared with other builds, load average ≈ 5–7, which is what a second
    /// thread competes with in practice on such a machine):
    ///
    /// | m × n × k            |      m·n·k | float64          | float32          |
    /// |----------------------|-----------:|------------------|------------------|
    /// | 64 × 64 × 64         |    262,144 | 1.01 (0.87–1.06) | 1.11 (1.01–1.14) |
    /// | 96 × 96 × 96         |    884,736 | 1.03 (0.95–1.07) | 1.00 (0.88–1.13) |
    /// | 128 × 128 × 128      |  2,097,152 | 1.02 (0.78–1.06) | 0.85 (0.82–0.86) |
    /// | 256 × 128 × 64 (MLP) |  2,097,152 | 0.85 (0.65–1.08) | 0.79 (0.33–0.85) |
    /// | 64 × 128 × 256 (MLP) |  2,097,152 | 0.89 (0.80–1.01) | 0.57 (0.55–0.63) |
    /// | 192 × 192 × 192      |  7,077,888 | 0.98 (0.94–1.03) | 0.84 (0.81–0.97) |
    /// | 64 × 128 × 1024      |  8,388,608 | 0.86 (0.76–0.95) | 0.89 (0.88–0.95) |
    /// | 256 × 256 × 256      | 16,777,216 | 1.05 (0.94–1.19) | 1.03 (0.98–1.71) |
    /// | 384 × 384 × 384      | 56,623,104 | 1.50 (1.26–1.61) | 1.18 (1.02–1.66) |
    /// | 512 × 512 × 512      |134,217,728 | 1.01 (0.91–1.44) | 1.30 (1.08–1.52) |
    ///
    /// Below 1, one thread is faster. One thread is never clearly slower below 256³ and is
    /// up to 1.75× faster on the MLP's products; two threads win clearly from 384³. The
    /// threshold sits at the last size where they tie. An idle machine with more cores
    /// would move the crossover down, which only forgoes a gain on mid-sized products.
    static let singleThreadedBelow = 1 << 24

    /// Sets OpenBLAS's thread count for a product of `m·n·k`: one thread below
    /// ``singleThreadedBelow``, OpenBLAS's default count (at load) otherwise. Nothing is set
    /// when the count is already right, or when the library has no thread controls.
    ///
    /// `openblas_set_num_threads` is process-global. In OpenBLAS's pthread build (Debian's
    /// `libopenblas0-pthread`, `driver/others/blas_server.c`), for a count no larger than
    /// the threads it started at load, it only stores the count (`blas_cpu_number`) that
    /// each later call reads once as it starts: lowering it never stops a running call, and
    /// raising it back to the default creates no thread and frees nothing. So when several
    /// threads multiply at once (concurrent backward passes), a call may run with the count
    /// another thread chose just before it: one thread for a large product, or all for a
    /// small one. That costs time, never correctness: OpenBLAS's threads split the rows and
    /// columns of `C`, never the sum over `k`, so a result has the same bits on any count
    /// (`BLASThreadingTests` checks it). Calls from several threads at once are OpenBLAS's
    /// concern, exactly as before the thread count was chosen.
    ///
    /// OpenBLAS's OpenMP build frees its per-thread buffers when the count is lowered
    /// (`blas_server_omp.c`), which a concurrent call on more threads may still be using;
    /// with that build (`openblas_get_parallel() != 1`), and with a sequential one, the
    /// count is left alone.
    private static func chooseThreads(_ library: Library, m: Int, n: Int, k: Int) {
        guard let threads = library.threads, threads.defaultCount > 1 else { return }
        let (mn, overflow) = m.multipliedReportingOverflow(by: n)
        let (mnk, overflow2) = mn.multipliedReportingOverflow(by: k)
        let wanted: Int32 = !overflow && !overflow2 && mnk < singleThreadedBelow ? 1 : threads.defaultCount
        if threads.get() != wanted { threads.set(wanted) }
    }
}

/// What the library's matrix products use, for benchmarks to report: OpenBLAS's default
/// thread count and the size below which a product runs on one thread (see
/// `BLAS.singleThreadedBelow`). Not a stable API.
@_spi(Benchmarking)
public enum BLASThreading {
    /// OpenBLAS's thread count when the library opened it, or `nil` when OpenBLAS is
    /// missing or has no `openblas_get_num_threads`.
    public static var defaultThreads: Int? {
        guard case .success(let library) = BLAS.library, let threads = library.threads else { return nil }
        return Int(threads.defaultCount)
    }

    /// Products of fewer than this many multiply-adds (`m·n·k`) run on one thread.
    public static var singleThreadedBelow: Int { BLAS.singleThreadedBelow }
}
