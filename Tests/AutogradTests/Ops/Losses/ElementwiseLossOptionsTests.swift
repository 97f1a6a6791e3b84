import Testing
@testable import Autograd

/// Reductions and weights of the elementwise losses (binary cross-entropy on logits and
/// on probabilities, MSE, L1, Huber, smooth L1) against torch 2.15 (CPU, float64) numbers,
/// each test naming the call that gave them (gradients of `l.sum()`), and against central
/// differences of first and second order.
@Suite("Losses: reductions, weights, pos_weight")
struct ElementwiseLossOptionsTests {
    private func tensor(_ shape: [Int], _ values: [Double]) -> Tensor {
        try! Tensor(shape: shape, scalars: values)
    }

    private var logits: Tensor { tensor([2, 3], [0.5, -1.5, 2.0, -0.25, 3.0, -2.5]) }
    private var targets: Tensor { tensor([2, 3], [1.0, 0.0, 0.3, 0.8, 1.0, 0.0]) }

    /// `F.binary_cross_entropy_with_logits(x, t, weight=[[2], [0.5]], pos_weight=[3, 0.5, 1.5],
    /// reduction=r)`: the weight broadcasts along rows, pos_weight along the last axis.
    @Test func bceWithLogitsWeightAndPosWeight() throws {
        let gradX = [-2.265244012788872, 0.3648510476127127, 1.1258332793491292, -0.6308294511515375,
                     -0.011856468294391659, 0.03792909001062177]
        let gradT = [0.8963079367204267, 1.2985867220172476, -3.8730719889570278, 0.9509394198788435,
                     -1.5121468378934355, 1.8947224335731374]
        for (reduction, value, scale) in [
            (Reduction.mean, [1.2399226395545313], 1.0 / 6), (.sum, [7.439535837327188], 1),
            (.none, [2.84446190508064, 0.4028265559655049, 3.0919344253988363, 1.0487212458424968,
                     0.012146837893435515, 0.03944486714627482], 1),
        ] {
            let x = Variable(logits), t = Variable(targets)
            let loss = try binaryCrossEntropyWithLogits(
                x, t, weight: tensor([2, 1], [2, 0.5]), posWeight: Tensor([3.0, 0.5, 1.5]), reduction: reduction)
            #expect(loss.shape == (reduction == .none ? [2, 3] : []))
            expectClose(loss.data.scalars, value, "bce_with_logits \(reduction)")
            let g = try gradients(of: loss, withRespectTo: [x, t])
            expectClose(g[0].data.scalars, gradX.map { $0 * scale }, "∂x \(reduction)")
            expectClose(g[1].data.scalars, gradT.map { $0 * scale }, "∂t \(reduction)")
        }
    }

    /// Logits of ±1000 with pos_weight 2 (`F.binary_cross_entropy_with_logits(x, t,
    /// pos_weight=torch.tensor(2.))`): losses 1000, 2·1000, 0, 0, mean 750 exactly;
    /// gradients [0.25, -0.5, 0, 0] and [-250, 500, -250, 500], all finite.
    @Test func bceWithLogitsPosWeightLargeLogits() throws {
        let x = Variable(tensor([4], [1000, -1000, 1000, -1000])), t = Variable(tensor([4], [0, 1, 1, 0]))
        let loss = try binaryCrossEntropyWithLogits(x, t, posWeight: Tensor(2.0))
        #expect(loss.data.scalars == [750])
        let g = try gradients(of: loss, withRespectTo: [x, t])
        #expect(g[0].data.scalars == [0.25, -0.5, 0, 0])
        #expect(g[1].data.scalars == [-250, 500, -250, 500])
    }

    /// `F.binary_cross_entropy(p, t, weight=[1, 2, 0.5], reduction=r)`.
    @Test func bceWeight() throws {
        let p = tensor([2, 3], [0.2, 0.9, 0.5, 0.7, 0.05, 0.6])
        let gradP = [-4.999999999999999, 20.000000000000004, 0.4, -0.47619047619047655, -40.0, 1.25]
        let gradT = [1.3862943611198906, -4.394449154672439, -0.0, -0.8472978603872034, 5.8888779583328805,
                     -0.2027325540540821]
        for (reduction, value, scale) in [
            (Reduction.mean, [2.2561543529605657], 1.0 / 6), (.sum, [13.536926117763395], 1),
            (.none, [1.6094379124341003, 4.605170185988092, 0.34657359027997264, 0.5261345160161731,
                     5.991464547107982, 0.4581453659370775], 1),
        ] {
            let pv = Variable(p), t = Variable(targets)
            let loss = try binaryCrossEntropy(pv, t, weight: Tensor([1.0, 2, 0.5]), reduction: reduction)
            expectClose(loss.data.scalars, value, "bce \(reduction)")
            let g = try gradients(of: loss, withRespectTo: [pv, t])
            expectClose(g[0].data.scalars, gradP.map { $0 * scale }, "∂p \(reduction)")
            expectClose(g[1].data.scalars, gradT.map { $0 * scale }, "∂t \(reduction)")
        }
    }

