import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The losses against textbook formulas evaluated here with the C library, their
/// gradients against the closed forms, central differences of first and second order,
/// the extremes where the textbook formulas fail, and the user-facing errors.
@Suite("Losses: values, gradients, extremes, errors")
struct LossTests {
    private func tensor(_ shape: [Int], _ values: [Double]) -> Tensor {
        try! Tensor(shape: shape, scalars: values)
    }

    private func scalar(_ v: Variable) throws -> Double { try #require(v.data.scalar) }

    // MARK: Softmax cross-entropy

    /// `-(1/N) Σᵢ log(e^(x[i, tᵢ]) / Σ_c e^(x[i, c]))`, by the textbook formula, and its
    /// gradient `(softmax(xᵢ) - onehot(tᵢ))/N`.
    @Test func crossEntropyMatchesTextbook() throws {
        var rng = SplitMix64(seed: 61)
        let xv = rng.tensor([4, 5], in: -3...3), labels = [0.0, 4, 2, 2]
        let x = Variable(xv)
        let loss = try softmaxCrossEntropy(x, labels: tensor([4], labels))
        var expected = 0.0
        var grad = [Double](repeating: 0, count: 20)
        for i in 0..<4 {
            let row = (0..<5).map { xv.scalars[i * 5 + $0] }
            let total = row.reduce(0) { $0 + Glibc.exp($1) }
            expected -= Glibc.log(Glibc.exp(row[Int(labels[i])]) / total) / 4
            for c in 0..<5 { grad[i * 5 + c] = (Glibc.exp(row[c]) / total - (c == Int(labels[i]) ? 1 : 0)) / 4 }
        }
        expectRelative(try scalar(loss), expected, rtol: 1e-14, "cross-entropy")
        let g = try gradients(of: loss, withRespectTo: [x])[0]
        for (a, b) in zip(g.data.scalars, grad) { #expect(Swift.abs(a - b) <= 1e-15, "gradient \(a) vs \(b)") }
    }

    /// Logits of ±1000: the textbook e¹⁰⁰⁰ overflows, while log_softmax gives exactly
    /// -1000 - 1000 - log(1) = -2000 for the labelled -1000 against a 1000 (row 0) and 0
    /// for the labelled 1000 (row 1); the gradient (softmax - onehot)/N is exactly
    /// ([1, 0, 0] - [0, 1, 0])/2 for row 0 and 0 for row 1.
    /// int64 labels (what torch requires) give the same loss and gradient, to the bit, as
    /// the same labels as floats; both match torch: for `x = arange(20.).reshape(4, 5).sin()`
    /// and labels `[0, 4, 2, 2]`, `F.cross_entropy` = 2.091625877298959 and x.grad[0] as below.
    @Test func crossEntropyInt64LabelsMatchFloatLabels() throws {
        let xv = try Tensor(shape: [4, 5], scalars: (0..<20).map { Glibc.sin(Double($0)) })
        let xi = Variable(xv), xf = Variable(xv)
        let li = try softmaxCrossEntropy(xi, labels: Tensor(int64: [0, 4, 2, 2]))
        let lf = try softmaxCrossEntropy(xf, labels: Tensor([0, 4, 2, 2]))
        li.backward()
        lf.backward()
        #expect(li.data == lf.data)
        #expect(xi.grad?.data == xf.grad?.data)
        #expect(Swift.abs(try scalar(li) - 2.091625877298959) < 1e-14)
        let torchRow0 = [-0.21632126462978024, 0.07812714979757389, 0.08361007833781861, 0.038783180033152655, 0.015800856461235066]
        let row0 = try #require(xi.grad).data.scalars.prefix(5)
        for (a, b) in Swift.zip(row0, torchRow0) { #expect(Swift.abs(a - b) < 1e-15) }
        // In a variable (a constant: int64 never requires grad), and out of range.
        #expect(try softmaxCrossEntropy(Variable(xv), Variable(Tensor(int64: [0, 4, 2, 2]))).data == lf.data)
        #expect(throws: AutogradError.invalidClassLabel(label: 5, classes: 5)) {
            try softmaxCrossEntropy(xi, labels: Tensor(int64: [0, 5, 2, 2]))
        }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "LogSoftmax")) {
            try softmaxCrossEntropy(Variable(Tensor(int64: [1, 2])), labels: Tensor(int64: 0))
        }
    }

