extension Op {
    /// The OpInfos of torch's test suite whose samples run as calls of this op, with how
    /// their arguments map (`gen-fixtures --opinfo`); empty where there is none
    /// (``OpTable/opInfoExceptions`` says why).
    public var opInfo: [OpInfoMapping] { OpTable.opInfoMappings[name] ?? [] }
}

extension OpTable {
    /// Ops without OpInfo samples of their own, and why.
    public static let opInfoExceptions: [String: String] = [
        "dropout": "takes its mask as an operand; torch's samples draw random masks (training=True), which no two runs share. Its samples with training=False run as dropout_eval",
        "col2im": "torch's op_db has no OpInfo for nn.functional.fold",
        "linear_nobias": "runs nn.functional.linear's samples without a bias (mapped under linear)",
        "softmax_cross_entropy": "DeZero's name for cross_entropy with class labels and no options; nn.functional.cross_entropy's samples run under cross_entropy",
        "conv2d_nobias": "runs nn.functional.conv2d's samples without a bias (mapped under conv2d)",
        "conv_transpose2d_nobias": "runs nn.functional.conv_transpose2d's samples without a bias (mapped under conv_transpose2d)",
        "gelu_tanh": "runs nn.functional.gelu's samples with approximate='tanh' (mapped under gelu)",
        "max_pool2d_with_indices": "runs nn.functional.max_pool2d's samples with return_indices=True (mapped under max_pool2d)",
        "expand_dims": "numpy's name of unsqueeze, whose samples it shares (mapped under unsqueeze)",
        "concatenate": "torch.concatenate is cat, whose samples it shares (mapped under cat)",
        "sum_to": "torch.Tensor.sum_to_size has no OpInfo in this torch's op_db",
    ]

    /// Ops whose share of expressible samples stays below the target, and why: what the
    /// samples need that no deterministic case can give.
    public static let opInfoShortfalls: [String: String] = [
        "dropout_eval": "the samples with training=True and p > 0 draw a random mask, which no two runs share",
        "batch_norm": "4 of its 22 samples are an empty 1-d input without a channel axis, which torch normalises only with weight and bias absent (given as empty tensors, torch's own batch_norm raises an IndexError); the catalogue's batch_norm takes both",
    ]

    private static let inplace: [String: OpInfoValue] = ["inplace": .bool(false)]
    /// The legacy loss keywords, which torch's samples leave at None.
    private static let lossDefaults: [String: OpInfoValue] = ["size_average": .pythonNone, "reduce": .pythonNone]

    private static func unary(_ opInfo: String, extra: [String] = []) -> [OpInfoMapping] {
        [OpInfoMapping(opInfo, parameters: ["input"] + extra, operands: ["input"], defaults: inplace)]
    }

    private static func binary(_ opInfo: String, variant: String = "", second: String = "other") -> [OpInfoMapping] {
        [OpInfoMapping(opInfo, variant: variant, parameters: ["input", second], operands: ["input", second])]
    }

    private static func reduction(_ opInfo: String) -> [OpInfoMapping] {
        [OpInfoMapping(opInfo, parameters: ["input", "dim", "keepdim"], operands: ["input"], defaults: ["dtype": .pythonNone])]
    }

    /// Loss of `(input, target)` and the optional tensor operands `operands`, with torch's keyword list.
    private static func loss(_ opInfo: String, parameters: [String], operands: [String] = []) -> [OpInfoMapping] {
        [OpInfoMapping(opInfo, parameters: ["input", "target"] + parameters, operands: ["input", "target"] + operands,
                       defaults: lossDefaults)]
    }

    /// The bias of a call is None: the op's sibling without one.
    private static func withoutBiasIfNone(_ call: inout OpInfoCall, sibling: String) {
        switch call.arguments["bias"] {
        case .pythonNone?, nil:
            call.op = sibling
            call.operands.removeAll { $0 == "bias" }
            call.arguments["bias"] = nil
        default:
            break
        }
    }

