// Convolutions (DeZero's conv2d and deconv2d; torch's conv2d and conv_transpose2d) and
// the im2col / col2im pair they are built on.
//
// Layout is torch's: images are `[N, C, H, W]` (or unbatched `[C, H, W]`), a conv2d
// weight is `[out, in/groups, KH, KW]`, a conv_transpose2d weight `[in, out/groups, KH, KW]`.
// The kernels (Tensor+Convolution.swift) are im2col or col2im plus one batched matrix
// product through the library's GEMM.
//
// conv2d and conv_transpose2d with the same window are adjoint linear maps in the input,
// so each one's input gradient is the other, and both weight gradients are the same
// product `Σₙ Y[n] · im2col(X[n])ᵀ` (``convolutionWeightGradient``). Every backward is
// written with these differentiable ops, so gradients of any order work (a convolution
// is bilinear in input and weight: order 2 is nonzero, order 3 vanishes).

// MARK: - im2col / col2im

/// im2col as a graph op (torch's `unfold`): `[N, C, H, W]` to `[N, C·KH·KW, OH·OW]`.
/// Linear; its adjoint is ``Col2im``, so the gradient is `col2im(∂L/∂y)` and the backward
/// is differentiable to any order.
final class Im2col: Function {
    let geometry: WindowGeometry

    init(geometry: WindowGeometry) {
        self.geometry = geometry
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [xs[0].im2col(geometry)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [Col2im(geometry: geometry)(gys[0])]
    }

    override func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].col2im(geometry)]
    }
}

/// col2im as a graph op (torch's `fold`): `[N, C·KH·KW, OH·OW]` summed into
/// `[N, C, H, W]`. Linear; its adjoint is ``Im2col``: the gradient is `im2col(∂L/∂y)`.
final class Col2im: Function {
    let geometry: WindowGeometry

    init(geometry: WindowGeometry) {
        self.geometry = geometry
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [xs[0].col2im(geometry)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [Im2col(geometry: geometry)(gys[0])]
    }

    override func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].im2col(geometry)]
    }
}

/// DeZero's `im2col` with torch's layout (`torch.nn.functional.unfold`): the sliding
/// windows of `x` (`[N, C, H, W]`) as columns, a `[N, C·KH·KW, OH·OW]` result. Row
/// `(c·KH + kh)·KW + kw` holds what kernel element `(kh, kw)` of channel `c` sees;
/// column `oh·OW + ow` is window position `(oh, ow)`, which covers image rows
/// `oh·sH − pH + kh·dH` (zeros where that is padding). `OH = ⌊(H + 2pH − dH(KH − 1) − 1) / sH⌋ + 1`,
/// likewise `OW`.
///
/// A convolution is `W · im2col(x)` with `W` as an `[out, C·KH·KW]` matrix. The gradient
/// is ``col2im(_:outputSize:kernelSize:stride:padding:dilation:)`` of the incoming one.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for an input that is not 4-d,
///   a non-positive kernel size, stride or dilation, a negative padding, or a kernel larger
///   than the padded input.
public func im2col(
    _ x: Variable, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1
) throws(AutogradError) -> Variable {
    let op = "im2col"
    guard x.rank == 4 else { throw .invalidArgument(op: op, reason: "expected a 4-d input [N, C, H, W], got shape \(x.shape)") }
    try checkWindow(op: op, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation)
    let image = IntPair(x.shape[2], x.shape[3])
    let grid = try convolutionGrid(op: op, image: image, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation)
    let geometry = WindowGeometry(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation,
                                  image: image, grid: grid)
    return try Im2col(geometry: geometry).apply([x])[0]
}