    @Test func crossEntropyLargeLogits() throws {
        #expect((Glibc.log(Glibc.exp(-1000.0) / (Glibc.exp(1000.0) + Glibc.exp(-1000.0)))).isInfinite)
        let x = Variable(tensor([2, 3], [1000, -1000, 0, -1000, 1000, 0]))
        let loss = try softmaxCrossEntropy(x, labels: tensor([2], [1, 1]))
        #expect(try scalar(loss) == 1000)   // (2000 + 0) / 2
        let g = try gradients(of: loss, withRespectTo: [x])[0]
        #expect(g.data.scalars == [0.5, -0.5, 0, 0, 0, 0])
    }

    /// The labels are only read: a label variable gets a zero gradient.
    @Test func crossEntropyLabelsGetNoGradient() throws {
        let x = Variable(tensor([2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])), t = Variable(tensor([2], [2, 0]))
        let g = try gradients(of: try softmaxCrossEntropy(x, t), withRespectTo: [x, t])
        #expect(g[1].data.scalars == [0, 0])
        #expect(g[0].data.scalars.contains { $0 != 0 })
    }

    /// torch's other shapes: unbatched logits [C] with a 0-d label, and [N, C, D] logits
    /// with [N, D] labels (class axis 1, mean over N·D).
    @Test func crossEntropyShapes() throws {
        let v = tensor([3], [0.5, -1, 2])
        let unbatched = try softmaxCrossEntropy(Variable(v), labels: Tensor(2.0))
        let lse = Glibc.log(v.scalars.reduce(0) { $0 + Glibc.exp($1) })
        expectRelative(try scalar(unbatched), lse - 2, rtol: 1e-15, "unbatched")

        var rng = SplitMix64(seed: 62)
        let xv = rng.tensor([2, 3, 4], in: -2...2)
        let labels = [0.0, 1, 2, 0, 2, 2, 1, 0]   // [2, 4]
        let loss = try softmaxCrossEntropy(Variable(xv), labels: tensor([2, 4], labels))
        var expected = 0.0
        for n in 0..<2 {
            for d in 0..<4 {
                let column = (0..<3).map { xv.scalars[(n * 3 + $0) * 4 + d] }
                let lse = Glibc.log(column.reduce(0) { $0 + Glibc.exp($1) })
                expected += (lse - column[Int(labels[n * 4 + d])]) / 8
            }
        }
        expectRelative(try scalar(loss), expected, rtol: 1e-14, "spatial")
    }

    @Test(arguments: [[3, 4], [4], [2, 3, 2]] as [[Int]])
    func crossEntropyNumericalGradients(shape: [Int]) throws {
        var rng = SplitMix64(seed: 63)
        let x = rng.tensor(shape, in: -2...2)
        var labelShape = shape
        labelShape.remove(at: shape.count == 1 ? 0 : 1)
        let classes = shape.count == 1 ? shape[0] : shape[1]
        let count = labelShape.reduce(1, *)
        let labels = tensor(labelShape, (0..<count).map { Double(($0 * 7 + 1) % classes) })
        try checkGradients("softmax_cross_entropy", [x]) { xs in try softmaxCrossEntropy(xs[0], labels: labels) }
        // The logits scaled by a second input, so that the second derivatives are not
        // all cancelled by softmax's shift invariance.
        let scale = rng.tensor(shape, in: 0.5...1.5)
        try checkSecondOrderGradients("softmax_cross_entropy", [x, scale]) { xs in
            try softmaxCrossEntropy(xs[0] * xs[1], labels: labels)
        }
    }

