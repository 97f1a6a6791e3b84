import Autograd

// The one place where this module makes and reads int64 tensors. Integer tensors
// (`DType.int64`, `Tensor(shape:int64Scalars:)`, `Tensor.int64Scalars`) are being added to
// Autograd on another branch; until they arrive, integer data (numpy integers and bools,
// safetensors I64…BOOL, IDX labels) cannot become a tensor, and these two functions say so.

/// An int64 tensor of `shape` holding `values` (row-major; the caller has checked that the
/// count fills the shape).
/// - Throws: ``NNError/int64TensorsUnavailable`` until Autograd has int64 tensors.
// INT64: becomes
//     do { return try Tensor(shape: shape, int64Scalars: values) }
//     catch { throw NNError.invalidData("cannot make an int64 tensor of shape \(shape): \(error)") }
// (and NNError.int64TensorsUnavailable goes away).
func makeInt64Tensor(shape: [Int], values: [Int64]) throws(NNError) -> Tensor {
    throw .int64TensorsUnavailable
}

/// The elements of an int64 tensor, or `nil` for a tensor of another dtype (float64 and
/// float32 tensors take the floating-point paths of the writers).
// INT64: becomes
//     tensor.dtype == .int64 ? tensor.int64Scalars : nil
func int64Values(of tensor: Tensor) -> [Int64]? {
    nil
}
