import RealModule

// Kernels of the reductions beyond sum: max and min, logsumexp, variance and standard
// deviation. Each follows the torch CPU kernel it must agree with, including what
// happens to NaN, infinities and constant rows; the comments say which one.

/// Which extreme value a reduction keeps.
enum Extremum: String, Sendable {
    case maximum = "max"
    case minimum = "min"
}

extension Tensor {
    /// Visits the elements in row-major order with, for each, the offset of the output
    /// slot it reduces into: the element's own index with the reduced `axes` set to 0,
    /// in the layout of the kept shape (the same order as without the size-1 axes).
    private func forEachReduced(axes: [Int], _ body: (_ input: Int, _ output: Int) -> Void) {
        let kept = Shape.reduced(shape, axes: axes, keepdims: true)
        let keptStrides = Shape.strides(kept)
        let outStrides = shape.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
        forEachOffset(shape, Shape.strides(shape), outStrides, body)
    }

    /// The output shape of a reduction over `axes` (normalized, sorted).
    private func reducedShape(axes: [Int], keepdims: Bool) -> [Int] {
        Shape.reduced(shape, axes: axes, keepdims: keepdims)
    }

    /// The largest (or smallest) element over `axes`, NaN if any element of the slice is
    /// NaN (torch's `amax`/`amin` propagate NaN). A slice with no elements gives -∞ (+∞ for
    /// the minimum); ``Max`` and ``Min`` refuse such slices before calling this.
    func extremum(_ kind: Extremum, axes: [Int], keepdims: Bool) -> Tensor {
        let outCount = Shape.count(reducedShape(axes: axes, keepdims: true))
        func reduce<T: TensorScalar>(_ a: [T]) -> [T] {
            var acc = [T](repeating: kind == .maximum ? -T.infinity : T.infinity, count: outCount)
            forEachReduced(axes: axes) { i, o in
                let current = acc[o], v = a[i]
                if current.isNaN { return }
                let wins = switch kind {
                case .maximum: v > current
                case .minimum: v < current
                }
                if wins || v.isNaN { acc[o] = v }
            }
            return acc
        }
        let outShape = reducedShape(axes: axes, keepdims: keepdims)
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(reduce(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(reduce(a)))
        }
    }

