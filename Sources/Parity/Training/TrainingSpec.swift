import Autograd
import AutogradNN
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
    /// How many optimizer steps (batches) to run.
    public var steps: Int
    /// Overrides the dtype's default ``Tolerance``.
    public var tolerance: Tolerance?

    /// How the rows are batched: `AutogradNN/DataLoader`'s settings (`batch_size`
    /// defaults to all rows). Epochs follow one another until `steps` batches are taken.
    public struct Batching: Sendable, Equatable {
        public var batchSize: Int?
        public var shuffle: Bool
        public var dropLast: Bool
        public var seed: UInt64

        public init(batchSize: Int? = nil, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0) {
            self.batchSize = batchSize
            self.shuffle = shuffle
            self.dropLast = dropLast
            self.seed = seed
        }

        /// The row indices of the first `steps` batches over `rows` rows.
        /// - Throws: ``ParityError`` if the loader yields no batch (`drop_last` with fewer rows than a batch).
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
            return members
        }
    }

    public init(name: String, dtype: DType = .float64, model: ModelDescription, initSeed: UInt64 = 0,
                data: DatasetDescription, batching: Batching = Batching(), loss: Loss, optimizer: OptimizerDescription,
                clipGradNorm: Double? = nil, steps: Int, tolerance: Tolerance? = nil) {
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
///   `get_spiral` (its training set is seed 1984), labels as class indices.
public enum DatasetDescription: Sendable, Equatable {
    case sine(n: Int, seed: Int)
    case spiral(pointsPerClass: Int, classes: Int, seed: Int)

    public var json: JSONValue {
        switch self {
        case let .sine(n, seed):
            .object([("kind", .string("sine")), ("n", .integer(n)), ("seed", .integer(seed))])
        case let .spiral(pointsPerClass, classes, seed):
            .object([("kind", .string("spiral")), ("points_per_class", .integer(pointsPerClass)),
                     ("classes", .integer(classes)), ("seed", .integer(seed))])
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
        default:
            throw ParityError("unknown dataset kind '\(kind)' (expected sine or spiral)", field: field.child("kind"))
        }
    }
}

/// A model: an `AutogradNN/MLP` or a `AutogradNN/Sequential` of linear layers and
/// activations. Both sides build it with the same parameter names.
///
/// - `{"kind": "mlp", "sizes": [1, 10, 1], "activation": "sigmoid", "bias": true}` —
///   torch side: a module with `layers = nn.ModuleList(nn.Linear...)` (`layers.0.weight`);
/// - `{"kind": "sequential", "layers": [{"linear": [2, 16]}, "tanh", {"linear": [16, 3], "bias": false}]}`
///   — torch side: `nn.Sequential(nn.Linear(2, 16), nn.Tanh(), ...)` (`0.weight`).
public enum ModelDescription: Sendable, Equatable {
    case mlp(sizes: [Int], activation: Activation.Kind, bias: Bool)
    case sequential([Layer])

    public enum Layer: Sendable, Equatable {
        case linear(inFeatures: Int, outFeatures: Int, bias: Bool)
        case activation(Activation.Kind)
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
                }
            }
            return Sequential(modules)
        }
    }

    /// The number of parameters (weights and biases), with checked arithmetic.
    /// - Throws: ``ParityError`` if the count overflows `Int`.
    public func parameterCount() throws(ParityError) -> Int {
        var linears: [(input: Int, output: Int, bias: Bool)] = []
        switch self {
        case let .mlp(sizes, _, bias):
            linears = zip(sizes, sizes.dropFirst()).map { ($0, $1, bias) }
        case .sequential(let layers):
            for case let .linear(input, output, bias) in layers { linears.append((input, output, bias)) }
        }
        var total = 0
        for layer in linears {
            let (weights, o1) = layer.input.multipliedReportingOverflow(by: layer.output)
            let (withBias, o2) = weights.addingReportingOverflow(layer.bias ? layer.output : 0)
            let (sum, o3) = total.addingReportingOverflow(withBias)
            guard !o1, !o2, !o3 else { throw ParityError("the model has more parameters than an Int can count") }
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
                }
            }
            return .object([("kind", .string("sequential")), ("layers", .array(items))])
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
                if case .string = item.value {
                    layers.append(.activation(try item.activationKind()))
                    continue
                }
                _ = try item.members(allowed: ["linear", "bias"])
                let sizes = try item.required("linear").shape()
                guard sizes.count == 2, sizes.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
                    throw item.error("\"linear\" takes [in, out], each in 1...100000")
                }
                layers.append(.linear(inFeatures: sizes[0], outFeatures: sizes[1], bias: try item.optional("bias")?.bool() ?? true))
            }
            guard !layers.isEmpty else { throw field.error("a sequential model needs at least one layer") }
            self = .sequential(layers)
        default:
            throw ParityError("unknown model kind '\(kind)' (expected mlp or sequential)", field: field.child("kind"))
        }
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
    /// - Throws: ``ParityError`` for a malformed spec, an invalid suite or case name
    ///   (``FixtureName``: case names become file names), or a file or model beyond `limits`.
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
        cases = []
        var names = Set<String>()
        for item in try root.required("cases").array() {
            let c = try TrainingCaseSpec(item)
            guard names.insert(c.name).inserted else { throw ParityError("duplicate case name", caseName: c.name) }
            do {
                try c.model.checkLimits(limits)
            } catch {
                throw ParityError(error.message, caseName: c.name, field: "model")
            }
            cases.append(c)
        }
    }
}

extension TrainingCaseSpec {
    static let fields: Set<String> = [
        "name", "dtype", "model", "init_seed", "data", "batch_size", "shuffle", "drop_last", "loader_seed",
        "loss", "optimizer", "clip_grad_norm", "steps", "tolerance",
    ]

    init(_ field: FieldReader) throws(ParityError) {
        _ = try field.members()
        let name = try field.required("name").string()
        let field = FieldReader(field.value)
        do throws(ParityError) {
            _ = try field.members(allowed: Self.fields)
            try FixtureName.check(name, field: "name")
            self.name = name
            dtype = try field.optional("dtype")?.dtype() ?? .float64
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
            tolerance = try field.optional("tolerance")?.tolerance()
        } catch {
            throw error.inCase(name)
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
