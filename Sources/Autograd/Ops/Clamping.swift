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

/// ``clip(_:min:max:)`` under torch's name.
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
