import Autograd

/// Batch normalisation over the channel axis 1 (torch's `_BatchNorm`), the base of
/// ``BatchNorm1d`` and ``BatchNorm2d``, which differ only in the input ranks they accept.
///
/// **State** (torch's names, so that state dicts load both ways): parameters `weight`
/// (ones) and `bias` (zeros) of shape `[C]` when `affine`; buffers `running_mean`
/// (zeros), `running_var` (ones) and `num_batches_tracked` (an int64 0-d tensor) when
/// `trackRunningStats`.
///
/// **Modes** (``Module/training``), as torch's `forward`:
/// - training, tracking: `num_batches_tracked += 1`; `x` is normalised with the batch's
///   statistics and the running statistics are updated with momentum `momentum`, or with
///   the cumulative average `1/num_batches_tracked` when `momentum` is `nil`;
/// - evaluation, tracking: `x` is normalised with the running statistics;
/// - not tracking: the batch's statistics in both modes.
///
/// See `Autograd`'s `batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:)` for the math.
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Double
    /// `nil`: a cumulative moving average (torch's `momentum=None`).
    public let momentum: Double?
    public let weight: Parameter?
    public let bias: Parameter?
    public let runningMean: Buffer?
    public let runningVar: Buffer?
    public let numBatchesTracked: Buffer?
    /// The input ranks the layer accepts, and torch's name for them in its error.
    let ranks: Set<Int>
    let rankDescription: String

    init(_ numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool, dtype: DType,
         ranks: Set<Int>, rankDescription: String) {
        if numFeatures < 0 { fatalError("BatchNorm(\(numFeatures)): the number of features cannot be negative") }
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.ranks = ranks
        self.rankDescription = rankDescription
        let ones = trapping { () throws(AutogradError) in try Tensor.ones([numFeatures], dtype: dtype) }
        let zeros = trapping { () throws(AutogradError) in try Tensor.zeros([numFeatures], dtype: dtype) }
        weight = affine ? Parameter(ones, name: "weight") : nil
        bias = affine ? Parameter(zeros, name: "bias") : nil
        if trackRunningStats {
            runningMean = Buffer(zeros)
            runningVar = Buffer(ones)
            numBatchesTracked = Buffer(trapping { () throws(AutogradError) in try Tensor(shape: [], int64Scalars: [0]) })
        } else {
            runningMean = nil
            runningVar = nil
            numBatchesTracked = nil
        }
    }

    override public var namedOwnBuffers: [(name: String, buffer: Buffer)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
            .compactMap { name, buffer in buffer.map { (name, $0) } }
    }

    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for an input of another rank
    ///   (torch: "expected 2D or 3D input (got 4D input)"), or of another channel count,
    ///   or with one value per channel in training; the errors of `batchNorm`.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        guard ranks.contains(x.rank) else {
            throw .invalidArgument(op: "\(type(of: self))", reason: "expected \(rankDescription) input (got \(x.rank)D input)")
        }
        var factor = momentum ?? 0
        if training, let numBatchesTracked {
            let count = numBatchesTracked.data.int64Scalars[0] + 1
            numBatchesTracked.data = trapping { () throws(AutogradError) in try Tensor(shape: [], int64Scalars: [count]) }
            if momentum == nil { factor = 1 / Double(count) }
        }
        guard let runningMean, let runningVar else {
            return try batchNorm(x, weight: weight?.variable, bias: bias?.variable, eps: eps)
        }
        var mean = runningMean.data, variance = runningVar.data
        let y = try batchNorm(x, runningMean: &mean, runningVar: &variance, weight: weight?.variable,
                              bias: bias?.variable, training: training, momentum: factor, eps: eps)
        runningMean.data = mean
        runningVar.data = variance
        return y
    }
}

/// Batch normalisation of `[N, C]` or `[N, C, L]` inputs (torch's `nn.BatchNorm1d`); see ``BatchNorm``.
public final class BatchNorm1d: BatchNorm {
    /// A layer with torch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics.
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, dtype: DType = .float64) {
        super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats,
                   dtype: dtype, ranks: [2, 3], rankDescription: "2D or 3D")
    }
}

/// Batch normalisation of `[N, C, H, W]` inputs (torch's `nn.BatchNorm2d`); see ``BatchNorm``.
public final class BatchNorm2d: BatchNorm {
    /// A layer with torch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics.
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, dtype: DType = .float64) {
        super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: trackRunningStats,
                   dtype: dtype, ranks: [4], rankDescription: "4D")
    }
}

/// Layer normalisation over the last axes (torch's `nn.LayerNorm`): parameters `weight`
/// (ones) and `bias` (zeros) of shape `normalizedShape` when `elementwiseAffine` (the
/// bias only if `bias`). The same in training and evaluation.
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Double
    public let weight: Parameter?
    public let bias: Parameter?

    /// A layer with torch's defaults: eps 1e-5, elementwise affine with a bias.
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                dtype: DType = .float64) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        if elementwiseAffine {
            weight = Parameter(trapping { () throws(AutogradError) in try Tensor.ones(normalizedShape, dtype: dtype) }, name: "weight")
            self.bias = bias
                ? Parameter(trapping { () throws(AutogradError) in try Tensor.zeros(normalizedShape, dtype: dtype) }, name: "bias")
                : nil
        } else {
            weight = nil
            self.bias = nil
        }
    }

    /// Layer normalisation over one last axis of size `normalizedSize`.
    public convenience init(_ normalizedSize: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                            dtype: DType = .float64) {
        self.init([normalizedSize], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias, dtype: dtype)
    }

    /// - Throws: the errors of `layerNorm` (an input whose last axes are not `normalizedShape`).
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try layerNorm(x, normalizedShape: normalizedShape, weight: weight?.variable, bias: bias?.variable, eps: eps)
    }
}

/// Runs a library call that cannot fail for the arguments given (as `Autograd`'s `trapping`).
func trapping<T>(_ body: () throws(AutogradError) -> T) -> T {
    do {
        return try body()
    } catch {
        fatalError(error.description)
    }
}
