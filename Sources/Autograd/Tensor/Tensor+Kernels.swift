import RealModule

// The raw numeric kernels that `Function.forward` implementations call. They work on
// tensors, know nothing of gradients, and run in the tensor's own precision.

/// Elementwise functions of one tensor.
enum UnaryMath: Sendable {
    case negate, exp, log, sqrt, sin, cos, tanh, sigmoid, square, relu
    /// `x ** exponent` for a fixed number.
    case power(Double)
    /// `base ** x` for a fixed number.
    case exponential(base: Double)

    /// The op's name in messages (torch's: `neg`, `exp`, `pow`).
    var name: String {
        switch self {
        case .negate: "neg"
        case .power, .exponential: "pow"
        default: "\(self)"
        }
    }

    @inline(__always)
    func apply<T: TensorScalar>(_ x: T) -> T {
        switch self {
        case .negate: -x
        // exp, tanh and sigmoid are the branch-free versions that the array kernels
        // vectorise (within 1–3 ulps of libm, the same special values), so that a scalar
        // and an array give the same bits.
        case .exp: VectorMath.exp(x)
        case .log: T.log(x)
        case .sqrt: x.squareRoot()
        case .sin: T.sin(x)
        case .cos: T.cos(x)
        case .tanh: VectorMath.tanh(x)
        // torch's CPU kernel: 1 / (1 + exp(-x)); exp overflows to inf for x < -709
        // (float64) and the quotient is then exactly 0, as it should be.
        case .sigmoid: VectorMath.sigmoid(x)
        case .square: x * x
        // NaN stays NaN, as in torch (a plain `max(x, 0)` would lose it).
        case .relu: x > 0 || x.isNaN ? x : 0
        case .power(let e): T.cPow(x, T(e))
        case .exponential(let base): T.cPow(T(base), x)
        }
    }
}

/// Elementwise functions of two tensors (broadcast).
enum BinaryMath: String, Sendable {
    case add, subtract, multiply, divide, power

    @inline(__always)
    func apply<T: TensorScalar>(_ a: T, _ b: T) -> T {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: T.cPow(a, b)
        }
    }
}

extension Tensor {
    /// `op` applied to every element. Stops the program for an int64 tensor.
    func map(_ op: UnaryMath) -> Tensor {
        switch inlineScalar {
        case .float64(let x): return Tensor(scalar: op.apply(x))
        case .float32(let x): return Tensor(scalar: op.apply(x))
        case nil: break
        }
        trapUnlessFloatingPoint(op.name)
        return switch storage {
        case .float64(let a): Tensor(shape: shape, storage: .float64(Self.map(a, op)))
        case .float32(let a): Tensor(shape: shape, storage: .float32(Self.map(a, op)))
        }
    }

    private static func map<T: TensorScalar>(_ a: [T], _ op: UnaryMath) -> [T] {
        // One loop per case, so that each loop body is a single known function; the
        // libm-bound ones and the vectorised exp, tanh and sigmoid use every core on
        // large tensors.
        switch op {
        case .negate: a.map { -$0 }
        case .sqrt: a.map { $0.squareRoot() }
        case .square: a.map { $0 * $0 }
        case .relu: a.map { op.apply($0) }
        case .exp: vectorMap(a, ExpKernel<T>.self)
        case .log: expensiveMap(a) { T.log($0) }
        case .sin: expensiveMap(a) { T.sin($0) }
        case .cos: expensiveMap(a) { T.cos($0) }
        case .tanh: vectorMap(a, TanhKernel<T>.self)
        case .sigmoid: vectorMap(a, SigmoidKernel<T>.self)
        case .power, .exponential: expensiveMap(a) { op.apply($0) }
        }
    }

    /// `a` mapped through `K`, on all cores for large arrays. Each chunk runs `K.fill`,
    /// a loop specialised for `K` (no closure in it), which LLVM vectorises.
    private static func vectorMap<T, K: UnaryKernel>(_ a: [T], _: K.Type) -> [T] where K.Scalar == T {
        a.withUnsafeBufferPointer { input in
            parallelArray(count: input.count) { range, output in K.fill(output, from: input, range) }
        }
    }

    /// `a.map(f)` for an `f` expensive enough to split over the cores.
    @inline(__always)
    private static func expensiveMap<T: TensorScalar>(_ a: [T], _ f: (T) -> T) -> [T] {
        a.withUnsafeBufferPointer { input in
            parallelArray(count: input.count) { range, output in
                for i in range { output[i] = f(input[i]) }
            }
        }
    }

