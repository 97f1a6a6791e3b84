// Convolution kernels: im2col / col2im (torch's unfold / fold) and the three products a
// convolution is made of, each an im2col or col2im plus one batched matrix product
// through the existing GEMM (``Tensor/matrixProduct(_:_:transposeA:transposeB:)``).
//
// Two sides of a convolution meet here: the *image* (the `[N, C, H, W]` tensor that
// im2col reads and col2im writes) and the *grid* (the `[N, R, OH, OW]` tensor of window
// positions). conv2d maps image to grid, conv_transpose2d grid to image; they are each
// other's adjoint, which is why each one's input gradient is the other.

/// A pair of sizes along height and width: a kernel size, stride, padding or dilation.
/// Written as one integer for both (`stride: 2`) or a list of two (`padding: [1, 0]`),
/// as torch takes an int or a tuple.
public struct IntPair: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    public var height: Int
    public var width: Int

    /// The same size along both axes.
    public init(_ both: Int) {
        height = both
        width = both
    }

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// `[n]` means `(n, n)`, `[h, w]` is `(h, w)`; any other count stops the program.
    public init(arrayLiteral elements: Int...) {
        switch elements.count {
        case 1: self.init(elements[0])
        case 2: self.init(elements[0], elements[1])
        default: fatalError("IntPair takes one or two integers, not \(elements.count)")
        }
    }

    /// `[n]` or `[h, w]`, as torch reads an int list for a 2-d parameter.
    /// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for another count.
    public init(_ list: [Int], op: String, name: String) throws(AutogradError) {
        switch list.count {
        case 1: self.init(list[0])
        case 2: self.init(list[0], list[1])
        default: throw .invalidArgument(op: op, reason: "\(name) must be one integer or two, not \(list)")
        }
    }

    public var description: String { "(\(height), \(width))" }

    var both: [Int] { [height, width] }
}

/// Where a 2-d sliding window goes: the image and grid sizes and the window's kernel,
/// stride, padding and dilation (and, for convolutions, the number of groups). Window
/// position `(oh, ow)` of the grid covers image rows `oh·sH − pH + kh·dH` for
/// `kh` in `0..<KH` (likewise columns); positions outside the image are padding.
struct WindowGeometry: Sendable, Equatable {
    var kernel: IntPair
    var stride: IntPair
    var padding: IntPair
    var dilation: IntPair
    var groups: Int = 1
    /// The image's spatial size `(H, W)`.
    var image: IntPair
    /// The grid's spatial size `(OH, OW)`.
    var grid: IntPair

    var kernelArea: Int { kernel.height * kernel.width }
    var gridArea: Int { grid.height * grid.width }
    var imageArea: Int { image.height * image.width }

    /// The number of window positions along one axis, torch's formula for a convolution:
    /// `⌊(size + 2p − d(k − 1) − 1) / s⌋ + 1` (the caller has checked that the dilated
    /// kernel fits in the padded size).
    static func convolutionGridSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    /// The image-row (or column) offsets `i·s − p + k·d` a window row touches, or `nil`
    /// in padding, for each `(k, i)`: `rows[k * gridSize + i]`.
    fileprivate static func offsets(gridSize: Int, imageSize: Int, kernel: Int, stride: Int, padding: Int,
                                    dilation: Int) -> [Int] {
        var result = [Int](repeating: -1, count: kernel * gridSize)
        for k in 0..<kernel {
            for i in 0..<gridSize {
                let position = i * stride - padding + k * dilation
                if position >= 0 && position < imageSize { result[k * gridSize + i] = position }
            }
        }
        return result
    }
}

extension Tensor {
    // MARK: - im2col / col2im

