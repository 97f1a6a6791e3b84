import Dispatch

/// Elements below which a kernel runs on one thread: splitting costs more than it saves.
let parallelThreshold = 1 << 16

/// An array of `count` elements, each range of it filled by `fill(range, output)`, on
/// all cores when `count` reaches ``parallelThreshold``. For kernels whose per-element
/// work is expensive (libm's transcendental functions, about 10 ns an element), where
/// the cost of the closure call per chunk does not matter.
func parallelArray<T>(count: Int, _ fill: (Range<Int>, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    Array(unsafeUninitializedCapacity: count) { buffer, initialized in
        let chunks = count >= parallelThreshold ? min(Hardware.cores, count / (parallelThreshold / 2)) : 1
        if chunks <= 1 {
            fill(0..<count, buffer)
        } else {
            // Each chunk writes its own disjoint range of the buffer.
            nonisolated(unsafe) let output = buffer
            withoutActuallyEscaping(fill) { fill in
                nonisolated(unsafe) let work = fill
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                    work(start..<end, output)
                }
            }
        }
        initialized = count
    }
}

enum Hardware {
    /// The number of cores the kernels may use.
    static let cores = max(1, sysconfCores())
}

private func sysconfCores() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 1
    #endif
}

#if canImport(Glibc)
import Glibc
#endif