    /// `op` applied pairwise after broadcasting `self` and `other` to a common shape.
    func zip(_ other: Tensor, _ op: BinaryMath) throws(AutogradError) -> Tensor {
        switch (inlineScalar, other.inlineScalar) {
        case let (.float64(a), .float64(b)): return Tensor(scalar: op.apply(a, b))
        case let (.float32(a), .float32(b)): return Tensor(scalar: op.apply(a, b))
        default: break
        }
        try requireFloatingPoint(op.rawValue)
        try other.requireFloatingPoint(op.rawValue)
        let outShape = try Shape.broadcast(shape, other.shape, op: op.rawValue)
        switch (storage, other.storage) {
        case let (.float64(a), .float64(b)):
            return Tensor(shape: outShape, storage: .float64(Self.zip(a, shape, b, other.shape, outShape, op)))
        case let (.float32(a), .float32(b)):
            return Tensor(shape: outShape, storage: .float32(Self.zip(a, shape, b, other.shape, outShape, op)))
        default:
            throw .dtypeMismatch(dtype, other.dtype, op: op.rawValue)
        }
    }

    private static func zip<T: TensorScalar>(
        _ a: [T], _ aShape: [Int], _ b: [T], _ bShape: [Int], _ outShape: [Int], _ op: BinaryMath
    ) -> [T] {
        if aShape == bShape {
            return Array(unsafeUninitializedCapacity: a.count) { out, initialized in
                for i in 0..<a.count { out[i] = op.apply(a[i], b[i]) }
                initialized = a.count
            }
        }
        if b.count == 1 && aShape == outShape {
            let s = b[0]
            return a.map { op.apply($0, s) }
        }
        if a.count == 1 && bShape == outShape {
            let s = a[0]
            return b.map { op.apply(s, $0) }
        }
        // One operand repeats along leading axes (a bias added to every row): a plain
        // loop over rows instead of the general index walk.
        if aShape == outShape, let inner = Shape.trailingBlock(bShape, of: outShape) {
            return rowBroadcast(a, b, inner) { op.apply($0, $1) }
        }
        if bShape == outShape, let inner = Shape.trailingBlock(aShape, of: outShape) {
            return rowBroadcast(b, a, inner) { op.apply($1, $0) }
        }
        let aStrides = Shape.broadcastStrides(aShape, to: outShape)
        let bStrides = Shape.broadcastStrides(bShape, to: outShape)
        var result: [T] = []
        result.reserveCapacity(Shape.count(outShape))
        forEachOffset(outShape, aStrides, bStrides) { i, j in
            result.append(op.apply(a[i], b[j]))
        }
        return result
    }

    /// `f(full[i], block[i % inner])` for every element of `full`.
    @inline(__always)
    private static func rowBroadcast<T: TensorScalar>(_ full: [T], _ block: [T], _ inner: Int, _ f: (T, T) -> T) -> [T] {
        Array(unsafeUninitializedCapacity: full.count) { out, initialized in
            full.withUnsafeBufferPointer { x in
                block.withUnsafeBufferPointer { y in
                    var i = 0
                    while i < x.count {
                        for j in 0..<inner { out[i + j] = f(x[i + j], y[j]) }
                        i += inner
                    }
                }
            }
            initialized = full.count
        }
    }

    /// The values of `self` repeated along stretched dimensions to fill `target`.
    /// - Throws: ``AutogradError/cannotBroadcast(from:to:)``,
    ///   ``AutogradError/negativeDimension(_:)`` (a `1` stretched to a negative size),
    ///   ``AutogradError/sizeOverflow(shape:op:)`` for a target too large to address.
    func broadcast(to target: [Int]) throws(AutogradError) -> Tensor {
        if shape == target { return self }
        guard Shape.broadcasts(shape, to: target) else { throw .cannotBroadcast(from: shape, to: target) }
        _ = try Shape.checkedCount(target, op: "broadcastTo")
        let strides = Shape.broadcastStrides(shape, to: target)
        func expand<T>(_ a: [T]) -> [T] {
            if a.count == 1 { return parallelFilled(a[0], count: Shape.count(target)) }
            var result: [T] = []
            result.reserveCapacity(Shape.count(target))
            forEachOffset(target, strides, strides) { i, _ in result.append(a[i]) }
            return result
        }
        if let ints = int64Storage { return Tensor(shape: target, int64Storage: expand(ints)) }
        switch storage {
        case .float64(let a): return Tensor(shape: target, storage: .float64(expand(a)))
        case .float32(let a): return Tensor(shape: target, storage: .float32(expand(a)))
        }
    }

