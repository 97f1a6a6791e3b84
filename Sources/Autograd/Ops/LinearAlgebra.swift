// Linear algebra: transpose (axis permutation), matrix products with torch.matmul's
// semantics, and DeZero's linear layer `x W + b`.
//
// Every backward is written with differentiable ops (a product, a transpose, sumTo,
// reshape), so gradients of any order work: a matrix product is bilinear, so its
// second-order gradients are nonzero and the third-order ones vanish.

// MARK: - Transpose

/// `y = x` with its axes permuted: axis `i` of `y` is axis `axes[i]` of `x`
/// (`nil`: all axes reversed, numpy's `x.T`). Gradient: the incoming gradient permuted
/// back by the inverse permutation (`axes[i] = j` ⇒ `inverse[j] = i`).
public final class Transpose: Function {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    /// The permutation as given (negative axes count from the end); `nil` reverses all axes.
    public let axes: [Int]?
    private var permutation: [Int] = []

    public init(axes: [Int]? = nil) {
        self.axes = axes
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        permutation = try Self.permutation(axes, rank: xs[0].rank)
        return [xs[0].permuted(permutation)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (i, axis) in permutation.enumerated() { inverse[axis] = i }
        return [Transpose(axes: inverse)(gys[0])]
    }

    /// `axes` normalized to a permutation of `0..<rank` (`nil`: reversed).
    /// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``,
    ///   ``AutogradError/invalidPermutation(axes:rank:)`` (wrong count or a repeated axis).
    static func permutation(_ axes: [Int]?, rank: Int) throws(AutogradError) -> [Int] {
        guard let axes else { return Array((0..<rank).reversed()) }
        guard axes.count == rank else { throw .invalidPermutation(axes: axes, rank: rank) }
        var seen = Set<Int>()
        var result: [Int] = []
        for axis in axes {
            let a = try Shape.normalize(axis: axis, rank: rank)
            guard seen.insert(a).inserted else { throw .invalidPermutation(axes: axes, rank: rank) }
            result.append(a)
        }
        return result
    }
}

/// `x` with all axes reversed (numpy's `x.T`; a matrix's transpose). Rank 0 and 1 are
/// returned unchanged.
public func transpose(_ x: Variable) -> Variable {
    if x.rank < 2 { return x }
    return Transpose()(x)
}

/// `x` with its axes permuted: axis `i` of the result is axis `axes[i]` of `x`
/// (`torch.permute(x, axes)`); negative axes count from the end. The identity
/// permutation returns `x` itself.
/// - Throws: ``AutogradError/axisOutOfRange(axis:rank:)``, ``AutogradError/invalidPermutation(axes:rank:)``.
public func transpose(_ x: Variable, axes: [Int]) throws(AutogradError) -> Variable {
    let permutation = try Transpose.permutation(axes, rank: x.rank)
    if permutation == Array(0..<x.rank) { return x }
    return try Transpose(axes: permutation).apply([x])[0]
}

extension Variable {
    /// All axes reversed: a matrix's transpose (``transpose(_:)``).
    public var T: Variable { transpose(self) }
}

// MARK: - Matrix product

/// `Y = op(A) · op(B)` for operands of rank ≥ 2, where `op` swaps the last two axes when
/// `transposeA` / `transposeB` is set (gemm's transposition flags: nothing is copied).
/// Leading axes are batch axes and broadcast. With `A' = op(A)`, `B' = op(B)`:
///
///     ∂L/∂A' = ∂L/∂Y · B'ᵀ        ∂L/∂B' = A'ᵀ · ∂L/∂Y
///
/// each summed back over the batch axes the operand was broadcast along. When `op(A)`
/// is `Aᵀ`, the gradient of `A` is `(∂L/∂A')ᵀ = B' · (∂L/∂Y)ᵀ`, and likewise for `B`:
/// every gradient is again a product with flags, so backward passes never copy a
/// transpose and are differentiable (order 2 is nonzero, order 3 vanishes).
public final class MatMul: Function {
    public let transposeA: Bool
    public let transposeB: Bool

