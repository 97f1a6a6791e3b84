import Dispatch

/// Elements below which a kernel runs on one thread: splitting costs more than it saves.
let parallelThreshold = 1 << 16

/// An array of `count` elements, each range of it filled by `fill(range, output)`, on
/// all cores when `work` (by default `count`: the elements the kernel reads or writes)
/// reaches ``parallelThreshold``. `fill` is called once per chunk, so its loop should
/// not call a closure per element: closures are not inlined through the split.
func parallelArray<T>(count: Int, work: Int? = nil, _ fill: (Range<Int>, UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    Array(unsafeUninitializedCapacity: count) { buffer, initialized in
        let work = work ?? count
        let chunks = work >= parallelThreshold ? min(Hardware.cores, count, work / (parallelThreshold / 2)) : 1
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

/// `count` copies of `value`, written on all cores for large counts (a broadcast
/// gradient: the page faults of a fresh buffer are then shared too).
func parallelFilled<T>(_ value: T, count: Int) -> [T] {
    parallelArray(count: count) { range, output in
        for i in range { output[i] = value }
    }
}

/// Elements per block of ``parallelTotal(_:)``.
let totalBlock = 4096

/// The sum of all of `x`, accumulated in `Double`, on all cores for large arrays, and
/// the same bits on any number of cores: each block of ``totalBlock`` elements is summed
/// by ``laneSum(_:_:)``, and the blocks' sums are added in order.
///
/// More accurate than one running sum (each lane adds at most 512 terms of a block, and
/// the rounding errors of independent lanes partly cancel), and 8 independent additions
/// per step instead of one chain.
func parallelTotal<T: TensorScalar>(_ x: UnsafeBufferPointer<T>) -> Double {
    if x.count <= totalBlock { return laneSum(x, 0..<x.count) }
    let blocks = (x.count + totalBlock - 1) / totalBlock
    let sums: [Double] = parallelArray(count: blocks, work: x.count) { range, output in
        for b in range { output[b] = laneSum(x, b * totalBlock..<min(x.count, (b + 1) * totalBlock)) }
    }
    var total = 0.0
    for s in sums { total += s }
    return total
}

/// The sum of `x[range]` in `Double`: element `i` goes to lane `i mod 8` (from the
/// range's start), the lanes are added pairwise, then the last `count mod 8` elements in
/// order. Eight independent chains, which the SLP vectoriser packs into vector registers.
@inline(__always)
func laneSum<T: TensorScalar>(_ x: UnsafeBufferPointer<T>, _ range: Range<Int>) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
    var i = range.lowerBound
    while i &+ 8 <= range.upperBound {
        s0 += Double(x[i])
        s1 += Double(x[i &+ 1])
        s2 += Double(x[i &+ 2])
        s3 += Double(x[i &+ 3])
        s4 += Double(x[i &+ 4])
        s5 += Double(x[i &+ 5])
        s6 += Double(x[i &+ 6])
        s7 += Double(x[i &+ 7])
        i &+= 8
    }
    var total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    while i < range.upperBound {
        total += Double(x[i])
        i += 1
    }
    return total
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