/// DeZero's `col2im` with torch's layout (`torch.nn.functional.fold`), the adjoint of
/// ``im2col(_:kernelSize:stride:padding:dilation:)``: columns `[N, C·KH·KW, L]` summed
/// back into an image `[N, C, H, W]` with `(H, W) = outputSize`, each entry added to the
/// pixel it stands for (entries in padding are dropped; overlapping windows add up).
/// `L` must be the number of window positions `OH·OW` of that image.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` for columns that are not 3-d,
///   a row count not divisible by `KH·KW`, a column count other than `OH·OW`, or a bad window.
public func col2im(
    _ columns: Variable, outputSize: IntPair, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
    dilation: IntPair = 1
) throws(AutogradError) -> Variable {
    let op = "col2im"
    guard columns.rank == 3 else {
        throw .invalidArgument(op: op, reason: "expected 3-d columns [N, C·KH·KW, L], got shape \(columns.shape)")
    }
    try checkWindow(op: op, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation)
    guard outputSize.height > 0 && outputSize.width > 0 else {
        throw .invalidArgument(op: op, reason: "output size \(outputSize) must be positive")
    }
    let area = kernelSize.height * kernelSize.width
    guard columns.shape[1] % area == 0 else {
        throw .invalidArgument(op: op, reason: "\(columns.shape[1]) rows are not divisible by the kernel's \(area) elements")
    }
    let grid = try convolutionGrid(op: op, image: outputSize, kernel: kernelSize, stride: stride, padding: padding,
                                   dilation: dilation)
    guard columns.shape[2] == grid.height * grid.width else {
        throw .invalidArgument(op: op, reason: "expected \(grid.height * grid.width) columns (\(grid.height)×\(grid.width) "
                               + "window positions), got \(columns.shape[2])")
    }
    let geometry = WindowGeometry(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation,
                                  image: outputSize, grid: grid)
    return try Col2im(geometry: geometry).apply([columns])[0]
}

// MARK: - conv2d

/// `y = conv2d(x, W) + b` (torch's `conv2d`, a cross-correlation), for `x` `[N, C, H, W]`,
/// `W` `[O, C/G, KH, KW]` and `b` `[O]`: per group `g` of `G`,
///
///     y[n, o, i, j] = b[o] + Σ_{c, kh, kw} W[o, c, kh, kw] · x[n, g·C/G + c, i·sH − pH + kh·dH, j·sW − pW + kw·dW]
///
/// computed as `Y_g = W_g · im2col(x)_g` (one GEMM per batch element and group).
/// Gradients, with `Y` the grid and `X` the image:
///
///     ∂L/∂x = conv_transpose2d(∂L/∂y, W)     (the adjoint: W_gᵀ · ∂L/∂Y_g, then col2im)
///     ∂L/∂W = Σₙ ∂L/∂Y_g[n] · im2col(x)_g[n]ᵀ
///     ∂L/∂b = Σ_{n, i, j} ∂L/∂y[n, ·, i, j]
///
/// Each is made of differentiable ops (``TransposedConvolution2D``, `Im2col`, ``MatMul``),
/// so the backward of the backward works.
public final class Convolution2D: Function {
    let geometry: WindowGeometry

    init(geometry: WindowGeometry) {
        self.geometry = geometry
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let y = Tensor.convolutionGrid(image: xs[0], weight: xs[1], geometry)
        return [xs.count == 3 ? y.addingChannelBias(xs[2]) : y]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, w, gy) = (input(0), input(1), gys[0])
        let gx = TransposedConvolution2D(geometry: geometry)(gy, w)
        let gw = convolutionWeightGradient(image: x, grid: gy, weightShape: w.shape, geometry)
        guard inputCount == 3 else { return [gx, gw] }
        return [gx, gw, channelBiasGradient(gy)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        let (x, w, gy) = (input(0).data, input(1).data, gys[0])
        let gx = Tensor.convolutionImage(grid: gy, weight: w, geometry)
        let gw = Tensor.convolutionWeight(image: x, grid: gy, weightShape: w.shape, geometry)
        guard inputCount == 3 else { return [gx, gw] }
        return [gx, gw, gy.sum(axes: [0, 2, 3], keepdims: false)]
    }
}

