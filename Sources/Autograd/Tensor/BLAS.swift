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
    private typealias DGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
        UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32
    ) -> Void
    /// `cblas_sgemm`, the same for `Float`.
    private typealias SGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void

    private struct Library: @unchecked Sendable {
        let dgemm: DGEMM
        let sgemm: SGEMM
    }

    /// The names tried, in order.
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

    private static let library: Result<Library, BLASUnavailable> = load()

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
            return .success(Library(dgemm: unsafeBitCast(d, to: DGEMM.self), sgemm: unsafeBitCast(s, to: SGEMM.self)))
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

    /// `C = op(A) · op(B)`, row-major, for `Double`.
    static func dgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        loaded().dgemm(rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
                       size(m, "a size"), size(n, "a size"), size(k, "a size"), 1, a, size(lda, "a stride"),
                       b, size(ldb, "a stride"), 0, c, size(ldc, "a stride"))
    }

    /// `C = op(A) · op(B)`, row-major, for `Float`.
    static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        loaded().sgemm(rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
                       size(m, "a size"), size(n, "a size"), size(k, "a size"), 1, a, size(lda, "a stride"),
                       b, size(ldb, "a stride"), 0, c, size(ldc, "a stride"))
    }
}