    /// The position of the largest (or smallest) element along `axis` (normalized), or
    /// in the flattened tensor if `axis` is `nil`, as int64 values: `torch.argmax` and
    /// `torch.argmin`. Ties go to the first occurrence, and NaN counts as the extreme
    /// value (the first NaN of a slice wins), as in torch. The slice must not be empty
    /// (checked by the caller). With `keepdims`, the reduced axis stays as size 1 (all
    /// axes, for `axis == nil`).
    func extremumIndex(_ kind: Extremum, axis: Int?, keepdims: Bool) -> Tensor {
        let size = axis.map { shape[$0] } ?? count
        let inner = axis.map { shape[($0 + 1)...].reduce(1, *) } ?? 1
        let outer = size == 0 ? 0 : count / (size * inner)
        func reduce<T: Comparable>(_ a: [T], _ isNaN: (T) -> Bool) -> [Int64] {
            var result = [Int64](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    var best = 0, bestValue = a[base]
                    var k = 1
                    while k < size && !isNaN(bestValue) {
                        let v = a[base + k * inner]
                        let wins = switch kind {
                        case .maximum: v > bestValue
                        case .minimum: v < bestValue
                        }
                        if wins || isNaN(v) { best = k; bestValue = v }
                        k += 1
                    }
                    result[o * inner + i] = Int64(best)
                }
            }
            return result
        }
        let outShape: [Int] = if let axis {
            keepdims ? shape.enumerated().map { $0.offset == axis ? 1 : $0.element }
                : shape.enumerated().filter { $0.offset != axis }.map(\.element)
        } else {
            keepdims ? shape.map { _ in 1 } : []
        }
        if let ints = int64Storage { return Tensor(shape: outShape, int64Storage: reduce(ints) { _ in false }) }
        let indices = switch storage {
        case .float64(let a): reduce(a) { $0.isNaN }
        case .float32(let a): reduce(a) { $0.isNaN }
        }
        return Tensor(shape: outShape, int64Storage: indices)
    }

    /// `log Σ exp(x)` over `axes`, computed as torch's `logsumexp` does: with `m` the
    /// maximum of the slice (set to 0 where it is ±∞), `log(Σ exp(x − m)) + m`. So ±1000 is
    /// fine, a slice of -∞ gives -∞ (`log 0 + 0`), a +∞ gives +∞, and NaN propagates.
    /// The exponentials are computed in the tensor's precision, summed in `Double`.
    func logSumExp(axes: [Int], keepdims: Bool) -> Tensor {
        let maxima = extremum(.maximum, axes: axes, keepdims: true)
        func reduce<T: TensorScalar>(_ a: [T], _ m: [T]) -> [T] {
            let shift = m.map { $0.isInfinite ? 0 : $0 }
            var sums = [Double](repeating: 0, count: shift.count)
            forEachReduced(axes: axes) { i, o in sums[o] += Double(T.exp(a[i] - shift[o])) }
            return sums.indices.map { T.log(T(sums[$0])) + shift[$0] }
        }
        let outShape = reducedShape(axes: axes, keepdims: keepdims)
        switch (storage, maxima.storage) {
        case let (.float64(a), .float64(m)): return Tensor(shape: outShape, storage: .float64(reduce(a, m)))
        case let (.float32(a), .float32(m)): return Tensor(shape: outShape, storage: .float32(reduce(a, m)))
        default: fatalError("extremum keeps the dtype")
        }
    }

    /// The variance over `axes` with `correction` subtracted from the element count
    /// (1 = Bessel's), or its square root, as torch's CPU kernels compute them:
    ///
    /// - A reduction to a single element of a non-empty tensor (`std_var_all_cpu`): the
    ///   mean in the tensor's precision, then `Σ (x − mean)²` in `Double`.
    /// - Any other reduction (the `WelfordOps` kernel): Welford's running mean and sum of
    ///   squared deviations, in `Double`, element by element in row-major order. A constant
    ///   slice gives exactly 0 there, whatever its value.
    ///
    /// Both divide by `max(0, n − correction)` and take the square root (for `std`) in
    /// `Double`, rounding once to the tensor's precision: 0/0 is NaN (one element with
    /// Bessel's correction, or a constant slice with `n ≤ correction`), a positive sum
    /// over 0 is ∞. A tensor with no elements gives NaN everywhere, as torch fills it.
    func variance(axes: [Int], keepdims: Bool, correction: Double, squareRoot: Bool) -> Tensor {
        let outShape = reducedShape(axes: axes, keepdims: keepdims)
        let outCount = Shape.count(outShape)
        let n = Double(axes.reduce(1) { $0 * shape[$1] })
        let divisor = Swift.max(0, n - correction)
        func finish(_ sumOfSquares: Double) -> Double {
            let v = sumOfSquares / divisor
            return squareRoot ? v.squareRoot() : v
        }
        func reduce<T: TensorScalar>(_ a: [T]) -> [T] {
            if a.isEmpty { return [T](repeating: .nan, count: outCount) }
            if outCount == 1 {
                // torch's `self.mean()`: the sum, then the division, in the tensor's precision.
                let mean = Double(T(a.reduce(0.0) { $0 + Double($1) }) / T(a.count))
                let sumOfSquares = a.reduce(0.0) { acc, x in
                    let dx = Double(x) - mean
                    return acc + dx * dx
                }
                return [T(finish(sumOfSquares))]
            }
            var means = [Double](repeating: 0, count: outCount)
            var m2 = [Double](repeating: 0, count: outCount)
            var counts = [Double](repeating: 0, count: outCount)
            forEachReduced(axes: axes) { i, o in
                let x = Double(a[i])
                let count = counts[o] + 1
                let delta = x - means[o]
                let mean = means[o] + delta / count
                m2[o] += delta * (x - mean)
                means[o] = mean
                counts[o] = count
            }
            return m2.map { T(finish($0)) }
        }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(reduce(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(reduce(a)))
        }
    }

    /// Where `self` equals `other` elementwise (`other` broadcast to `self.shape` first).
    /// NaN equals nothing, as with `==` in torch.
    func equalMask(_ other: Tensor) -> [Bool] {
        let b = trapping { () throws(AutogradError) in try other.broadcast(to: shape) }
        switch (storage, b.storage) {
        case let (.float64(x), .float64(y)): return x.indices.map { x[$0] == y[$0] }
        case let (.float32(x), .float32(y)): return x.indices.map { x[$0] == y[$0] }
        default: fatalError("equalMask: dtypes \(dtype) and \(other.dtype)")
        }
    }

    /// A tensor of `shape` and `dtype` holding 1 where `mask` holds and 0 elsewhere.
    static func indicator(_ mask: [Bool], shape: [Int], dtype: DType) -> Tensor {
        switch dtype {
        case .float64: Tensor(shape: shape, storage: .float64(mask.map { $0 ? 1 : 0 }))
        case .float32: Tensor(shape: shape, storage: .float32(mask.map { $0 ? 1 : 0 }))
        case .int64: Tensor(shape: shape, int64Storage: mask.map { $0 ? 1 : 0 })
        }
    }
}
