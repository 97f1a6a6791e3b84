import Autograd

// Element access in a tensor's own precision, for the update rules of optimizers and
// gradient clipping, which (like torch's) compute in the parameter's dtype: a float32
// parameter is updated in `Float` arithmetic, with every hyperparameter rounded to
// `Float` first, as torch's kernels convert their Python-number arguments.

extension Tensor {
    /// The elements as `T` (exact: float32 values widen to `Double` and narrow back unchanged).
    func elements<T: TensorScalar>(as _: T.Type = T.self) -> [T] {
        scalars.map { T($0) }
    }

    /// A tensor of `shape` holding `elements`, of `T`'s dtype. The caller guarantees that
    /// the count fills the shape (it comes from a tensor of that shape).
    static func of<T: TensorScalar>(shape: [Int], elements: [T]) -> Tensor {
        do {
            switch T.dtype {
            case .float64: return try Tensor(shape: shape, scalars: elements.map { Double($0) })
            case .float32: return try Tensor(shape: shape, float32Scalars: elements.map { Float($0) })
            }
        } catch {
            fatalError("internal: \(elements.count) elements for shape \(shape): \(error)")
        }
    }

    /// The rows `indices` of this tensor (along its first axis), in that order.
    /// - Throws: ``NNError/invalidData(_:)`` for a 0-d tensor, ``NNError/rowOutOfRange(index:rows:)``.
    public func rows(_ indices: [Int]) throws(NNError) -> Tensor {
        guard let rowCount = shape.first else { throw .invalidData("a 0-d tensor has no rows") }
        let rowSize = shape.dropFirst().reduce(1, *)
        let values = scalars
        var gathered: [Double] = []
        gathered.reserveCapacity(indices.count * rowSize)
        for i in indices {
            guard i >= 0 && i < rowCount else { throw .rowOutOfRange(index: i, rows: rowCount) }
            gathered += values[(i * rowSize)..<((i + 1) * rowSize)]
        }
        do {
            // float32 values come back exactly: they were widened from Float.
            return try Tensor(shape: [indices.count] + shape.dropFirst(), scalars: gathered, dtype: dtype)
        } catch {
            fatalError("internal: gathered rows do not fill their shape: \(error)")
        }
    }
}
