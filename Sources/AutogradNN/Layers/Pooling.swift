import Autograd

/// 2-d max pooling as a layer (torch's `nn.MaxPool2d`); no parameters. See
/// `maxPool2d(_:kernelSize:stride:padding:dilation:ceilMode:)`.
public final class MaxPool2d: Module {
    public let kernelSize: IntPair
    /// `kernelSize` unless given.
    public let stride: IntPair
    public let padding: IntPair
    public let dilation: IntPair
    public let ceilMode: Bool

    public init(kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = 0, dilation: IntPair = 1,
                ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try maxPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// 2-d average pooling as a layer (torch's `nn.AvgPool2d`); no parameters. See
/// `avgPool2d(_:kernelSize:stride:padding:ceilMode:countIncludePad:)`.
public final class AvgPool2d: Module {
    public let kernelSize: IntPair
    /// `kernelSize` unless given.
    public let stride: IntPair
    public let padding: IntPair
    public let ceilMode: Bool
    public let countIncludePad: Bool

    public init(kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }

    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try avgPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                      countIncludePad: countIncludePad)
    }
}
