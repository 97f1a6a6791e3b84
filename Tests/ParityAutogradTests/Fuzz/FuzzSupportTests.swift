import Testing
@testable import Parity
import ParityAutograd
import Autograd

/// The fuzzer's random numbers, its float32 noise rule and the shrinker's rewrites.
@Suite("Fuzz support")
struct FuzzSupportTests {
    /// SplitMix64's published outputs for seed 0, so that a seed means the same cases everywhere.
    @Test func splitMix64MatchesTheReference() {
        var rng = Parity.SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func splitMix64DrawsStayInRange() {
        var rng = Parity.SplitMix64(seed: 42)
        for _ in 0..<1000 {
            #expect((-3...3).contains(rng.int(in: -3...3)))
            #expect((0..<5).contains(rng.int(in: 0..<5)))
            let u = rng.unit()
            #expect(u >= 0 && u < 1)
        }
        #expect(rng.index(weightedBy: [0, 0, 1]) == 2)
        #expect(rng.index(weightedBy: [0, -1]) == nil)
        #expect(rng.shuffled(Array(0..<10)).sorted() == Array(0..<10))
    }

    /// `x * 3` in float32 on exactly representable inputs, with torch's float32 results
    /// and torch's float64 results (the exact values) given.
    static func fixture(torch32: [Double], exact: [Double], dtype: ScalarType = .float32) -> FixtureCase {
        let x = HostTensor(shape: [2], data: [0.5, 1.25])
        let three = HostTensor(shape: [2], data: [3, 3])
        var fixture = FixtureCase(name: "noise", expr: "x * 3", dtype: dtype, order: 1, tolerance: nil, inputs: [("x", x)],
                                  upstream: HostTensor(shape: [2], data: [1, 1]),
                                  output: HostTensor(shape: [2], data: torch32), grads: [[three]])
        fixture.float64 = .init(output: HostTensor(shape: [2], data: exact), grads: [[three]])
        return fixture
    }

    /// torch's float32 output is off by 10⁻³ and Swift's is exact: noise, not a Swift bug.
    @Test func float32NoiseExplainsAMismatchWhereTorchIsAsFarOff() {
        let noisy = Self.fixture(torch32: [1.5 + 1e-3, 3.75], exact: [1.5, 3.75])
        #expect(!ParityCheck.check(noisy, suite: "t", on: AutogradBackend()).passed)
        #expect(Float32Noise.explains(noisy, on: AutogradBackend()))
    }

    /// torch's float32 output is exact and Swift's is 0.1 away from it: a bug, whatever the dtype.
    @Test func float32NoiseDoesNotExplainASwiftError() {
        #expect(!Float32Noise.explains(Self.fixture(torch32: [1.6, 3.75], exact: [1.6, 3.75]), on: AutogradBackend()))
        #expect(!Float32Noise.explains(Self.fixture(torch32: [1.5 + 1e-3, 3.75], exact: [1.5, 3.75], dtype: .float64), on: AutogradBackend()))
    }

    /// An unused statement ends the program where a later one only reads an input, and a
    /// statement that renames an input is inlined.
    @Test func shrinkerCutsAndInlinesStatements() throws {
        let spec = CaseSpec(name: "s", expr: "a = y; c = exp(a) * a; y",
                            inputs: [("y", .literal(HostTensor(shape: [2], data: [0.5, 1.5])))])
        let result = CaseShrinker(backend: AutogradBackend()).shrink(spec) { $0.expr.contains("exp") }
        #expect(result.minimal.expr == "exp(y)")
    }

    /// Held-back calls are recognised by their operand shapes: linear with a bias of
    /// rank 2 or more (torch's own rules for it depend on its internal path).
    @Test func heldBackRulesApply() throws {
        #expect(FuzzOptions.heldBack.isEmpty)
        let linear = try #require(OpTable.operation(named: "linear"))
        #expect(FuzzOptions.isHeldBack(linear, operandShapes: [[1, 2], [2, 1], [1, 2]]))
        #expect(FuzzOptions.isHeldBack(linear, operandShapes: [[1, 2, 1], [1, 1], [1, 2, 1]]))
        #expect(!FuzzOptions.isHeldBack(linear, operandShapes: [[3, 2], [2, 4], [4]]))
        #expect(!FuzzOptions.isHeldBack(linear, operandShapes: [[3, 2], [2, 4], []]))
    }
}
