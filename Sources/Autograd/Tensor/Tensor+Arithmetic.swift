// Tensor math without a graph: operators, comparisons, elementwise functions, and
// `map`/`zip` for custom kernels. Every function here calls the kernels the Variable ops
// call (`map(_: UnaryMath)`, `zip(_:_: BinaryMath)`, `pointwise`, `pairwise`), so a
// tensor expression and the same expression on Variables give the same bits.
//
// As for Variables, a plain number (`Double`, `Float` or `Int`) on either side becomes a
// 0-d tensor of the other operand's dtype, and operators cannot throw: shapes that do not
// broadcast, or two tensors of different dtypes, stop the program with a message, as an
// array index out of range does.

extension Tensor {
    /// `a op b` for operands known to be well-formed, trapping with the kernel's message otherwise.
    private static func binary(_ a: Tensor, _ b: Tensor, _ op: BinaryMath) -> Tensor {
        trapping { () throws(AutogradError) in try a.zip(b, op) }
    }

    /// `value` as a 0-d tensor of `other`'s dtype (a Python number in a torch expression).
    /// Beside an int64 tensor, a number that is not an integer stays float64, so that
    /// `labels .< 2.5` compares with 2.5 (the int64 side is then promoted, as in torch).
    private static func number(_ value: Double, like other: Tensor) -> Tensor {
        if other.dtype == .int64, Int64(exactly: value) == nil { return Tensor(value) }
        return Tensor(value, dtype: other.dtype)
    }

    // MARK: Arithmetic

