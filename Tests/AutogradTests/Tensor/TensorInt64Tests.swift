import Foundation
import Testing
@testable import Autograd

/// int64 tensors: construction, conversion, printing, Codable, shape ops, comparisons,
/// argmax/argmin, sums, index tensors and the refusals of float-only ops. Expected values
/// are torch 2.x's, printed in its venv (`torch.tensor([...])`, `.long()`, `argmax`,
/// `t[idx]`), or derived by hand where noted.
@Suite("Tensor: int64 elements")
struct TensorInt64Tests {
    // MARK: Construction and reading

    @Test func construction() throws {
        let v = Tensor(int64: [3, -1, 7])
        #expect(v.dtype == .int64 && v.shape == [3] && v.count == 3)
        #expect(v.int64Scalars == [3, -1, 7])
        #expect(v.scalars == [3, -1, 7])
        #expect(Tensor(int64: [Int64(2), 5]).int64Scalars == [2, 5])
        // An array literal keeps making float64.
        #expect(Tensor([1, 2]).dtype == .float64)

        let m = try Tensor(shape: [2, 2], int64Scalars: [1, 2, 3, 4])
        #expect(m[1, 0] == 3)
        #expect(m.scalar == nil)
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 3, shape: [2, 2])) {
            try Tensor(shape: [2, 2], int64Scalars: [1, 2, 3])
        }

        let s = Tensor(int64: 42)
        #expect(s.rank == 0 && s.item() == 42 && s.int64Scalars == [42])
        // Exact beyond 2⁵³ as int64; widened to the nearest Double by `scalars`.
        let big = Tensor(int64: [Int64.max])
        #expect(big.int64Scalars == [Int64.max])
        #expect(big.scalars == [9_223_372_036_854_775_808.0])
    }

    @Test func factories() throws {
        // torch: arange(5, dtype=int64) = [0, 1, 2, 3, 4]; full((2,), 3, dtype=int64) = [3, 3]
        #expect(try Tensor.arange(5, dtype: .int64) == Tensor(int64: [0, 1, 2, 3, 4]))
        #expect(try Tensor.full([2], 3, dtype: .int64) == Tensor(int64: [3, 3]))
        #expect(try Tensor.zeros([2, 1], dtype: .int64) == Tensor(shape: [2, 1], int64Scalars: [0, 0]))
        #expect(try Tensor.ones([3], dtype: .int64).int64Scalars == [1, 1, 1])
        #expect(try Tensor(shape: [2], scalars: [2.9, -2.9], dtype: .int64).int64Scalars == [2, -2])
        #expect(Tensor(-3.5, dtype: .int64).int64Scalars == [-3])
    }

    @Test func settingAnElementTruncates() {
        var t = Tensor(int64: [1, 2, 3])
        t[1] = -7.9
        #expect(t.int64Scalars == [1, -7, 3])
        var s = Tensor(int64: 0)
        s[] = 4
        #expect(s.int64Scalars == [4])
    }

    // MARK: Conversion

    /// torch: `tensor([-2.7, 2.7, -0.5, 1e10], dtype=float64).long()` = `[-2, 2, 0, 10000000000]`.
    @Test func floatToInt64TruncatesTowardZero() throws {
        let t = Tensor([-2.7, 2.7, -0.5, 1e10])
        #expect(t.converted(to: .int64) == Tensor(int64: [-2, 2, 0, 10_000_000_000]))
        #expect(t.int64Scalars == [-2, 2, 0, 10_000_000_000])
        #expect(try t.checkedConverted(to: .int64).int64Scalars == [-2, 2, 0, 10_000_000_000])
        #expect(Tensor([-2.7], dtype: .float32).converted(to: .int64).int64Scalars == [-2])
        // The ends of the range: -2⁶³ converts, 2⁶³ does not.
        #expect(Tensor([-9_223_372_036_854_775_808.0]).converted(to: .int64).int64Scalars == [Int64.min])
    }

    @Test func int64ToFloat() {
        let t = Tensor(int64: [-2, 0, 5])
        #expect(t.converted(to: .float64) == Tensor([-2, 0, 5]))
        #expect(t.converted(to: .float32) == Tensor([-2, 0, 5], dtype: .float32))
        #expect(t.converted(to: .int64) == t)
        // 2⁵³ + 1 rounds to even as a Double, as torch's `.double()` does.
        #expect(Tensor(int64: [9_007_199_254_740_993]).converted(to: .float64).scalars == [9_007_199_254_740_992])
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 9_223_372_036_854_775_808.0, -1e19])
    func unrepresentableValuesThrow(value: Double) {
        let error = #expect(throws: AutogradError.self) { try Tensor([1, value]).checkedConverted(to: .int64) }
        guard case .unrepresentable(let refused, .int64)? = error else {
            Issue.record("expected unrepresentable, got \(String(describing: error))")
            return
        }
        #expect(refused.isNaN ? value.isNaN : refused == value)
    }

    @Test func unrepresentableDescription() {
        #expect(AutogradError.unrepresentable(.nan, dtype: .int64).description
            == "nan cannot be converted to int64: it needs a finite value in -2^63..<2^63")
    }

    @Test func convertingNaNTraps() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, .nan]).converted(to: .int64)
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("nan cannot be converted to int64: it needs a finite value in -2^63..<2^63"))
    }

    // MARK: Equality, printing, Codable

    @Test func equalityComparesDTypes() {
        #expect(Tensor(int64: [1, 2]) == Tensor(int64: [1, 2]))
        #expect(Tensor(int64: [1, 2]) != Tensor([1, 2]))
        #expect(Tensor(int64: [1, 2]) != Tensor(int64: [1, 3]))
    }

    /// torch: `tensor([  1, -20, 300])`, `tensor([[ 1,  2],\n        [30,  4]])`, `tensor(7)`,
    /// `tensor([], dtype=torch.int64)`; this library names the dtype every time.
    @Test func printing() throws {
        #expect(Tensor(int64: [1, -20, 300]).description == "tensor([  1, -20, 300], dtype=int64)")
        #expect(try Tensor(shape: [2, 2], int64Scalars: [1, 2, 30, 4]).description
            == "tensor([[ 1,  2],\n        [30,  4]], dtype=int64)")
        #expect(Tensor(int64: 7).description == "tensor(7, dtype=int64)")
        #expect(Tensor(int64: [Int64]()).description == "tensor([], dtype=int64)")
    }

    @Test func codableRoundTrip() throws {
        let t = try Tensor(shape: [2, 2], int64Scalars: [Int64.max, -3, 0, Int64.min])
        let data = try JSONEncoder().encode(t)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"dtype\":\"int64\""))
        #expect(json.contains("9223372036854775807"))
        #expect(try JSONDecoder().decode(Tensor.self, from: data) == t)
        let scalar = Tensor(int64: 5)
        #expect(try JSONDecoder().decode(Tensor.self, from: JSONEncoder().encode(scalar)) == scalar)
    }

    // MARK: Shape ops and indexing

    /// torch: `tensor([[1, 2, 3], [4, 5, 6]]).T` = `[[1, 4], [2, 5], [3, 6]]`.
    @Test func shapeOpsKeepInt64() throws {
        let m = try Tensor(shape: [2, 3], int64Scalars: [1, 2, 3, 4, 5, 6])
        #expect(try m.reshaped([3, -1]) == Tensor(shape: [3, 2], int64Scalars: [1, 2, 3, 4, 5, 6]))
        #expect(m.transposed() == (try Tensor(shape: [3, 2], int64Scalars: [1, 4, 2, 5, 3, 6])))
        #expect(m[1] == Tensor(int64: [4, 5, 6]))
        #expect(m[-1][0] == Tensor(int64: 4))
        #expect(m[.all, .at(2)] == Tensor(int64: [3, 6]))
        #expect(m[.all, .slice(start: 1)] == (try Tensor(shape: [2, 2], int64Scalars: [2, 3, 5, 6])))
        #expect(m[0..<1] == (try Tensor(shape: [1, 3], int64Scalars: [1, 2, 3])))
        #expect(try m.gathered([.indices([1, 1])]) == Tensor(shape: [2, 3], int64Scalars: [4, 5, 6, 4, 5, 6]))
    }

    @Test func graphShapeOpsAcceptInt64() throws {
        let v = Variable(try Tensor(shape: [2, 2], int64Scalars: [1, 2, 3, 4]))
        #expect(!v.requiresGrad)
        let joined = try concatenate([v, v], axis: 1)
        #expect(joined.data == (try Tensor(shape: [2, 4], int64Scalars: [1, 2, 1, 2, 3, 4, 3, 4])))
        #expect(!joined.requiresGrad && joined.creator == nil)
        #expect(try reshape(v, [4]).data == Tensor(int64: [1, 2, 3, 4]))
        #expect(transpose(v).data == (try Tensor(shape: [2, 2], int64Scalars: [1, 3, 2, 4])))
        #expect(try broadcastTo(Variable(Tensor(int64: [1, 2])), [2, 2]).data
            == (try Tensor(shape: [2, 2], int64Scalars: [1, 2, 1, 2])))
        #expect(try getitem(v, [.at(1)]).data == Tensor(int64: [3, 4]))
        let pieces = try Split(sizes: [1, 1], axis: 0).apply([v])
        #expect(pieces.map(\.data) == [Tensor(int64: [1, 2]).withShape([1, 2]), Tensor(int64: [3, 4]).withShape([1, 2])])
    }

    /// torch: `m[tensor([2, 0, 2])]` = rows 2, 0, 2; `m[tensor(1)]` = row 1; a float index
    /// tensor raises "tensors used as indices must be long, int, byte or bool tensors".
    @Test func int64IndexTensors() throws {
        let m: Tensor = [[10, 11], [20, 21], [30, 31]]
        #expect(m[.tensor(Tensor(int64: [2, 0, 2]))] == [[30, 31], [10, 11], [30, 31]])
        #expect(m[.tensor(Tensor(int64: 1))] == [20, 21])
        #expect(m[.all, .tensor(Tensor(int64: [1]))] == [[11], [21], [31]])
        #expect(throws: AutogradError.invalidIndex("an index tensor must be int64, not float64")) {
            try m.gathered([.tensor(Tensor([1.0]))])
        }
        #expect(throws: AutogradError.indexOutOfRange(index: 3, axis: 0, size: 3)) {
            try m.gathered([.tensor(Tensor(int64: [3]))])
        }
        // In a graph: the gradient flows to the indexed rows only (hand-derived: rows 2 and 0
        // picked, row 2 twice).
        let x = Variable(m)
        let picked = x[.tensor(Tensor(int64: [2, 0, 2]))]
        sum(picked).backward()
        #expect(x.grad?.data == [[1, 1], [0, 0], [2, 2]])
    }

    // MARK: Comparisons, sums, argmax

    /// torch: `tensor([1, 5, 3]) > 2` = `[False, True, True]`, `< 2.5` = `[True, False, False]`.
    @Test func comparisons() {
        let t = Tensor(int64: [1, 5, 3])
        #expect((t .> 2) == Tensor(int64: [0, 1, 1]))
        #expect((t .== Tensor(int64: [1, 0, 3])) == Tensor(int64: [1, 0, 1]))
        #expect((t .!= 5) == Tensor(int64: [1, 0, 1]))
        // Against a float tensor the int64 side is promoted, as in torch.
        #expect((t .< Tensor([2.5])) == [1, 0, 0])
        #expect((t .< 2.5) == [1, 0, 0])
        #expect((2.5 .< t) == [0, 1, 1])
        #expect((t .<= Tensor(int64: 3)) == Tensor(int64: [1, 0, 1]))
    }

    /// torch: `tensor([[1, 2], [3, 4]]).sum(0)` = `tensor([4, 6])`, `.sum()` = `tensor(10)`.
    @Test func sumsStayInt64() throws {
        let m = try Tensor(shape: [2, 2], int64Scalars: [1, 2, 3, 4])
        #expect(m.sum() == Tensor(int64: 10))
        #expect(try m.sum(axis: 0) == Tensor(int64: [4, 6]))
        #expect(try m.sum(axis: 1, keepdims: true) == Tensor(shape: [2, 1], int64Scalars: [3, 7]))
        // Exact where a Double sum would round: 2⁵³ + 1.
        #expect(Tensor(int64: [9_007_199_254_740_992, 1]).sum().int64Scalars == [9_007_199_254_740_993])
    }

    /// torch: for `[[1., 7, 7], [9, 0, 2]]`, `argmax()` = `tensor(3)`, `argmax(1)` =
    /// `tensor([1, 0])` (first of the tied 7s), `argmin(0)` = `tensor([0, 1, 1])`, all
    /// int64; `tensor([3, 9, 9, 1]).argmax()` = `tensor(1)`, `tensor([[3, 1], [0, 5]]).argmin(1)` = `[1, 0]`.
    @Test func argmaxReturnsInt64() throws {
        let a: Tensor = [[1, 7, 7], [9, 0, 2]]
        #expect(a.argmax() == Tensor(int64: 3))
        #expect(try a.argmax(axis: 1) == Tensor(int64: [1, 0]))
        #expect(try a.argmin(axis: 0) == Tensor(int64: [0, 1, 1]))
        #expect(try a.argmax(axis: 1, keepdims: true).shape == [2, 1])
        #expect(Tensor(int64: [3, 9, 9, 1]).argmax() == Tensor(int64: 1))
        #expect(try Tensor(shape: [2, 2], int64Scalars: [3, 1, 0, 5]).argmin(axis: 1) == Tensor(int64: [1, 0]))
        // NaN counts as the largest, the first one wins (torch).
        #expect(Tensor([1, .nan, 3, .nan]).argmax() == Tensor(int64: 1))
    }

    // MARK: Refusals

    @Test func unsupportedDTypeDescription() {
        #expect(AutogradError.unsupportedDType(.int64, op: "Exp").description
            == "Exp does not accept int64 tensors: int64 tensors support shape ops, indexing, comparisons, "
            + "argmax, argmin and sum; convert with converted(to: .float64) first")
    }

    @Test func floatOpsOnVariablesThrow() throws {
        let labels = Variable(Tensor(int64: [1, 2]))
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Exp")) { try Exp().apply(labels) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Add")) { try add(labels, labels) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "MatMul")) {
            try matmul(Variable(try Tensor(shape: [1, 2], int64Scalars: [1, 2])), Variable(try Tensor(shape: [2, 1], int64Scalars: [3, 4])))
        }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Sum")) { try sum(labels, axes: nil) }
    }

    @Test func floatTensorMethodsThrow() throws {
        let m = try Tensor(shape: [2, 2], int64Scalars: [1, 2, 3, 4])
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "matmul")) { try m.matmul(m) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "mean")) { try m.mean(axis: 0) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "max")) { try m.max(axis: 0) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "maximum")) { try m.maximum(m) }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "zip")) { try m.zip(m) { $0 + $1 } }
    }

    @Test func expOfInt64Traps() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(int64: [1, 2]).exp()
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("exp does not accept int64 tensors: int64 tensors support shape ops, indexing, "
                                + "comparisons, argmax, argmin and sum; convert with converted(to: .float64) first"))
    }

    @Test func int64ArithmeticTraps() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(int64: [1, 2]) + Tensor(int64: [3, 4])
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("add does not accept int64 tensors"))
    }

    /// torch: "Only Tensors of floating point and complex dtype can require gradients".
    @Test func variableOfInt64RequiringGradTraps() async throws {
        #expect(!Variable(Tensor(int64: [1])).requiresGrad)
        #expect(!Variable(Tensor(int64: [1]), requiresGrad: false).requiresGrad)
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Variable(Tensor(int64: [1, 2]), requiresGrad: true)
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("Variable(requiresGrad: true) does not accept int64 tensors"))
    }
}