    /// The sum over `axes` (normalized and sorted), keeping them as size 1 if `keepdims`.
    ///
    /// Sums accumulate in `Double` (also for float32, rounded once at the end), so a long
    /// float32 sum is at least as accurate as torch's cascade summation. An int64 sum is
    /// int64 (``integerSum(_:axes:keepdims:)``).
    func sum(axes: [Int], keepdims: Bool) -> Tensor {
        if let ints = int64Storage { return integerSum(ints, axes: axes, keepdims: keepdims) }
        let kept = Shape.reduced(shape, axes: axes, keepdims: true)
        let outShape = keepdims ? kept : Shape.reduced(shape, axes: axes, keepdims: false)
        // Read the input in order; each element lands in the output slot whose index
        // equals its own with the reduced dimensions set to 0.
        let keptStrides = Shape.strides(kept)
        let outStrides = shape.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
        let inStrides = Shape.strides(shape)
        // Leading or trailing axes reduce as plain loops over contiguous blocks; each
        // output still adds its inputs in the same order as the general walk.
        let leading = axes == Array(0..<axes.count)
        let trailing = axes == Array((shape.count - axes.count)..<shape.count)
        let outCount = Shape.count(kept)
        func reduce<T: TensorScalar>(_ a: [T]) -> [T] {
            var acc = [Double](repeating: 0, count: outCount)
            guard outCount > 0, !a.isEmpty else { return acc.map { T($0) } }
            if outCount == 1 {
                // All elements: blocked lanes on all cores (``parallelTotal(_:)``).
                acc[0] = a.withUnsafeBufferPointer { parallelTotal($0) }
            } else if leading {
                a.withUnsafeBufferPointer { x in
                    acc.withUnsafeMutableBufferPointer { s in
                        var i = 0
                        while i < x.count {
                            for j in 0..<outCount { s[j] += Double(x[i + j]) }
                            i += outCount
                        }
                    }
                }
            } else if trailing {
                let inner = a.count / outCount
                a.withUnsafeBufferPointer { x in
                    for r in 0..<outCount {
                        var total = 0.0
                        for j in 0..<inner { total += Double(x[r * inner + j]) }
                        acc[r] = total
                    }
                }
            } else {
                forEachOffset(shape, inStrides, outStrides) { i, o in acc[o] += Double(a[i]) }
            }
            return acc.map { T($0) }
        }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(reduce(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(reduce(a)))
        }
    }

    /// The sum of `self` down to `target`, the inverse of broadcasting to `self.shape`:
    /// leading dimensions are summed away, and dimensions where `target` has 1 are summed.
    func sum(to target: [Int]) throws(AutogradError) -> Tensor {
        if shape == target { return self }
        guard Shape.broadcasts(target, to: shape) else { throw .cannotBroadcast(from: target, to: shape) }
        let lead = shape.count - target.count
        let axes = shape.indices.filter { $0 < lead || (target[$0 - lead] == 1 && shape[$0] != 1) }
        return try sum(axes: axes, keepdims: true).reshaped(target)
    }

    /// Elementwise choice: `ifTrue` where `mask` holds, else `ifFalse`. All three share `shape`.
    static func select(_ mask: [Bool], _ ifTrue: Tensor, _ ifFalse: Tensor) throws(AutogradError) -> Tensor {
        switch (ifTrue.storage, ifFalse.storage) {
        case let (.float64(a), .float64(b)):
            return Tensor(shape: ifTrue.shape, storage: .float64(mask.indices.map { mask[$0] ? a[$0] : b[$0] }))
        case let (.float32(a), .float32(b)):
            return Tensor(shape: ifTrue.shape, storage: .float32(mask.indices.map { mask[$0] ? a[$0] : b[$0] }))
        default:
            throw .dtypeMismatch(ifTrue.dtype, ifFalse.dtype, op: "where")
        }
    }

    /// Which elements satisfy `predicate` (evaluated on the exact `Double` value; an
    /// int64 element is widened, which `!= 0`, the one predicate in use, reads exactly).
    func mask(_ predicate: (Double) -> Bool) -> [Bool] {
        if let integers = int64Storage { return integers.map { predicate(Double($0)) } }
        switch storage {
        case .float64(let a): return a.map(predicate)
        case .float32(let a): return a.map { predicate(Double($0)) }
        }
    }
}

/// Visits every index of `shape` in row-major order, passing the offsets of that index
/// under two stride vectors (one per operand). Iterative, with an odometer counter.
@inline(__always)
func forEachOffset(_ shape: [Int], _ s1: [Int], _ s2: [Int], _ body: (Int, Int) -> Void) {
    let total = Shape.count(shape)
    guard total > 0 else { return }
    let rank = shape.count
    var index = [Int](repeating: 0, count: rank)
    var i = 0, j = 0
    for _ in 0..<total {
        body(i, j)
        var d = rank - 1
        while d >= 0 {
            index[d] += 1
            i += s1[d]
            j += s2[d]
            if index[d] < shape[d] { break }
            i -= s1[d] * shape[d]
            j -= s2[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}