    /// Elementwise sum, broadcasting as numpy and torch do.
    ///
    /// ```swift
    /// let a: Tensor = [[1, 2], [3, 4]]
    /// a + [10, 20]     // tensor([[11., 22.], [13., 24.]])
    /// a + 1            // a number on either side: a 0-d tensor of a's dtype
    /// ```
    /// Traps if the shapes do not broadcast or the dtypes differ.
    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .add) }
    /// Elementwise difference, broadcasting. Traps if the shapes do not broadcast or the dtypes differ.
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .subtract) }
    /// Elementwise product, broadcasting. Traps if the shapes do not broadcast or the dtypes differ.
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .multiply) }
    /// Elementwise quotient, broadcasting. Traps if the shapes do not broadcast or the dtypes differ.
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .divide) }
    /// Elementwise power `a ** b` (C's `pow`: negative bases with integral exponents work),
    /// broadcasting. Traps if the shapes do not broadcast or the dtypes differ.
    public static func ** (a: Tensor, b: Tensor) -> Tensor { binary(a, b, .power) }
    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor { x.map(.negate) }

    /// `a + b` for a number `b`.
    public static func + (a: Tensor, b: Double) -> Tensor { a + number(b, like: a) }
    /// `a + b` for a number `a`.
    public static func + (a: Double, b: Tensor) -> Tensor { number(a, like: b) + b }
    /// `a - b` for a number `b`.
    public static func - (a: Tensor, b: Double) -> Tensor { a - number(b, like: a) }
    /// `a - b` for a number `a`.
    public static func - (a: Double, b: Tensor) -> Tensor { number(a, like: b) - b }
    /// `a * b` for a number `b`.
    public static func * (a: Tensor, b: Double) -> Tensor { a * number(b, like: a) }
    /// `a * b` for a number `a`.
    public static func * (a: Double, b: Tensor) -> Tensor { number(a, like: b) * b }
    /// `a / b` for a number `b`.
    public static func / (a: Tensor, b: Double) -> Tensor { a / number(b, like: a) }
    /// `a / b` for a number `a`.
    public static func / (a: Double, b: Tensor) -> Tensor { number(a, like: b) / b }
    /// `x ** exponent` for a number (the kernel of ``PowerByScalar``).
    public static func ** (x: Tensor, exponent: Double) -> Tensor { x.map(.power(exponent)) }
    /// `base ** x` for a number (the kernel of ``ScalarPower``).
    public static func ** (base: Double, x: Tensor) -> Tensor { x.map(.exponential(base: base)) }

    /// `a + b` for a `Float` `b`.
    public static func + (a: Tensor, b: Float) -> Tensor { a + Double(b) }
    /// `a + b` for a `Float` `a`.
    public static func + (a: Float, b: Tensor) -> Tensor { Double(a) + b }
    /// `a - b` for a `Float` `b`.
    public static func - (a: Tensor, b: Float) -> Tensor { a - Double(b) }
    /// `a - b` for a `Float` `a`.
    public static func - (a: Float, b: Tensor) -> Tensor { Double(a) - b }
    /// `a * b` for a `Float` `b`.
    public static func * (a: Tensor, b: Float) -> Tensor { a * Double(b) }
    /// `a * b` for a `Float` `a`.
    public static func * (a: Float, b: Tensor) -> Tensor { Double(a) * b }
    /// `a / b` for a `Float` `b`.
    public static func / (a: Tensor, b: Float) -> Tensor { a / Double(b) }
    /// `a / b` for a `Float` `a`.
    public static func / (a: Float, b: Tensor) -> Tensor { Double(a) / b }
    /// `x ** exponent` for a `Float` exponent.
    public static func ** (x: Tensor, exponent: Float) -> Tensor { x ** Double(exponent) }
    /// `base ** x` for a `Float` base.
    public static func ** (base: Float, x: Tensor) -> Tensor { Double(base) ** x }

    /// `a + b` for an `Int` `b`.
    public static func + (a: Tensor, b: Int) -> Tensor { a + Double(b) }
    /// `a + b` for an `Int` `a`.
    public static func + (a: Int, b: Tensor) -> Tensor { Double(a) + b }
    /// `a - b` for an `Int` `b`.
    public static func - (a: Tensor, b: Int) -> Tensor { a - Double(b) }
    /// `a - b` for an `Int` `a`.
    public static func - (a: Int, b: Tensor) -> Tensor { Double(a) - b }
    /// `a * b` for an `Int` `b`.
    public static func * (a: Tensor, b: Int) -> Tensor { a * Double(b) }
    /// `a * b` for an `Int` `a`.
    public static func * (a: Int, b: Tensor) -> Tensor { Double(a) * b }
    /// `a / b` for an `Int` `b`.
    public static func / (a: Tensor, b: Int) -> Tensor { a / Double(b) }
    /// `a / b` for an `Int` `a`.
    public static func / (a: Int, b: Tensor) -> Tensor { Double(a) / b }
    /// `x ** exponent` for an `Int` exponent.
    public static func ** (x: Tensor, exponent: Int) -> Tensor { x ** Double(exponent) }
    /// `base ** x` for an `Int` base.
    public static func ** (base: Int, x: Tensor) -> Tensor { Double(base) ** x }

    // MARK: Compound assignment

    /// `a = result`, where `result` must keep `a`'s shape (torch's rule for in-place ops:
    /// `b` may broadcast to `a`, not `a` to `b`).
    private static func assign(_ a: inout Tensor, _ result: Tensor, _ op: String) {
        if result.shape != a.shape { fatalError("\(op): the result has shape \(result.shape), which cannot be stored in a tensor of shape \(a.shape)") }
        a = result
    }

    /// Adds `b` to `a` in place (`b` broadcasts to `a`'s shape).
    ///
    /// ```swift
    /// x.data -= lr * x.grad!.data    // a gradient-descent step on a Variable's tensor
    /// ```
    public static func += (a: inout Tensor, b: Tensor) { assign(&a, a + b, "+=") }
    /// Subtracts `b` from `a` in place (`b` broadcasts to `a`'s shape).
    public static func -= (a: inout Tensor, b: Tensor) { assign(&a, a - b, "-=") }
    /// Multiplies `a` by `b` in place (`b` broadcasts to `a`'s shape).
    public static func *= (a: inout Tensor, b: Tensor) { assign(&a, a * b, "*=") }
    /// Divides `a` by `b` in place (`b` broadcasts to `a`'s shape).
    public static func /= (a: inout Tensor, b: Tensor) { assign(&a, a / b, "/=") }
    /// Adds a number to every element of `a`.
    public static func += (a: inout Tensor, b: Double) { a = a + b }
    /// Subtracts a number from every element of `a`.
    public static func -= (a: inout Tensor, b: Double) { a = a - b }
    /// Multiplies every element of `a` by a number.
    public static func *= (a: inout Tensor, b: Double) { a = a * b }
    /// Divides every element of `a` by a number.
    public static func /= (a: inout Tensor, b: Double) { a = a / b }
    /// Adds an `Int` to every element of `a`.
    public static func += (a: inout Tensor, b: Int) { a += Double(b) }
    /// Subtracts an `Int` from every element of `a`.
    public static func -= (a: inout Tensor, b: Int) { a -= Double(b) }
    /// Multiplies every element of `a` by an `Int`.
    public static func *= (a: inout Tensor, b: Int) { a *= Double(b) }
    /// Divides every element of `a` by an `Int`.
    public static func /= (a: inout Tensor, b: Int) { a /= Double(b) }
}

