import Autograd
import AutogradNN
import Parity
import Foundation

/// A suite of training runs as people write them (`fixtures/specs/training/NAME.json`):
/// a model, a dataset, how it is batched, a loss, an optimizer and a number of steps.
/// `gen-fixtures` runs each in torch (`torch.nn`, `torch.optim`) and records the
/// self-describing result (``TrainingFixtureCase``); Swift replays it.
///
/// ```json
/// {"kind": "training", "suite": "sine", "cases": [
///   {"name": "sgd", "dtype": "float64",
///    "model": {"kind": "mlp", "sizes": [1, 10, 1], "activation": "sigmoid"},
///    "data": {"kind": "sine", "n": 100, "seed": 0},
///    "loss": "mse", "optimizer": {"kind": "sgd", "lr": 0.2}, "steps": 20}
/// ]}
/// ```
public struct TrainingSuiteSpec: Sendable {
    public var suite: String
    public var cases: [TrainingCaseSpec]

    public init(suite: String, cases: [TrainingCaseSpec]) {
        self.suite = suite
        self.cases = cases
    }
}

/// One training run of a spec.
public struct TrainingCaseSpec: Sendable {
    public var name: String
    public var dtype: DType
    public var model: ModelDescription
    /// The seed of the Swift generator that draws the initial parameters (`Linear`'s
    /// torch-style initialisation); the fixture records the values.
    public var initSeed: UInt64
    public var data: DatasetDescription
    public var batching: Batching
    public var loss: Loss
    public var optimizer: OptimizerDescription
    /// `clip_grad_norm_(parameters, max_norm)` between backward and step, if set.
    public var clipGradNorm: Double?
    /// How many optimizer steps (batches, or BPTT windows) to run.
    public var steps: Int
    /// After the last step, switch the model to eval mode (`model.eval()`) and record its
    /// output and loss on every row: batch normalisation's running statistics at work.
    public var evaluate: Bool
    /// Overrides the dtype's default `Tolerance`.
    public var tolerance: Tolerance?

    /// How the rows are batched: `AutogradNN/DataLoader`'s settings (`batch_size`
    /// defaults to all rows). Epochs follow one another until `steps` batches are taken.
    ///
    /// With `bptt_length` (a recurrent model), the rows are one series read by
    /// `AutogradNN/SeqDataLoader` as `batch_size` parallel streams, and an optimizer step
    /// is a window of `bptt_length` consecutive iterations of an epoch (the epoch's last
    /// window may be shorter); the kept state is reset before each epoch's first window.
    public struct Batching: Sendable, Equatable {
        public var batchSize: Int?
        public var shuffle: Bool
        public var dropLast: Bool
        public var seed: UInt64
        /// Iterations per optimizer step of a recurrent model (truncated BPTT), or `nil`.
        public var bpttLength: Int?

        public init(batchSize: Int? = nil, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0,
                    bpttLength: Int? = nil) {
            self.batchSize = batchSize
            self.shuffle = shuffle
            self.dropLast = dropLast
            self.seed = seed
            self.bpttLength = bpttLength
        }

        /// The iterations of the first `steps` windows of a recurrent run: the rows of each
        /// iteration (`SeqDataLoader/batchIndices(iteration:)`), and the windows: the number
        /// of iterations of each, and those (0-based) before which the state is reset.
        /// - Throws: `ParityError` without `bptt_length` and `batch_size`, or for more
        ///   streams than rows.
        public func windows(rows: Int, steps: Int) throws(ParityError) -> (batches: [[Int]], windows: TrainingFixtureCase.Windows) {
            guard let bptt = bpttLength, let streams = batchSize else {
                throw ParityError("a recurrent run needs bptt_length and batch_size", field: "bptt_length")
            }
            let loader: SeqDataLoader
            do {
                let placeholder = try Tensor.zeros([rows])
                loader = try SeqDataLoader(inputs: placeholder, targets: placeholder, batchSize: streams)
            } catch let error as NNError {
                throw ParityError(error.description, field: "batch_size")
            } catch {
                throw ParityError("\(error)", field: "batch_size")
            }
            var batches: [[Int]] = []
            var result = TrainingFixtureCase.Windows(lengths: [], resets: [])
            while result.lengths.count < steps {
                result.resets.append(result.lengths.count)
                var iteration = 0
                while iteration < loader.iterationsPerEpoch && result.lengths.count < steps {
                    let length = min(bptt, loader.iterationsPerEpoch - iteration)
                    batches += (iteration..<(iteration + length)).map { loader.batchIndices(iteration: $0) }
                    result.lengths.append(length)
                    iteration += length
                }
            }
            return (batches, result)
        }