/// A 2-d convolution with torch's layout and arguments (`torch.nn.functional.conv2d`):
/// `x` `[N, C, H, W]` (or unbatched `[C, H, W]`), `weight` `[O, C/groups, KH, KW]`, an
/// optional `bias` `[O]`; the result is `[N, O, OH, OW]` with
/// `OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1) / stride⌋ + 1` (likewise `OW`). See
/// ``Convolution2D`` for the math. Sizes are one integer for both axes or `[h, w]`.
///
/// ```swift
/// let x = Variable(try Tensor.zeros([1, 3, 8, 8]))
/// let w = Variable(try Tensor.zeros([4, 3, 3, 3]))
/// let y = try conv2d(x, w, stride: 2, padding: 1)   // [1, 4, 4, 4]
/// ```
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` with torch's conditions: an
///   input that is not 3-d or 4-d or a weight that is not 4-d, a non-positive stride,
///   dilation or groups, a negative padding, `groups` not dividing the output channels,
///   input channels other than `weight.shape[1] · groups`, a bias that is not `[O]`, a
///   dilated kernel larger than the padded input; ``AutogradError/dtypeMismatch(_:_:op:)``.
public func conv2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable? = nil,
    stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1, groups: Int = 1
) throws(AutogradError) -> Variable {
    let op = "conv2d"
    try checkConvolutionOperands(op: op, x, weight, bias)
    try checkWindow(op: op, kernel: nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
    let (outChannels, kernel) = (weight.shape[0], IntPair(weight.shape[2], weight.shape[3]))
    guard outChannels % groups == 0 else {
        throw .invalidArgument(op: op, reason: "groups=\(groups) does not divide the weight's \(outChannels) output channels "
                               + "(weight shape \(weight.shape))")
    }
    let batched = x.rank == 4 ? x : x.reshaped([1] + x.shape)
    let channels = batched.shape[1]
    guard channels == weight.shape[1] * groups else {
        throw .invalidArgument(op: op, reason: "weight \(weight.shape) with groups=\(groups) expects input with "
                               + "\(weight.shape[1] * groups) channels, but got \(channels) channels (input shape \(x.shape))")
    }
    try checkBias(op: op, bias, channels: outChannels)
    let image = IntPair(batched.shape[2], batched.shape[3])
    let grid = try convolutionGrid(op: op, image: image, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
    let geometry = WindowGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups,
                                  image: image, grid: grid)
    let y = try Convolution2D(geometry: geometry).apply([batched, weight] + (bias.map { [$0] } ?? []))[0]
    return x.rank == 4 ? y : y.reshaped(Array(y.shape.dropFirst()))
}

// MARK: - conv_transpose2d

/// `y = conv_transpose2d(x, W) + b` (torch's `conv_transpose2d`, DeZero's `deconv2d`), for
/// `x` `[N, C, H, W]`, `W` `[C, O/G, KH, KW]`, `b` `[O]`: the adjoint of conv2d in its
/// input. Every input pixel scatters `x[n, c, i, j] · W[c, o, kh, kw]` to output pixel
/// `(i·sH − pH + kh·dH, j·sW − pW + kw·dW)`, within its group; computed as
/// `col_g = W_gᵀ · X_g` followed by col2im. Gradients:
///
///     ∂L/∂x = conv2d(∂L/∂y, W)              (same window, groups)
///     ∂L/∂W = Σₙ X_g[n] · im2col(∂L/∂y)_g[n]ᵀ
///     ∂L/∂b = Σ_{n, i, j} ∂L/∂y[n, ·, i, j]
///
/// all differentiable, so second-order gradients work.
public final class TransposedConvolution2D: Function {
    let geometry: WindowGeometry

    init(geometry: WindowGeometry) {
        self.geometry = geometry
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let y = Tensor.convolutionImage(grid: xs[0], weight: xs[1], geometry)
        return [xs.count == 3 ? y.addingChannelBias(xs[2]) : y]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (x, w, gy) = (input(0), input(1), gys[0])
        let gx = Convolution2D(geometry: geometry)(gy, w)
        let gw = convolutionWeightGradient(image: gy, grid: x, weightShape: w.shape, geometry)
        guard inputCount == 3 else { return [gx, gw] }
        return [gx, gw, channelBiasGradient(gy)]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        let (x, w, gy) = (input(0).data, input(1).data, gys[0])
        let gx = Tensor.convolutionGrid(image: gy, weight: w, geometry)
        let gw = Tensor.convolutionWeight(image: gy, grid: x, weightShape: w.shape, geometry)
        guard inputCount == 3 else { return [gx, gw] }
        return [gx, gw, gy.sum(axes: [0, 2, 3], keepdims: false)]
    }
}

/// A 2-d transposed convolution with torch's layout and arguments
/// (`torch.nn.functional.conv_transpose2d`; DeZero's `deconv2d`): `x` `[N, C, H, W]` (or
/// unbatched `[C, H, W]`), `weight` `[C, O/groups, KH, KW]`, an optional `bias` `[O]`;
/// the result is `[N, O, OH, OW]` with
/// `OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + outputPadding + 1` (likewise
/// `OW`). `outputPadding` adds rows and columns at the bottom and right, to pick one of
/// the sizes that a strided conv2d maps to `H`. See ``TransposedConvolution2D``.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` with torch's conditions: ranks,
///   a non-positive stride, dilation or groups, a negative padding or output padding, an
///   output padding not smaller than either the stride or the dilation, `groups` not
///   dividing the input channels, input channels other than `weight.shape[0]`, a bias
///   that is not `[O]`, an output size below 1; ``AutogradError/dtypeMismatch(_:_:op:)``.
public func convTranspose2d(
    _ x: Variable, _ weight: Variable, _ bias: Variable? = nil,
    stride: IntPair = 1, padding: IntPair = 0, outputPadding: IntPair = 0, dilation: IntPair = 1, groups: Int = 1
) throws(AutogradError) -> Variable {
    let op = "conv_transpose2d"
    try checkConvolutionOperands(op: op, x, weight, bias)
    try checkWindow(op: op, kernel: nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
    guard outputPadding.height >= 0 && outputPadding.width >= 0 else {
        throw .invalidArgument(op: op, reason: "negative output padding \(outputPadding) is not supported")
    }
    guard (outputPadding.height < stride.height || outputPadding.height < dilation.height)
        && (outputPadding.width < stride.width || outputPadding.width < dilation.width) else {
        throw .invalidArgument(op: op, reason: "output padding \(outputPadding) must be smaller than either stride "
                               + "\(stride) or dilation \(dilation)")
    }
    let (inChannels, kernel) = (weight.shape[0], IntPair(weight.shape[2], weight.shape[3]))
    guard inChannels % groups == 0 else {
        throw .invalidArgument(op: op, reason: "groups=\(groups) does not divide the weight's \(inChannels) input channels "
                               + "(weight shape \(weight.shape))")
    }
    let batched = x.rank == 4 ? x : x.reshaped([1] + x.shape)
    guard batched.shape[1] == inChannels else {
        throw .invalidArgument(op: op, reason: "weight \(weight.shape) expects input with \(inChannels) channels, "
                               + "but got \(batched.shape[1]) channels (input shape \(x.shape))")
    }
    let outChannels = weight.shape[1] * groups
    try checkBias(op: op, bias, channels: outChannels)
    let grid = IntPair(batched.shape[2], batched.shape[3])
    func size(_ h: Int, _ s: Int, _ p: Int, _ d: Int, _ k: Int, _ o: Int) -> Int { (h - 1) * s - 2 * p + d * (k - 1) + o + 1 }
    let image = IntPair(
        size(grid.height, stride.height, padding.height, dilation.height, kernel.height, outputPadding.height),
        size(grid.width, stride.width, padding.width, dilation.width, kernel.width, outputPadding.width))
    guard image.height >= 1 && image.width >= 1 else {
        throw .invalidArgument(op: op, reason: "input size \(grid) gives output size \(image), which is too small")
    }
    let geometry = WindowGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups,
                                  image: image, grid: grid)
    let y = try TransposedConvolution2D(geometry: geometry).apply([batched, weight] + (bias.map { [$0] } ?? []))[0]
    return x.rank == 4 ? y : y.reshaped(Array(y.shape.dropFirst()))
}