// MARK: - Comparisons

extension Tensor {
    private static func compare(_ a: Tensor, _ b: Tensor, _ op: PairMath) -> Tensor {
        trapping { () throws(AutogradError) in try a.pairwise(b, op) }
    }

    /// Elementwise `a < b`, broadcasting: 1 where it holds, 0 elsewhere.
    ///
    /// The comparison operators are the pointwise ones Swift's SIMD types use (`.<`, `.<=`,
    /// `.>`, `.>=`, `.==`, `.!=`), since `<` and `==` already mean something else for a
    /// value (`==` is whole-tensor equality, `Equatable`). The result is a tensor of the
    /// operands' dtype holding 0s and 1s, until boolean tensors exist; NaN compares false
    /// (and `.!=` true), as in torch.
    ///
    /// ```swift
    /// let t: Tensor = [1, 5, 3]
    /// t .> 2             // tensor([0., 1., 1.], dtype=float64)
    /// (t .> 2) * t       // keeps the elements above 2: a mask
    /// ```
    /// Traps if the shapes do not broadcast or the dtypes differ.
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .less) }
    /// Elementwise `a ≤ b` as 0/1 (see ``Tensor/.<(_:_:)-(Tensor,Tensor)``).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .lessEqual) }
    /// Elementwise `a > b` as 0/1 (see ``Tensor/.<(_:_:)-(Tensor,Tensor)``).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .greater) }
    /// Elementwise `a ≥ b` as 0/1 (see ``Tensor/.<(_:_:)-(Tensor,Tensor)``).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .greaterEqual) }
    /// Elementwise `a == b` as 0/1 (see ``Tensor/.<(_:_:)-(Tensor,Tensor)``).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .equal) }
    /// Elementwise `a ≠ b` as 0/1; NaN ≠ NaN (see ``Tensor/.<(_:_:)-(Tensor,Tensor)``).
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(a, b, .notEqual) }

    /// Elementwise `a < b` for a number `b`, as 0/1.
    public static func .< (a: Tensor, b: Double) -> Tensor { a .< number(b, like: a) }
    /// Elementwise `a ≤ b` for a number `b`, as 0/1.
    public static func .<= (a: Tensor, b: Double) -> Tensor { a .<= number(b, like: a) }
    /// Elementwise `a > b` for a number `b`, as 0/1.
    public static func .> (a: Tensor, b: Double) -> Tensor { a .> number(b, like: a) }
    /// Elementwise `a ≥ b` for a number `b`, as 0/1.
    public static func .>= (a: Tensor, b: Double) -> Tensor { a .>= number(b, like: a) }
    /// Elementwise `a == b` for a number `b`, as 0/1.
    public static func .== (a: Tensor, b: Double) -> Tensor { a .== number(b, like: a) }
    /// Elementwise `a ≠ b` for a number `b`, as 0/1.
    public static func .!= (a: Tensor, b: Double) -> Tensor { a .!= number(b, like: a) }
    /// Elementwise `a < b` for a number `a`, as 0/1.
    public static func .< (a: Double, b: Tensor) -> Tensor { number(a, like: b) .< b }
    /// Elementwise `a ≤ b` for a number `a`, as 0/1.
    public static func .<= (a: Double, b: Tensor) -> Tensor { number(a, like: b) .<= b }
    /// Elementwise `a > b` for a number `a`, as 0/1.
    public static func .> (a: Double, b: Tensor) -> Tensor { number(a, like: b) .> b }
    /// Elementwise `a ≥ b` for a number `a`, as 0/1.
    public static func .>= (a: Double, b: Tensor) -> Tensor { number(a, like: b) .>= b }
    /// Elementwise `a == b` for a number `a`, as 0/1.
    public static func .== (a: Double, b: Tensor) -> Tensor { number(a, like: b) .== b }
    /// Elementwise `a ≠ b` for a number `a`, as 0/1.
    public static func .!= (a: Double, b: Tensor) -> Tensor { number(a, like: b) .!= b }

    /// Elementwise `a < b` for an `Int` `b`, as 0/1.
    public static func .< (a: Tensor, b: Int) -> Tensor { a .< Double(b) }
    /// Elementwise `a ≤ b` for an `Int` `b`, as 0/1.
    public static func .<= (a: Tensor, b: Int) -> Tensor { a .<= Double(b) }
    /// Elementwise `a > b` for an `Int` `b`, as 0/1.
    public static func .> (a: Tensor, b: Int) -> Tensor { a .> Double(b) }
    /// Elementwise `a ≥ b` for an `Int` `b`, as 0/1.
    public static func .>= (a: Tensor, b: Int) -> Tensor { a .>= Double(b) }
    /// Elementwise `a == b` for an `Int` `b`, as 0/1.
    public static func .== (a: Tensor, b: Int) -> Tensor { a .== Double(b) }
    /// Elementwise `a ≠ b` for an `Int` `b`, as 0/1.
    public static func .!= (a: Tensor, b: Int) -> Tensor { a .!= Double(b) }
    /// Elementwise `a < b` for an `Int` `a`, as 0/1.
    public static func .< (a: Int, b: Tensor) -> Tensor { Double(a) .< b }
    /// Elementwise `a ≤ b` for an `Int` `a`, as 0/1.
    public static func .<= (a: Int, b: Tensor) -> Tensor { Double(a) .<= b }
    /// Elementwise `a > b` for an `Int` `a`, as 0/1.
    public static func .> (a: Int, b: Tensor) -> Tensor { Double(a) .> b }
    /// Elementwise `a ≥ b` for an `Int` `a`, as 0/1.
    public static func .>= (a: Int, b: Tensor) -> Tensor { Double(a) .>= b }
    /// Elementwise `a == b` for an `Int` `a`, as 0/1.
    public static func .== (a: Int, b: Tensor) -> Tensor { Double(a) .== b }
    /// Elementwise `a ≠ b` for an `Int` `a`, as 0/1.
    public static func .!= (a: Int, b: Tensor) -> Tensor { Double(a) .!= b }
}