        /// The row indices of the first `steps` batches over `rows` rows.
        /// - Throws: `ParityError` if the loader yields no batch (`drop_last` with fewer rows than a batch).
        public func batches(rows: Int, steps: Int) throws(ParityError) -> [[Int]] {
            let placeholder: Tensor
            do {
                placeholder = try Tensor.zeros([rows])
            } catch {
                throw ParityError(error.description)
            }
            let loader: DataLoader
            do {
                loader = try DataLoader(inputs: placeholder, targets: placeholder, batchSize: batchSize ?? rows,
                                        shuffle: shuffle, dropLast: dropLast, seed: seed)
            } catch {
                throw ParityError(error.description, field: "batch_size")
            }
            guard loader.batchesPerEpoch > 0 else {
                throw ParityError("no batch of \(loader.batchSize) rows fits \(rows) rows with drop_last", field: "batch_size")
            }
            var result: [[Int]] = []
            var epoch = 0
            while result.count < steps {
                result += loader.batchIndices(epoch: epoch).prefix(steps - result.count)
                epoch += 1
            }
            return result
        }

        var jsonMembers: [(key: String, value: JSONValue)] {
            var members: [(key: String, value: JSONValue)] = []
            if let batchSize { members.append(("batch_size", .integer(batchSize))) }
            members += [("shuffle", .bool(shuffle)), ("drop_last", .bool(dropLast)), ("loader_seed", .integer(Int(seed)))]
            if let bpttLength { members.append(("bptt_length", .integer(bpttLength))) }
            return members
        }
    }

    public init(name: String, dtype: DType = .float64, model: ModelDescription, initSeed: UInt64 = 0,
                data: DatasetDescription, batching: Batching = Batching(), loss: Loss, optimizer: OptimizerDescription,
                clipGradNorm: Double? = nil, steps: Int, evaluate: Bool = false, tolerance: Tolerance? = nil) {
        self.name = name
        self.dtype = dtype
        self.model = model
        self.initSeed = initSeed
        self.data = data
        self.batching = batching
        self.loss = loss
        self.optimizer = optimizer
        self.clipGradNorm = clipGradNorm
        self.steps = steps
        self.evaluate = evaluate
        self.tolerance = tolerance
    }

    /// The largest number of steps a case may ask for (fixtures stay small).
    public static let maximumSteps = 1000
}

/// A dataset the generator makes (in Python, with numpy's legacy seeded generator, as
/// DeZero's book code does):
///
/// - `{"kind": "sine", "n": 100, "seed": 0}`: DeZero's step 43, `x = rand(n, 1)`,
///   `y = sin(2πx) + rand(n, 1)` after `np.random.seed(seed)`;
/// - `{"kind": "spiral", "seed": 1984, "points_per_class": 100, "classes": 3}`: DeZero's
///   `get_spiral` (its training set is seed 1984), labels as class indices;
/// - `{"kind": "digits", "path": "Tests/AutogradNNTests/Fixtures/digits.npz", "rows": 256}`:
///   the first `rows` images of an `.npz` with `x` (float64 `[R, 64]`, pixels 0…16) and `y`
///   (int64 labels), read by numpy (`np.load`, the path relative to the package root),
///   scaled by 1/16 and shaped `[rows, 1, 8, 8]`; the targets stay int64;
/// - `{"kind": "sin_curve", "count": 101, "seed": 0}`: `AutogradNN/Datasets/sinCurve(train:count:seed:)`
///   (DeZero's noisy sine, the noise from Swift's `SeededGenerator`): `count − 1` rows of
///   `[1]`, each target the next value. Swift makes these numbers and sends them to torch.
public enum DatasetDescription: Sendable, Equatable {
    case sine(n: Int, seed: Int)
    case spiral(pointsPerClass: Int, classes: Int, seed: Int)
    case digits(path: String, rows: Int)
    case sinCurve(count: Int, seed: Int)

    /// The data Swift makes itself (`sin_curve`), float64, or `nil` for the kinds torch makes.
    public func swiftData() throws(ParityError) -> (inputs: HostTensor, targets: HostTensor)? {
        guard case let .sinCurve(count, seed) = self else { return nil }
        let (x, t) = Datasets.sinCurve(train: true, count: count, seed: UInt64(seed))
        return (HostTensor(x), HostTensor(t))
    }