// MARK: - Shared pieces

/// `∂L/∂W = Σₙ Y_g[n] · im2col(X)_g[n]ᵀ` reshaped to `weightShape`, for an image `X`
/// `[N, C, H, W]` and a grid `Y` `[N, R, OH, OW]`: the weight gradient of both conv2d
/// (`X` the input, `Y` the output's gradient) and conv_transpose2d (`X` the output's
/// gradient, `Y` the input). Differentiable: ``Im2col``, ``MatMul``, ``Sum``, reshape.
func convolutionWeightGradient(image x: Variable, grid y: Variable, weightShape: [Int], _ g: WindowGeometry) -> Variable {
    let (n, r) = (x.shape[0], y.shape[1])
    let columns = Im2col(geometry: g)(x).reshaped([n, g.groups, x.shape[1] / g.groups * g.kernelArea, g.gridArea])
    let grid = y.reshaped([n, g.groups, r / g.groups, g.gridArea])
    let product = matrixProduct(grid, columns, transposeA: false, transposeB: true)
    return trapping { () throws(AutogradError) in try sum(product, axes: [0]) }.reshaped(weightShape)
}

/// `∂L/∂b = Σ_{n, i, j} ∂L/∂y[n, ·, i, j]` for a bias added per channel of `[N, O, H, W]`.
func channelBiasGradient(_ gy: Variable) -> Variable {
    trapping { () throws(AutogradError) in try sum(gy, axes: [0, 2, 3]) }
}