// MARK: - Elementwise functions

extension Tensor {
    // Methods, as torch's `t.exp()`: the free functions `exp(_:)`, `tanh(_:)`, … take a
    // ``Variable`` and build a graph; these take none. Each runs the kernel of the op
    // named in its comment, in the tensor's own precision.

    /// `eˣ` elementwise (the kernel of ``Exp``).
    public func exp() -> Tensor { map(.exp) }
    /// The natural logarithm elementwise (the kernel of ``Log``): -∞ at 0, NaN below.
    public func log() -> Tensor { map(.log) }
    /// The square root elementwise (the kernel of ``Sqrt``).
    public func sqrt() -> Tensor { map(.sqrt) }
    /// `x²` elementwise (the kernel of ``Square``).
    public func square() -> Tensor { map(.square) }
    /// The sine elementwise (the kernel of ``Sin``).
    public func sin() -> Tensor { map(.sin) }
    /// The cosine elementwise (the kernel of ``Cos``).
    public func cos() -> Tensor { map(.cos) }
    /// The tangent elementwise (the kernel of ``Tan``).
    public func tan() -> Tensor { pointwise(.tan) }
    /// The hyperbolic tangent elementwise (the kernel of ``Tanh``).
    public func tanh() -> Tensor { map(.tanh) }
    /// The hyperbolic sine elementwise.
    public func sinh() -> Tensor { pointwise(.sinh) }
    /// The hyperbolic cosine elementwise.
    public func cosh() -> Tensor { pointwise(.cosh) }
    /// The logistic function `1 / (1 + e⁻ˣ)` elementwise (the kernel of ``Sigmoid``).
    public func sigmoid() -> Tensor { map(.sigmoid) }
    /// `max(x, 0)` elementwise, NaN staying NaN (the kernel of ``ReLU``).
    public func relu() -> Tensor { map(.relu) }
    /// `|x|` elementwise (the kernel of ``Abs``).
    public func abs() -> Tensor { pointwise(.abs) }
    /// -1, 0 or 1 elementwise; 0 for ±0 and NaN, as `torch.sign`.
    public func sign() -> Tensor { pointwise(.sign) }
    /// `log(1 + x)` elementwise, accurate near 0 (the kernel of ``Log1p``).
    public func log1p() -> Tensor { pointwise(.log1p) }
    /// `eˣ - 1` elementwise, accurate near 0 (the kernel of ``Expm1``).
    public func expm1() -> Tensor { pointwise(.expm1) }