    public var json: JSONValue {
        switch self {
        case let .sine(n, seed):
            .object([("kind", .string("sine")), ("n", .integer(n)), ("seed", .integer(seed))])
        case let .spiral(pointsPerClass, classes, seed):
            .object([("kind", .string("spiral")), ("points_per_class", .integer(pointsPerClass)),
                     ("classes", .integer(classes)), ("seed", .integer(seed))])
        case let .digits(path, rows):
            .object([("kind", .string("digits")), ("path", .string(path)), ("rows", .integer(rows))])
        case let .sinCurve(count, seed):
            .object([("kind", .string("sin_curve")), ("count", .integer(count)), ("seed", .integer(seed))])
        }
    }

    init(_ field: FieldReader) throws(ParityError) {
        let kind = try field.required("kind").string()
        switch kind {
        case "sine":
            _ = try field.members(allowed: ["kind", "n", "seed"])
            let n = try field.required("n").int()
            guard n >= 1 && n <= 100_000 else { throw field.error("n must be in 1...100000, not \(n)") }
            self = .sine(n: n, seed: try field.required("seed").nonNegativeInt())
        case "spiral":
            _ = try field.members(allowed: ["kind", "points_per_class", "classes", "seed"])
            let points = try field.optional("points_per_class")?.int() ?? 100
            let classes = try field.optional("classes")?.int() ?? 3
            let (total, overflow) = points.multipliedReportingOverflow(by: classes)
            guard points >= 1 && classes >= 1 && !overflow && total <= 100_000 else {
                throw field.error("points_per_class and classes must be positive, with at most 100000 points")
            }
            self = .spiral(pointsPerClass: points, classes: classes, seed: try field.required("seed").nonNegativeInt())
        case "digits":
            _ = try field.members(allowed: ["kind", "path", "rows"])
            let pathField = try field.required("path")
            let path = try pathField.string()
            guard path.hasSuffix(".npz"), !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw pathField.error("expected an .npz path inside the package (relative, without '..'), not '\(path)'")
            }
            let rowsField = try field.required("rows")
            let rows = try rowsField.int()
            guard rows >= 1 && rows <= 100_000 else { throw rowsField.error("rows must be in 1...100000, not \(rows)") }
            self = .digits(path: path, rows: rows)
        case "sin_curve":
            _ = try field.members(allowed: ["kind", "count", "seed"])
            let countField = try field.required("count")
            let count = try countField.int()
            guard count >= 2 && count <= 100_000 else { throw countField.error("count must be in 2...100000, not \(count)") }
            self = .sinCurve(count: count, seed: try field.required("seed").nonNegativeInt())
        default:
            throw ParityError("unknown dataset kind '\(kind)' (expected sine, spiral, digits or sin_curve)", field: field.child("kind"))
        }
    }
}

/// A model: an `AutogradNN/MLP`, a `AutogradNN/Sequential` of layers, or an LSTM with
/// a linear head. Both sides build it with the same parameter names.
///
/// - `{"kind": "mlp", "sizes": [1, 10, 1], "activation": "sigmoid", "bias": true}` —
///   torch side: a module with `layers = nn.ModuleList(nn.Linear...)` (`layers.0.weight`);
/// - `{"kind": "sequential", "layers": [{"linear": [2, 16]}, "tanh", {"linear": [16, 3], "bias": false}]}`
///   — torch side: `nn.Sequential(nn.Linear(2, 16), nn.Tanh(), ...)` (`0.weight`). Besides
///   `linear` and the activations, a layer may be `{"conv2d": [IN, OUT, KERNEL], "stride": 1,
///   "padding": 0, "bias": true}` (`nn.Conv2d`), `{"batch_norm2d": C}` (`nn.BatchNorm2d`,
///   torch's defaults; its buffers travel with the parameters), `{"max_pool2d": KERNEL}`
///   (`nn.MaxPool2d`, stride = kernel) or `"flatten"` (`nn.Flatten()`);
/// - `{"kind": "lstm", "input": 1, "hidden": 10, "output": 1}` — a module with children
///   `rnn` (`nn.LSTM(input, hidden)`, one layer) and `fc` (`nn.Linear(hidden, output)`),
///   run one time step per call with the LSTM's state kept between calls
///   (``LSTMRegressor``): parameters `rnn.weight_ih_l0` … `fc.bias`.
public enum ModelDescription: Sendable, Equatable {
    case mlp(sizes: [Int], activation: Activation.Kind, bias: Bool)
    case sequential([Layer])
    case lstm(input: Int, hidden: Int, output: Int)

