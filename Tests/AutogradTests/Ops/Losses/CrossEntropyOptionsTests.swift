import Testing
@testable import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise `|a - b| <= tol·(1 + |b|)`, with equal counts, NaN only against NaN.
func expectClose(
    _ actual: [Double], _ expected: [Double], tol: Double = 1e-12, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (i, (a, b)) in zip(actual, expected).enumerated() {
        let ok = b.isNaN ? a.isNaN : Swift.abs(a - b) <= tol * (1 + Swift.abs(b))
        #expect(ok, "\(what)[\(i)]: got \(a), expected \(b)", sourceLocation: sourceLocation)
    }
}

/// torch's cross-entropy and nll_loss options: class weights, ignore_index, label
/// smoothing, probability targets and the three reductions. The expected numbers are
/// torch 2.15 (CPU, float64) outputs, each test naming the call that gave them; the
/// gradients are those of `l.sum()`.
@Suite("Losses: cross-entropy and NLL options")
struct CrossEntropyOptionsTests {
    /// `torch.arange(12.).reshape(4, 3).sin()`.
    private let logits = try! Tensor(shape: [4, 3], scalars: (0..<12).map { Glibc.sin(Double($0)) })
    private let classWeight = Tensor([0.5, 2.0, 1.5])
    private let labels = Tensor(int64: [0, 2, -100, 1])

    // MARK: Hand derivations

    /// nll_loss by hand: x = [[-1, -2], [-3, -4]], labels [1, 0], weights [2, 5]: the
    /// losses are w₁·2 = 10 and w₀·3 = 6; the mean divides by w₁ + w₀ = 7; the gradient
    /// of the mean is -w_y/7 at each labelled entry.
    @Test func nllWeightedMeanByHand() throws {
        let x = Variable(try Tensor(shape: [2, 2], scalars: [-1, -2, -3, -4]))
        let labels = Tensor(int64: [1, 0]), w = Tensor([2.0, 5.0])
        let mean = try nllLoss(x, labels: labels, weight: w)
        #expect(mean.data.scalars == [16.0 / 7])
        #expect(try nllLoss(x, labels: labels, weight: w, reduction: .sum).data.scalars == [16])
        let none = try nllLoss(x, labels: labels, weight: w, reduction: .none)
        #expect(none.shape == [2] && none.data.scalars == [10, 6])
        #expect(try gradients(of: mean, withRespectTo: [x])[0].data.scalars == [0, -5.0 / 7, -2.0 / 7, 0])
        // Ignoring label 0 leaves row 0: 10/w₁ = 2; ignoring a label that is not a class
        // (any number) is allowed.
        #expect(try nllLoss(x, labels: labels, weight: w, ignoreIndex: 0).data.scalars == [2])
        #expect(try nllLoss(x, labels: Tensor(int64: [1, -7]), ignoreIndex: -7).data.scalars == [2])
        // 1-d input with a 0-d label: -x[2].
        #expect(try nllLoss(Variable(Tensor([0.3, -0.2, 0.9])), labels: Tensor(int64: 2)).data.scalars == [-0.9])
    }

    /// Label smoothing by hand on two classes with ε = 0.5: a target of class 0 costs
    /// -(0.5·log p₀ + 0.25·(log p₀ + log p₁)) = -(0.75 log p₀ + 0.25 log p₁).
    @Test func labelSmoothingByHand() throws {
        let x = Tensor([0.3, -1.1])
        let lse = Glibc.log(Glibc.exp(0.3) + Glibc.exp(-1.1))
        let logP = [0.3 - lse, -1.1 - lse]
        let loss = try softmaxCrossEntropy(Variable(x), labels: Tensor(int64: 0), labelSmoothing: 0.5)
        expectClose(loss.data.scalars, [-(0.75 * logP[0] + 0.25 * logP[1])], tol: 1e-15, "smoothed")
        // ε = 1: the uniform target, whatever the label.
        let uniform = try softmaxCrossEntropy(Variable(x), labels: Tensor(int64: 1), labelSmoothing: 1)
        expectClose(uniform.data.scalars, [-(logP[0] + logP[1]) / 2], tol: 1e-15, "uniform")
    }

