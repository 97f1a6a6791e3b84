import Autograd

/// Time-series batches for truncated backpropagation through time (DeZero's
/// `SeqDataLoader`, `dezero/dataloaders.py`).
///
/// The rows of `inputs` and `targets` are one series, in time order. The loader reads it
/// as `batchSize` parallel streams that start `jump = count / batchSize` (integer
/// division) rows apart, and each iteration yields one time step of every stream:
///
///     iteration k, stream i  →  row (i · jump + k) mod count
///
/// for `k = 0, 1, …, ⌈count / batchSize⌉ − 1` (DeZero's `max_iter`). A batch is
/// `[batchSize, ...]`; consecutive batches are consecutive time steps of each stream, so
/// a recurrent layer's kept state carries from one to the next. Nothing is shuffled.
/// Step 60 of the book (`count` 999, `batchSize` 30): jump 33, 34 iterations per epoch,
/// the streams start at rows 0, 33, …, 957.
///
/// ```swift
/// let (x, t) = Datasets.sinCurve()
/// let loader = try SeqDataLoader(inputs: x, targets: t, batchSize: 30)
/// for batch in loader.epoch() {        // 34 batches of [30, 1]
///     let y = try model(Variable(batch.inputs))
///     ...
/// }
/// ```
public struct SeqDataLoader: Sendable {
    public let inputs: Tensor
    public let targets: Tensor
    /// The number of parallel streams.
    public let batchSize: Int

    /// - Throws: ``NNError/invalidData(_:)`` if a tensor is 0-d, the row counts differ,
    ///   `batchSize` is below 1, or there are fewer rows than streams (DeZero's `jump`
    ///   would be 0: every stream the same).
    public init(inputs: Tensor, targets: Tensor, batchSize: Int) throws(NNError) {
        guard let rows = inputs.shape.first, let targetRows = targets.shape.first else {
            throw .invalidData("inputs and targets need a first axis of time steps; got shapes \(inputs.shape) and \(targets.shape)")
        }
        guard rows == targetRows else { throw .invalidData("inputs have \(rows) rows, targets \(targetRows)") }
        guard batchSize >= 1 else { throw .invalidData("batch size must be at least 1, got \(batchSize)") }
        guard rows >= batchSize else {
            throw .invalidData("a series of \(rows) rows cannot be read as \(batchSize) streams (each stream needs at least one row)")
        }
        self.inputs = inputs
        self.targets = targets
        self.batchSize = batchSize
    }

    /// The length of the series.
    public var count: Int { inputs.shape[0] }

    /// The distance between the streams' starts: `count / batchSize` (DeZero's `jump`).
    public var jump: Int { count / batchSize }

    /// Iterations per epoch: `⌈count / batchSize⌉` (DeZero's `max_iter`).
    public var iterationsPerEpoch: Int { (count + batchSize - 1) / batchSize }

    /// The rows of iteration `iteration`: `(i · jump + iteration) mod count` for each stream `i`.
    public func batchIndices(iteration: Int) -> [Int] {
        (0..<batchSize).map { (($0 * jump + iteration) % count + count) % count }
    }

    /// The batches of one epoch (every epoch is the same), gathered as they are iterated.
    public func epoch() -> Epoch {
        Epoch(loader: self)
    }

    /// The batches of one epoch, as a sequence of ``DataLoader/Batch``.
    public struct Epoch: Sequence, IteratorProtocol, Sendable {
        let loader: SeqDataLoader
        var iteration = 0

        public mutating func next() -> DataLoader.Batch? {
            guard iteration < loader.iterationsPerEpoch else { return nil }
            defer { iteration += 1 }
            let indices = loader.batchIndices(iteration: iteration)
            // The indices come from 0..<count, so gathering cannot fail.
            guard let inputs = try? loader.inputs.rows(indices), let targets = try? loader.targets.rows(indices) else {
                return nil
            }
            return DataLoader.Batch(inputs: inputs, targets: targets, indices: indices)
        }
    }
}
