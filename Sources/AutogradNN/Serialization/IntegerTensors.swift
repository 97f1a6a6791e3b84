import Autograd

// How the readers of this module (numpy integers and bools, safetensors I64…BOOL, IDX
// labels) make int64 tensors, and how the writers read them back.

/// An int64 tensor of `shape` holding `values` (row-major; the caller has checked that the
/// count fills the shape), with Autograd's error turned into this module's.
/// - Throws: ``NNError/invalidData(_:)`` if the shape and the count disagree.
func makeInt64Tensor(shape: [Int], values: [Int64]) throws(NNError) -> Tensor {
    do {
        return try Tensor(shape: shape, int64Scalars: values)
    } catch {
        throw .invalidData("cannot make an int64 tensor of shape \(shape): \(error)")
    }
}

/// The elements of an int64 tensor, or `nil` for a tensor of another dtype (float64 and
/// float32 tensors take the floating-point paths of the writers).
func int64Values(of tensor: Tensor) -> [Int64]? {
    tensor.dtype == .int64 ? tensor.int64Scalars : nil
}