    // MARK: Against torch

    /// `F.cross_entropy(x, t, weight=w, reduction=r)` with t = [0, 2, -100, 1] (the default
    /// ignore_index), w = [0.5, 2, 1.5]: the mean divides by w₀ + w₂ + w₁ = 4.
    @Test func crossEntropyWeightsAndIgnoreIndex() throws {
        let torchMean = 1.5618118242779948, torchSum = 6.247247297111979
        let torchNone = [0.879131896270682, 2.4811281518773183, 0.0, 2.8869872489639787]
        let torchGradMean = [-0.10345702139294999, 0.049974902507984025, 0.05348211888496597, 0.21548361498662916,
                             0.08779129682613065, -0.3032749118127598, 0, 0, 0,
                             0.30712476634859814, -0.38194926685897873, 0.07482450051038059]
        let torchGradSum = [-0.41382808557179995, 0.1998996100319361, 0.21392847553986388, 0.8619344599465166,
                            0.3511651873045226, -1.2130996472510391, 0, 0, 0,
                            1.2284990653943926, -1.527797067435915, 0.29929800204152235]
        for (reduction, value, grad) in [(Reduction.mean, [torchMean], torchGradMean), (.sum, [torchSum], torchGradSum),
                                         (.none, torchNone, torchGradSum)] {
            let x = Variable(logits)
            let loss = try softmaxCrossEntropy(x, labels: labels, weight: classWeight, reduction: reduction)
            #expect(loss.shape == (reduction == .none ? [4] : []))
            expectClose(loss.data.scalars, value, "cross_entropy \(reduction)")
            expectClose(try gradients(of: loss, withRespectTo: [x])[0].data.scalars, grad, "∂ \(reduction)")
        }
    }

    /// Every target ignored: torch's mean is NaN (0/0) with a zero gradient, the sum 0,
    /// `.none` zeros; with weights or smoothing the mean is NaN too.
    @Test func allIgnored() throws {
        let ignored = Tensor(int64: [-100, -100, -100, -100])
        let x = Variable(logits)
        let mean = try softmaxCrossEntropy(x, labels: ignored)
        #expect(try #require(mean.data.scalar).isNaN)
        #expect(try gradients(of: mean, withRespectTo: [x])[0].data.scalars == [Double](repeating: 0, count: 12))
        #expect(try softmaxCrossEntropy(x, labels: ignored, reduction: .sum).data.scalars == [0])
        #expect(try softmaxCrossEntropy(x, labels: ignored, reduction: .none).data.scalars == [0, 0, 0, 0])
        #expect(try #require(try softmaxCrossEntropy(x, labels: ignored, weight: classWeight).data.scalar).isNaN)
        #expect(try #require(try softmaxCrossEntropy(x, labels: ignored, labelSmoothing: 0.1).data.scalar).isNaN)
        #expect(try #require(try nllLoss(x, labels: ignored).data.scalar).isNaN)
        // Counted targets whose weights sum to 0: 0/0 as well (torch: nan).
        let zeroWeight = try softmaxCrossEntropy(x, labels: Tensor(int64: [0, 0, 0, 0]), weight: Tensor([0.0, 1, 1]))
        #expect(try #require(zeroWeight.data.scalar).isNaN)
    }