    /// `F.mse_loss`, `F.l1_loss`, `F.huber_loss(delta=1.5)`, `F.smooth_l1_loss(beta=0.8)` of
    /// `a` [2, 3] against `b` [3] (torch broadcasts, with a warning): `.none` has the
    /// broadcast shape [2, 3], and `b`'s gradient is summed over the rows.
    @Test func regressionReductions() throws {
        let a = tensor([2, 3], [1, 2, 3, 4, 5, 6]), b = Tensor([0.0, 2.5, 5.0])
        typealias Loss = (Variable, Variable, Reduction) throws -> Variable
        let cases: [(String, Loss, [Double], [Double], [Double], [Double])] = [
            ("mse", { try meanSquaredError($0, $1, reduction: $2) }, [4.75, 28.5], [1.0, 0.25, 4.0, 16.0, 6.25, 1.0],
             [2.0, -1.0, -4.0, 8.0, 5.0, 2.0], [-10.0, -4.0, 2.0]),
            ("l1", { try l1Loss($0, $1, reduction: $2) }, [1.8333333333333333, 11], [1.0, 0.5, 2.0, 4.0, 2.5, 1.0],
             [1.0, -1.0, -1.0, 1.0, 1.0, 1.0], [-2.0, 0.0, 0.0]),
            ("huber", { try huberLoss($0, $1, delta: 1.5, reduction: $2) }, [1.75, 10.5],
             [0.5, 0.125, 1.875, 4.875, 2.625, 0.5], [1.0, -0.5, -1.5, 1.5, 1.5, 1.0], [-2.5, -1.0, 0.5]),
            ("smooth_l1", { try smoothL1Loss($0, $1, beta: 0.8, reduction: $2) }, [1.4427083333333333, 8.65625],
             [0.6, 0.15625, 1.6, 3.6, 2.1, 0.6], [1.0, -0.625, -1.0, 1.0, 1.0, 1.0], [-2.0, -0.375, 0.0]),
        ]
        for (name, f, reducedValues, none, gradA, gradB) in cases {
            for (reduction, value, scale) in [(Reduction.mean, [reducedValues[0]], 1.0 / 6), (.sum, [reducedValues[1]], 1),
                                              (.none, none, 1)] {
                let x = Variable(a), y = Variable(b)
                let loss = try f(x, y, reduction)
                #expect(loss.shape == (reduction == .none ? [2, 3] : []), "\(name) \(reduction)")
                expectClose(loss.data.scalars, value, "\(name) \(reduction)")
                let g = try gradients(of: loss, withRespectTo: [x, y])
                expectClose(g[0].data.scalars, gradA.map { $0 * scale }, "∂a \(name) \(reduction)")
                expectClose(g[1].data.scalars, gradB.map { $0 * scale }, "∂b \(name) \(reduction)")
            }
        }
        // L1's gradient is sign(x - y), 0 at a tie (torch: l1_loss([1, 2, 3], [1, 0, 5])
        // gives [0, 1/3, -1/3]); smooth L1 with beta = 0 is L1, reduction included.
        let x = Variable(Tensor([1.0, 2, 3]))
        let l1 = try l1Loss(x, Variable(Tensor([1.0, 0, 5])))
        #expect(try gradients(of: l1, withRespectTo: [x])[0].data.scalars == [0, 1.0 / 3, -1.0 / 3])
        #expect(try smoothL1Loss(Variable(a), Variable(b), beta: 0, reduction: .none).data.scalars == [1.0, 0.5, 2.0, 4.0, 2.5, 1.0])
    }

    // MARK: Central differences

