import Testing
import Autograd
@testable import AutogradNN

/// The expected rows are DeZero's: `dezero.SeqDataLoader` (dezero/dataloaders.py of
/// oreilly-japan/deep-learning-from-scratch-3) run over a dataset whose row i is
/// `(i, 100 + i)`.
@Suite("SeqDataLoader")
struct SeqDataLoaderTests {
    static func series(_ rows: Int) throws -> (Tensor, Tensor) {
        (try Tensor(shape: [rows, 1], scalars: (0..<rows).map(Double.init)),
         try Tensor(shape: [rows, 1], scalars: (0..<rows).map { Double(100 + $0) }))
    }

    /// DeZero, 10 rows, batch 3: [[0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 6, 9]], last targets [103, 106, 109].
    @Test func parallelStreamsOneStepPerIteration() throws {
        let (x, t) = try Self.series(10)
        let loader = try SeqDataLoader(inputs: x, targets: t, batchSize: 3)
        #expect(loader.jump == 3 && loader.iterationsPerEpoch == 4)
        let batches = Array(loader.epoch())
        #expect(batches.map(\.inputs.scalars) == [[0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 6, 9]])
        #expect(batches.map(\.indices) == [[0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 6, 9]])
        #expect(batches.last?.targets.scalars == [103, 106, 109])
        #expect(batches.allSatisfy { $0.inputs.shape == [3, 1] && $0.targets.shape == [3, 1] })
        #expect(Array(loader.epoch()).map(\.indices) == batches.map(\.indices))   // every epoch the same
    }

    /// DeZero's step 60: 999 rows, batch 30 → 34 iterations, streams 33 apart.
    @Test func stepSixtyLayout() throws {
        let (x, t) = try Self.series(999)
        let loader = try SeqDataLoader(inputs: x, targets: t, batchSize: 30)
        #expect(loader.iterationsPerEpoch == 34 && loader.jump == 33)
        #expect(loader.batchIndices(iteration: 0) == (0..<30).map { $0 * 33 })
        #expect(loader.batchIndices(iteration: 33) == (0..<30).map { $0 * 33 + 33 })
        let (sx, st) = Datasets.sinCurve()
        #expect(Array(try SeqDataLoader(inputs: sx, targets: st, batchSize: 30).epoch()).count == 34)
    }

    @Test func refusals() throws {
        let (x, t) = try Self.series(5)
        #expect(throws: NNError.self) { try SeqDataLoader(inputs: x, targets: t, batchSize: 0) }
        #expect(throws: NNError.self) { try SeqDataLoader(inputs: x, targets: t, batchSize: 6) }
        #expect(throws: NNError.self) { try SeqDataLoader(inputs: x, targets: try t.rows([0, 1]), batchSize: 2) }
        #expect(throws: NNError.self) { try SeqDataLoader(inputs: Tensor(1.0), targets: t, batchSize: 1) }
    }
}