    /// `F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=0.2)`, with and
    /// without w, t = [0, 2, -100, 1].
    @Test func crossEntropyLabelSmoothing() throws {
        let cases: [(Tensor?, Reduction, [Double], [Double])] = [
            (nil, .mean, [1.5396563955542644],
             [-0.23144094593675552, 0.11104418446573515, 0.12039676147102034, 0.16931876887700367, 0.05581448606767169,
              -0.22513325494467537, 0, 0, 0, 0.1825276220101765, -0.21018840012820802, 0.02766077811803149]),
            (nil, .sum, [4.618969186662793],
             [-0.6943228378102666, 0.33313255339720554, 0.3611902844130611, 0.5079563066310111, 0.1674434582030151,
              -0.6753997648340262, 0, 0, 0, 0.5475828660305296, -0.6305652003846242, 0.08298233435409451]),
            (nil, .none, [1.641545898432459, 1.5672743637796644, 0.0, 1.4101489244506697],
             [-0.6943228378102666, 0.33313255339720554, 0.3611902844130611, 0.5079563066310111, 0.1674434582030151,
              -0.6753997648340262, 0, 0, 0, 0.5475828660305296, -0.6305652003846242, 0.08298233435409451]),
            (classWeight, .mean, [1.5099178167879481],
             [-0.07960936185726665, 0.03329987001064536, 0.04630949184662129, 0.20236175687581523, 0.052507045785549995,
              -0.2548688026613652, 0, 0, 0, 0.278316448592025, -0.32315264906838015, 0.044836200476355226]),
            (classWeight, .sum, [6.0396712671517925],
             [-0.3184374474290666, 0.13319948004258145, 0.18523796738648515, 0.8094470275032609, 0.21002818314219998,
              -1.0194752106454608, 0, 0, 0, 1.1132657943681, -1.2926105962735206, 0.1793448019054209]),
            (classWeight, .none, [0.9690499877039551, 2.362374257386361, 0.0, 2.708247022061476],
             [-0.3184374474290666, 0.13319948004258145, 0.18523796738648515, 0.8094470275032609, 0.21002818314219998,
              -1.0194752106454608, 0, 0, 0, 1.1132657943681, -1.2926105962735206, 0.1793448019054209]),
        ]
        for (weight, reduction, value, grad) in cases {
            let x = Variable(logits)
            let loss = try softmaxCrossEntropy(x, labels: labels, weight: weight, reduction: reduction, labelSmoothing: 0.2)
            let what = "smoothed, weighted: \(weight != nil), \(reduction)"
            expectClose(loss.data.scalars, value, what)
            expectClose(try gradients(of: loss, withRespectTo: [x])[0].data.scalars, grad, "∂ " + what)
        }
    }