    public enum Layer: Sendable, Equatable {
        case linear(inFeatures: Int, outFeatures: Int, bias: Bool)
        case activation(Activation.Kind)
        case conv2d(inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int, bias: Bool)
        case batchNorm2d(features: Int)
        case maxPool2d(kernel: Int)
        case flatten
    }

    /// Whether the model keeps a state across calls (trained with `bptt_length`).
    public var isRecurrent: Bool {
        if case .lstm = self { return true }
        return false
    }

    /// The model, initialised from `generator` in layer order.
    public func build(dtype: DType, generator: inout SeededGenerator) -> Module {
        switch self {
        case let .mlp(sizes, activation, bias):
            return MLP(sizes: sizes, activation: activation, bias: bias, dtype: dtype, generator: &generator)
        case .sequential(let layers):
            var modules: [Module] = []
            for layer in layers {
                switch layer {
                case let .linear(input, output, bias):
                    modules.append(Linear(input, output, bias: bias, dtype: dtype, generator: &generator))
                case .activation(let kind):
                    modules.append(Activation(kind))
                case let .conv2d(input, output, kernel, stride, padding, bias):
                    modules.append(Conv2d(input, output, kernelSize: IntPair(kernel), stride: IntPair(stride),
                                          padding: IntPair(padding), bias: bias, dtype: dtype, generator: &generator))
                case .batchNorm2d(let features):
                    modules.append(BatchNorm2d(features, dtype: dtype))
                case .maxPool2d(let kernel):
                    modules.append(MaxPool2d(kernelSize: IntPair(kernel)))
                case .flatten:
                    modules.append(Flatten())
                }
            }
            return Sequential(modules)
        case let .lstm(input, hidden, output):
            return LSTMRegressor(input: input, hidden: hidden, output: output, dtype: dtype, generator: &generator)
        }
    }

    /// The number of parameters (weights and biases; not buffers), with checked arithmetic.
    /// - Throws: `ParityError` if the count overflows `Int`.
    public func parameterCount() throws(ParityError) -> Int {
        // Each entry: a product of sizes.
        var terms: [[Int]] = []
        switch self {
        case let .mlp(sizes, _, bias):
            for (input, output) in zip(sizes, sizes.dropFirst()) {
                terms.append([input, output])
                if bias { terms.append([output]) }
            }
        case .sequential(let layers):
            for layer in layers {
                switch layer {
                case let .linear(input, output, bias):
                    terms.append([input, output])
                    if bias { terms.append([output]) }
                case let .conv2d(input, output, kernel, _, _, bias):
                    terms.append([input, output, kernel, kernel])
                    if bias { terms.append([output]) }
                case .batchNorm2d(let features):
                    terms.append([2, features])
                case .activation, .maxPool2d, .flatten:
                    break
                }
            }
        case let .lstm(input, hidden, output):
            terms = [[4, hidden, input], [4, hidden, hidden], [8, hidden], [hidden, output], [output]]
        }
        var total = 0
        for term in terms {
            var product = 1
            for factor in term {
                let (p, overflow) = product.multipliedReportingOverflow(by: factor)
                guard !overflow else { throw ParityError("the model has more parameters than an Int can count") }
                product = p
            }
            let (sum, overflow) = total.addingReportingOverflow(product)
            guard !overflow else { throw ParityError("the model has more parameters than an Int can count") }
            total = sum
        }
        return total
    }

    /// Throws unless the model has at most `limits.maxModelParameters` parameters.
    public func checkLimits(_ limits: HarnessLimits) throws(ParityError) {
        let count = try parameterCount()
        guard count <= limits.maxModelParameters else {
            throw ParityError("the model has \(count) parameters, over the limit of \(limits.maxModelParameters) (--max-model-parameters)")
        }
    }

