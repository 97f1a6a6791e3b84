import Testing
import Autograd

/// Two operand shapes and the shape they broadcast to, worked out by hand (align from
/// the right; each pair of sizes equal, or one of them 1; missing leading sizes are 1).
struct BroadcastPair: Sendable, CustomTestStringConvertible {
    let a: [Int]
    let b: [Int]
    let result: [Int]

    var testDescription: String { "\(a) with \(b) → \(result)" }

    static let all: [BroadcastPair] = [
        BroadcastPair(a: [3, 1], b: [1, 4], result: [3, 4]),
        BroadcastPair(a: [1, 4], b: [3, 1], result: [3, 4]),
        BroadcastPair(a: [2, 3], b: [3], result: [2, 3]),
        BroadcastPair(a: [3], b: [2, 3], result: [2, 3]),
        BroadcastPair(a: [], b: [2, 2], result: [2, 2]),
        BroadcastPair(a: [2, 2], b: [], result: [2, 2]),
        BroadcastPair(a: [2, 1, 3], b: [4, 1], result: [2, 4, 3]),
        BroadcastPair(a: [4, 1], b: [2, 1, 3], result: [2, 4, 3]),
    ]
}

/// A shape, a target shape, and for `broadcastTo` the expectation that one broadcasts
/// to the other (`sumTo` goes the other way).
struct ShapeChange: Sendable, CustomTestStringConvertible {
    let small: [Int]
    let large: [Int]

    var testDescription: String { "\(small) ↔ \(large)" }

    static let all: [ShapeChange] = [
        ShapeChange(small: [3], large: [2, 3]),
        ShapeChange(small: [2, 1], large: [2, 3]),
        ShapeChange(small: [], large: [2, 2]),
        ShapeChange(small: [1, 3, 1], large: [2, 3, 4]),
        ShapeChange(small: [3, 1], large: [2, 3, 4]),
        ShapeChange(small: [1], large: [3]),
    ]
}

@Suite("Broadcasting: binary ops, broadcastTo, sumTo, reshape")
struct BroadcastingGradientTests {
    // MARK: Binary ops

    @Test(arguments: BinaryOp.allCases, BroadcastPair.all)
    func forwardMatchesIndexArithmetic(op: BinaryOp, pair: BroadcastPair) throws {
        var rng = SplitMix64(seed: 41)
        let (a, b) = op.sample(pair.a, pair.b, &rng)
        let y = op(Variable(a), Variable(b))
        #expect(y.shape == pair.result)
        let expected = referenceBinary(a, b, outShape: pair.result, op.reference)
        #expect(y.count == expected.count)
        for (i, (got, want)) in zip(y.data.scalars, expected).enumerated() {
            expectULPs(got, want, within: op == .pow ? 1 : 0, "\(op) \(pair) at \(multiIndex(i, in: pair.result))")
        }
        #expect(try op.named(Variable(a), Variable(b)).data == y.data)
    }

    /// Each operand's gradient is its partial derivative summed over every output element
    /// that read it, and has the operand's own shape.
    @Test(arguments: BinaryOp.allCases, BroadcastPair.all)
    func gradientSumsPartialsOverBroadcastElements(op: BinaryOp, pair: BroadcastPair) throws {
        var rng = SplitMix64(seed: 42)
        let (a, b) = op.sample(pair.a, pair.b, &rng)
        let va = Variable(a), vb = Variable(b)
        let g = try gradients(of: sum(op(va, vb)), withRespectTo: [va, vb])
        #expect(g[0].shape == pair.a)
        #expect(g[1].shape == pair.b)

        var expectedA = [Double](repeating: 0, count: a.count), scaleA = expectedA
        var expectedB = [Double](repeating: 0, count: b.count), scaleB = expectedB
        let av = a.scalars, bv = b.scalars
        for flat in 0..<pair.result.reduce(1, *) {
            let index = multiIndex(flat, in: pair.result)
            let i = broadcastSourceOffset(index, pair.a), j = broadcastSourceOffset(index, pair.b)
            let (da, db) = op.partials(av[i], bv[j])
            expectedA[i] += da; scaleA[i] += abs(da)
            expectedB[j] += db; scaleB[j] += abs(db)
        }
        // Sums of up to 12 terms in another order: within 1e-14 of the sum of magnitudes.
        for (k, (got, want)) in zip(g[0].data.scalars, expectedA).enumerated() {
            #expect(abs(got - want) <= 1e-14 * scaleA[k], "∂\(op)/∂a \(pair) at \(k): \(got) vs \(want)")
        }
        for (k, (got, want)) in zip(g[1].data.scalars, expectedB).enumerated() {
            #expect(abs(got - want) <= 1e-14 * scaleB[k], "∂\(op)/∂b \(pair) at \(k): \(got) vs \(want)")
        }
    }

