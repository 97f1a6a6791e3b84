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
            case .int64: fatalError("internal: TensorScalar types are floating-point")
            }
        } catch {
            fatalError("internal: \(elements.count) elements for shape \(shape): \(error)")
        }
    }

    /// The rows `indices` of this tensor (along its first axis), in that order, in the
    /// tensor's own dtype (float64, float32 or int64): copied as whole rows, never widened.
    /// - Parameter indices: Row positions in `0..<shape[0]` (repeats allowed).
    /// - Throws: ``NNError/invalidData(_:)`` for a 0-d tensor, ``NNError/rowOutOfRange(index:rows:)``.
    public func rows(_ indices: [Int]) throws(NNError) -> Tensor {
        guard let rowCount = shape.first else { throw .invalidData("a 0-d tensor has no rows") }
        if let bad = indices.first(where: { !($0 >= 0 && $0 < rowCount) }) {
            throw .rowOutOfRange(index: bad, rows: rowCount)
        }
        do {
            return try gathered([.indices(indices)])
        } catch {
            fatalError("internal: rows \(indices) of a tensor of shape \(shape): \(error)")
        }
    }
}
