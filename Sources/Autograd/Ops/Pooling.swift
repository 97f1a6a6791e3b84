// Pooling (DeZero's pooling and average_pooling; torch's max_pool2d and avg_pool2d) over
// the last two axes of `[N, C, H, W]` or unbatched `[C, H, W]` inputs.
//
// Both are linear in the incoming gradient: max pooling routes it through the indices of
// the winners (a scatter, whose adjoint is a gather), average pooling spreads it over each
// window (whose adjoint is average pooling again). Each backward is such a linear op with
// its own backward, so second-order gradients work as in torch (zero with respect to the
// input, since the routing is piecewise constant).

// MARK: - Max pooling

/// `y[n, c, i, j] = max` over the window at `(i, j)`: rows `i·sH − pH + kh·dH`, columns
/// `j·sW − pW + kw·dW` inside the input (padding never wins). Ties go as in torch: the
/// window is scanned row by row and the *first* maximal element wins (a NaN wins over
/// any number; among NaNs the last one). Gradient: each `∂L/∂y[n, c, i, j]` is added to
/// the winner of its window (overlapping windows that share a winner add up), a
/// ``ScatterAdd`` whose own gradient is a ``Gather``:
///
///     ∂L/∂x[p] = Σ_{(i, j): winner(i, j) = p} ∂L/∂y[i, j]
public final class MaxPooling2D: Function {
    let geometry: PoolingGeometry
    /// The flat index into the input of each output element's winner (set by forward).
    private(set) var indices: [Int] = []

    init(geometry: PoolingGeometry) {
        self.geometry = geometry
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let (y, winners) = xs[0].maxPool(geometry)
        indices = winners
        return [y]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [ScatterAdd(offsets: indices, shape: input(0).shape)(gys[0])]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].scatterAdd(indices, shape: input(0).shape)]
    }
}

/// 2-d max pooling with torch's arguments (`torch.nn.functional.max_pool2d`) over `x`
/// `[N, C, H, W]` or `[C, H, W]`: `stride` defaults to `kernelSize`; the result has
/// `OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1 [+ stride − 1 with ceilMode]) / stride⌋ + 1`
/// rows (with `ceilMode`, one less if the last window would start in the bottom padding),
/// likewise `OW`. See ``MaxPooling2D`` for the tie rule and the gradient.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` with torch's conditions: an
///   input that is not 3-d or 4-d or has an empty channel or spatial axis, a non-positive
///   kernel size, stride or dilation, a negative padding or one above half the kernel
///   size, an output smaller than 1×1.
public func maxPool2d(
    _ x: Variable, kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = 0, dilation: IntPair = 1,
    ceilMode: Bool = false
) throws(AutogradError) -> Variable {
    let geometry = try poolingGeometry(op: "max_pool2d", x, kernel: kernelSize, stride: stride ?? kernelSize,
                                       padding: padding, dilation: dilation, ceilMode: ceilMode)
    return try MaxPooling2D(geometry: geometry).apply([x])[0]
}

/// ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` and the position of each
/// output element's winner, as torch's `return_indices=True` gives it: an int64 tensor of
/// the output's shape holding the flat index `row·W + column` within the winner's
/// `H × W` plane. The indices take no gradient.
public func maxPool2dWithIndices(
    _ x: Variable, kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = 0, dilation: IntPair = 1,
    ceilMode: Bool = false
) throws(AutogradError) -> (values: Variable, indices: Tensor) {
    let geometry = try poolingGeometry(op: "max_pool2d", x, kernel: kernelSize, stride: stride ?? kernelSize,
                                       padding: padding, dilation: dilation, ceilMode: ceilMode)
    let pooling = MaxPooling2D(geometry: geometry)
    let values = try pooling.apply([x])[0]
    let plane = geometry.window.imageArea
    let indices = try Tensor(shape: values.shape, int64Scalars: pooling.indices.map { Int64($0 % plane) })
    return (values, indices)
}

// MARK: - Average pooling

/// `y[n, c, i, j] = (Σ window) / divisor` over the window at `(i, j)`: rows `i·sH − pH`
/// to `i·sH − pH + KH − 1` inside the input (likewise columns). The divisor is torch's:
/// the window's size clipped to the padded input (`countIncludePad`, the default), or the
/// number of input elements it covers. Gradient: each `∂L/∂y[i, j] / divisor(i, j)` is
/// added to every input element of its window,
///
///     ∂L/∂x[p] = Σ_{(i, j): p ∈ window(i, j)} ∂L/∂y[i, j] / divisor(i, j)
///
/// which is linear; its adjoint is this pooling again (`AveragePooling2DAdjoint`).
public final class AveragePooling2D: Function {
    let geometry: PoolingGeometry
    let divisors: [Int]

