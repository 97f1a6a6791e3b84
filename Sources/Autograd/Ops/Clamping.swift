// Clamping and elementwise extrema: clip (clamp), maximum, minimum.
//
// Backward passes follow torch's tools/autograd/derivatives.yaml and FunctionsManual.cpp,
// masks and order of operations included.

// MARK: - Clip

/// `y = min(max(x, lower), upper)`, either bound optional (if `lower > upper` every
/// element is `upper`, as in torch). NaN propagates as in torch: a NaN element stays NaN,
/// and a NaN bound (either one) makes every element NaN.
/// Gradient: 1 strictly inside, where `lower < x < upper`, and 0 elsewhere: at a bound
/// itself, outside, at NaN, and everywhere when a bound is NaN (no comparison with NaN
/// holds; torch 2.15 gives 0 there too). This is torch 2.15's rule for number bounds (measured:
/// `torch.clamp(x, min=-1., max=1.)` has gradient 0 at `x = ±1`; with tensor bounds torch
/// splits a tie between `x` and the bound, as `maximum` does, and a number bound takes
/// no gradient, which leaves 0).
public final class Clip: UnaryFunction {
    public let lower: Double?
    public let upper: Double?

    public init(lower: Double?, upper: Double?) {
        self.lower = lower
        self.upper = upper
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        x.pointwise(.clip(min: lower, max: upper))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let x = input(0).data, gy = gys[0]
        // Compared in the tensor's precision, as torch compares with a Scalar bound.
        let low = lower.map { rounded($0, to: x.dtype) }, high = upper.map { rounded($0, to: x.dtype) }
        let inside = x.mask { v in (low.map { v > $0 } ?? true) && (high.map { v < $0 } ?? true) }
        return [select(inside, gy, zerosLike(gy))]
    }
}

/// `x` limited to `min...max` (`torch.clamp`); either bound may be omitted, not both.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if neither bound is given.
public func clip(_ x: Variable, min lower: Double? = nil, max upper: Double? = nil) throws(AutogradError) -> Variable {
    guard lower != nil || upper != nil else {
        throw .invalidArgument(op: "clip", reason: "at least one of min and max must be given")
    }
    return try Clip(lower: lower, upper: upper).apply([x])[0]
}

/// ``clip(_:min:max:)-(_,Double?,_)`` under torch's name.
public func clamp(_ x: Variable, min lower: Double? = nil, max upper: Double? = nil) throws(AutogradError) -> Variable {
    try clip(x, min: lower, max: upper)
}

// MARK: - Maximum, minimum

/// `y = max(a, b)` elementwise, broadcasting; NaN if either is NaN.
/// Gradients (torch's rule): the winner gets the incoming gradient, the loser 0, and a
/// tie splits it, `g/2` each: `a: where(a == b, g/2, g)` with 0 where `a < b`, and
/// symmetrically for `b`. At a NaN neither comparison holds, so both get `g`.
public final class Maximum: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .maximum)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        extremumGradients(gys[0], input(0), input(1), aLoses: .less, bLoses: .greater)
    }
}

/// `y = min(a, b)` elementwise, broadcasting; NaN if either is NaN.
/// Gradients: as ``Maximum``'s, with the loser the larger one.
public final class Minimum: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        try [xs[0].pairwise(xs[1], .minimum)]
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        extremumGradients(gys[0], input(0), input(1), aLoses: .greater, bLoses: .less)
    }
}

/// `masked_fill(where(a == b, g/2, g), a loses, 0)` for `a`, the same for `b`, summed
/// back to each operand's shape.
private func extremumGradients(_ gy: Variable, _ a: Variable, _ b: Variable, aLoses: PairMath, bLoses: PairMath) -> [Variable] {
    let (aFull, bFull) = trapping { () throws(AutogradError) in
        (try a.data.broadcast(to: gy.shape), try b.data.broadcast(to: gy.shape))
    }
    func mask(_ op: PairMath) -> [Bool] {
        trapping { () throws(AutogradError) in try aFull.pairwise(bFull, op) }.mask { $0 != 0 }
    }
    let shared = select(mask(.equal), gy / 2, gy)
    let zero = zerosLike(gy)
    return [select(mask(aLoses), zero, shared).summed(to: a.shape),
            select(mask(bLoses), zero, shared).summed(to: b.shape)]
}

/// The elementwise maximum of two tensors, broadcasting (`torch.maximum`).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func maximum(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Maximum().apply([a, b])[0]
}

/// The elementwise minimum of two tensors, broadcasting (`torch.minimum`).
/// - Throws: ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func minimum(_ a: Variable, _ b: Variable) throws(AutogradError) -> Variable {
    try Minimum().apply([a, b])[0]
}

// MARK: - Clip with tensor bounds