    public init(transposeA: Bool = false, transposeB: Bool = false) {
        self.transposeA = transposeA
        self.transposeB = transposeB
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [Tensor.matrixProduct(xs[0], xs[1], transposeA: transposeA, transposeB: transposeB)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (a, b, gy) = (input(0), input(1), gys[0])
        let ga = transposeA
            ? matrixProduct(b, gy, transposeA: transposeB, transposeB: true)     // B' · gYᵀ
            : matrixProduct(gy, b, transposeA: false, transposeB: !transposeB)   // gY · B'ᵀ
        let gb = transposeB
            ? matrixProduct(gy, a, transposeA: true, transposeB: transposeA)     // gYᵀ · A'
            : matrixProduct(a, gy, transposeA: !transposeA, transposeB: false)   // A'ᵀ · gY
        return [ga.summed(to: a.shape), gb.summed(to: b.shape)]
    }
}

/// ``MatMul`` for shapes known to fit (inside backward passes).
func matrixProduct(_ a: Variable, _ b: Variable, transposeA: Bool, transposeB: Bool) -> Variable {
    trapping { () throws(AutogradError) in
        try MatMul(transposeA: transposeA, transposeB: transposeB).apply([a, b])[0]
    }
}

/// The matrix product `a @ b` with `torch.matmul`'s semantics:
///
/// - 1-d · 1-d: the dot product, a 0-d result;
/// - 2-d · 2-d: the matrix product;
/// - 1-d · n-d: `a` is treated as a row `[1, k]`, and that axis is removed afterwards;
/// - n-d · 1-d: `b` is treated as a column `[k, 1]`, and that axis is removed afterwards;
/// - n-d · n-d: a batch of matrix products over the leading axes, which broadcast
///   (`[2, 1, 3, 4] @ [5, 4, 2]` is `[2, 5, 3, 2]`).
///
/// Gradients: `∂L/∂a = ∂L/∂y · bᵀ`, `∂L/∂b = aᵀ · ∂L/∂y`, summed over broadcast batch
/// axes and reshaped back for 1-d operands (see ``MatMul``).
/// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)`` naming both shapes
///   (a 0-d operand, inner dimensions that differ, batch axes that do not broadcast),
///   ``AutogradError/dtypeMismatch(_:_:op:)``, ``AutogradError/sizeOverflow(shape:op:)``
///   for a result too large to address (`[1 << 32, 0] @ [0, 1 << 32]`).
public func matmul(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    let views = try MatmulViews(a.data, b.data)
    let product = try MatMul().apply([a.reshaped(views.a), b.reshaped(views.b)])[0]
    return product.reshaped(views.result)
}

/// How `torch.matmul` reads its operands' shapes: a 1-d `a` as a row `[1, k]`, a 1-d `b`
/// as a column `[k, 1]`, and the result with those axes removed again. Shared by
/// ``matmul(_:_:)`` and ``Tensor/matmul(_:)``.
struct MatmulViews {
    /// The shapes the operands are multiplied as (rank ≥ 2).
    let a: [Int], b: [Int]
    /// The shape of the result as the caller sees it.
    let result: [Int]