    public var json: JSONValue {
        switch self {
        case let .mlp(sizes, activation, bias):
            return .object([("kind", .string("mlp")), ("sizes", .array(sizes.map { .integer($0) })),
                            ("activation", .string(activation.rawValue)), ("bias", .bool(bias))])
        case .sequential(let layers):
            let items: [JSONValue] = layers.map { layer in
                switch layer {
                case let .linear(input, output, bias):
                    .object([("linear", .array([.integer(input), .integer(output)])), ("bias", .bool(bias))])
                case .activation(let kind):
                    .string(kind.rawValue)
                case let .conv2d(input, output, kernel, stride, padding, bias):
                    .object([("conv2d", .array([.integer(input), .integer(output), .integer(kernel)])),
                             ("stride", .integer(stride)), ("padding", .integer(padding)), ("bias", .bool(bias))])
                case .batchNorm2d(let features):
                    .object([("batch_norm2d", .integer(features))])
                case .maxPool2d(let kernel):
                    .object([("max_pool2d", .integer(kernel))])
                case .flatten:
                    .string("flatten")
                }
            }
            return .object([("kind", .string("sequential")), ("layers", .array(items))])
        case let .lstm(input, hidden, output):
            return .object([("kind", .string("lstm")), ("input", .integer(input)), ("hidden", .integer(hidden)),
                            ("output", .integer(output))])
        }
    }

    init(_ field: FieldReader) throws(ParityError) {
        let kind = try field.required("kind").string()
        switch kind {
        case "mlp":
            _ = try field.members(allowed: ["kind", "sizes", "activation", "bias"])
            let sizesField = try field.required("sizes")
            let sizes = try sizesField.shape()
            guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
                throw sizesField.error("an MLP needs at least two sizes, each in 1...100000")
            }
            let activation = try field.optional("activation")?.activationKind() ?? .sigmoid
            self = .mlp(sizes: sizes, activation: activation, bias: try field.optional("bias")?.bool() ?? true)
        case "sequential":
            _ = try field.members(allowed: ["kind", "layers"])
            var layers: [Layer] = []
            for item in try field.required("layers").array() {
                layers.append(try Self.layer(item))
            }
            guard !layers.isEmpty else { throw field.error("a sequential model needs at least one layer") }
            self = .sequential(layers)
        case "lstm":
            _ = try field.members(allowed: ["kind", "input", "hidden", "output"])
            var sizes: [Int] = []
            for name in ["input", "hidden", "output"] {
                let sizeField = try field.required(name)
                let size = try sizeField.int()
                guard size >= 1 && size <= 100_000 else { throw sizeField.error("\(name) must be in 1...100000, not \(size)") }
                sizes.append(size)
            }
            self = .lstm(input: sizes[0], hidden: sizes[1], output: sizes[2])
        default:
            throw ParityError("unknown model kind '\(kind)' (expected mlp, sequential or lstm)", field: field.child("kind"))
        }
    }

    private static func size(_ field: FieldReader, _ what: String, minimum: Int = 1) throws(ParityError) -> Int {
        let n = try field.int()
        guard n >= minimum && n <= 100_000 else { throw field.error("\(what) must be in \(minimum)...100000, not \(n)") }
        return n
    }

    private static func layer(_ item: FieldReader) throws(ParityError) -> Layer {
        if case .string(let name) = item.value {
            return name == "flatten" ? .flatten : .activation(try item.activationKind())
        }
        if let conv = try item.optional("conv2d") {
            _ = try item.members(allowed: ["conv2d", "stride", "padding", "bias"])
            let sizes = try conv.shape()
            guard sizes.count == 3, sizes.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
                throw item.error("\"conv2d\" takes [in, out, kernel], each in 1...100000")
            }
            let stride = try item.optional("stride").map { (f: FieldReader) throws(ParityError) in try size(f, "stride") } ?? 1
            let padding = try item.optional("padding").map { (f: FieldReader) throws(ParityError) in try size(f, "padding", minimum: 0) } ?? 0
            return .conv2d(inChannels: sizes[0], outChannels: sizes[1], kernel: sizes[2], stride: stride, padding: padding,
                           bias: try item.optional("bias")?.bool() ?? true)
        }
        if let norm = try item.optional("batch_norm2d") {
            _ = try item.members(allowed: ["batch_norm2d"])
            return .batchNorm2d(features: try size(norm, "batch_norm2d"))
        }
        if let pool = try item.optional("max_pool2d") {
            _ = try item.members(allowed: ["max_pool2d"])
            return .maxPool2d(kernel: try size(pool, "max_pool2d"))
        }
        _ = try item.members(allowed: ["linear", "bias"])
        let sizes = try item.required("linear").shape()
        guard sizes.count == 2, sizes.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
            throw item.error("\"linear\" takes [in, out], each in 1...100000")
        }
        return .linear(inFeatures: sizes[0], outFeatures: sizes[1], bias: try item.optional("bias")?.bool() ?? true)
    }
}

