// The kernels that accept int64 tensors besides the shape moves (which read
// `int64Storage` in place): comparisons, sums and the int64 printing. Everything else
// refuses integers (see `Tensor.Storage`).

extension PairMath {
    /// The comparison this op makes, for integer operands; `nil` for the arithmetic ops
    /// (`maximum`, the activations' backward kernels), which int64 tensors do not support.
    var integerComparison: ((Int64, Int64) -> Bool)? {
        switch self {
        case .greater: { $0 > $1 }
        case .less: { $0 < $1 }
        case .greaterEqual: { $0 >= $1 }
        case .lessEqual: { $0 <= $1 }
        case .equal: { $0 == $1 }
        case .notEqual: { $0 != $1 }
        case .maximum, .minimum, .atan2, .logSigmoidBackward, .hardswishBackward, .softplusBackward, .eluBackward, .geluBackward, .geluTanhBackward: nil
        }
    }
}

extension Tensor {
    /// `op` for operands of which at least one is int64 (see ``pairwise(_:_:)``).
    ///
    /// Two int64 tensors compare exactly and give an int64 tensor of 0s and 1s. An int64
    /// tensor and a floating-point one compare after the int64 one is converted to the
    /// other's dtype (torch's type promotion), giving 0s and 1s of that dtype.
    /// - Throws: ``AutogradError/unsupportedDType(_:op:)`` for an op that is not a
    ///   comparison, ``AutogradError/shapesDoNotBroadcast(_:_:op:)``.
    func integerComparison(_ other: Tensor, _ op: PairMath) throws(AutogradError) -> Tensor {
        guard let holds = op.integerComparison else { throw .unsupportedDType(.int64, op: op.name) }
        guard let a = int64Storage, let b = other.int64Storage else {
            return dtype == .int64 ? try converted(to: other.dtype).pairwise(other, op)
                : try pairwise(other.converted(to: dtype), op)
        }
        let outShape = try Shape.broadcast(shape, other.shape, op: op.name)
        let aStrides = Shape.broadcastStrides(shape, to: outShape)
        let bStrides = Shape.broadcastStrides(other.shape, to: outShape)
        var result: [Int64] = []
        result.reserveCapacity(Shape.count(outShape))
        forEachOffset(outShape, aStrides, bStrides) { i, j in result.append(holds(a[i], b[j]) ? 1 : 0) }
        return Tensor(shape: outShape, int64Storage: result)
    }

    /// The sum of the int64 elements `a` over `axes` (normalized and sorted), keeping them
    /// as size 1 if `keepdims`: int64, as torch keeps it, wrapping around on overflow as
    /// torch's integer sums do.
    func integerSum(_ a: [Int64], axes: [Int], keepdims: Bool) -> Tensor {
        let kept = Shape.reduced(shape, axes: axes, keepdims: true)
        let outShape = keepdims ? kept : Shape.reduced(shape, axes: axes, keepdims: false)
        var totals = [Int64](repeating: 0, count: Shape.count(kept))
        let keptStrides = Shape.strides(kept)
        let outStrides = shape.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
        forEachOffset(shape, Shape.strides(shape), outStrides) { i, o in totals[o] &+= a[i] }
        return Tensor(shape: outShape, int64Storage: totals)
    }

    /// The int64 elements as torch prints them: decimal integers, right-aligned to one width.
    /// - Parameter values: The elements that are printed (torch chooses the width from those).
    static func integerFormat(_ values: [Int64]) -> (width: Int, string: (Int64) -> String) {
        let width = values.map { String($0).count }.max() ?? 1
        return (width, { value in
            let text = String(value)
            return text.count < width ? String(repeating: " ", count: width - text.count) + text : text
        })
    }
}
