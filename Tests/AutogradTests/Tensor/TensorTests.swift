import Testing
@testable import Autograd

@Suite("Tensor: storage, shapes, broadcasting, reductions, printing")
struct TensorTests {
    // MARK: Construction

    @Test func constructionKeepsShapeAndRowMajorValues() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.shape == [2, 3])
        #expect(t.rank == 2)
        #expect(t.count == 6)
        #expect(t.dtype == .float64)
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
        #expect(t.scalar == nil)  // more than one element

        let s = Tensor(2.5)
        #expect(s.shape == [] && s.rank == 0 && s.count == 1 && s.scalar == 2.5)
        let v = Tensor([1, 2, 3])
        #expect(v.shape == [3] && v.scalars == [1, 2, 3])
        let one = try Tensor(shape: [1, 1, 1], scalars: [7])
        #expect(one.scalar == 7)  // any rank with one element

        #expect(try Tensor(repeating: 1.5, shape: [2, 2]).scalars == [1.5, 1.5, 1.5, 1.5])
        #expect(try Tensor.zeros([3]).scalars == [0, 0, 0])
        #expect(try Tensor.ones([2, 1], dtype: .float32).dtype == .float32)
        #expect(try Tensor.ones([2, 1]).scalars == [1, 1])

        let empty = try Tensor(shape: [0, 3], scalars: [])
        #expect(empty.count == 0 && empty.shape == [0, 3])
    }

    @Test(arguments: [DType.float64, .float32])
    func zeroDimensionalTensorsStoreTheirElementInline(dtype: DType) throws {
        // However a 0-d tensor is made, it holds its element inline and compares equal.
        let made = [Tensor(0.75, dtype: dtype), try Tensor(shape: [], scalars: [0.75], dtype: dtype),
                    try Tensor([0.75], dtype: dtype).reshaped([]), try Tensor([0.5625], dtype: dtype).reshaped([]).map(.sqrt)]
        for t in made {
            #expect(t.inlineScalar != nil && t.shape == [] && t.count == 1 && t.dtype == dtype)
            #expect(t.scalar == 0.75 && t.scalars == [0.75] && t == made[0])
        }
        #expect(made[0].storage == (dtype == .float64 ? .float64([0.75]) : .float32([0.75])))
        // One element of rank 1 or 2 stays an array, distinct from the 0-d tensor.
        let row = try Tensor(shape: [1, 1], scalars: [0.75], dtype: dtype)
        #expect(row.inlineScalar == nil && row.scalar == 0.75 && row != made[0])
        #expect(try row.reshaped([]) == made[0])
        // Inline and array operands mix: 0-d with [2] broadcasts, 0-d with 0-d stays inline.
        #expect(try made[0].zip(Tensor([1, 2], dtype: dtype), .add).scalars == [1.75, 2.75])
        #expect(try made[0].zip(made[1], .multiply).inlineScalar != nil)
        let other: DType = dtype == .float64 ? .float32 : .float64
        #expect(throws: AutogradError.dtypeMismatch(dtype, other, op: "add")) { try made[0].zip(Tensor(1, dtype: other), .add) }
    }

    @Test func constructionErrors() {
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 5, shape: [2, 3])) {
            try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5])
        }
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 7, shape: [2, 3])) {
            try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6, 7])
        }
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 0, shape: [])) {
            try Tensor(shape: [], scalars: [])  // a scalar holds one element
        }
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 2, shape: [3])) {
            try Tensor(shape: [3], float32Scalars: [1, 2])
        }
        // A negative dimension is an error even where the element count would match:
        // (-2)·(-3) = 6 values.
        #expect(throws: AutogradError.negativeDimension([-2, -3])) {
            try Tensor(shape: [-2, -3], scalars: [1, 2, 3, 4, 5, 6])
        }
        #expect(throws: AutogradError.negativeDimension([2, -1])) { try Tensor(shape: [2, -1], scalars: []) }
        #expect(throws: AutogradError.negativeDimension([-1])) { try Tensor(shape: [-1], float32Scalars: []) }
        #expect(throws: AutogradError.negativeDimension([3, -1])) { try Tensor(repeating: 0, shape: [3, -1]) }
        #expect(throws: AutogradError.negativeDimension([-4])) { try Tensor.zeros([-4]) }
        #expect(throws: AutogradError.negativeDimension([-4])) { try Tensor.ones([-4]) }
    }

    @Test func errorDescriptions() {
        #expect(AutogradError.dataDoesNotMatchShape(count: 5, shape: [2, 3]).description
                == "5 values do not fill shape [2, 3] (6 elements)")
        #expect(AutogradError.negativeDimension([2, -1]).description == "shape [2, -1] has a negative dimension")
        #expect(AutogradError.axisOutOfRange(axis: 3, rank: 3).description
                == "axis 3 is out of range for a tensor of rank 3 (valid: -3...2)")
        #expect(AutogradError.axisOutOfRange(axis: 1, rank: 0).description
                == "axis 1 is out of range for a tensor of rank 0 (valid: -1...0)")
        #expect(AutogradError.repeatedAxis(-2).description == "axis -2 appears more than once")
    }

    // MARK: Broadcasting

    @Test(arguments: BroadcastPair.all + [
        BroadcastPair(a: [2, 3], b: [2, 3], result: [2, 3]),
        BroadcastPair(a: [1], b: [5, 0], result: [5, 0]),     // 1 stretches to 0, too
        BroadcastPair(a: [0], b: [1], result: [0]),
        BroadcastPair(a: [3, 1, 5], b: [1, 4, 1], result: [3, 4, 5]),
        BroadcastPair(a: [1, 1], b: [], result: [1, 1]),
    ])
    func broadcastShapes(pair: BroadcastPair) throws {
        #expect(try Shape.broadcast(pair.a, pair.b, op: "test") == pair.result)
    }

    /// Non-broadcasting shapes throw an error that names both shapes (in operand order)
    /// and the op.
    @Test func broadcastErrors() throws {
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [4], op: "add")) {
            try Shape.broadcast([2, 3], [4], op: "add")
        }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3, 4], [3, 1, 4], op: "multiply")) {
            try Shape.broadcast([2, 3, 4], [3, 1, 4], op: "multiply")
        }
        #expect(throws: AutogradError.shapesDoNotBroadcast([0], [2], op: "add")) {
            try Shape.broadcast([0], [2], op: "add")  // 0 is not 1: no stretching
        }
        // Through the tensor kernel, with the library's own op name.
        let a = try Tensor.ones([2, 3]), b = try Tensor.ones([4])
        do {
            _ = try a.zip(b, .subtract)
            Issue.record("expected shapesDoNotBroadcast")
        } catch {
            #expect(error == .shapesDoNotBroadcast([2, 3], [4], op: "subtract"))
            #expect(error.description == "subtract: shapes [2, 3] and [4] do not broadcast")
            #expect(error.description.contains("[2, 3]") && error.description.contains("[4]"))
        }
    }

    /// Broadcast values: a [2, 1] column against a [3] row gives [2, 3] with
    /// out[i][j] = col[i] + row[j].
    @Test func broadcastValues() throws {
        let col = try Tensor(shape: [2, 1], scalars: [10, 20])
        let row = Tensor([1, 2, 3])
        let sum = try col.zip(row, .add)
        #expect(sum.shape == [2, 3])
        #expect(sum.scalars == [11, 12, 13, 21, 22, 23])
        let stretched = try col.broadcast(to: [2, 3])
        #expect(stretched.scalars == [10, 10, 10, 20, 20, 20])
        #expect(throws: AutogradError.cannotBroadcast(from: [2, 1], to: [3, 3])) { try col.broadcast(to: [3, 3]) }
    }

    // MARK: Sum over axes

    /// Every subset of the axes of a 2×3×4 tensor holding 1...24, with and without
    /// keepdims, against the sums written as loops. Integers up to 300 add exactly.
    @Test(arguments: [[], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]] as [[Int]], [false, true])
    func sumOverAxes(axes: [Int], keepdims: Bool) throws {
        let values = (1...24).map(Double.init)
        let t = try Tensor(shape: [2, 3, 4], scalars: values)
        let r = t.sum(axes: axes, keepdims: keepdims)

        let dims = [2, 3, 4]
        let kept = dims.indices.map { axes.contains($0) ? 1 : dims[$0] }
        let expectedShape = keepdims ? kept : dims.indices.filter { !axes.contains($0) }.map { dims[$0] }
        #expect(r.shape == expectedShape)

        var expected = [Double](repeating: 0, count: kept.reduce(1, *))
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    let o = [i, j, k].enumerated().map { axes.contains($0.offset) ? 0 : $0.element }
                    expected[(o[0] * kept[1] + o[1]) * kept[2] + o[2]] += t[i, j, k]
                }
            }
        }
        #expect(r.scalars == expected)
    }

    /// Spot values, by hand: over axis 2 the first row is 1+2+3+4 = 10; over axes 0 and 1
    /// the first column is 1+5+9+13+17+21 = 66; over everything 24·25/2 = 300.
    @Test func sumSpotValues() throws {
        let t = try Tensor(shape: [2, 3, 4], scalars: (1...24).map(Double.init))
        #expect(t.sum(axes: [2], keepdims: false)[0, 0] == 10)
        #expect(t.sum(axes: [0, 1], keepdims: false)[0] == 66)
        #expect(t.sum(axes: [0, 1, 2], keepdims: false).scalar == 300)
    }

    @Test func axisNormalizationAndErrors() throws {
        #expect(try Shape.normalize(axes: [-1, 0], rank: 3) == [0, 2])
        #expect(try Shape.normalize(axes: nil, rank: 3) == [0, 1, 2])
        #expect(try Shape.normalize(axes: [0], rank: 0) == [])  // a scalar's axis 0 reduces nothing
        #expect(throws: AutogradError.axisOutOfRange(axis: 3, rank: 3)) { try Shape.normalize(axes: [3], rank: 3) }
        #expect(throws: AutogradError.axisOutOfRange(axis: -4, rank: 3)) { try Shape.normalize(axes: [-4], rank: 3) }
        #expect(throws: AutogradError.axisOutOfRange(axis: 1, rank: 0)) { try Shape.normalize(axes: [1], rank: 0) }
        #expect(throws: AutogradError.repeatedAxis(2)) { try Shape.normalize(axes: [2, 2], rank: 3) }
        #expect(throws: AutogradError.repeatedAxis(-1)) { try Shape.normalize(axes: [2, -1], rank: 3) }
        #expect(throws: AutogradError.repeatedAxis(-1)) { try Shape.normalize(axes: [0, -1], rank: 0) }
    }

    // MARK: Reshape

    @Test func reshapeKeepsOrderAndChecksCount() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let r = try t.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(r[2, 0] == 5)  // row-major: element 4 (0-based) is row 2, column 0
        #expect(try t.reshaped([6]).scalars == t.scalars)
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 6, shape: [4, 2])) { try t.reshaped([4, 2]) }
        #expect(throws: AutogradError.dataDoesNotMatchShape(count: 6, shape: [])) { try t.reshaped([]) }
        // torch: -1 is the size that keeps the count (t.reshape(-1, 6) has shape (1, 6));
        // a -1 that no size satisfies, or two of them, raise
        #expect(try t.reshaped([-1, 6]).shape == [1, 6])
        #expect(throws: AutogradError.self) { try t.reshaped([-1, 4]) }
        #expect(throws: AutogradError.self) { try t.reshaped([-1, -1]) }
        #expect(throws: AutogradError.negativeDimension([-2, -3])) { try t.reshaped([-2, -3]) }
    }

    // MARK: Printing

    /// torch 2.x's `str()` of the same tensors, with the dtype always named and without
    /// the `torch.` prefix (see ``Tensor/description``).
    @Test func descriptionFormat() throws {
        #expect(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).description
                == "tensor([[1., 2.],\n        [3., 4.]], dtype=float64)")
        #expect(Tensor(2.5).description == "tensor(2.5000, dtype=float64)")
        #expect(Tensor([1, -0.5]).description == "tensor([ 1.0000, -0.5000], dtype=float64)")
        #expect(try Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]).description
                == "tensor([[[1., 2.]],\n\n        [[3., 4.]]], dtype=float64)")
        #expect(try Tensor(shape: [0], scalars: []).description == "tensor([], dtype=float64)")
        #expect(try Tensor(shape: [2, 0], scalars: []).description == "tensor([], size=(2, 0), dtype=float64)")
        #expect(Tensor([.nan, .infinity]).description == "tensor([nan, inf], dtype=float64)")
        #expect(Tensor([0.5, 1.5], dtype: .float32).description == "tensor([0.5000, 1.5000], dtype=float32)")
        #expect(Variable(Tensor(1.0), name: "x").description == "variable(x = tensor(1., dtype=float64))")
    }

    /// A float32 tensor prints its elements as torch prints them (torch:
    /// `tensor([0.1000, 0.3333])`), with 4 decimals of the value the tensor holds.
    @Test func float32DescriptionPrintsFloatDigits() {
        let t = Tensor([0.1, 1.0 / 3], dtype: .float32)
        #expect(t.description == "tensor([0.1000, 0.3333], dtype=float32)")
    }

    // MARK: Subscripts

    @Test func subscripts() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t[0, 0] == 1)
        #expect(t[1, 2] == 6)
        #expect(t[0, 1] == 2)
        #expect(t[-1, -1] == 6)  // negative indices count from the end
        #expect(t[-2, 0] == 1)
        #expect(t[1, -3] == 4)

        let cube = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    #expect(cube[i, j, k] == Double((i * 3 + j) * 4 + k))
                }
            }
        }
        #expect(Tensor(4.25)[] == 4.25)  // a scalar takes no indices
    }

    // MARK: float32 storage

    @Test func float32Storage() throws {
        let t = Tensor([0.1, 1.0 / 3, 1e40, 1e-50, -2.5], dtype: .float32)
        #expect(t.dtype == .float32)
        // Stored as the nearest Float (1e40 overflows Float to +inf, 1e-50 underflows to 0),
        // read back widened exactly.
        #expect(t.scalars == [Double(Float(0.1)), Double(Float(1.0 / 3)), .infinity, 0, -2.5])
        #expect(t.scalars[0] != 0.1)
        #expect(t[0] == Double(Float(0.1)))

        let direct = try Tensor(shape: [2], float32Scalars: [0.1, 3])
        #expect(direct.dtype == .float32 && direct.scalars == [Double(Float(0.1)), 3])
        let viaInit = try Tensor(shape: [2], scalars: [0.1, 3], dtype: .float32)
        #expect(viaInit == direct)

        // Widening is exact and round-trips; narrowing rounds to nearest.
        let wide = direct.converted(to: .float64)
        #expect(wide.dtype == .float64 && wide.scalars == direct.scalars)
        #expect(wide.converted(to: .float32) == direct)
        #expect(Tensor([0.1]).converted(to: .float32).scalars == [Double(Float(0.1))])
        #expect(try Tensor(repeating: 0.1, shape: [2], dtype: .float32).scalars == [Double(Float(0.1)), Double(Float(0.1))])
        #expect(Tensor(0.1, dtype: .float32).scalar == Double(Float(0.1)))
    }
}