    @Test(arguments: BinaryOp.allCases, BroadcastPair.all)
    func numericalGradient(op: BinaryOp, pair: BroadcastPair) throws {
        var rng = SplitMix64(seed: 43)
        let (a, b) = op.sample(pair.a, pair.b, &rng)
        try checkGradients("\(op) \(pair)", [a, b]) { xs in op(xs[0], xs[1]) }
    }

    @Test(arguments: [BinaryOp.mul, .div, .pow], BroadcastPair.all)
    func numericalSecondOrderGradient(op: BinaryOp, pair: BroadcastPair) throws {
        var rng = SplitMix64(seed: 44)
        let (a, b) = op.sample(pair.a, pair.b, &rng)
        try checkSecondOrderGradients("\(op) \(pair)", [a, b]) { xs in op(xs[0], xs[1]) }
    }

    /// float32 operands broadcast too, and their gradients are float32 of their own shapes.
    @Test(arguments: BroadcastPair.all)
    func float32Broadcasting(pair: BroadcastPair) throws {
        var rng = SplitMix64(seed: 45)
        let a = Variable(rng.float32Tensor(pair.a, in: -2...2))
        let b = Variable(rng.float32Tensor(pair.b, in: -2...2))
        let y = a * b
        #expect(y.dtype == .float32 && y.shape == pair.result)
        let expected = referenceBinary(a.data, b.data, outShape: pair.result) { Double(Float($0) * Float($1)) }
        #expect(y.data.scalars == expected)
        let g = try gradients(of: sum(y), withRespectTo: [a, b])
        #expect(g[0].dtype == .float32 && g[0].shape == pair.a)
        #expect(g[1].dtype == .float32 && g[1].shape == pair.b)
    }

    // MARK: broadcastTo

    @Test(arguments: ShapeChange.all)
    func broadcastToValuesAndGradient(change: ShapeChange) throws {
        var rng = SplitMix64(seed: 46)
        let x = rng.tensor(change.small, in: -2...2)
        let y = try broadcastTo(Variable(x), change.large)
        #expect(y.shape == change.large)
        #expect(y.data.scalars == referenceBroadcast(x, to: change.large))
        try checkGradients("broadcastTo \(change)", [x]) { xs in try broadcastTo(xs[0], change.large) }
    }

    /// The gradient of broadcastTo counts how often each element was copied:
    /// [2, 1] → [2, 3] copies each element 3 times; [] → [2, 2] copies it 4 times.
    @Test func broadcastToGradientCountsCopies() throws {
        let x = Variable(try Tensor(shape: [2, 1], scalars: [1, 2]))
        #expect(try gradients(of: sum(broadcastTo(x, [2, 3])), withRespectTo: [x])[0].data.scalars == [3, 3])
        let s = Variable(5.0)
        #expect(try gradients(of: sum(broadcastTo(s, [2, 2])), withRespectTo: [s])[0].data.scalar == 4)
        // Same shape: no new node.
        #expect(try broadcastTo(x, [2, 1]) === x)
    }

    @Test func broadcastToErrors() throws {
        let x = Variable(Tensor([1, 2, 3]))
        #expect(throws: AutogradError.cannotBroadcast(from: [3], to: [3, 2])) { try broadcastTo(x, [3, 2]) }
        #expect(throws: AutogradError.cannotBroadcast(from: [3], to: [4])) { try broadcastTo(x, [4]) }
        let m = Variable(try! Tensor.zeros([2, 3]))
        #expect(throws: AutogradError.cannotBroadcast(from: [2, 3], to: [3])) { try broadcastTo(m, [3]) }
        #expect(AutogradError.cannotBroadcast(from: [3], to: [3, 2]).description == "cannot broadcast shape [3] to [3, 2]")
    }

    // MARK: sumTo