extension Tensor {
    /// `self[n, o, i, j] + b[o]` for `self` `[N, O, H, W]` and `b` `[O]`.
    func addingChannelBias(_ b: Tensor) -> Tensor {
        trapping { () throws(AutogradError) in try zip(b.withShape([b.count, 1, 1]), .add) }
    }
}

/// The operands' ranks and dtypes (torch: a 3-d or 4-d input, a 4-d weight, one dtype).
private func checkConvolutionOperands(op: String, _ x: Variable, _ w: Variable, _ b: Variable?) throws(AutogradError) {
    guard w.rank == 4 else {
        throw .invalidArgument(op: op, reason: "expected a 4-d weight, got shape \(w.shape)")
    }
    guard x.rank == 3 || x.rank == 4 else {
        throw .invalidArgument(op: op, reason: "expected a 3-d (unbatched) or 4-d (batched) input, got shape \(x.shape)")
    }
    guard x.dtype == w.dtype else { throw .dtypeMismatch(x.dtype, w.dtype, op: op) }
    if let b, b.dtype != x.dtype { throw .dtypeMismatch(x.dtype, b.dtype, op: op) }
}

/// A bias must be `[channels]`.
private func checkBias(op: String, _ b: Variable?, channels: Int) throws(AutogradError) {
    guard let b else { return }
    guard b.shape == [channels] else {
        throw .invalidArgument(op: op, reason: "expected a bias of shape [\(channels)], got \(b.shape)")
    }
}

/// torch's window checks: positive kernel (when given), stride, dilation and groups,
/// non-negative padding.
func checkWindow(
    op: String, kernel: IntPair?, stride: IntPair, padding: IntPair, dilation: IntPair, groups: Int = 1
) throws(AutogradError) {
    if let kernel, kernel.height <= 0 || kernel.width <= 0 {
        throw .invalidArgument(op: op, reason: "kernel size \(kernel) must be positive")
    }
    guard stride.height > 0 && stride.width > 0 else {
        throw .invalidArgument(op: op, reason: "non-positive stride \(stride) is not supported")
    }
    guard padding.height >= 0 && padding.width >= 0 else {
        throw .invalidArgument(op: op, reason: "negative padding \(padding) is not supported")
    }
    guard dilation.height > 0 && dilation.width > 0 else {
        throw .invalidArgument(op: op, reason: "non-positive dilation \(dilation) is not supported")
    }
    guard groups > 0 else {
        throw .invalidArgument(op: op, reason: "non-positive groups \(groups) is not supported")
    }
}

/// The window positions of a convolution over `image`.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` when the dilated kernel is
///   larger than the padded image (torch: "Kernel size can't be greater than actual input size").
func convolutionGrid(
    op: String, image: IntPair, kernel: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair
) throws(AutogradError) -> IntPair {
    let padded = IntPair(image.height + 2 * padding.height, image.width + 2 * padding.width)
    let dilated = IntPair(dilation.height * (kernel.height - 1) + 1, dilation.width * (kernel.width - 1) + 1)
    guard padded.height >= dilated.height && padded.width >= dilated.width else {
        throw .invalidArgument(op: op, reason: "the (dilated) kernel \(dilated) is larger than the padded input \(padded)")
    }
    return IntPair(
        WindowGeometry.convolutionGridSize(image.height, kernel: kernel.height, stride: stride.height,
                                           padding: padding.height, dilation: dilation.height),
        WindowGeometry.convolutionGridSize(image.width, kernel: kernel.width, stride: stride.width,
                                           padding: padding.width, dilation: dilation.width))
}