/// `y = min(max(x, lower), upper)` with tensor bounds, all three broadcast together
/// (`torch.clamp(x, min, max)` with tensors). A NaN in `x` or in either bound gives NaN;
/// where `lower > upper` the result is `upper`.
///
/// Gradients, as torch 2.15 gives them (measured on every combination of `x`, `lower` and
/// `upper` in `{0, 1, 2, NaN}`): a tie between `x` and a bound splits the gradient `g/2`
/// each when `lower < upper`; otherwise the element that is the result takes all of it:
/// - `x`: 0 where `x < lower` or `x > upper`; `g/2` where `lower < upper` and `x` equals
///   either bound; `g` elsewhere (inside, when `lower == upper == x`, and at a NaN anywhere,
///   since no comparison with NaN holds);
/// - `lower`: `g` where `x < lower ≤ upper`, `g/2` where `x == lower < upper`, else 0;
/// - `upper`: `g` where `lower > upper`, or where `x > upper ≥ lower`; `g/2` where
///   `lower < upper == x`; else 0.
/// Each is summed back to its operand's shape. The masks are constants: the second
/// derivative is 0, and the gradient of the gradient with respect to `g` is the same selection.
public final class ClipByTensors: Function {
    override public func forward(_ xs: [Tensor]) throws(AutogradError) -> [Tensor] {
        let (x, lower, upper) = (xs[0], xs[1], xs[2])
        guard x.dtype == lower.dtype else { throw .dtypeMismatch(x.dtype, lower.dtype, op: "clamp") }
        guard x.dtype == upper.dtype else { throw .dtypeMismatch(x.dtype, upper.dtype, op: "clamp") }
        let shape = try Shape.broadcast(try Shape.broadcast(x.shape, lower.shape, op: "clamp"), upper.shape, op: "clamp")
        let (a, b, c) = (try x.broadcast(to: shape), try lower.broadcast(to: shape), try upper.broadcast(to: shape))
        func clamp<T: TensorScalar>(_ v: [T], _ low: [T], _ high: [T]) -> [T] {
            v.indices.map { i in
                if v[i].isNaN || low[i].isNaN || high[i].isNaN { return T.nan }
                let raised = v[i] < low[i] ? low[i] : v[i]
                return high[i] < raised ? high[i] : raised
            }
        }
        switch (a.storage, b.storage, c.storage) {
        case let (.float64(v), .float64(low), .float64(high)):
            return [Tensor(shape: shape, storage: .float64(clamp(v, low, high)))]
        case let (.float32(v), .float32(low), .float32(high)):
            return [Tensor(shape: shape, storage: .float32(clamp(v, low, high)))]
        default:
            throw .dtypeMismatch(x.dtype, lower.dtype, op: "clamp")
        }
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        let gy = gys[0]
        let (x, lower, upper) = trapping { () throws(AutogradError) in
            (try input(0).data.broadcast(to: gy.shape).scalars, try input(1).data.broadcast(to: gy.shape).scalars,
             try input(2).data.broadcast(to: gy.shape).scalars)
        }
        let n = x.count
        var xFull = [Bool](repeating: false, count: n), xHalf = xFull
        var lowFull = xFull, lowHalf = xFull, highFull = xFull, highHalf = xFull
        for i in 0..<n {
            let (v, low, high) = (x[i], lower[i], upper[i])
            let ordered = low < high
            let tieLow = ordered && v == low, tieHigh = ordered && v == high
            xHalf[i] = tieLow || tieHigh
            xFull[i] = !(v < low || v > high) && !xHalf[i]
            lowFull[i] = v < low && low <= high
            lowHalf[i] = tieLow
            highFull[i] = low > high || (v > high && low <= high)
            highHalf[i] = tieHigh
        }
        let zero = zerosLike(gy), half = gy / 2
        func share(_ full: [Bool], _ halves: [Bool], to shape: [Int]) -> Variable {
            select(full, gy, select(halves, half, zero)).summed(to: shape)
        }
        return [share(xFull, xHalf, to: input(0).shape), share(lowFull, lowHalf, to: input(1).shape),
                share(highFull, highHalf, to: input(2).shape)]
    }
}

/// `x` limited to `min...max` elementwise by tensors that broadcast with it
/// (`torch.clamp(x, min, max)` with tensor bounds); either bound may be `nil`, not both.
/// With one bound this is ``maximum(_:_:)`` (`min` only) or ``minimum(_:_:)`` (`max`
/// only), whose gradients torch 2.15 gives too (a tie splits `g/2`, NaN passes `g` to
/// both); with both, see ``ClipByTensors``.
/// - Throws: ``AutogradError/invalidArgument(op:reason:)`` if neither bound is given,
///   ``AutogradError/shapesDoNotBroadcast(_:_:op:)``, ``AutogradError/dtypeMismatch(_:_:op:)``.
public func clip(_ x: Variable, min lower: Variable?, max upper: Variable?) throws(AutogradError) -> Variable {
    switch (lower, upper) {
    case let (lower?, upper?): return try ClipByTensors().apply([x, lower, upper])[0]
    case let (lower?, nil): return try maximum(x, lower)
    case let (nil, upper?): return try minimum(x, upper)
    case (nil, nil): throw .invalidArgument(op: "clip", reason: "at least one of min and max must be given")
    }
}

/// ``clip(_:min:max:)-(_,Variable?,_)`` under torch's name.
public func clamp(_ x: Variable, min lower: Variable?, max upper: Variable?) throws(AutogradError) -> Variable {
    try clip(x, min: lower, max: upper)
}