/// The `lstm` model: an `AutogradNN/LSTM` run one time step per call (its state kept
/// between calls) and a `AutogradNN/Linear` on its hidden state, as children `rnn` and
/// `fc` (torch's names: `rnn.weight_ih_l0`, …, `fc.bias`).
public final class LSTMRegressor: Module {
    public let rnn: LSTM
    public let fc: Linear

    public init(input: Int, hidden: Int, output: Int, dtype: DType = .float64, generator: inout SeededGenerator) {
        rnn = LSTM(inputSize: input, hiddenSize: hidden, dtype: dtype, generator: &generator)
        fc = Linear(hidden, output, dtype: dtype, generator: &generator)
    }

    /// One time step: `x` `[N, input]` → `[N, output]`.
    override public func forward(_ x: Variable) throws -> Variable {
        try fc(try rnn(x))
    }
}

/// An optimizer and all its settings, torch's defaults filled in: SGD, Adam, AdamW,
/// RMSprop, Adagrad or Adadelta.
public struct OptimizerDescription: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case sgd, adam, adamw, rmsprop, adagrad, adadelta
    }

    public var kind: Kind
    public var lr: Double
    // SGD, RMSprop
    public var momentum: Double = 0
    public var dampening: Double = 0
    public var nesterov = false
    // Adam, AdamW
    public var betas: (Double, Double) = (0.9, 0.999)
    /// All but SGD: Adam's, AdamW's and RMSprop's default 1e-8, Adagrad's 1e-10, Adadelta's 1e-6.
    public var eps: Double
    public var amsgrad = false
    // RMSprop
    public var alpha = 0.99
    public var centered = false
    // Adagrad
    public var lrDecay: Double = 0
    public var initialAccumulatorValue: Double = 0
    // Adadelta
    public var rho = 0.9
    // All (AdamW's default is 0.01, the others' 0)
    public var weightDecay: Double

    /// torch's defaults: lr 1e-3 (SGD, Adam, AdamW), 1e-2 (RMSprop, Adagrad), 1.0 (Adadelta).
    public init(kind: Kind, lr: Double? = nil, weightDecay: Double? = nil) {
        self.kind = kind
        self.lr = lr ?? (kind == .rmsprop || kind == .adagrad ? 1e-2 : kind == .adadelta ? 1.0 : 1e-3)
        self.weightDecay = weightDecay ?? (kind == .adamw ? 0.01 : 0)
        eps = kind == .adagrad ? 1e-10 : kind == .adadelta ? 1e-6 : 1e-8
    }

    public static func == (a: OptimizerDescription, b: OptimizerDescription) -> Bool {
        a.kind == b.kind && a.lr == b.lr && a.momentum == b.momentum && a.dampening == b.dampening
            && a.nesterov == b.nesterov && a.betas == b.betas && a.eps == b.eps && a.amsgrad == b.amsgrad
            && a.weightDecay == b.weightDecay && a.alpha == b.alpha && a.centered == b.centered
            && a.lrDecay == b.lrDecay && a.initialAccumulatorValue == b.initialAccumulatorValue && a.rho == b.rho
    }

    /// The Swift optimizer over `parameters`.
    /// - Throws: `AutogradNN/NNError/invalidHyperparameter(_:)` as torch would refuse the settings.
    public func make(_ parameters: [Parameter]) throws(NNError) -> any Optimizer {
        switch kind {
        case .sgd:
            try SGD(parameters, lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
        case .adam:
            try Adam(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
        case .adamw:
            try AdamW(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
        case .rmsprop:
            try RMSprop(parameters, lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                        centered: centered)
        case .adagrad:
            try Adagrad(parameters, lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
                        initialAccumulatorValue: initialAccumulatorValue, eps: eps)
        case .adadelta:
            try Adadelta(parameters, lr: lr, rho: rho, eps: eps, weightDecay: weightDecay)
        }
    }

    /// Every setting, explicitly (torch's keyword names).
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("kind", .string(kind.rawValue)), ("lr", .number(lr))]
        switch kind {
        case .sgd:
            members += [("momentum", .number(momentum)), ("dampening", .number(dampening)), ("nesterov", .bool(nesterov))]
        case .adam, .adamw:
            members += [("betas", .array([.number(betas.0), .number(betas.1)])), ("eps", .number(eps)), ("amsgrad", .bool(amsgrad))]
        case .rmsprop:
            members += [("alpha", .number(alpha)), ("eps", .number(eps)), ("momentum", .number(momentum)),
                        ("centered", .bool(centered))]
        case .adagrad:
            members += [("lr_decay", .number(lrDecay)), ("initial_accumulator_value", .number(initialAccumulatorValue)),
                        ("eps", .number(eps))]
        case .adadelta:
            members += [("rho", .number(rho)), ("eps", .number(eps))]
        }
        members.append(("weight_decay", .number(weightDecay)))
        return .object(members)
    }

    init(_ field: FieldReader) throws(ParityError) {
        let name = try field.required("kind").string()
        guard let kind = Kind(rawValue: name) else {
            throw ParityError("unknown optimizer '\(name)' (expected sgd, adam, adamw, rmsprop, adagrad or adadelta)", field: field.child("kind"))
        }
        switch kind {
        case .sgd: _ = try field.members(allowed: ["kind", "lr", "momentum", "dampening", "nesterov", "weight_decay"])
        case .adam, .adamw: _ = try field.members(allowed: ["kind", "lr", "betas", "eps", "amsgrad", "weight_decay"])
        case .rmsprop:
            _ = try field.members(allowed: ["kind", "lr", "alpha", "eps", "momentum", "centered", "weight_decay"])
        case .adagrad:
            _ = try field.members(allowed: ["kind", "lr", "lr_decay", "initial_accumulator_value", "eps", "weight_decay"])
        case .adadelta: _ = try field.members(allowed: ["kind", "lr", "rho", "eps", "weight_decay"])
        }
        self.init(kind: kind, lr: try field.optional("lr")?.double(), weightDecay: try field.optional("weight_decay")?.double())
        momentum = try field.optional("momentum")?.double() ?? momentum
        dampening = try field.optional("dampening")?.double() ?? dampening
        nesterov = try field.optional("nesterov")?.bool() ?? nesterov
        if let betasField = try field.optional("betas") {
            let items = try betasField.array()
            guard items.count == 2 else { throw betasField.error("expected [beta1, beta2]") }
            betas = (try items[0].double(), try items[1].double())
        }
        eps = try field.optional("eps")?.double() ?? eps
        amsgrad = try field.optional("amsgrad")?.bool() ?? amsgrad
        alpha = try field.optional("alpha")?.double() ?? alpha
        centered = try field.optional("centered")?.bool() ?? centered
        lrDecay = try field.optional("lr_decay")?.double() ?? lrDecay
        initialAccumulatorValue = try field.optional("initial_accumulator_value")?.double() ?? initialAccumulatorValue
        rho = try field.optional("rho")?.double() ?? rho
        // torch's own checks, so that a bad spec fails here with torch's message.
        do {
            _ = try make([])
        } catch {
            throw field.error(error.description)
        }
    }
}