    @Test(arguments: Reduction.allCases)
    func numericalGradients(reduction: Reduction) throws {
        var rng = SplitMix64(seed: 74)
        let shape = [2, 3]
        let x = rng.tensor(shape, in: -3...3), t = rng.tensor(shape, in: 0...1), p = rng.tensor(shape, in: 0.1...0.9)
        let w = rng.tensor([2, 1], in: 0.5...2), pw = rng.tensor([3], in: 0.5...3)
        let bceLogits: ([Variable]) throws -> Variable = { xs in
            try binaryCrossEntropyWithLogits(xs[0], xs[1], weight: w, posWeight: pw, reduction: reduction)
        }
        try checkGradients("bce_with_logits \(reduction)", [x, t], bceLogits)
        try checkSecondOrderGradients("bce_with_logits \(reduction)", [x, t], bceLogits)
        let bce: ([Variable]) throws -> Variable = { xs in try binaryCrossEntropy(xs[0], xs[1], weight: w, reduction: reduction) }
        try checkGradients("bce \(reduction)", [p, t], bce)
        try checkSecondOrderGradients("bce \(reduction)", [p, t], bce)

        // Differences kept away from the kinks at ±0.7 (δ), ±0.4 (β) and 0 (L1).
        let a = tensor(shape, [1.3, -0.2, 2.1, -1.6, 0.25, -0.05]), b = tensor([3], [0.1, 0.5, -0.3])
        let regression: [(String, ([Variable]) throws -> Variable)] = [
            ("mse", { xs in try meanSquaredError(xs[0], 2 * xs[1], reduction: reduction) }),
            ("l1", { xs in try l1Loss(xs[0], 2 * xs[1], reduction: reduction) }),
            ("huber", { xs in try huberLoss(xs[0], 2 * xs[1], delta: 0.7, reduction: reduction) }),
            ("smooth_l1", { xs in try smoothL1Loss(xs[0], 2 * xs[1], beta: 0.4, reduction: reduction) }),
        ]
        for (name, f) in regression {
            try checkGradients("\(name) \(reduction)", [a, b], f)
            try checkSecondOrderGradients("\(name) \(reduction)", [a, b], f)
        }
    }

    @Test func float32() throws {
        var rng = SplitMix64(seed: 75)
        let x32 = rng.float32Tensor([2, 3], in: -2...2), t32 = rng.float32Tensor([2, 3], in: 0...1)
        let w32 = Tensor([1.0, 2, 0.5]).converted(to: .float32)
        let runs: [(String, (Tensor, Tensor, Tensor) throws -> Variable)] = [
            ("bce_with_logits", { x, t, w in
                try binaryCrossEntropyWithLogits(Variable(x), Variable(t), weight: w, posWeight: w, reduction: .none) }),
            ("bce", { x, t, w in try binaryCrossEntropy(sigmoid(Variable(x)), Variable(t), weight: w, reduction: .sum) }),
            ("huber", { x, t, _ in try huberLoss(Variable(x), Variable(t), reduction: .none) }),
        ]
        for (name, f) in runs {
            let l32 = try f(x32, t32, w32)
            let l64 = try f(x32.converted(to: .float64), t32.converted(to: .float64), w32.converted(to: .float64))
            #expect(l32.dtype == .float32, "\(name)")
            expectClose(l32.data.scalars, l64.data.scalars, tol: 2e-6, name)
        }
    }

    @Test func errors() {
        let x = Variable(logits), t = Variable(targets)
        #expect(throws: AutogradError.cannotBroadcast(from: [2], to: [2, 3])) {
            try binaryCrossEntropyWithLogits(x, t, posWeight: Tensor([1.0, 2]))
        }
        #expect(throws: AutogradError.cannotBroadcast(from: [4], to: [2, 3])) {
            try binaryCrossEntropy(sigmoid(x), t, weight: Tensor([1.0, 2, 3, 4]))
        }
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "binary_cross_entropy_with_logits")) {
            try binaryCrossEntropyWithLogits(x, t, weight: Tensor([1.0, 2, 3]).converted(to: .float32))
        }
        #expect(throws: AutogradError.shapesDiffer([2, 3], [3], op: "binary_cross_entropy_with_logits")) {
            try binaryCrossEntropyWithLogits(x, Variable(Tensor([1.0, 0, 1])), posWeight: Tensor(2.0))
        }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [2], op: "l1_loss")) {
            try l1Loss(x, Variable(Tensor([1.0, 2])))
        }
    }
}
