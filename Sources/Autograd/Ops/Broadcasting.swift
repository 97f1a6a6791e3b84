// Shape ops: reshape, broadcastTo, sumTo. broadcastTo and sumTo are each other's
// backward: every broadcasting binary op sums its gradient back with sumTo.

/// `y = x` viewed with another shape of the same element count; one dimension of
/// `shape` may be `-1`, inferred from the others (as in torch).
/// Gradient: the incoming gradient reshaped back to `x`'s shape.
public final class Reshape: UnaryFunction {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    public let shape: [Int]

    public init(shape: [Int]) {
        self.shape = shape
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        try x.reshaped(Shape.reshapeTarget(shape, from: x.shape))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].reshaped(input(0).shape)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        trapping { () throws(AutogradError) in try gy.reshaped(input(0).shape) }
    }
}

/// `x` with a new shape of the same element count (a no-op if the shape is unchanged).
/// One dimension may be `-1`: it is inferred from the element count and the other
/// dimensions (`reshape(x, [2, -1])` of a `[3, 2]` tensor is `[2, 3]`), as in torch.
/// - Throws: ``AutogradError/cannotReshape(from:to:reason:)`` for a shape of another
///   element count or a `-1` that cannot be inferred, ``AutogradError/negativeDimension(_:)``,
///   ``AutogradError/sizeOverflow(shape:op:)`` for a shape too large to address.
public func reshape(_ x: Variable, _ shape: [Int]) throws(AutogradError) -> Variable {
    let shape = try Shape.reshapeTarget(shape, from: x.shape)
    if x.shape == shape { return x }
    return try Reshape(shape: shape).apply([x])[0]
}

extension Variable {
    /// ``reshape(_:_:)`` for shapes known to fit (inside backward passes).
    func reshaped(_ shape: [Int]) -> Variable {
        trapping { () throws(AutogradError) in try reshape(self, shape) }
    }
}

/// `y = x` repeated along dimensions of size 1 (and new leading ones) to `shape` (where
/// `-1` keeps `x`'s size).
/// Gradient: the incoming gradient summed back to `x`'s shape (``SumTo``).
public final class BroadcastTo: UnaryFunction {
    /// Moves elements without arithmetic, so int64 inputs are accepted (the result keeps the dtype).
    override public var acceptsIntegerInputs: Bool { true }

    public let shape: [Int]

    public init(shape: [Int]) {
        self.shape = shape
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        try x.broadcast(to: Shape.keepingMinusOne(shape, from: x.shape))
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].summed(to: input(0).shape)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        gy.trustedSum(to: input(0).shape)
    }
}

/// `x` broadcast to `shape` (a no-op if the shape is unchanged). A `-1` in `shape` keeps
/// the size of the dimension of `x` it lines up with, as in torch's `expand`.
/// - Throws: ``AutogradError/cannotBroadcast(from:to:)``,
///   ``AutogradError/negativeDimension(_:)``, ``AutogradError/sizeOverflow(shape:op:)``
///   for a shape too large to address (`[1 << 32, 1 << 32]`).
public func broadcastTo(_ x: Variable, _ shape: [Int]) throws(AutogradError) -> Variable {
    let shape = try Shape.keepingMinusOne(shape, from: x.shape)
    if x.shape == shape { return x }
    return try BroadcastTo(shape: shape).apply([x])[0]
}

extension Variable {
    /// ``broadcastTo(_:_:)`` for shapes known to fit (inside backward passes).
    func broadcast(to shape: [Int]) -> Variable {
        trapping { () throws(AutogradError) in try broadcastTo(self, shape) }
    }
}

/// `y` = `x` summed down to `shape`, the inverse of broadcasting `shape` to `x.shape`.
/// Gradient: the incoming gradient broadcast back to `x`'s shape (``BroadcastTo``).
public final class SumTo: UnaryFunction {
    public let shape: [Int]

    public init(shape: [Int]) {
        self.shape = shape
    }

    override public func forward(_ x: Tensor) throws(AutogradError) -> Tensor {
        try x.sum(to: shape)
    }

    override public func backward(_ gys: [Variable]) -> [Variable] {
        [gys[0].broadcast(to: input(0).shape)]
    }

    override public func backwardWithoutGraph(_ gy: Tensor) -> Tensor? {
        gy.trustedBroadcast(to: input(0).shape)
    }
}

/// `x` summed down to `shape` (a no-op if the shape is unchanged).
/// - Throws: ``AutogradError/cannotBroadcast(from:to:)`` if `shape` does not broadcast to `x.shape`.
public func sumTo(_ x: Variable, _ shape: [Int]) throws(AutogradError) -> Variable {
    if x.shape == shape { return x }
    return try SumTo(shape: shape).apply([x])[0]
}

extension Variable {
    /// ``sumTo(_:_:)`` for shapes known to fit (inside backward passes).
    func summed(to shape: [Int]) -> Variable {
        trapping { () throws(AutogradError) in try sumTo(self, shape) }
    }
}