    /// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)`` naming the shapes
    ///   as given, ``AutogradError/dtypeMismatch(_:_:op:)``.
    init(_ x: Tensor, _ y: Tensor) throws(AutogradError) {
        guard x.rank >= 1 && y.rank >= 1 else {
            throw .incompatibleMatmulShapes(x.shape, y.shape, reason: "both operands need at least 1 dimension")
        }
        guard x.dtype == y.dtype else { throw .dtypeMismatch(x.dtype, y.dtype, op: "matmul") }
        a = x.rank == 1 ? [1] + x.shape : x.shape
        b = y.rank == 1 ? y.shape + [1] : y.shape
        let plan: MatrixProductPlan
        do {
            plan = try MatrixProductPlan(a, b, transposeA: false, transposeB: false)
        } catch {
            // Name the shapes as the caller wrote them, not the 2-d views of 1-d operands.
            guard case let .incompatibleMatmulShapes(_, _, reason) = error else { throw error }
            throw .incompatibleMatmulShapes(x.shape, y.shape, reason: reason)
        }
        result = plan.batch + (x.rank == 1 ? [] : [plan.m]) + (y.rank == 1 ? [] : [plan.n])
    }
}

extension Variable {
    /// `self @ other` (``matmul(_:_:)``).
    public func matmul(_ other: Variable) throws(AutogradError) -> Variable {
        try Autograd.matmul(self, other)
    }
}

// MARK: - Linear

/// DeZero's `linear`: `y = x · W + b`, with `W` a matrix of shape `[in, out]` (not
/// torch's `[out, in]`) and an optional bias `b` (usually `[out]`) that broadcasts to the
/// product's shape without changing it, as torch's `F.linear` requires. Composite: its
/// gradients, `∂L/∂x = ∂L/∂y · Wᵀ`, `∂L/∂W = xᵀ · ∂L/∂y`, `∂L/∂b = ∂L/∂y` summed to `b`'s
/// shape, come from ``MatMul`` and ``Add``.
/// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)`` for `x` and `W` (also
///   when `W` is not a matrix), ``AutogradError/cannotBroadcast(from:to:)`` for a bias that
///   does not fit the product.
public func linear(_ x: Variable, _ weight: Variable, _ bias: Variable? = nil) throws(AutogradError) -> Variable {
    guard weight.rank == 2 else {
        throw .incompatibleMatmulShapes(x.shape, weight.shape, reason: "linear's weight must be a matrix [in, out]")
    }
    let product = try matmul(x, weight)
    guard let bias else { return product }
    guard Shape.broadcasts(bias.shape, to: product.shape) else {
        throw .cannotBroadcast(from: bias.shape, to: product.shape)
    }
    return try add(product, bias)
}

// MARK: - addmm

/// `Y = β · input + α · (m1 · m2)` for matrices `m1` `[n, k]` and `m2` `[k, p]`, with
/// `input` broadcasting to `[n, p]` (`torch.addmm`). With `β = 0`, `input` is not read
/// (a NaN in it does not reach the result), as in torch; a factor of 1 is not multiplied.
/// Gradients (derivatives.yaml): `∂input = β · g` (just `g` when `β = 1`) summed to its
/// shape, `∂m1 = α · (g · m2ᵀ)`, `∂m2 = α · (m1ᵀ · g)`: products with gemm's transposition
/// flags, so second derivatives across `m1` and `m2` are nonzero and third ones vanish.
public final class Addmm: Function {
    public let beta: Double
    public let alpha: Double

    public init(beta: Double = 1, alpha: Double = 1) {
        self.beta = beta
        self.alpha = alpha
    }

    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let (input, m1, m2) = (xs[0], xs[1], xs[2])
        guard m1.rank == 2 && m2.rank == 2 else {
            throw .incompatibleMatmulShapes(m1.shape, m2.shape, reason: "addmm multiplies two matrices")
        }
        guard m1.dtype == input.dtype else { throw .dtypeMismatch(input.dtype, m1.dtype, op: "addmm") }
        let product = try Tensor.matrixProduct(m1, m2, transposeA: false, transposeB: false)
        guard Shape.broadcasts(input.shape, to: product.shape) else {
            throw .cannotBroadcast(from: input.shape, to: product.shape)
        }
        let scaledProduct = alpha == 1 ? product : try product.zip(Tensor(alpha, dtype: product.dtype), .multiply)
        guard beta != 0 else { return [scaledProduct] }
        let scaledInput = beta == 1 ? input : try input.zip(Tensor(beta, dtype: input.dtype), .multiply)
        return [try scaledInput.zip(scaledProduct, .add)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let (input, m1, m2, gy) = (input(0), input(1), input(2), gys[0])
        let gInput = (beta == 1 ? gy : gy * beta).summed(to: input.shape)
        let gm1 = matrixProduct(gy, m2, transposeA: false, transposeB: true)
        let gm2 = matrixProduct(m1, gy, transposeA: true, transposeB: false)
        return [gInput, alpha == 1 ? gm1 : gm1 * alpha, alpha == 1 ? gm2 : gm2 * alpha]
    }
}

/// `β · input + α · (m1 @ m2)` (`torch.addmm`): `m1` `[n, k]`, `m2` `[k, p]`, `input`
/// broadcasting to `[n, p]`; `β = 0` ignores `input`, NaN included. See ``Addmm``.
/// - Throws: ``AutogradError/incompatibleMatmulShapes(_:_:reason:)`` (not matrices, inner
///   sizes differ), ``AutogradError/cannotBroadcast(from:to:)`` for `input`,
///   ``AutogradError/dtypeMismatch(_:_:op:)``.
public func addmm(
    _ input: Variable, _ m1: Variable, _ m2: Variable, beta: Double = 1, alpha: Double = 1
) throws(AutogradError) -> Variable {
    try Addmm(beta: beta, alpha: alpha).apply([input, m1, m2])[0]
}
