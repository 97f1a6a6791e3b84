// The product of elements, over all of them or over axes, with torch's gradient
// (FunctionsManual.cpp: prod_backward and prod_safe_zeros_backward), written with Variable
// ops so that second and higher derivatives follow.

/// `y = Π x` over `axes` (all if `nil` or empty), keeping them as size 1 if `keepdims`
/// (`torch.prod`; torch reduces one axis at a time, this takes several). The product of no
/// elements is 1.
///
/// Gradient: `∂y/∂xᵢ = Π_{j≠i} xⱼ`, the product of the slice's other elements. torch's rule,
/// kept exactly:
/// - a 0-d input gets the incoming gradient itself;
/// - if no element of the input is 0: `g · (y / x)`, on this function's own output `y`
///   (so higher derivatives flow through `y`);
/// - over all elements, with two or more zeros, in a pass that records nothing: zeros
///   (torch's shortcut, which also keeps `0 · ∞` out: `[0, 0, ∞]` has gradient `[0, 0, 0]`);
/// - otherwise (torch's `prod_safe_zeros_backward`): `g · (Πⱼ<ᵢ xⱼ) · (Πⱼ>ᵢ xⱼ)`, the
///   exclusive products, built from running products with differentiable multiplications.
///   With one zero in a slice, the zero's slot gets the product of the others and every
///   other slot 0; with two or more, every first derivative is 0 but the second is not
///   (`∂²y/∂x₀∂x₂` of `[0, 3, 0]` is 3). One difference from torch at a non-finite edge:
///   the second derivative of `[0, 0, ∞]` with respect to the ∞ is 0 here (the exact
///   derivative of the exclusive products), NaN in torch 2.15 (its cumprod_backward).
public final class Prod: Function {
    public let axes: [Int]?
    public let keepdims: Bool
    private var normalizedAxes: [Int] = []

    public init(axes: [Int]? = nil, keepdims: Bool = false) {
        self.axes = axes
        self.keepdims = keepdims
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        normalizedAxes = try Shape.normalize(axes: axes, rank: xs[0].rank)
        return [xs[0].product(axes: normalizedAxes, keepdims: keepdims)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0), gy = gys[0]
        if x.rank == 0 { return [gy] }
        let kept = Shape.reduced(x.shape, axes: normalizedAxes, keepdims: true)
        let g = gy.reshaped(kept)
        let zeros = x.data.mask { $0 == 0 }.reduce(0) { $1 ? $0 + 1 : $0 }
        if zeros == 0 {
            let y = output(0) ?? Prod(axes: normalizedAxes, keepdims: keepdims)(x)
            return [g * (y.reshaped(kept) / x)]
        }
        let reducesAll = normalizedAxes.count == x.rank
        if reducesAll && zeros > 1 && !GradMode.isEnabled { return [zerosLike(x)] }
        return [g * exclusiveProducts(x, axes: normalizedAxes)]
    }

    /// `Πⱼ≠ᵢ xⱼ` over each slice along `axes`, shaped like `x`: the reduced axes moved last
    /// and merged, then for each position the running product of the elements before it
    /// (`1, x₀, x₀x₁, …`, torch's `cumprod` of `[1, x₀, …]`) times that of the elements
    /// after it, each a chain of Variable multiplications.
    private func exclusiveProducts(_ x: Variable, axes: [Int]) -> Variable {
        trapping { () throws(AutogradError) in
            let others = x.shape.indices.filter { !axes.contains($0) }
            let order = others + axes
            let moved = try transpose(x, axes: order)
            let outer = others.map { x.shape[$0] }
            let n = axes.reduce(1) { $0 * x.shape[$1] }
            let rows = try reshape(moved, outer + [n])
            let last = outer.count
            let pieces = try split(rows, sizes: Array(repeating: 1, count: n), axis: last)
            let one = Variable.constant(try Tensor(repeating: 1, shape: outer + [1], dtype: x.dtype))
            var before = [one], after = [one]
            for i in 1..<n {
                before.append(before[i - 1] * pieces[i - 1])
                after.append(after[i - 1] * pieces[n - i])
            }
            let exclusive = try concatenate((0..<n).map { before[$0] * after[n - 1 - $0] }, axis: last)
            let unmerged = try reshape(exclusive, outer + axes.map { x.shape[$0] })
            var inverse = [Int](repeating: 0, count: order.count)
            for (i, axis) in order.enumerated() { inverse[axis] = i }
            return try transpose(unmerged, axes: inverse)
        }
    }
}

/// The product of all elements (a 0-d result).
public func prod(_ x: Variable) -> Variable {
    Prod()(x)
}

/// The product over `axes` (negative axes count from the end; `nil` or `[]` = all).
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/repeatedAxis(_:)``.
public func prod(_ x: Variable, axes: [Int]?, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try Prod(axes: axes, keepdims: keepdims).apply([x])[0]
}

/// The product over one axis (`torch.prod(x, dim)`).
public func prod(_ x: Variable, axis: Int, keepdims: Bool = false) throws(AutogradError) -> Variable {
    try prod(x, axes: [axis], keepdims: keepdims)
}

extension Tensor {
    /// The product over `axes` (normalized and sorted), keeping them as size 1 if
    /// `keepdims`; accumulated in `Double` and rounded once, as the sums are.
    func product(axes: [Int], keepdims: Bool) -> Tensor {
        let kept = Shape.reduced(shape, axes: axes, keepdims: true)
        let outShape = keepdims ? kept : Shape.reduced(shape, axes: axes, keepdims: false)
        let keptStrides = Shape.strides(kept)
        let outStrides = shape.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
        var products = [Double](repeating: 1, count: Shape.count(kept))
        let values = scalars
        forEachOffset(shape, Shape.strides(shape), outStrides) { i, o in products[o] *= values[i] }
        return trapping { () throws(AutogradError) in try Tensor(shape: outShape, scalars: products, dtype: dtype) }
    }
}
