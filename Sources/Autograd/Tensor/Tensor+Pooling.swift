// Pooling kernels: max pooling (with the winning indices) and average pooling, over the
// last two axes of a `[N, C, H, W]` or `[C, H, W]` tensor, with torch's window rules.

/// A pooling window: kernel, stride, padding, dilation and torch's `ceil_mode`, and the
/// image and grid sizes it implies.
struct PoolingGeometry: Sendable, Equatable {
    var window: WindowGeometry
    var ceilMode: Bool
    var countIncludePad: Bool = true
    /// torch's `divisor_override`: every window's divisor, whatever it covers.
    var divisorOverride: Int? = nil

    /// torch's `pooling_output_shape`: `⌊(size + 2p − d(k − 1) − 1 [+ s − 1 with ceil_mode]) / s⌋ + 1`,
    /// one less with `ceil_mode` when the last window would start in the right padding.
    static func gridSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool) -> Int {
        let numerator = size + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
        // Floor division (rounding toward −∞), as torch's div_rtn.
        var quotient = numerator / stride
        if numerator % stride != 0 && numerator < 0 { quotient -= 1 }
        var result = quotient + 1
        if ceilMode && (result - 1) * stride >= size + padding { result -= 1 }
        return result
    }

    /// The divisor of each window position `oh·OW + ow` of an average pool, torch's rule:
    /// the window clipped to the padded image (with `countIncludePad`), or to the image.
    func averageDivisors() -> [Int] {
        let g = window
        if let divisorOverride { return Array(repeating: divisorOverride, count: g.gridArea) }
        var divisors: [Int] = []
        divisors.reserveCapacity(g.gridArea)
        for i in 0..<g.grid.height {
            for j in 0..<g.grid.width {
                var h0 = i * g.stride.height - g.padding.height, w0 = j * g.stride.width - g.padding.width
                var h1 = min(h0 + g.kernel.height, g.image.height + g.padding.height)
                var w1 = min(w0 + g.kernel.width, g.image.width + g.padding.width)
                let padded = (h1 - h0) * (w1 - w0)
                h0 = max(h0, 0); w0 = max(w0, 0)
                h1 = min(h1, g.image.height); w1 = min(w1, g.image.width)
                divisors.append(countIncludePad ? padded : max(h1 - h0, 0) * max(w1 - w0, 0))
            }
        }
        return divisors
    }
}

extension Tensor {
    /// Max pooling over the last two axes, torch's CPU kernel: each window is scanned in
    /// row-major order from `max = −∞`, and an element wins when it is greater than the
    /// current maximum or is NaN, so a tie goes to the *first* maximal element and a NaN
    /// to the last NaN. Padding never wins (it is skipped); a window of only `−∞` keeps
    /// its first element. Returns the result and, per output element, the flat index into
    /// `self` of its winner.
    func maxPool(_ p: PoolingGeometry) -> (Tensor, [Int]) {
        let g = p.window
        let planes = count / Swift.max(g.imageArea, 1)
        let outShape = Array(shape.dropLast(2)) + g.grid.both
        var indices = [Int](repeating: 0, count: planes * g.gridArea)
        func pool<T: TensorScalar>(_ x: [T]) -> [T] {
            var result = [T](repeating: 0, count: planes * g.gridArea)
            let (h, w) = (g.image.height, g.image.width)
            let (sh, sw, dh, dw) = (g.stride.height, g.stride.width, g.dilation.height, g.dilation.width)
            x.withUnsafeBufferPointer { x in
                var o = 0
                for plane in 0..<planes {
                    let base = plane * g.imageArea
                    for i in 0..<g.grid.height {
                        var h0 = i * sh - g.padding.height
                        let h1 = Swift.min(h0 + (g.kernel.height - 1) * dh + 1, h)
                        while h0 < 0 { h0 += dh }
                        for j in 0..<g.grid.width {
                            var w0 = j * sw - g.padding.width
                            let w1 = Swift.min(w0 + (g.kernel.width - 1) * dw + 1, w)
                            while w0 < 0 { w0 += dw }
                            var best = -T.infinity
                            var bestIndex = base + h0 * w + w0
                            var r = h0
                            while r < h1 {
                                var c = w0
                                while c < w1 {
                                    let index = base + r * w + c
                                    let v = x[index]
                                    if v > best || v.isNaN {
                                        best = v
                                        bestIndex = index
                                    }
                                    c += dw
                                }
                                r += dh
                            }
                            result[o] = best
                            indices[o] = bestIndex
                            o += 1
                        }
                    }
                }
            }
            return result
        }
        switch storage {
        case .float64(let a): return (Tensor(shape: outShape, storage: .float64(pool(a))), indices)
        case .float32(let a): return (Tensor(shape: outShape, storage: .float32(pool(a))), indices)
        }
    }

