import Autograd
import Parity

extension DType {
    /// The library's dtype for a harness scalar type.
    public init(_ type: ScalarType) {
        switch type {
        case .float64: self = .float64
        case .float32: self = .float32
        case .int64: self = .int64
        }
    }
}

extension ScalarType {
    /// The harness's name for a library dtype.
    public init(_ dtype: DType) {
        switch dtype {
        case .float64: self = .float64
        case .float32: self = .float32
        case .int64: self = .int64
        }
    }
}

extension HostTensor {
    /// The tensor's values; an int64 tensor's are marked as such (`HostTensor/dtype`).
    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, data: tensor.scalars, dtype: tensor.dtype == .int64 ? .int64 : nil)
    }

    /// The values as a library tensor of `dtype`; an int64 host tensor
    /// (`HostTensor.isInt64`) is always an int64 tensor, made from its exact integers.
    public func tensor(_ dtype: DType) throws(ParityError) -> Tensor {
        let integers = isInt64 ? try int64Values() : nil
        do {
            if let integers { return try Tensor(shape: shape, int64Scalars: integers) }
            return try Tensor(shape: shape, scalars: data, dtype: dtype)
        } catch {
            throw ParityError(error.description)
        }
    }
}
