import Testing
import Autograd
@testable import AutogradNN

@Suite("DataLoader")
struct DataLoaderTests {
    /// Ten rows: input row i is (i, 10 + i), target i is 100 + i.
    static func data(rows: Int = 10, dtype: DType = .float64) throws -> (Tensor, Tensor) {
        let x = try Tensor(shape: [rows, 2], scalars: (0..<rows).flatMap { [Double($0), Double(10 + $0)] }, dtype: dtype)
        let t = try Tensor(shape: [rows], scalars: (0..<rows).map { Double(100 + $0) }, dtype: dtype)
        return (x, t)
    }

    @Test func batchesInOrder() throws {
        let (x, t) = try Self.data()
        let loader = try DataLoader(inputs: x, targets: t, batchSize: 4)
        #expect(loader.batchesPerEpoch == 3)
        #expect(loader.batchIndices(epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let batches = Array(loader.epoch(0))
        #expect(batches.map(\.inputs.shape) == [[4, 2], [4, 2], [2, 2]])
        #expect(batches[2].inputs.scalars == [8, 18, 9, 19])
        #expect(batches[2].targets.scalars == [108, 109])
    }

    @Test func dropLastLeavesOutTheShortBatch() throws {
        let (x, t) = try Self.data()
        let loader = try DataLoader(inputs: x, targets: t, batchSize: 4, dropLast: true)
        #expect(loader.batchesPerEpoch == 2)
        #expect(Array(loader.epoch(0)).map(\.indices.count) == [4, 4])
        let exact = try DataLoader(inputs: x, targets: t, batchSize: 5, dropLast: true)
        #expect(exact.batchesPerEpoch == 2)
    }

    /// Shuffling is a function of (seed, epoch): replays agree, epochs and seeds differ,
    /// and every epoch is a permutation of the rows.
    @Test func shufflingIsDeterministic() throws {
        let (x, t) = try Self.data(rows: 50)
        let loader = try DataLoader(inputs: x, targets: t, batchSize: 8, shuffle: true, seed: 42)
        let again = try DataLoader(inputs: x, targets: t, batchSize: 8, shuffle: true, seed: 42)
        let otherSeed = try DataLoader(inputs: x, targets: t, batchSize: 8, shuffle: true, seed: 43)
        for epoch in 0..<5 {
            let indices = loader.batchIndices(epoch: epoch)
            #expect(indices == again.batchIndices(epoch: epoch))
            #expect(indices.flatMap { $0 }.sorted() == Array(0..<50))
            #expect(indices.map(\.count) == [8, 8, 8, 8, 8, 8, 2])
            #expect(indices != otherSeed.batchIndices(epoch: epoch))
        }
        #expect(loader.batchIndices(epoch: 0) != loader.batchIndices(epoch: 1))
        #expect(loader.batchIndices(epoch: 0).flatMap { $0 } != Array(0..<50))
    }

    /// A batch's inputs and targets are the same rows.
    @Test func inputsAndTargetsStayPaired() throws {
        let (x, t) = try Self.data(rows: 20, dtype: .float32)
        let loader = try DataLoader(inputs: x, targets: t, batchSize: 6, shuffle: true, seed: 1)
        for batch in loader.epoch(3) {
            #expect(batch.inputs.dtype == .float32)
            for (row, index) in batch.indices.enumerated() {
                #expect(batch.inputs[row, 0] == Double(index) && batch.targets[row] == Double(100 + index))
            }
        }
    }

    /// Batches keep the dtype of their source, float32 inputs and int64 labels alike, and
    /// their values (hand-derived from `data`: row i is (i, 10 + i), label 100 + i).
    @Test func batchesKeepTheirDType() throws {
        let (x, _) = try Self.data(rows: 7, dtype: .float32)
        let labels = Tensor(int64: (0..<7).map { 100 + $0 })
        let loader = try DataLoader(inputs: x, targets: labels, batchSize: 3, shuffle: true, seed: 5)
        var seen: [Int] = []
        for batch in loader.epoch(0) {
            #expect(batch.inputs.dtype == .float32 && batch.targets.dtype == .int64)
            #expect(batch.inputs.shape == [batch.indices.count, 2])
            #expect(batch.inputs.scalars == batch.indices.flatMap { [Double($0), Double(10 + $0)] })
            #expect(batch.targets.int64Scalars == batch.indices.map { Int64(100 + $0) })
            seen += batch.indices
        }
        #expect(seen.sorted() == Array(0..<7))
        // Rows of an int64 matrix stay exact beyond 2⁵³.
        let big = try Tensor(shape: [2, 2], int64Scalars: [Int64.max, 1, 2, Int64.min])
        #expect(try big.rows([1, 0, 1]) == Tensor(shape: [3, 2], int64Scalars: [2, Int64.min, Int64.max, 1, 2, Int64.min]))
        #expect(throws: NNError.rowOutOfRange(index: -1, rows: 2)) { try big.rows([-1]) }
    }

    @Test func refusesDataThatCannotBeBatched() throws {
        let (x, t) = try Self.data()
        #expect(throws: NNError.invalidData("batch size must be at least 1, got 0")) {
            try DataLoader(inputs: x, targets: t, batchSize: 0)
        }
        #expect(throws: NNError.invalidData("inputs have 10 rows, targets 3")) {
            try DataLoader(inputs: x, targets: Tensor([1.0, 2.0, 3.0]), batchSize: 2)
        }
        #expect(throws: NNError.self) { try DataLoader(inputs: Tensor(1.0), targets: t, batchSize: 2) }
        #expect(throws: NNError.rowOutOfRange(index: 10, rows: 10)) { try x.rows([0, 10]) }
    }
}
