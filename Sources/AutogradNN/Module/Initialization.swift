import Autograd

/// Weight initialisation with torch's schemes (`torch.nn.init`), drawn from a
/// `SeededGenerator`: the same distributions as torch, not the same values.
public enum Initialization {
    /// torch's `calculate_gain("leaky_relu", a)`: `√(2 / (1 + a²))`.
    public static func leakyReLUGain(a: Double) -> Double {
        (2.0 / (1 + a * a)).squareRoot()
    }

    /// The half-width of torch's `kaiming_uniform_(tensor, a, mode="fan_in")`:
    ///
    ///     gain  = √(2 / (1 + a²))
    ///     std   = gain / √fan_in
    ///     bound = √3 · std
    ///
    /// computed in that order, as torch does. For `nn.Linear`'s `a = √5`, gain = √(1/3)
    /// and bound = `1/√fan_in`.
    public static func kaimingUniformBound(fanIn: Int, a: Double) -> Double {
        let gain = leakyReLUGain(a: a)
        let std = gain / Double(fanIn).squareRoot()
        return 3.0.squareRoot() * std
    }

    /// Values uniform on [low, high), drawn in `Double` in row-major order, then rounded
    /// to `dtype` (torch's `uniform_`).
    public static func uniform(
        shape: [Int], low: Double, high: Double, dtype: DType = .float64, generator: inout SeededGenerator
    ) -> Tensor {
        let count = elementCount(shape)
        let values = (0..<count).map { _ in generator.uniform(low, high) }
        return Tensor.of(shape: shape, elements: values).converted(to: dtype)
    }

    /// torch's `kaiming_uniform_(tensor, a=a)` with `fan_in` = the size of axis 1 times
    /// the receptive field (the product of axes 2...): U(−bound, bound) with
    /// ``kaimingUniformBound(fanIn:a:)``. An empty tensor is returned as is (torch
    /// warns and does nothing).
    public static func kaimingUniform(
        shape: [Int], a: Double = 0, dtype: DType = .float64, generator: inout SeededGenerator
    ) -> Tensor {
        let fanIn = shape.count < 2 ? (shape.first ?? 1) : elementCount(Array(shape.dropFirst()))
        guard elementCount(shape) > 0, fanIn > 0 else { return Tensor.of(shape: shape, elements: [Double]()).converted(to: dtype) }
        let bound = kaimingUniformBound(fanIn: fanIn, a: a)
        return uniform(shape: shape, low: -bound, high: bound, dtype: dtype, generator: &generator)
    }

    /// The number of elements of `shape`; stops with a message (in every build) for a
    /// negative size or a count that overflows `Int`, which no tensor could hold.
    private static func elementCount(_ shape: [Int]) -> Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if d < 0 || overflow { fatalError("initialisation: a tensor of shape \(shape) cannot exist") }
            count = product
        }
        return count
    }
}