    /// Average pooling over the last two axes: each window's sum (in row-major order, in
    /// the tensor's precision, as torch's CPU kernel) divided by its divisor.
    func averagePool(_ p: PoolingGeometry, divisors: [Int]) -> Tensor {
        let g = p.window
        let planes = count / Swift.max(g.imageArea, 1)
        let outShape = Array(shape.dropLast(2)) + g.grid.both
        func pool<T: TensorScalar>(_ x: [T]) -> [T] {
            var result = [T](repeating: 0, count: planes * g.gridArea)
            forEachAverageWindow(g, planes: planes) { o, h0, h1, w0, w1, base in
                var total: T = 0
                for r in h0..<h1 {
                    for c in w0..<w1 { total += x[base + r * g.image.width + c] }
                }
                result[o] = total / T(divisors[o % g.gridArea])
            }
            return result
        }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(pool(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(pool(a)))
        }
    }

    /// The adjoint of ``averagePool(_:divisors:)``: each window position's value divided
    /// by its divisor and added to every image element of its window. `self` is the grid;
    /// the result has `imageShape`.
    func averagePoolAdjoint(_ p: PoolingGeometry, divisors: [Int], imageShape: [Int]) -> Tensor {
        let g = p.window
        let planes = Shape.count(imageShape) / Swift.max(g.imageArea, 1)
        func spread<T: TensorScalar>(_ gy: [T]) -> [T] {
            var result = [T](repeating: 0, count: Shape.count(imageShape))
            forEachAverageWindow(g, planes: planes) { o, h0, h1, w0, w1, base in
                let share = gy[o] / T(divisors[o % g.gridArea])
                for r in h0..<h1 {
                    for c in w0..<w1 { result[base + r * g.image.width + c] += share }
                }
            }
            return result
        }
        switch storage {
        case .float64(let a): return Tensor(shape: imageShape, storage: .float64(spread(a)))
        case .float32(let a): return Tensor(shape: imageShape, storage: .float32(spread(a)))
        }
    }
}

/// Visits every window of an average pool: output index `o`, the window's rows `h0..<h1`
/// and columns `w0..<w1` clipped to the image, and the plane's offset.
private func forEachAverageWindow(
    _ g: WindowGeometry, planes: Int, _ body: (_ o: Int, _ h0: Int, _ h1: Int, _ w0: Int, _ w1: Int, _ base: Int) -> Void
) {
    var o = 0
    for plane in 0..<planes {
        let base = plane * g.imageArea
        for i in 0..<g.grid.height {
            let start = i * g.stride.height - g.padding.height
            let h0 = max(start, 0), h1 = max(min(start + g.kernel.height, g.image.height), h0)
            for j in 0..<g.grid.width {
                let startW = j * g.stride.width - g.padding.width
                let w0 = max(startW, 0), w1 = max(min(startW + g.kernel.width, g.image.width), w0)
                body(o, h0, h1, w0, w1, base)
                o += 1
            }
        }
    }
}