    @Test func crossEntropyErrors() {
        let x = Variable(tensor([2, 3], [1, 2, 3, 4, 5, 6]))
        #expect(throws: AutogradError.invalidClassLabel(label: 3, classes: 3)) {
            try softmaxCrossEntropy(x, labels: tensor([2], [0, 3]))
        }
        #expect(throws: AutogradError.invalidClassLabel(label: -1, classes: 3)) {
            try softmaxCrossEntropy(x, labels: tensor([2], [-1, 0]))
        }
        #expect(throws: AutogradError.invalidClassLabel(label: 1.5, classes: 3)) {
            try softmaxCrossEntropy(x, labels: tensor([2], [1.5, 0]))
        }
        #expect(throws: AutogradError.self) { try softmaxCrossEntropy(x, labels: tensor([2], [.nan, 0])) }
        #expect(AutogradError.invalidClassLabel(label: 3, classes: 3).description == "class label 3 is not an integer in 0..<3")
        #expect(AutogradError.invalidClassLabel(label: 1.5, classes: 3).description == "class label 1.5 is not an integer in 0..<3")
        let mismatch = AutogradError.invalidArgument(
            op: "softmax_cross_entropy", reason: "labels of shape [3] do not fit logits of shape [2, 3] (expected [2])")
        #expect(throws: mismatch) { try softmaxCrossEntropy(x, labels: tensor([3], [0, 1, 2])) }
        #expect(mismatch.description == "softmax_cross_entropy: labels of shape [3] do not fit logits of shape [2, 3] (expected [2])")
        #expect(throws: AutogradError.invalidArgument(op: "softmax_cross_entropy", reason: "logits must have a class axis, got a 0-d tensor")) {
            try softmaxCrossEntropy(Variable(1.0), labels: Tensor(0.0))
        }
    }

    // MARK: Binary cross-entropy with logits

    /// mean(-(t log σ(x) + (1 - t) log(1 - σ(x)))) by the textbook formula with σ from the
    /// C library; gradients (σ(x) - t)/n and -x/n.
    @Test func bceWithLogitsMatchesTextbook() throws {
        var rng = SplitMix64(seed: 64)
        let xv = rng.tensor([2, 3], in: -4...4), tv = rng.tensor([2, 3], in: 0...1)
        let x = Variable(xv), t = Variable(tv)
        let loss = try binaryCrossEntropyWithLogits(x, t)
        var expected = 0.0
        for (xi, ti) in zip(xv.scalars, tv.scalars) {
            let s = 1 / (1 + Glibc.exp(-xi))
            expected -= (ti * Glibc.log(s) + (1 - ti) * Glibc.log(1 - s)) / 6
        }
        expectRelative(try scalar(loss), expected, rtol: 1e-13, "bce with logits")
        let g = try gradients(of: loss, withRespectTo: [x, t])
        for i in 0..<6 {
            let s = 1 / (1 + Glibc.exp(-xv.scalars[i]))
            #expect(Swift.abs(g[0].data.scalars[i] - (s - tv.scalars[i]) / 6) <= 1e-16)
            #expect(g[1].data.scalars[i] == -xv.scalars[i] / 6)
        }
    }

    /// Logits of ±1000: log σ(-1000) = -1000 - log1p(e⁻¹⁰⁰⁰) = -1000 exactly, so the
    /// losses are (1 - t)·x - log σ(x) = 1000, 1000, 0, 0 and the mean 500; the textbook
    /// t·log σ(x) is log(0) = -∞ there. Gradients: (σ - t)/4 and -x/4.
    @Test func bceWithLogitsLargeLogits() throws {
        #expect(Glibc.log(1 / (1 + Glibc.exp(1000.0))).isInfinite)
        let x = Variable(tensor([4], [1000, -1000, 1000, -1000])), t = Variable(tensor([4], [0, 1, 1, 0]))
        let loss = try binaryCrossEntropyWithLogits(x, t)
        #expect(try scalar(loss) == 500)
        let g = try gradients(of: loss, withRespectTo: [x, t])
        #expect(g[0].data.scalars == [0.25, -0.25, 0, 0])
        #expect(g[1].data.scalars == [-250, 250, -250, 250])
    }

    @Test(arguments: [[], [4], [2, 3]] as [[Int]])
    func bceWithLogitsNumericalGradients(shape: [Int]) throws {
        var rng = SplitMix64(seed: 65)
        let inputs = [rng.tensor(shape, in: -3...3), rng.tensor(shape, in: 0...1)]
        try checkGradients("bce_with_logits", inputs) { xs in try binaryCrossEntropyWithLogits(xs[0], xs[1]) }
        try checkSecondOrderGradients("bce_with_logits", inputs) { xs in try binaryCrossEntropyWithLogits(xs[0], xs[1]) }
    }

    // MARK: Binary cross-entropy

    /// mean(-(t log p + (1 - t) log(1 - p))); gradients (p - t)/(p(1 - p))/n and
    /// -log(p/(1 - p))/n.
    @Test func bceMatchesTextbook() throws {
        var rng = SplitMix64(seed: 66)
        let pv = rng.tensor([2, 3], in: 0.05...0.95), tv = rng.tensor([2, 3], in: 0...1)
        let p = Variable(pv), t = Variable(tv)
        let loss = try binaryCrossEntropy(p, t)
        var expected = 0.0
        for (pi, ti) in zip(pv.scalars, tv.scalars) {
            expected -= (ti * Glibc.log(pi) + (1 - ti) * Glibc.log(1 - pi)) / 6
        }
        expectRelative(try scalar(loss), expected, rtol: 1e-13, "bce")
        let g = try gradients(of: loss, withRespectTo: [p, t])
        for i in 0..<6 {
            let pi = pv.scalars[i], ti = tv.scalars[i]
            expectRelative(g[0].data.scalars[i], (pi - ti) / (pi * (1 - pi)) / 6, rtol: 1e-13, "∂/∂p")
            expectRelative(g[1].data.scalars[i], -Glibc.log(pi / (1 - pi)) / 6, rtol: 1e-13, "∂/∂t")
        }
    }

    /// Probabilities 0 and 1: each log is clamped at -100 (torch's rule), so a confident
    /// wrong answer costs 100 rather than ∞, and 0·log 0 is 0, not NaN. The gradient's
    /// denominator p(1 - p) = 0 is clamped at torch's float 1e-12; the targets' gradient
    /// -logit(p)/n is ±∞ there, as in torch.
    @Test func bceClampedLogs() throws {
        let p = Variable(tensor([4], [0, 1, 0, 1])), t = Variable(tensor([4], [1, 0, 0, 1]))
        let loss = try binaryCrossEntropy(p, t)
        #expect(try scalar(loss) == 50)   // (100 + 100 + 0 + 0) / 4
        let g = try gradients(of: loss, withRespectTo: [p, t])
        let epsilon = Double(Float(1e-12))
        #expect(g[0].data.scalars == [-1 / epsilon / 4, 1 / epsilon / 4, 0, 0])
        #expect(g[1].data.scalars == [.infinity, -.infinity, .infinity, -.infinity])
    }

    @Test(arguments: [[], [4], [2, 3]] as [[Int]])
    func bceNumericalGradients(shape: [Int]) throws {
        var rng = SplitMix64(seed: 67)
        let inputs = [rng.tensor(shape, in: 0.1...0.9), rng.tensor(shape, in: 0...1)]
        try checkGradients("bce", inputs) { xs in try binaryCrossEntropy(xs[0], xs[1]) }
        try checkSecondOrderGradients("bce", inputs) { xs in try binaryCrossEntropy(xs[0], xs[1]) }
    }

    @Test func bceErrors() {
        let t = Variable(tensor([2], [1, 0]))
        let above = AutogradError.invalidArgument(op: "binary_cross_entropy", reason: "all elements of input should be between 0 and 1, found 1.5")
        #expect(throws: above) { try binaryCrossEntropy(Variable(tensor([2], [0.5, 1.5])), t) }
        #expect(above.description == "binary_cross_entropy: all elements of input should be between 0 and 1, found 1.5")
        #expect(throws: AutogradError.invalidArgument(op: "binary_cross_entropy", reason: "all elements of input should be between 0 and 1, found nan")) {
            try binaryCrossEntropy(Variable(tensor([2], [.nan, 0.5])), t)
        }
        let differ = AutogradError.shapesDiffer([3], [2], op: "binary_cross_entropy")
        #expect(throws: differ) { try binaryCrossEntropy(Variable(tensor([3], [0.5, 0.5, 0.5])), t) }
        #expect(differ.description == "binary_cross_entropy: shapes [3] and [2] must be equal")
        #expect(throws: AutogradError.shapesDiffer([3], [2], op: "binary_cross_entropy_with_logits")) {
            try binaryCrossEntropyWithLogits(Variable(tensor([3], [0.5, 0.5, 0.5])), t)
        }
    }

    // MARK: Mean squared error

    /// mean((x - y)²), gradients ±2(x - y)/n; with broadcasting, y [3] against x [2, 3] gets
    /// its gradient summed over the rows.
    @Test func mseValuesAndGradients() throws {
        let x = Variable(tensor([2, 3], [1, 2, 3, 4, 5, 6])), y = Variable(tensor([3], [0, 2, 5]))
        let loss = try meanSquaredError(x, y)
        // Differences [1, 0, -2, 4, 3, 1]: squares sum to 1 + 0 + 4 + 16 + 9 + 1 = 31.
        expectRelative(try scalar(loss), 31.0 / 6, rtol: 1e-15, "mse")
        let g = try gradients(of: loss, withRespectTo: [x, y])
        let d = [1.0, 0, -2, 4, 3, 1]
        for i in 0..<6 { expectRelative(g[0].data.scalars[i], 2 * d[i] / 6, rtol: 1e-15, "∂/∂x") }
        for j in 0..<3 { expectRelative(g[1].data.scalars[j], -2 * (d[j] + d[j + 3]) / 6, rtol: 1e-15, "∂/∂y") }
        #expect(g[1].shape == [3])
    }

    /// (1e200)² overflows to ∞, but the gradient 2d/n is finite.
    @Test func mseHugeDifferences() throws {
        let x = Variable(tensor([2], [1e200, 0]))
        let loss = try meanSquaredError(x, Variable.constant(tensor([2], [0, 0])))
        #expect(try scalar(loss) == .infinity)
        #expect(try gradients(of: loss, withRespectTo: [x])[0].data.scalars == [1e200, 0])
    }

    @Test(arguments: [([], []), ([4], [4]), ([2, 3], [3])] as [([Int], [Int])])
    func mseNumericalGradients(shapes: ([Int], [Int])) throws {
        var rng = SplitMix64(seed: 68)
        let inputs = [rng.tensor(shapes.0, in: -2...2), rng.tensor(shapes.1, in: -2...2)]
        try checkGradients("mse", inputs) { xs in try meanSquaredError(xs[0], xs[1]) }
        try checkSecondOrderGradients("mse", inputs) { xs in try meanSquaredError(xs[0], 2 * xs[1]) }
    }

    // MARK: Huber and smooth L1

    /// Huber: ½d² for |d| < δ, δ(|d| - ½δ) beyond; gradient clamp(d, -δ, δ)/n; second
    /// derivative [|d| < δ]/n, so 0 at the kink |d| = δ itself (torch's mask).
    @Test func huberValuesAndDerivatives() throws {
        let d = [0.0, 0.5, -1, 1, 2.5, -3]
        let x = Variable(tensor([6], d))
        let loss = try huberLoss(x, Variable.constant(tensor([6], [0, 0, 0, 0, 0, 0])), delta: 1)
        let expected = d.map { Swift.abs($0) < 1 ? $0 * $0 / 2 : Swift.abs($0) - 0.5 }.reduce(0, +) / 6
        expectRelative(try scalar(loss), expected, rtol: 1e-15, "huber")
        let g = try gradients(of: loss, withRespectTo: [x], createGraph: true)[0]
        #expect(g.data.scalars == d.map { Swift.min(Swift.max($0, -1), 1) / 6 })
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        #expect(h.data.scalars == [1.0 / 6, 1.0 / 6, 0, 0, 0, 0])
        // δ = 2 moves the kink.
        let wide = try huberLoss(Variable(2.5), Variable(0.0), delta: 2)
        #expect(try scalar(wide) == 2 * (2.5 - 1))
    }

    /// Smooth L1: ½d²/β for |d| < β, |d| - ½β beyond; gradient clamp(d/β, -1, 1)/n;
    /// second derivative [|d| < β]/(βn). β = 0 is the L1 loss, with gradient sign(d)/n
    /// (0 at d = 0).
    @Test func smoothL1ValuesAndDerivatives() throws {
        let d = [0.0, 0.25, -0.5, 0.5, 2, -3]
        let x = Variable(tensor([6], d)), zero = Variable.constant(tensor([6], [0, 0, 0, 0, 0, 0]))
        let loss = try smoothL1Loss(x, zero, beta: 0.5)
        let expected = d.map { Swift.abs($0) < 0.5 ? $0 * $0 / 1 : Swift.abs($0) - 0.25 }.reduce(0, +) / 6
        expectRelative(try scalar(loss), expected, rtol: 1e-15, "smooth L1")
        let g = try gradients(of: loss, withRespectTo: [x], createGraph: true)[0]
        for (gi, di) in zip(g.data.scalars, d) {
            expectRelative(gi, Swift.min(Swift.max(di / 0.5, -1), 1) / 6, rtol: 1e-15, "smooth L1'(\(di))")
        }
        let h = try gradients(of: sum(g), withRespectTo: [x])[0]
        let inside: Double = 1 / 0.5 / 6
        #expect(h.data.scalars == [inside, inside, 0, 0, 0, 0])

        let l1 = try smoothL1Loss(x, zero, beta: 0)
        #expect(try scalar(l1) == d.map { Swift.abs($0) }.reduce(0, +) / 6)
        #expect(try gradients(of: l1, withRespectTo: [x])[0].data.scalars == [0, 1, -1, 1, 1, -1].map { $0 / 6 })
    }

    @Test(arguments: [([], []), ([5], [5]), ([2, 3], [3])] as [([Int], [Int])])
    func huberAndSmoothL1NumericalGradients(shapes: ([Int], [Int])) throws {
        var rng = SplitMix64(seed: 69)
        // Differences kept at least 0.05 away from the kinks at ±0.7 (δ) and ±0.4 (β): an
        // element of x (which has the full shape) too close to one moves by 0.12.
        let x0 = rng.tensor(shapes.0, in: -2...2)
        let y = rng.tensor(shapes.1, in: -0.5...0.5)
        let differences = referenceBinary(x0, y, outShape: shapes.0) { $0 - $1 }
        let x = try Tensor(shape: shapes.0, scalars: zip(x0.scalars, differences).map { xi, d in
            let nearKink = [0.7, 0.4].contains { Swift.abs(Swift.abs(d) - $0) < 0.05 }
            return nearKink ? xi + 0.12 : xi
        })
        try checkGradients("huber", [x, y]) { xs in try huberLoss(xs[0], xs[1], delta: 0.7) }
        try checkGradients("smooth_l1", [x, y]) { xs in try smoothL1Loss(xs[0], xs[1], beta: 0.4) }
        try checkSecondOrderGradients("huber", [x, y]) { xs in try huberLoss(xs[0], 2 * xs[1], delta: 0.7) }
        try checkSecondOrderGradients("smooth_l1", [x, y]) { xs in try smoothL1Loss(xs[0], 2 * xs[1], beta: 0.4) }
    }

    @Test func regressionLossErrors() {
        let a = Variable(tensor([2, 3], [1, 2, 3, 4, 5, 6])), b = Variable(tensor([2], [1, 2]))
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [2], op: "mean_squared_error")) { try meanSquaredError(a, b) }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [2], op: "huber_loss")) { try huberLoss(a, b) }
        #expect(throws: AutogradError.shapesDoNotBroadcast([2, 3], [2], op: "smooth_l1_loss")) { try smoothL1Loss(a, b) }
        let delta = AutogradError.invalidArgument(op: "huber_loss", reason: "delta must be positive, got 0.0")
        #expect(throws: delta) { try huberLoss(a, a, delta: 0) }
        #expect(delta.description == "huber_loss: delta must be positive, got 0.0")
        #expect(throws: AutogradError.invalidArgument(op: "smooth_l1_loss", reason: "beta must not be negative, got -1.0")) {
            try smoothL1Loss(a, a, beta: -1)
        }
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "mean_squared_error")) {
            try meanSquaredError(Variable(1.0), Variable(1.0, dtype: .float32))
        }
    }

    /// float32 losses run in Float and agree with float64 to float precision.
    @Test func float32MatchesFloat64() throws {
        var rng = SplitMix64(seed: 70)
        let x32 = rng.float32Tensor([2, 3], in: -2...2), t32 = rng.float32Tensor([2, 3], in: 0...1)
        let x64 = x32.converted(to: .float64), t64 = t32.converted(to: .float64)
        let pairs: [(String, (Variable, Variable) throws -> Variable)] = [
            ("bce_with_logits", binaryCrossEntropyWithLogits),
            ("bce", { try binaryCrossEntropy(sigmoid($0), $1) }),
            ("mse", meanSquaredError),
            ("huber", { try huberLoss($0, $1) }),
            ("smooth_l1", { try smoothL1Loss($0, $1) }),
            ("cross_entropy", { logits, _ in try softmaxCrossEntropy(logits, labels: try! Tensor(shape: [2], scalars: [2, 0])) }),
        ]
        for (name, f) in pairs {
            let a32 = Variable(x32), a64 = Variable(x64)
            let l32 = try f(a32, Variable(t32)), l64 = try f(a64, Variable(t64))
            #expect(l32.dtype == .float32, "\(name)")
            let v32 = try scalar(l32), v64 = try scalar(l64)
            #expect(Swift.abs(v32 - v64) <= 1e-6 * Swift.abs(v64) + 1e-7, "\(name): \(v32) vs \(v64)")
            let g32 = try gradients(of: l32, withRespectTo: [a32])[0], g64 = try gradients(of: l64, withRespectTo: [a64])[0]
            #expect(g32.dtype == .float32, "\(name)")
            for (p, q) in zip(g32.data.scalars, g64.data.scalars) {
                #expect(Swift.abs(p - q) <= 1e-6 * Swift.abs(q) + 1e-7, "\(name)': \(p) vs \(q)")
            }
        }
    }
}