    /// torch's `unfold`: the image `[N, C, H, W]` as columns `[N, C·KH·KW, OH·OW]`. Row
    /// `(c·KH + kh)·KW + kw` of batch element `n` holds, at column `oh·OW + ow`, the pixel
    /// that kernel element `(kh, kw)` of channel `c` sees at window position `(oh, ow)`
    /// (zero in padding).
    func im2col(_ g: WindowGeometry) -> Tensor {
        let (n, c) = (shape[0], shape[1])
        let rowsPerImage = c * g.kernelArea
        let outShape = [n, rowsPerImage, g.gridArea]
        let rows = WindowGeometry.offsets(gridSize: g.grid.height, imageSize: g.image.height, kernel: g.kernel.height,
                                          stride: g.stride.height, padding: g.padding.height, dilation: g.dilation.height)
        let cols = WindowGeometry.offsets(gridSize: g.grid.width, imageSize: g.image.width, kernel: g.kernel.width,
                                          stride: g.stride.width, padding: g.padding.width, dilation: g.dilation.width)
        func unfold<T: TensorScalar>(_ x: [T]) -> [T] {
            var result = [T](repeating: 0, count: n * rowsPerImage * g.gridArea)
            let (oh, ow, w) = (g.grid.height, g.grid.width, g.image.width)
            x.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { out in
                    var o = 0
                    for plane in 0..<(n * c) {
                        let base = plane * g.imageArea
                        for kh in 0..<g.kernel.height {
                            for kw in 0..<g.kernel.width {
                                for i in 0..<oh {
                                    let r = rows[kh * oh + i]
                                    if r < 0 { o += ow; continue }
                                    let rowBase = base + r * w
                                    for j in 0..<ow {
                                        let col = cols[kw * ow + j]
                                        if col >= 0 { out[o] = x[rowBase + col] }
                                        o += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return result
        }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(unfold(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(unfold(a)))
        }
    }

    /// torch's `fold`, the adjoint of ``im2col(_:)``: columns `[N, C·KH·KW, OH·OW]` summed
    /// back into an image `[N, C, H, W]`, each entry added to the pixel it was read from
    /// (entries in padding are dropped). Overlapping windows add up.
    func col2im(_ g: WindowGeometry) -> Tensor {
        let n = shape[0]
        let c = shape[1] / g.kernelArea
        let outShape = [n, c, g.image.height, g.image.width]
        let rows = WindowGeometry.offsets(gridSize: g.grid.height, imageSize: g.image.height, kernel: g.kernel.height,
                                          stride: g.stride.height, padding: g.padding.height, dilation: g.dilation.height)
        let cols = WindowGeometry.offsets(gridSize: g.grid.width, imageSize: g.image.width, kernel: g.kernel.width,
                                          stride: g.stride.width, padding: g.padding.width, dilation: g.dilation.width)
        func fold<T: TensorScalar>(_ x: [T]) -> [T] {
            var result = [T](repeating: 0, count: n * c * g.imageArea)
            let (oh, ow, w) = (g.grid.height, g.grid.width, g.image.width)
            x.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { out in
                    var o = 0
                    for plane in 0..<(n * c) {
                        let base = plane * g.imageArea
                        for kh in 0..<g.kernel.height {
                            for kw in 0..<g.kernel.width {
                                for i in 0..<oh {
                                    let r = rows[kh * oh + i]
                                    if r < 0 { o += ow; continue }
                                    let rowBase = base + r * w
                                    for j in 0..<ow {
                                        let col = cols[kw * ow + j]
                                        if col >= 0 { out[rowBase + col] += x[o] }
                                        o += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return result
        }
        switch storage {
        case .float64(let a): return Tensor(shape: outShape, storage: .float64(fold(a)))
        case .float32(let a): return Tensor(shape: outShape, storage: .float32(fold(a)))
        }
    }

    // MARK: - The three products of a convolution

    /// The grid `[N, R, OH, OW]` from an image `[N, C, H, W]` and a weight
    /// `[R, C/G, KH, KW]` (conv2d's forward pass without bias): per group `g`,
    /// `Y_g = W_g · col_g(X)` with `W_g` as an `[R/G, (C/G)·KH·KW]` matrix.
    static func convolutionGrid(image x: Tensor, weight w: Tensor, _ g: WindowGeometry) -> Tensor {
        let (n, r) = (x.shape[0], w.shape[0])
        let groups = g.groups
        let columns = x.im2col(g).withShape([n, groups, x.shape[1] / groups * g.kernelArea, g.gridArea])
        let matrices = w.withShape([groups, r / groups, w.count / r])
        let product = trapping { () throws(AutogradError) in try matrixProduct(matrices, columns) }
        return product.withShape([n, r, g.grid.height, g.grid.width])
    }

    /// The image `[N, C, H, W]` from a grid `[N, R, OH, OW]` and a weight `[R, C/G, KH, KW]`
    /// (conv_transpose2d's forward pass without bias, and conv2d's input gradient): per
    /// group, `col_g = W_gᵀ · Y_g`, then col2im.
    static func convolutionImage(grid y: Tensor, weight w: Tensor, _ g: WindowGeometry) -> Tensor {
        let (n, r) = (y.shape[0], w.shape[0])
        let groups = g.groups
        let grid = y.withShape([n, groups, r / groups, g.gridArea])
        let matrices = w.withShape([groups, r / groups, w.count / r])
        let columns = trapping { () throws(AutogradError) in try matrixProduct(matrices, grid, transposeA: true) }
        return columns.withShape([n, w.shape[1] * groups * g.kernelArea, g.gridArea]).col2im(g)
    }

    /// The weight gradient `[R, C/G, KH, KW]` from an image `[N, C, H, W]` and a grid
    /// `[N, R, OH, OW]`: per group, `Σₙ Y_g[n] · col_g(X[n])ᵀ`.
    static func convolutionWeight(image x: Tensor, grid y: Tensor, weightShape: [Int], _ g: WindowGeometry) -> Tensor {
        let (n, r) = (x.shape[0], y.shape[1])
        let groups = g.groups
        let columns = x.im2col(g).withShape([n, groups, x.shape[1] / groups * g.kernelArea, g.gridArea])
        let grid = y.withShape([n, groups, r / groups, g.gridArea])
        let product = trapping { () throws(AutogradError) in try matrixProduct(grid, columns, transposeB: true) }
        return product.sum(axes: [0], keepdims: false).withShape(weightShape)
    }
}