    /// `F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=ε)` with probability
    /// targets `t = torch.arange(12.).reshape(4, 3).cos().softmax(1)` (requires_grad):
    /// the mean divides by N = 4 whatever the weights; t gets `-w·log softmax(x)·(1 - ε)/N`.
    @Test func crossEntropyProbabilityTargets() throws {
        let targets = try Tensor(shape: [4, 3], scalars: [
            0.5335832801691742, 0.33694424311374893, 0.12947247671707687, 0.16739994927199175,
            0.23433101991584684, 0.5982690308121613, 0.4662865691864549, 0.3793777339124375,
            0.15433569690110763, 0.21868046332367, 0.23501993152835243, 0.5462996051479777])
        let cases: [(Tensor?, Double, Reduction, [Double], [Double], [Double])] = [
            (nil, 0, .mean, [1.4182832162761194],
             [-0.09030986282819353, 0.015713744237530816, 0.07459611859066273, 0.10180575600642149,
              -5.522376154128106e-05, -0.1017505322448802, -0.08139642249106903, -0.005119925907403192,
              0.08651634839847225, 0.09889226734338158, 0.0002703836884225333, -0.09916265103180413],
             [0.439565948135341, 0.2291982019333669, 0.2122415914289206, 0.13851028796546827, 0.3629909138074171,
              0.4135213586462197, 0.4902797664918669, 0.2561792422624381, 0.17308633028628992, 0.12183850708771576,
              0.36087340612049734, 0.4748656800358308]),
            (nil, 0, .none, [1.3570059985395004, 1.4225746747565906, 1.4100518802909912, 1.4835003115173953],
             [-0.36123945131277413, 0.06285497695012326, 0.2983844743626509, 0.40722302402568594,
              -0.00022089504616512425, -0.4070021289795208, -0.3255856899642761, -0.020479703629612767,
              0.346065393593889, 0.3955690693735263, 0.0010815347536901332, -0.39665060412721653],
             [1.758263792541364, 0.9167928077334676, 0.8489663657156824, 0.5540411518618731, 1.4519636552296684,
              1.6540854345848788, 1.9611190659674675, 1.0247169690497524, 0.6923453211451597, 0.48735402835086306,
              1.4434936244819894, 1.8994627201433232]),
            (classWeight, 0, .mean, [1.7865826920027075],
             [-0.017800137958356776, -0.05504020314537593, 0.07284034110373272, 0.18734215560748224,
              -0.03231431084693653, -0.1550278447605457, -0.015252376413646978, -0.07991969822795623,
              0.09517207464160322, 0.18747253413382442, -0.034943541612980314, -0.1525289925208441],
             [0.2197829740676705, 0.4583964038667338, 0.3183623871433809, 0.06925514398273414, 0.7259818276148342,
              0.6202820379693296, 0.24513988324593344, 0.5123584845248762, 0.25962949542943486, 0.06091925354385788,
              0.7217468122409947, 0.7122985200537462]),
            (classWeight, 0.1, .sum, [7.08825145436755],
             [-0.05776798613589771, -0.2115048353148371, 0.2692728214507349, 0.7343814899599598, -0.15178350239968055,
              -0.5825979875602794, -0.05281510452617193, -0.30652450958293237, 0.35933961410910453, 0.7401343939080607,
              -0.16098322096912346, -0.5791511729389373],
             [0.7912187066436138, 1.6502270539202417, 1.1461045937161711, 0.24931851833784288, 2.613534579413403,
              2.2330153366895864, 0.8825035796853604, 1.8444905442895543, 0.9346661835459655, 0.21930931275788837,
              2.598288524067581, 2.5642746721934864]),
            (classWeight, 0.1, .none, [1.2594768141400552, 2.1788479201138236, 1.3911276146159057, 2.2587991054977654],
             [-0.05776798613589771, -0.2115048353148371, 0.2692728214507349, 0.7343814899599598, -0.15178350239968055,
              -0.5825979875602794, -0.05281510452617193, -0.30652450958293237, 0.35933961410910453, 0.7401343939080607,
              -0.16098322096912346, -0.5791511729389373],
             [0.7912187066436138, 1.6502270539202417, 1.1461045937161711, 0.24931851833784288, 2.613534579413403,
              2.2330153366895864, 0.8825035796853604, 1.8444905442895543, 0.9346661835459655, 0.21930931275788837,
              2.598288524067581, 2.5642746721934864]),
        ]
        for (weight, smoothing, reduction, value, gradX, gradT) in cases {
            let x = Variable(logits), t = Variable(targets)
            let loss = try softmaxCrossEntropy(x, t, weight: weight, reduction: reduction, labelSmoothing: smoothing)
            let what = "probabilities, weighted: \(weight != nil), ε \(smoothing), \(reduction)"
            expectClose(loss.data.scalars, value, what)
            let g = try gradients(of: loss, withRespectTo: [x, t])
            expectClose(g[0].data.scalars, gradX, "∂x " + what)
            expectClose(g[1].data.scalars, gradT, "∂t " + what)
        }
        // As a Tensor the targets are constants; same loss.
        let constant = try softmaxCrossEntropy(Variable(logits), labels: targets, weight: classWeight)
        expectClose(constant.data.scalars, [1.7865826920027075], "constant targets")
        // A negative ignoreIndex other than the default is accepted (torch too), and ignored.
        #expect(try softmaxCrossEntropy(Variable(logits), labels: targets, ignoreIndex: -1).data
            == softmaxCrossEntropy(Variable(logits), labels: targets).data)
    }

    /// `F.nll_loss(x, t, weight=[0.25, 1, 3], ignore_index=-1, reduction=r)` on
    /// `x = torch.arange(12.).reshape(2, 3, 2).cos()`, t = [[2, 0], [-1, 1]]: the mean
    /// divides by 3 + 0.25 + 1 = 4.25.
    @Test func nllLossSpatialAgainstTorch() throws {
        let xv = try Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Glibc.cos(Double($0)) })
        let t = Tensor(int64: [2, 0, -1, 1]).reshapedForTest([2, 2])
        let w = Tensor([0.25, 1, 3])
        let gradSum = [0.0, -0.25, 0, 0, -3, 0, 0, 0, 0, -1, 0, 0]
        for (reduction, value, grad) in [
            (Reduction.mean, [0.6439965995314065], gradSum.map { $0 / 4.25 }),
            (.sum, [2.736985548008478], gradSum),
            (.none, [1.960930862590836, -0.13507557646703494, 0.0, 0.9111302618846769], gradSum),
        ] {
            let x = Variable(xv)
            let loss = try nllLoss(x, labels: t, weight: w, ignoreIndex: -1, reduction: reduction)
            #expect(loss.shape == (reduction == .none ? [2, 2] : []))
            expectClose(loss.data.scalars, value, "nll_loss \(reduction)")
            expectClose(try gradients(of: loss, withRespectTo: [x])[0].data.scalars, grad, "∂ \(reduction)")
        }
    }

    /// Cross-entropy with class indices is log_softmax then nll_loss, to the bit.
    @Test func crossEntropyIsLogSoftmaxThenNLL() throws {
        for reduction in Reduction.allCases {
            let a = Variable(logits), b = Variable(logits)
            let ce = try softmaxCrossEntropy(a, labels: labels, weight: classWeight, reduction: reduction)
            let nll = try nllLoss(try logSoftmax(b, axis: 1), labels: labels, weight: classWeight, reduction: reduction)
            #expect(ce.data == nll.data)
            #expect(try gradients(of: ce, withRespectTo: [a])[0].data == gradients(of: nll, withRespectTo: [b])[0].data)
        }
    }

    // MARK: Central differences

    @Test(arguments: Reduction.allCases)
    func classIndexNumericalGradients(reduction: Reduction) throws {
        var rng = SplitMix64(seed: 71)
        for shape in [[5, 3], [3], [2, 3, 2]] {
            let x = rng.tensor(shape, in: -2...2), scale = rng.tensor(shape, in: 0.5...1.5)
            let layout = try ClassLayout(shape, op: "test", noun: "x")
            let count = layout.labelShape.reduce(1, *)
            // Every third target ignored (label 7 is not a class).
            let labels = try Tensor(shape: layout.labelShape,
                                    scalars: (0..<count).map { $0 % 3 == 1 ? 7 : Double(($0 * 2 + 1) % layout.classes) })
            let w = rng.tensor([layout.classes], in: 0.5...2)
            for smoothing in [0.0, 0.15] {
                let f: ([Variable]) throws -> Variable = { xs in
                    try softmaxCrossEntropy(xs[0] * xs[1], labels: labels, weight: w, ignoreIndex: 7,
                                            reduction: reduction, labelSmoothing: smoothing)
                }
                try checkGradients("cross_entropy \(shape) ε \(smoothing) \(reduction)", [x, scale], f)
                try checkSecondOrderGradients("cross_entropy \(shape) ε \(smoothing) \(reduction)", [x, scale], f)
            }
            let nll: ([Variable]) throws -> Variable = { xs in
                try nllLoss(xs[0] * xs[1], labels: labels, weight: w, ignoreIndex: 7, reduction: reduction)
            }
            try checkGradients("nll_loss \(shape) \(reduction)", [x, scale], nll)
            try checkSecondOrderGradients("nll_loss \(shape) \(reduction)", [x, scale], nll)
        }
    }

    @Test(arguments: Reduction.allCases)
    func probabilityTargetNumericalGradients(reduction: Reduction) throws {
        var rng = SplitMix64(seed: 72)
        for shape in [[3, 4], [4], [2, 3, 2]] {
            let x = rng.tensor(shape, in: -2...2), t = rng.tensor(shape, in: 0...1)
            let classes = shape.count == 1 ? shape[0] : shape[1]
            let w = rng.tensor([classes], in: 0.5...2)
            let f: ([Variable]) throws -> Variable = { xs in
                try softmaxCrossEntropy(xs[0], xs[1] * xs[0], weight: w, reduction: reduction, labelSmoothing: 0.1)
            }
            try checkGradients("cross_entropy probabilities \(shape) \(reduction)", [x, t], f)
            try checkSecondOrderGradients("cross_entropy probabilities \(shape) \(reduction)", [x, t], f)
        }
    }

    // MARK: float32 and errors

    @Test func float32MatchesFloat64() throws {
        var rng = SplitMix64(seed: 73)
        let x32 = rng.float32Tensor([4, 3], in: -2...2), p32 = rng.float32Tensor([4, 3], in: 0...1)
        let w32 = Tensor([0.5, 2.0, 1.5]).converted(to: .float32)
        let runs: [(String, (Tensor, Tensor, Tensor) throws -> Variable)] = [
            ("weighted smoothed", { x, _, w in try softmaxCrossEntropy(Variable(x), labels: labels, weight: w, labelSmoothing: 0.1) }),
            ("probabilities", { x, p, w in try softmaxCrossEntropy(Variable(x), labels: p, weight: w, reduction: .sum) }),
            ("nll none", { x, _, w in try nllLoss(Variable(x), labels: labels, weight: w, reduction: .none) }),
        ]
        for (name, f) in runs {
            let l32 = try f(x32, p32, w32)
            let l64 = try f(x32.converted(to: .float64), p32.converted(to: .float64), w32.converted(to: .float64))
            #expect(l32.dtype == .float32, "\(name)")
            expectClose(l32.data.scalars, l64.data.scalars, tol: 2e-6, name)
        }
    }

    @Test func errors() {
        let x = Variable(logits)
        #expect(throws: AutogradError.invalidArgument(
            op: "softmax_cross_entropy", reason: "weight of shape [2] does not fit 3 classes (expected [3])")) {
            try softmaxCrossEntropy(x, labels: labels, weight: Tensor([1.0, 2]))
        }
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "nll_loss")) {
            try nllLoss(x, labels: labels, weight: classWeight.converted(to: .float32))
        }
        #expect(throws: AutogradError.invalidArgument(op: "softmax_cross_entropy", reason: "label smoothing must be in 0...1, got 1.5")) {
            try softmaxCrossEntropy(x, labels: labels, labelSmoothing: 1.5)
        }
        #expect(throws: AutogradError.invalidArgument(
            op: "softmax_cross_entropy", reason: "ignoreIndex is not supported for probability targets")) {
            try softmaxCrossEntropy(x, labels: logits, ignoreIndex: 0)
        }
        #expect(throws: AutogradError.dtypeMismatch(.float64, .float32, op: "softmax_cross_entropy")) {
            try softmaxCrossEntropy(x, labels: logits.converted(to: .float32))
        }
        // -100 is only ignored when it is the ignore index; 3 is out of range either way.
        #expect(throws: AutogradError.invalidClassLabel(label: -100, classes: 3)) {
            try softmaxCrossEntropy(x, labels: labels, ignoreIndex: 1)
        }
        #expect(throws: AutogradError.invalidClassLabel(label: 3, classes: 3)) {
            try nllLoss(x, labels: Tensor(int64: [0, 3, 1, 1]))
        }
        #expect(throws: AutogradError.invalidArgument(
            op: "nll_loss", reason: "labels of shape [3] do not fit input of shape [4, 3] (expected [4])")) {
            try nllLoss(x, labels: Tensor(int64: [0, 1, 1]))
        }
        #expect(throws: AutogradError.invalidArgument(op: "nll_loss", reason: "input must have a class axis, got a 0-d tensor")) {
            try nllLoss(Variable(1.0), labels: Tensor(int64: 0))
        }
    }
}

extension Tensor {
    /// A reshape that cannot fail in a test (an int64 tensor too).
    func reshapedForTest(_ shape: [Int]) -> Tensor { try! reshaped(shape) }
}