// MARK: - Reading

extension TrainingSuiteSpec {
    /// Whether a spec or fixture file is of the training kind (`"kind": "training"` at the top).
    public static func isTraining(_ json: JSONValue) -> Bool {
        json["kind"] == .string("training")
    }

    /// Reads a spec file. Errors name the file, the case and the field.
    /// - Throws: `ParityError` for a malformed spec, an invalid suite or case name
    ///   (`FixtureName`: case names become file names), or a file or model beyond `limits`.
    public init(contentsOf path: String, limits: HarnessLimits = .default) throws(ParityError) {
        self = try FieldReader.readFile(path, kind: "spec", limits: limits) { (text: String) throws(ParityError) in
            try Self(parsing: text, limits: limits)
        }
    }

    /// Reads a spec from JSON text (see ``init(contentsOf:limits:)``).
    public init(parsing text: String, limits: HarnessLimits = .default) throws(ParityError) {
        let root = try FieldReader(document: text, limits: limits)
        let json = root.value
        _ = try root.members(allowed: ["kind", "suite", "cases"])
        guard Self.isTraining(json) else { throw ParityError("a training spec starts with \"kind\": \"training\"", field: "kind") }
        suite = try root.required("suite").string()
        try FixtureName.check(suite, field: "suite")
        cases = try root.required("cases").cases(named: \.name, read: TrainingCaseSpec.init) { c throws(ParityError) in
            do throws(ParityError) {
                try c.model.checkLimits(limits)
            } catch {
                throw ParityError(error.message, field: "model")
            }
        }
    }
}

