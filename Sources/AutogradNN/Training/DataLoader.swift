import Autograd

/// Mini-batches over in-memory data (torch's `DataLoader` over a `TensorDataset`, DeZero's
/// `DataLoader`): rows of `inputs` and `targets` (their first axis), `batchSize` at a
/// time, in order or shuffled.
///
/// Shuffling is a pure function of the seed and the epoch: epoch `e` uses the
/// permutation drawn from `SeededGenerator(seed: seed, stream: e)`, so every run, and
/// every replay of one epoch, sees the same batches.
///
/// ```swift
/// let loader = try DataLoader(inputs: x, targets: t, batchSize: 30, shuffle: true, seed: 7)
/// for epoch in 0..<300 {
///     for batch in loader.epoch(epoch) {
///         let loss = try Loss.softmaxCrossEntropy(model(Variable(batch.inputs)), batch.targets)
///         ...
///     }
/// }
/// ```
public struct DataLoader: Sendable {
    /// One mini-batch: the rows `indices` of the inputs and the targets.
    public struct Batch: Sendable {
        public let inputs: Tensor
        public let targets: Tensor
        public let indices: [Int]
    }

    public let inputs: Tensor
    public let targets: Tensor
    public let batchSize: Int
    public let shuffle: Bool
    /// Leave out a last batch smaller than `batchSize`.
    public let dropLast: Bool
    public let seed: UInt64

    /// - Throws: ``NNError/invalidData(_:)`` if a tensor is 0-d, the row counts differ, or
    ///   `batchSize` is below 1.
    public init(inputs: Tensor, targets: Tensor, batchSize: Int, shuffle: Bool = false, dropLast: Bool = false,
                seed: UInt64 = 0) throws(NNError) {
        guard let rows = inputs.shape.first, let targetRows = targets.shape.first else {
            throw .invalidData("inputs and targets need a first axis of rows; got shapes \(inputs.shape) and \(targets.shape)")
        }
        guard rows == targetRows else {
            throw .invalidData("inputs have \(rows) rows, targets \(targetRows)")
        }
        guard batchSize >= 1 else { throw .invalidData("batch size must be at least 1, got \(batchSize)") }
        self.inputs = inputs
        self.targets = targets
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// The number of rows.
    public var count: Int { inputs.shape[0] }

    /// Batches per epoch: `⌈count / batchSize⌉`, or `⌊count / batchSize⌋` with `dropLast`.
    public var batchesPerEpoch: Int {
        dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
    }

    /// The row indices of each batch of epoch `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        let order: [Int]
        if shuffle {
            var generator = SeededGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)))
            order = generator.permutation(count)
        } else {
            order = Array(0..<count)
        }
        return (0..<batchesPerEpoch).map { b in
            Array(order[(b * batchSize)..<min((b + 1) * batchSize, count)])
        }
    }

    /// The batches of epoch `epoch`, gathered as they are iterated.
    public func epoch(_ epoch: Int) -> Epoch {
        Epoch(loader: self, batches: batchIndices(epoch: epoch))
    }

    /// The batches of one epoch, as a sequence.
    public struct Epoch: Sequence, IteratorProtocol, Sendable {
        let loader: DataLoader
        let batches: [[Int]]
        var position = 0

        public mutating func next() -> Batch? {
            guard position < batches.count else { return nil }
            defer { position += 1 }
            let indices = batches[position]
            // The indices come from 0..<count, so gathering cannot fail.
            guard let inputs = try? loader.inputs.rows(indices), let targets = try? loader.targets.rows(indices) else {
                return nil
            }
            return Batch(inputs: inputs, targets: targets, indices: indices)
        }
    }
}