    /// `x ** exponent` elementwise; the same as the `**` operator.
    public func pow(_ exponent: Double) -> Tensor { self ** exponent }

    /// Each element limited to `min...max` (either bound optional), NaN staying NaN:
    /// `torch.clamp` (the kernel of ``Clip``).
    /// - Parameters:
    ///   - lower: The smallest value kept (`nil`: no lower bound).
    ///   - upper: The largest value kept (`nil`: no upper bound).
    public func clamped(min lower: Double? = nil, max upper: Double? = nil) -> Tensor {
        pointwise(.clip(min: lower, max: upper))
    }

    /// The larger of two elements, broadcasting; NaN if either is NaN (`torch.maximum`).
    /// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
    public func maximum(_ other: Tensor) throws(AutogradError) -> Tensor { try pairwise(other, .maximum) }

    /// The smaller of two elements, broadcasting; NaN if either is NaN (`torch.minimum`).
    /// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
    public func minimum(_ other: Tensor) throws(AutogradError) -> Tensor { try pairwise(other, .minimum) }

    // MARK: Custom kernels

    /// `transform` applied to every element, for an elementwise function this module does
    /// not have. The element is passed as a `Double` (exact for float32 tensors) and the
    /// result is stored in the tensor's dtype (rounded to `Float` for float32).
    ///
    /// ```swift
    /// let t: Tensor = [1, 2, 3]
    /// t.map { $0 * $0 + 1 }   // tensor([ 2.,  5., 10.], dtype=float64)
    /// ```
    ///
    /// Stops the program for an int64 tensor: convert it first.
    public func map(_ transform: (Double) throws -> Double) rethrows -> Tensor {
        trapUnlessFloatingPoint("map")
        return switch storage {
        case .float64(let a): Tensor(shape: shape, storage: .float64(try a.map(transform)))
        case .float32(let a): Tensor(shape: shape, storage: .float32(try a.map { Float(try transform(Double($0))) }))
        }
    }

    /// `combine` applied to pairs of elements after broadcasting `self` and `other` to a
    /// common shape, for a two-argument function this module does not have. Elements are
    /// passed as `Double`; the result has the operands' dtype.
    ///
    /// ```swift
    /// let a: Tensor = [[1, 2], [3, 4]], b: Tensor = [10, 20]
    /// try a.zip(b) { x, y in Swift.max(x, y / 10) }   // tensor([[1., 2.], [3., 4.]], ...)
    /// ```
    /// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``,
    ///   ``AutogradError/unsupportedDType(_:op:)`` for an int64 operand.
    public func zip(_ other: Tensor, _ combine: (Double, Double) -> Double) throws(AutogradError) -> Tensor {
        try requireFloatingPoint("zip")
        try other.requireFloatingPoint("zip")
        guard dtype == other.dtype else { throw .dtypeMismatch(dtype, other.dtype, op: "zip") }
        let outShape = try Shape.broadcast(shape, other.shape, op: "zip")
        return try broadcast(to: outShape).zipSameShape(
            other.broadcast(to: outShape), op: "zip", combine, { Float(combine(Double($0), Double($1))) })
    }
}