    @Test(arguments: ShapeChange.all)
    func sumToValuesAndGradient(change: ShapeChange) throws {
        var rng = SplitMix64(seed: 47)
        let x = rng.tensor(change.large, in: -2...2)
        let y = try sumTo(Variable(x), change.small)
        #expect(y.shape == change.small)
        // Each element of x lands in the element of the small shape that broadcasting
        // would have copied it from.
        var expected = [Double](repeating: 0, count: change.small.reduce(1, *))
        for (flat, value) in x.scalars.enumerated() {
            expected[broadcastSourceOffset(multiIndex(flat, in: change.large), change.small)] += value
        }
        let tolerance = Double(x.count) * (Double.ulpOfOne / 2) * x.scalars.reduce(0) { $0 + abs($1) }  // n·u·Σ|x|
        for (got, want) in zip(y.data.scalars, expected) {
            #expect(abs(got - want) <= tolerance, "sumTo \(change): \(got) vs \(want)")
        }
        try checkGradients("sumTo \(change)", [x]) { xs in try sumTo(xs[0], change.small) }
    }

    @Test func sumToErrors() throws {
        let m = Variable(try! Tensor.zeros([2, 3]))
        #expect(throws: AutogradError.cannotBroadcast(from: [4], to: [2, 3])) { try sumTo(m, [4]) }
        #expect(throws: AutogradError.cannotBroadcast(from: [1, 2, 3], to: [2, 3])) { try sumTo(m, [1, 2, 3]) }
        #expect(throws: AutogradError.cannotBroadcast(from: [3, 1], to: [2, 3])) { try sumTo(m, [3, 1]) }
        #expect(try sumTo(m, [2, 3]) === m)
    }

    // MARK: reshape

    @Test(arguments: [[3, 2], [6], [1, 6, 1], [2, 3], [3, 1, 2]] as [[Int]])
    func reshapeValuesAndGradient(shape: [Int]) throws {
        var rng = SplitMix64(seed: 48)
        let x = rng.tensor([2, 3], in: -2...2)
        let y = try reshape(Variable(x), shape)
        #expect(y.shape == shape)
        #expect(y.data.scalars == x.scalars)  // row-major order is kept
        try checkGradients("reshape [2, 3] → \(shape)", [x]) { xs in try reshape(xs[0], shape) }
    }

    @Test func reshapeScalarAndErrors() throws {
        let one = Variable(try Tensor(shape: [1, 1], scalars: [4.5]))
        let s = try reshape(one, [])
        #expect(s.shape == [] && s.data.scalar == 4.5)
        #expect(try gradients(of: s, withRespectTo: [one])[0].shape == [1, 1])

        let x = Variable(try Tensor.zeros([2, 3]))
        #expect(throws: AutogradError.cannotReshape(from: [2, 3], to: [4], reason: "that shape holds 4 elements")) {
            try reshape(x, [4])
        }
        #expect(throws: AutogradError.cannotReshape(from: [2, 3], to: [], reason: "that shape holds 1 element")) {
            try reshape(x, [])
        }
        #expect(throws: AutogradError.negativeDimension([-2, -3])) { try reshape(x, [-2, -3]) }
        #expect(try reshape(x, [2, 3]) === x)
    }

    /// The shape ops keep float32, forwards and backwards.
    @Test func shapeOpsKeepFloat32() throws {
        let x = Variable(try Tensor(shape: [2, 1], float32Scalars: [0.1, -2.5]))
        let b = try broadcastTo(x, [3, 2, 4])
        let s = try sumTo(b, [2, 1])
        let r = try reshape(s, [1, 2])
        for v in [b, s, r] { #expect(v.dtype == .float32) }
        // Each element was copied 3·4 = 12 times and summed back to 12·x: twelve 24-bit
        // values add exactly in double, and the sum rounds once to Float, as Float's own
        // product 12·x does (one correctly rounded operation on the exact value).
        #expect(r.data.scalars == [Double(Float(0.1) * 12), -30])
        let g = try gradients(of: sum(r), withRespectTo: [x])[0]
        #expect(g.dtype == .float32 && g.shape == [2, 1])
        #expect(g.data.scalars == [12, 12])
    }

    // MARK: Composites

    /// Second derivatives through the shape ops' backward passes (each other's adjoints).
    @Test func numericalSecondOrderThroughShapeOps() throws {
        var rng = SplitMix64(seed: 49)
        let x = rng.tensor([3, 1], in: -2...2)
        let z = rng.tensor([2, 3, 4], in: -2...2)
        try checkSecondOrderGradients("square(broadcastTo(x, [2, 3, 4]))", [x]) { xs in
            square(try broadcastTo(xs[0], [2, 3, 4]))
        }
        try checkSecondOrderGradients("sumTo(z·z, [3, 1])", [z]) { xs in try sumTo(xs[0] * xs[0], [3, 1]) }
        try checkSecondOrderGradients("exp(reshape(x, [3])) · x", [x]) { xs in
            exp(try reshape(xs[0], [3])) * xs[0]
        }
    }
}