extension TrainingCaseSpec {
    static let fields: Set<String> = [
        "name", "dtype", "model", "init_seed", "data", "batch_size", "shuffle", "drop_last", "loader_seed",
        "bptt_length", "loss", "optimizer", "clip_grad_norm", "steps", "evaluate", "tolerance",
    ]

    init(_ field: FieldReader) throws(ParityError) {
        _ = try field.members()
        let name = try field.required("name").string()
        let field = FieldReader(field.value)
        do throws(ParityError) {
            _ = try field.members(allowed: Self.fields)
            try FixtureName.check(name, field: "name")
            self.name = name
            dtype = try field.optional("dtype").map { reader throws(ParityError) in DType(try reader.dtype()) } ?? .float64
            model = try ModelDescription(try field.required("model"))
            initSeed = UInt64(try field.optional("init_seed")?.nonNegativeInt() ?? 0)
            data = try DatasetDescription(try field.required("data"))
            batching = try Batching(field)
            loss = try field.required("loss").loss()
            optimizer = try OptimizerDescription(try field.required("optimizer"))
            clipGradNorm = try field.optional("clip_grad_norm")?.positiveDouble()
            let stepsField = try field.required("steps")
            steps = try stepsField.int()
            guard steps >= 1 && steps <= Self.maximumSteps else {
                throw stepsField.error("steps must be in 1...\(Self.maximumSteps), not \(steps)")
            }
            evaluate = try field.optional("evaluate")?.bool() ?? false
            tolerance = try field.optional("tolerance")?.tolerance()
            try Self.checkConsistency(model: model, data: data, batching: batching, loss: loss)
        } catch {
            throw error.inCase(name)
        }
    }

    /// A recurrent model goes with `bptt_length` (and back), and a sequence dataset with a
    /// recurrent model: the mismatches torch would only report as shape errors.
    static func checkConsistency(model: ModelDescription, data: DatasetDescription, batching: Batching,
                                 loss: Loss) throws(ParityError) {
        if model.isRecurrent != (batching.bpttLength != nil) {
            throw ParityError(model.isRecurrent ? "a recurrent model needs bptt_length" : "bptt_length needs a recurrent model",
                              field: "bptt_length")
        }
        if model.isRecurrent {
            guard batching.batchSize != nil, !batching.shuffle, !batching.dropLast else {
                throw ParityError("bptt_length reads the series in order: it needs batch_size, and neither shuffle nor drop_last",
                                  field: "bptt_length")
            }
            guard batching.batchSize! <= data.rows else {
                throw ParityError("\(batching.batchSize!) streams do not fit \(data.rows) rows", field: "batch_size")
            }
        }
    }
}

extension TrainingCaseSpec.Batching {
    /// The loader fields of a case (or of a fixture's `source`).
    init(_ field: FieldReader) throws(ParityError) {
        if let sizeField = try field.optional("batch_size") {
            let size = try sizeField.int()
            guard size >= 1 else { throw sizeField.error("batch_size must be at least 1") }
            batchSize = size
        } else {
            batchSize = nil
        }
        shuffle = try field.optional("shuffle")?.bool() ?? false
        dropLast = try field.optional("drop_last")?.bool() ?? false
        seed = UInt64(try field.optional("loader_seed")?.nonNegativeInt() ?? 0)
        if let bpttField = try field.optional("bptt_length") {
            let length = try bpttField.int()
            guard length >= 1 && length <= 10_000 else { throw bpttField.error("bptt_length must be in 1...10000, not \(length)") }
            bpttLength = length
        } else {
            bpttLength = nil
        }
    }
}

extension FieldReader {
    func nonNegativeInt() throws(ParityError) -> Int {
        let n = try int()
        guard n >= 0 else { throw error("expected a non-negative integer, found \(n)") }
        return n
    }

    func positiveDouble() throws(ParityError) -> Double {
        let x = try double()
        guard x > 0 && x.isFinite else { throw error("expected a positive number, found \(x)") }
        return x
    }

    func activationKind() throws(ParityError) -> Activation.Kind {
        let name = try string()
        guard let kind = Activation.Kind(rawValue: name) else {
            let known = Activation.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown activation '\(name)' (expected one of: \(known))")
        }
        return kind
    }

    func loss() throws(ParityError) -> Loss {
        let name = try string()
        guard let loss = Loss(rawValue: name) else {
            throw error("unknown loss '\(name)' (expected one of: \(Loss.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return loss
    }
}
