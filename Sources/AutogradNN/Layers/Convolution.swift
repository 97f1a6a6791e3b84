import Autograd

/// A 2-d convolution layer (torch's `nn.Conv2d`): `y = conv2d(x, weight, bias)` over
/// `[N, C, H, W]` (or `[C, H, W]`) inputs, see `conv2d(_:_:_:stride:padding:dilation:groups:)`.
///
/// **Layout.** `weight` is `[out, in/groups, KH, KW]` and `bias` `[out]`, under torch's
/// names, so that a `state_dict` of `torch.nn.Conv2d` (saved with safetensors) loads.
///
/// **Initialisation** (torch's `reset_parameters`): `kaiming_uniform_(weight, a=√5)`, i.e.
/// U(−1/√fan_in, 1/√fan_in) with `fan_in = in/groups · KH · KW`, then the bias
/// U(−1/√fan_in, 1/√fan_in), drawn in that order.
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: IntPair
    public let stride: IntPair
    public let padding: IntPair
    public let dilation: IntPair
    public let groups: Int
    /// `[outChannels, inChannels / groups, KH, KW]`.
    public let weight: Parameter
    /// `[outChannels]`, or `nil` without bias.
    public let bias: Parameter?

    /// A layer initialised as torch's `nn.Conv2d` does, from `generator`. Stops the
    /// program for sizes torch's constructor refuses (non-positive sizes, `groups` not
    /// dividing both channel counts).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
                dilation: IntPair = 1, groups: Int = 1, bias: Bool = true, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        Self.check("Conv2d", inChannels, outChannels, kernelSize, groups)
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let shape = [outChannels, inChannels / groups, kernelSize.height, kernelSize.width]
        (weight, self.bias) = Self.parameters(shape, biasCount: bias ? outChannels : nil, dtype: dtype, generator: &generator)
    }

    /// A layer initialised from its own generator, seeded with `seed`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1,
                            padding: IntPair = 0, dilation: IntPair = 1, groups: Int = 1, bias: Bool = true,
                            dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, dtype: dtype, generator: &generator)
    }

    /// `conv2d(x, weight, bias)` with the layer's stride, padding, dilation and groups.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try conv2d(x, weight.variable, bias?.variable, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// torch's constructor checks.
    static func check(_ name: String, _ inChannels: Int, _ outChannels: Int, _ kernel: IntPair, _ groups: Int) {
        if inChannels <= 0 || outChannels <= 0 || kernel.height <= 0 || kernel.width <= 0 || groups <= 0 {
            fatalError("\(name)(\(inChannels), \(outChannels), kernelSize: \(kernel), groups: \(groups)): sizes must be positive")
        }
        if inChannels % groups != 0 || outChannels % groups != 0 {
            fatalError("\(name)(\(inChannels), \(outChannels)): groups=\(groups) must divide both channel counts")
        }
    }

    /// torch's `_ConvNd.reset_parameters`: kaiming_uniform(a=√5) for the weight, then the
    /// bias uniform on ±1/√fan_in (fan_in from the weight's axes 1...).
    static func parameters(_ shape: [Int], biasCount: Int?, dtype: DType,
                           generator: inout SeededGenerator) -> (Parameter, Parameter?) {
        let weight = Parameter(Initialization.kaimingUniform(shape: shape, a: 5.0.squareRoot(), dtype: dtype,
                                                             generator: &generator), name: "weight")
        guard let biasCount else { return (weight, nil) }
        let fanIn = shape.dropFirst().reduce(1, *)
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        let bias = Parameter(Initialization.uniform(shape: [biasCount], low: -bound, high: bound, dtype: dtype,
                                                    generator: &generator), name: "bias")
        return (weight, bias)
    }
}

/// A 2-d transposed convolution layer (torch's `nn.ConvTranspose2d`, DeZero's `Deconv2d`):
/// `y = convTranspose2d(x, weight, bias)`, see
/// `convTranspose2d(_:_:_:stride:padding:outputPadding:dilation:groups:)`.
///
/// **Layout.** `weight` is `[in, out/groups, KH, KW]` and `bias` `[out]`, under torch's names.
///
/// **Initialisation** as torch's: kaiming_uniform(a=√5) with `fan_in = out/groups · KH · KW`
/// (torch computes fan_in from the weight's axis 1), then the bias U(±1/√fan_in).
public final class ConvTranspose2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: IntPair
    public let stride: IntPair
    public let padding: IntPair
    public let outputPadding: IntPair
    public let dilation: IntPair
    public let groups: Int
    /// `[inChannels, outChannels / groups, KH, KW]`.
    public let weight: Parameter
    /// `[outChannels]`, or `nil` without bias.
    public let bias: Parameter?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1, padding: IntPair = 0,
                outputPadding: IntPair = 0, dilation: IntPair = 1, groups: Int = 1, bias: Bool = true,
                dtype: DType = .float64, generator: inout SeededGenerator) {
        Conv2d.check("ConvTranspose2d", inChannels, outChannels, kernelSize, groups)
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
        let shape = [inChannels, outChannels / groups, kernelSize.height, kernelSize.width]
        (weight, self.bias) = Conv2d.parameters(shape, biasCount: bias ? outChannels : nil, dtype: dtype,
                                                generator: &generator)
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = 1,
                            padding: IntPair = 0, outputPadding: IntPair = 0, dilation: IntPair = 1, groups: Int = 1,
                            bias: Bool = true, dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                  outputPadding: outputPadding, dilation: dilation, groups: groups, bias: bias, dtype: dtype,
                  generator: &generator)
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try convTranspose2d(x, weight.variable, bias?.variable, stride: stride, padding: padding,
                            outputPadding: outputPadding, dilation: dilation, groups: groups)
    }
}
