import Foundation
import Testing
@testable import bench

/// The benchmark's statistics, verdicts and child-process errors. Nothing here times
/// anything: the inputs are made-up seconds.
@Suite("bench: statistics, verdicts, the torch process")
struct BenchTests {
    @Test func quartilesInterpolateBetweenOrderStatistics() {
        let s = Statistics([5, 1, 4, 2, 3])
        #expect(s.min == 1 && s.max == 5 && s.median == 3)
        #expect(s.quartile1 == 2 && s.quartile3 == 4)
        #expect(s.spread == 2.0 / 3.0)
        let even = Statistics([1, 2, 3, 4])
        #expect(even.median == 2.5 && even.quartile1 == 1.75 && even.quartile3 == 3.25)
        #expect(Statistics([7]).spread == 0)
    }

    private func row(swift: [Double], torch: [Double]?, target: Double) -> Row {
        let workload = Workload(name: "w", per: nil, target: target, swift: {}, torch: ("f", []), extra: nil, threads: 1)
        return Row(workload: workload, swift: Statistics(swift), swiftIterations: 1,
                   torch: torch.map { Statistics($0) }, torchIterations: 1,
                   torchThreads: torch == nil ? nil : 1, extra: nil)
    }

    /// Met or missed only when the relative gap between ratio and target exceeds both
    /// sides' spreads; noisy otherwise; no verdict for --quick or without torch.
    @Test func verdictsWeighTheGapAgainstTheSpreads() {
        // ratio 2, target 1.25: gap 0.6 > spreads 0.1 / 0.05.
        #expect(row(swift: [0.9, 0.95, 1, 1.05, 1.1], torch: [1.95, 1.975, 2, 2.025, 2.05], target: 1.25)
            .timeVerdict(quick: false) == .met)
        // ratio 1, target 1.25: gap −0.2, spreads 0.1.
        #expect(row(swift: [0.9, 0.95, 1, 1.05, 1.1], torch: [0.9, 0.95, 1, 1.05, 1.1], target: 1.25)
            .timeVerdict(quick: false) == .missed)
        // ratio 1.3, target 1.25: gap 0.04 < torch's spread 0.3.
        #expect(row(swift: [1, 1, 1, 1, 1], torch: [0.6, 1.1, 1.3, 1.5, 2], target: 1.25)
            .timeVerdict(quick: false) == .noisy)
        #expect(row(swift: [1], torch: [3], target: 1.25).timeVerdict(quick: true) == .notMeasured)
        #expect(row(swift: [1], torch: nil, target: 1.25).timeVerdict(quick: false) == .notMeasured)
    }

    /// torch gets each row's Swift thread count: one for the MLP steps and the digits
    /// epoch (below every threading threshold), the cores where Swift uses them.
    @Test func torchThreadsFollowTheSwiftSidePerRow() throws {
        let rows = try Workload.all(quick: true, cores: 7)
        let threads = Dictionary(rows.map { ($0.torch.function, $0.threads) }, uniquingKeysWith: { a, b in a == b ? a : -1 })
        #expect(threads["mlp_step"] == 1 && threads["digits_epoch"] == 1 && threads["scalar_chain"] == 1)
        #expect(threads["matmul"] == 7 && threads["elementwise"] == 7)
    }

    @Test func aMissingDigitsFixtureIsAClearError() {
        #expect(throws: SwiftWorkloads.DigitsEpoch.DigitsMissing.self) {
            _ = try SwiftWorkloads.DigitsEpoch.locate(directory: "/nonexistent")
        }
    }

    @Test func theInterpreterIsChosenAsPythonBridgeChoosesIt() {
        #expect(TorchInterpreter.resolve(explicit: "/x/python", environment: ["AUTOGRAD_PYTHON": "/y"]) == "/x/python")
        #expect(TorchInterpreter.resolve(explicit: nil, environment: ["AUTOGRAD_PYTHON": "/y"]) == "/y")
        #expect(TorchInterpreter.resolve(explicit: nil, environment: ["AUTOGRAD_VENV": "/v", "HOME": "/h"]) == "/v/bin/python")
        #expect(TorchInterpreter.resolve(explicit: nil, environment: ["HOME": "/h"]) == "/h/.cache/swift-autograd/torch-venv/bin/python")
    }

    @Test func aMissingInterpreterIsATypedError() {
        #expect {
            _ = try TorchChild(python: "/nonexistent/bin/python", threads: 1)
        } throws: { error in
            guard case .noInterpreter("/nonexistent/bin/python") = error as? TorchChildError else { return false }
            return true
        }
    }

    /// The system Python speaks the protocol: it either has torch (hello answers with a
    /// version) or says, as a typed error, that it cannot import it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func theChildAnswersHelloOrSaysWhyNot() {
        do {
            let child = try TorchChild(python: "/usr/bin/python3", threads: 1)
            #expect(!child.identity.torchVersion.isEmpty)
            #expect(child.identity.threads == 1)
            // `prepare` sets the row's thread count and reports it back.
            #expect(try child.prepare(id: "a", function: "scalar_chain", arguments: [1], threads: 2) == 2)
            #expect(try child.prepare(id: "b", function: "scalar_chain", arguments: [1], threads: 1) == 1)
        } catch {
            guard case .failed("hello", let message) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(message.contains("cannot import torch"))
        }
    }
}