    /// OpInfo name → catalogue op, by the catalogue op's name.
    static let opInfoMappings: [String: [OpInfoMapping]] = [
        "add": binary("add"), "sub": binary("sub"), "mul": binary("mul"),
        "div": [OpInfoMapping("div", variant: "no_rounding_mode", parameters: ["input", "other", "rounding_mode"],
                              operands: ["input", "other"], defaults: ["rounding_mode": .pythonNone])],
        "pow": binary("pow", second: "exponent"),
        "neg": unary("neg"), "square": unary("square"),
        "exp": unary("exp"), "log": unary("log"), "sqrt": unary("sqrt"), "sin": unary("sin"), "cos": unary("cos"),
        "tanh": unary("tanh"), "sigmoid": unary("sigmoid"), "relu": unary("nn.functional.relu"), "abs": unary("abs"),
        "log1p": unary("log1p"), "expm1": unary("expm1"), "tan": unary("tan"),
        "clip": [OpInfoMapping("clamp", parameters: ["input", "min", "max"], operands: ["input", "min", "max"])],
        "maximum": binary("maximum"), "minimum": binary("minimum"),
        "where": [OpInfoMapping("where", parameters: ["input", "condition", "other"], operands: ["condition", "input", "other"]) {
            call throws(OpInfoSkip) in
            // Integer values to select from become floats (the catalogue's where selects
            // between floats; only its condition is int64), as torch would promote them.
            for name in ["input", "other"] {
                if case .tensor(var t)? = call.arguments[name], t.isInteger {
                    t.dtype = "float64"
                    call.arguments[name] = .tensor(t)
                }
            }
        }],
        "softplus": unary("nn.functional.softplus", extra: ["beta", "threshold"]),
        "leaky_relu": unary("nn.functional.leaky_relu", extra: ["negative_slope", "inplace"]),
        "elu": unary("nn.functional.elu", extra: ["alpha", "inplace"]),
        "gelu": [OpInfoMapping("nn.functional.gelu", parameters: ["input", "approximate"], operands: ["input"]) { call throws(OpInfoSkip) in
            switch call.arguments.removeValue(forKey: "approximate") {
            case nil, .string("none")?: break
            case .string("tanh")?: call.op = "gelu_tanh"
            case let other?: throw OpInfoSkip("approximate=\(OpInfoConverter.describe(other))")
            }
        }],
        "silu": unary("nn.functional.silu"),
        "dropout_eval": [OpInfoMapping("nn.functional.dropout", parameters: ["input", "p", "training", "inplace"],
                                       operands: ["input"], defaults: inplace) { call throws(OpInfoSkip) in
            let training = call.arguments.removeValue(forKey: "training") ?? .bool(true)
            let p = call.arguments["p"] ?? .number(0.5)
            if training != .bool(false), p != .number(0), p != .integer(0) {
                throw OpInfoSkip("training=True with p > 0 draws a random mask")
            }
        }],
        "greater": binary("gt"), "less": binary("lt"), "greater_equal": binary("ge"), "less_equal": binary("le"),
        "equal": binary("eq"), "not_equal": binary("ne"),
        "sum": reduction("sum"), "mean": reduction("mean"), "max": reduction("amax"), "min": reduction("amin"),
        "logsumexp": reduction("logsumexp"), "argmax": reduction("argmax"), "argmin": reduction("argmin"),
        "var": moment("var"), "std": moment("std"),
        "softmax": ["", "with_dtype"].map { OpInfoMapping("softmax", variant: $0, parameters: ["input", "dim", "dtype"], operands: ["input"]) },
        "log_softmax": ["", "with_dtype"].map {
            OpInfoMapping("log_softmax", variant: $0, parameters: ["input", "dim", "dtype"], operands: ["input"])
        },
        "cross_entropy": loss("nn.functional.cross_entropy",
                              parameters: ["weight", "size_average", "ignore_index", "reduce", "reduction", "label_smoothing"],
                              operands: ["weight"]),
        "binary_cross_entropy_with_logits": loss("nn.functional.binary_cross_entropy_with_logits",
                                                 parameters: ["weight", "size_average", "reduce", "reduction", "pos_weight"],
                                                 operands: ["weight", "pos_weight"]),
        "binary_cross_entropy": loss("nn.functional.binary_cross_entropy", parameters: ["weight", "size_average", "reduce", "reduction"],
                                     operands: ["weight"]),
        "nll_loss": loss("nn.functional.nll_loss", parameters: ["weight", "size_average", "ignore_index", "reduce", "reduction"],
                         operands: ["weight"]),
        "l1_loss": loss("nn.functional.l1_loss", parameters: ["size_average", "reduce", "reduction", "weight"]),
        "mean_squared_error": loss("nn.functional.mse_loss", parameters: ["size_average", "reduce", "reduction", "weight"]),
        "huber_loss": loss("nn.functional.huber_loss", parameters: ["reduction", "delta", "weight"]),
        "smooth_l1_loss": loss("nn.functional.smooth_l1_loss", parameters: ["size_average", "reduce", "reduction", "beta"]),
        "reshape": [OpInfoMapping("reshape", parameters: ["input", "shape"], operands: ["input"])],
        "broadcast_to": [OpInfoMapping("broadcast_to", parameters: ["input", "size"], operands: ["input"])],
        "unsqueeze": [OpInfoMapping("unsqueeze", parameters: ["input", "dim"], operands: ["input"])],
        "squeeze": [OpInfoMapping("squeeze", parameters: ["input", "dim"], operands: ["input"]),
                    OpInfoMapping("squeeze", variant: "multiple", parameters: ["input", "dim"], operands: ["input"])],
        "flatten": [OpInfoMapping("flatten", parameters: ["input", "start_dim", "end_dim"], operands: ["input"])],
        "cat": [OpInfoMapping("cat", parameters: ["tensors", "dim"], operands: ["tensors"])],
        "stack": [OpInfoMapping("stack", parameters: ["tensors", "dim"], operands: ["tensors"])],
        "split": [OpInfoMapping("split", parameters: ["input", "split_size_or_sections", "dim"],
                                operands: ["input", "split_size_or_sections"], rewrite: splitResults),
                  OpInfoMapping("split", variant: "list_args", parameters: ["input", "split_size_or_sections", "dim"],
                                operands: ["input", "split_size_or_sections"], rewrite: splitResults),
                  OpInfoMapping("split_with_sizes", parameters: ["input", "split_size_or_sections", "dim"],
                                operands: ["input", "split_size_or_sections"], rewrite: splitResults)],
        "matmul": binary("matmul"),
        "transpose": [OpInfoMapping("permute", parameters: ["input", "dims"], operands: ["input"])],
        "linear": [OpInfoMapping("nn.functional.linear", parameters: ["input", "weight", "bias"],
                                 operands: ["input", "weight", "bias"]) { call throws(OpInfoSkip) in
            // torch's weight is [out, in]; DeZero's linear takes [in, out]: the same values, transposed.
            // A 1-d weight (torch drops the output axis) becomes one output column, and a 0-d
            // bias a 1-element one: the same products, with a trailing axis of size 1.
            guard case .tensor(var w)? = call.arguments["weight"], (1...2).contains(w.shape.count), let data = w.data else {
                throw OpInfoSkip("a weight that is not a vector or a matrix")
            }
            if w.shape.count == 1 {
                w.shape = [1, w.shape[0]]
                if case .tensor(var b)? = call.arguments["bias"], b.shape.isEmpty {
                    b.shape = [1]
                    call.arguments["bias"] = .tensor(b)
                }
            }
            let (rows, columns) = (w.shape[0], w.shape[1])
            w.data = (0..<(rows * columns)).map { data[($0 % rows) * columns + $0 / rows] }
            w.shape = [columns, rows]
            call.arguments["weight"] = .tensor(w)
            withoutBiasIfNone(&call, sibling: "linear_nobias")
        }],
        "conv2d": [OpInfoMapping("nn.functional.conv2d",
                                 parameters: ["input", "weight", "bias", "stride", "padding", "dilation", "groups"],
                                 operands: ["input", "weight", "bias"]) { call throws(OpInfoSkip) in
            try namedPadding(&call)
            withoutBiasIfNone(&call, sibling: "conv2d_nobias")
        }],
        "conv_transpose2d": [OpInfoMapping("nn.functional.conv_transpose2d",
                                           parameters: ["input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"],
                                           operands: ["input", "weight", "bias"]) { call throws(OpInfoSkip) in
            withoutBiasIfNone(&call, sibling: "conv_transpose2d_nobias")
        }],
        "max_pool2d": [OpInfoMapping("nn.functional.max_pool2d",
                                     parameters: ["input", "kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
                                     operands: ["input"]) { call throws(OpInfoSkip) in
            switch call.arguments.removeValue(forKey: "return_indices") {
            case nil, .pythonNone?, .bool(false)?: break
            case .bool(true)?:
                call.op = "max_pool2d_with_indices"
                call.results = 2
            case let other?: throw OpInfoSkip("return_indices=\(OpInfoConverter.describe(other))")
            }
        }],
        "avg_pool2d": [OpInfoMapping("nn.functional.avg_pool2d",
                                     parameters: ["input", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"],
                                     operands: ["input"])],
        "im2col": [OpInfoMapping("nn.functional.unfold", parameters: ["input", "kernel_size", "dilation", "padding", "stride"],
                                 operands: ["input"])],
        "batch_norm": [OpInfoMapping("nn.functional.batch_norm",
                                     parameters: ["input", "running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"],
                                     operands: ["input", "running_mean", "running_var", "weight", "bias"]) { call throws(OpInfoSkip) in
            guard case .tensor(let x)? = call.arguments["input"], x.shape.count >= 2 else {
                throw OpInfoSkip("an input without a channel axis")
            }
            let channels = [x.shape[1]]
            // Without running statistics torch uses the batch's (training or not); they are
            // then updated copies that no output depends on: zeros and ones stand in.
            if (call.arguments["running_mean"] ?? .pythonNone) == .pythonNone {
                guard (call.arguments["running_var"] ?? .pythonNone) == .pythonNone else { throw OpInfoSkip("running_var without running_mean") }
                call.arguments["training"] = .bool(true)
                call.arguments["running_mean"] = filled(channels, 0, like: x)
                call.arguments["running_var"] = filled(channels, 1, like: x)
            }
            fillIfNone(&call, "weight", channels, 1, like: x)
            fillIfNone(&call, "bias", channels, 0, like: x)
        }],
        "layer_norm": [OpInfoMapping("nn.functional.layer_norm", parameters: ["input", "normalized_shape", "weight", "bias", "eps"],
                                     operands: ["input", "weight", "bias"]) { call throws(OpInfoSkip) in
            guard case .tensor(let x)? = call.arguments["input"] else { throw OpInfoSkip("a non-tensor input") }
            var shape: [Int] = []
            switch call.arguments["normalized_shape"] {
            case .integer(let n)?: shape = [n]
            case .list(let items)?:
                for item in items {
                    guard case .integer(let n) = item else { throw OpInfoSkip("a normalized_shape that is not integers") }
                    shape.append(n)
                }
            default: throw OpInfoSkip("no normalized_shape")
            }
            // An absent affine weight or bias is the identity: ones and zeros.
            fillIfNone(&call, "weight", shape, 1, like: x)
            fillIfNone(&call, "bias", shape, 0, like: x)
        }],
        "embedding": [OpInfoMapping("nn.functional.embedding",
                                    parameters: ["weight", "input", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"],
                                    operands: ["input", "weight"],
                                    defaults: ["max_norm": .pythonNone, "norm_type": .number(2), "scale_grad_by_freq": .bool(false),
                                               "sparse": .bool(false)])],
        // The everyday ops added with the OpInfo samples
        "reciprocal": unary("reciprocal"), "rsqrt": unary("rsqrt"), "sign": unary("sign"),
        "erf": unary("erf"), "erfc": unary("erfc"), "log2": unary("log2"), "log10": unary("log10"), "exp2": unary("exp2"),
        "sinh": unary("sinh"), "cosh": unary("cosh"), "asin": unary("asin"), "acos": unary("acos"), "atan": unary("atan"),
        "asinh": unary("asinh"), "acosh": unary("acosh"), "atanh": unary("atanh"),
        "atan2": binary("atan2"),
        "hardtanh": unary("nn.functional.hardtanh", extra: ["min_val", "max_val", "inplace"]),
        "relu6": unary("nn.functional.relu6"), "selu": unary("nn.functional.selu"),
        "celu": unary("nn.functional.celu", extra: ["alpha", "inplace"]),
        "mish": unary("nn.functional.mish"), "softsign": unary("nn.functional.softsign"),
        "logsigmoid": unary("nn.functional.logsigmoid"), "hardsigmoid": unary("nn.functional.hardsigmoid"),
        "hardswish": unary("nn.functional.hardswish"),
        // As softmax: the with_dtype variant always asks for float64, a cast the language lacks.
        "softmin": ["", "with_dtype"].map {
            OpInfoMapping("nn.functional.softmin", variant: $0, parameters: ["input", "dim", "_stacklevel", "dtype"],
                          operands: ["input"], defaults: ["_stacklevel": .integer(3)])
        },
        "prod": [OpInfoMapping("prod", parameters: ["input", "dim", "keepdim"], operands: ["input"], rewrite: withoutOwnDtype)],
        "cumsum": [OpInfoMapping("cumsum", parameters: ["input", "dim"], operands: ["input"], rewrite: withoutOwnDtype)],
        // The `inf` variant's samples are all p=±inf, `nuc`'s matrix norms: neither is expressible.
        "norm": ["", "fro"].map { variant in
            OpInfoMapping("norm", variant: variant, parameters: ["input", "p", "dim", "keepdim", "out", "dtype"],
                          operands: ["input"], rewrite: vectorNormOrder)
        } + [OpInfoMapping("linalg.vector_norm", parameters: ["input", "ord", "dim", "keepdim"], operands: ["input"]) {
            call throws(OpInfoSkip) in
            if let order = call.arguments.removeValue(forKey: "ord") { call.arguments["p"] = order }
            try vectorNormOrder(&call)
        }],
        "flip": [OpInfoMapping("flip", parameters: ["input", "dims"], operands: ["input"])],
        "chunk": [OpInfoMapping("chunk", parameters: ["input", "chunks", "dim"], operands: ["input"]) { call throws(OpInfoSkip) in
            guard case .integer(let chunks)? = call.arguments["chunks"], chunks > 0 else { throw OpInfoSkip("chunks that is not a positive integer") }
            let n = try axisSize(call)
            // torch.chunk: pieces of ⌈n / chunks⌉, as many as that takes (`chunks` empty ones of an empty axis).
            call.results = n == 0 ? chunks : (n + (n + chunks - 1) / chunks - 1) / ((n + chunks - 1) / chunks)
        }],
        "unbind": [OpInfoMapping("unbind", parameters: ["input", "dim"], operands: ["input"]) { call throws(OpInfoSkip) in
            call.results = try axisSize(call)
        }],
        "gather": [OpInfoMapping("gather", parameters: ["input", "dim", "index"], operands: ["input", "index"],
                                 defaults: ["sparse_grad": .bool(false)])],
        "addmm": ["", "decomposed"].map { variant in
            OpInfoMapping("addmm", variant: variant, parameters: ["input", "mat1", "mat2"], operands: ["input", "mat1", "mat2"])
        },
    ]

    /// A `dtype=` that is the input's own dtype changes nothing: left out (any other would
    /// compute in another precision).
    @Sendable private static func withoutOwnDtype(_ call: inout OpInfoCall) throws(OpInfoSkip) {
        guard case .dtype(let dtype)? = call.arguments["dtype"] else { return }
        guard case .tensor(let x)? = call.arguments["input"], x.dtype == dtype else {
            throw OpInfoSkip("dtype=torch.\(dtype), not the input's own")
        }
        call.arguments["dtype"] = nil
    }

    /// torch.norm's `p`: a number is a vector norm's order; `'fro'` is the 2-norm over the
    /// given dims (all by default), as torch.norm computes it; `'nuc'` is a matrix norm.
    @Sendable private static func vectorNormOrder(_ call: inout OpInfoCall) throws(OpInfoSkip) {
        guard case .string(let name)? = call.arguments["p"] else { return }
        guard name == "fro" else { throw OpInfoSkip("p='\(name)', a matrix norm") }
        call.arguments["p"] = .integer(2)
    }

    /// The size of the input along the call's `dim` (0 by default).
    private static func axisSize(_ call: OpInfoCall) throws(OpInfoSkip) -> Int {
        guard case .tensor(let x)? = call.arguments["input"] else { throw OpInfoSkip("a non-tensor input") }
        var dim = 0
        if case .integer(let d)? = call.arguments["dim"] { dim = d }
        if dim < 0 { dim += x.shape.count }
        guard x.shape.indices.contains(dim) else { throw OpInfoSkip("an axis the input does not have") }
        return x.shape[dim]
    }

    /// A tensor of `shape` filled with `value`, of `like`'s dtype.
    private static func filled(_ shape: [Int], _ value: Double, like t: OpInfoTensor) -> OpInfoValue {
        .tensor(OpInfoTensor(shape: shape, dtype: t.dtype, data: Array(repeating: value, count: shape.reduce(1, *)),
                             requiresGrad: false))
    }

    private static func fillIfNone(_ call: inout OpInfoCall, _ name: String, _ shape: [Int], _ value: Double, like t: OpInfoTensor) {
        if (call.arguments[name] ?? .pythonNone) == .pythonNone { call.arguments[name] = filled(shape, value, like: t) }
    }

    /// conv2d's `padding='valid'` (none) and `'same'` (the output keeps the input's size:
    /// with stride 1, `t = dilation·(k − 1)` in all, `⌊t/2⌋` before and the rest after).
    /// An odd `t` pads one side more, which symmetric padding of `⌈t/2⌉` and dropping the
    /// first output position of that axis gives exactly.
    private static func namedPadding(_ call: inout OpInfoCall) throws(OpInfoSkip) {
        guard case .string(let name)? = call.arguments["padding"] else { return }
        switch name {
        case "valid":
            call.arguments["padding"] = .integer(0)
        case "same":
            guard case .tensor(let w)? = call.arguments["weight"], w.shape.count == 4 else { throw OpInfoSkip("padding='same' without a 4-d weight") }
            func pair(_ key: String, _ fallback: Int) -> [Int]? {
                switch call.arguments[key] {
                case nil, .pythonNone?: return [fallback, fallback]
                case .integer(let n)?: return [n, n]
                case .list(let items)?:
                    let ints = items.compactMap { if case .integer(let n) = $0 { n } else { nil } }
                    return ints.count == 2 ? ints : nil
                default: return nil
                }
            }
            guard let dilation = pair("dilation", 1), pair("stride", 1) == [1, 1] else {
                throw OpInfoSkip("padding='same' with a stride")
            }
            guard case .tensor(let x)? = call.arguments["input"], (3...4).contains(x.shape.count) else {
                throw OpInfoSkip("padding='same' of an input that is not 3-d or 4-d")
            }
            let totals = [dilation[0] * (w.shape[2] - 1), dilation[1] * (w.shape[3] - 1)]
            call.arguments["padding"] = .list(totals.map { .integer(($0 + 1) / 2) })
            if totals.contains(where: { $0 % 2 == 1 }) {
                let trims = totals.map { $0 % 2 == 1 ? "1:" : ":" }
                call.suffix = "[" + Array(repeating: ":", count: x.shape.count - 2).joined(separator: ", ") + ", "
                    + trims.joined(separator: ", ") + "]"
            }
        default:
            throw OpInfoSkip("padding='\(name)'")
        }
    }

    /// `var` and `std`: torch's positional `unbiased` is a correction of 1 or 0 (the
    /// `unbiased` variant passes it alone: `var(x, False)`).
    private static func moment(_ opInfo: String) -> [OpInfoMapping] {
        [("", ["input", "dim", "unbiased", "keepdim"]), ("unbiased", ["input", "unbiased"])].map { variant, parameters in
            OpInfoMapping(opInfo, variant: variant, parameters: parameters, operands: ["input"]) {
                call throws(OpInfoSkip) in
                switch call.arguments.removeValue(forKey: "unbiased") {
                case nil, .pythonNone?: break
                case .bool(let unbiased)?:
                    guard call.arguments["correction"] == nil else { throw OpInfoSkip("both unbiased and correction") }
                    call.arguments["correction"] = .integer(unbiased ? 1 : 0)
                case let other?: throw OpInfoSkip("unbiased=\(OpInfoConverter.describe(other))")
                }
            }
        }
    }

    /// `split`'s number of results: one per listed size, or ⌈n / size⌉ pieces of the axis.
    @Sendable private static func splitResults(_ call: inout OpInfoCall) throws(OpInfoSkip) {
        guard case .tensor(let x)? = call.arguments["input"] else { throw OpInfoSkip("split of a non-tensor") }
        var dim = 0
        if case .integer(let d)? = call.arguments["dim"] { dim = d }
        if dim < 0 { dim += x.shape.count }
        guard x.shape.indices.contains(dim) else { throw OpInfoSkip("split along a missing axis") }
        switch call.arguments["split_size_or_sections"] {
        case .integer(let size)? where size > 0:
            call.results = max(1, (x.shape[dim] + size - 1) / size)
        case .list(let sizes)?:
            call.results = sizes.count
        default:
            throw OpInfoSkip("split sizes that are neither an integer nor a list")
        }
    }
}