    init(geometry: PoolingGeometry) {
        self.geometry = geometry
        divisors = geometry.averageDivisors()
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [xs[0].averagePool(geometry, divisors: divisors)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [AveragePooling2DAdjoint(geometry: geometry, divisors: divisors, imageShape: input(0).shape)(gys[0])]
    }

    override public func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].averagePoolAdjoint(geometry, divisors: divisors, imageShape: input(0).shape)]
    }
}

/// Average pooling's gradient as an op: a grid spread over the windows (see
/// ``AveragePooling2D``). Its own gradient is average pooling of the incoming one.
final class AveragePooling2DAdjoint: Function {
    let geometry: PoolingGeometry
    let divisors: [Int]
    let imageShape: [Int]

    init(geometry: PoolingGeometry, divisors: [Int], imageShape: [Int]) {
        self.geometry = geometry
        self.divisors = divisors
        self.imageShape = imageShape
    }

    override func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        [xs[0].averagePoolAdjoint(geometry, divisors: divisors, imageShape: imageShape)]
    }

    override func backward(_ gys: [Variable]) -> [Variable] {
        [AveragePooling2D(geometry: geometry)(gys[0])]
    }

    override func backwardWithoutGraph(_ gys: [Tensor]) -> [Tensor]? {
        [gys[0].averagePool(geometry, divisors: divisors)]
    }
}

/// 2-d average pooling with torch's arguments (`torch.nn.functional.avg_pool2d`) over `x`
/// `[N, C, H, W]` or `[C, H, W]`: `stride` defaults to `kernelSize`; output sizes as
/// ``maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`` without dilation. See
/// ``AveragePooling2D`` for the divisor and the gradient.
/// `divisorOverride` (torch's `divisor_override`) divides every window by that number instead.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` with torch's conditions (as
///   for max pooling; and a divisor override of 0).
public func avgPool2d(
    _ x: Variable, kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = 0, ceilMode: Bool = false,
    countIncludePad: Bool = true, divisorOverride: Int? = nil
) throws(AutogradError) -> Variable {
    var geometry = try poolingGeometry(op: "avg_pool2d", x, kernel: kernelSize, stride: stride ?? kernelSize,
                                       padding: padding, dilation: 1, ceilMode: ceilMode)
    if divisorOverride == 0 { throw .invalidArgument(op: "avg_pool2d", reason: "divisor must be not zero") }
    geometry.countIncludePad = countIncludePad
    geometry.divisorOverride = divisorOverride
    return try AveragePooling2D(geometry: geometry).apply([x])[0]
}

/// torch's `pool2d_shape_check` and `pooling_output_shape`.
private func poolingGeometry(
    op: String, _ x: Variable, kernel: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair, ceilMode: Bool
) throws(AutogradError) -> PoolingGeometry {
    guard x.rank == 3 || x.rank == 4 else {
        throw .invalidArgument(op: op, reason: "expected a 3-d (unbatched) or 4-d (batched) input, got shape \(x.shape)")
    }
    guard x.shape.dropFirst(x.rank - 3).allSatisfy({ $0 > 0 }) else {
        throw .invalidArgument(op: op, reason: "expected non-empty channel and spatial dimensions, got shape \(x.shape)")
    }
    try checkWindow(op: op, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
    guard padding.height <= kernel.height / 2 && padding.width <= kernel.width / 2 else {
        throw .invalidArgument(op: op, reason: "padding \(padding) should be at most half of the kernel size \(kernel)")
    }
    let image = IntPair(x.shape[x.rank - 2], x.shape[x.rank - 1])
    let grid = IntPair(
        PoolingGeometry.gridSize(image.height, kernel: kernel.height, stride: stride.height, padding: padding.height,
                                 dilation: dilation.height, ceilMode: ceilMode),
        PoolingGeometry.gridSize(image.width, kernel: kernel.width, stride: stride.width, padding: padding.width,
                                 dilation: dilation.width, ceilMode: ceilMode))
    guard grid.height >= 1 && grid.width >= 1 else {
        throw .invalidArgument(op: op, reason: "input size \(image) gives output size \(grid), which is too small")
    }
    return PoolingGeometry(
        window: WindowGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation, image: image, grid: grid),
        ceilMode: ceilMode)
}
