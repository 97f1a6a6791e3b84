import Autograd

extension OpTable {
    // MARK: - Elementwise

    static let elementwise: [Op] = [
        unary("exp", torch: "torch.exp", summary: "eˣ", exp),
        unary("log", torch: "torch.log", summary: "ln x", log).with(domains: [.positive]),
        unary("sqrt", torch: "torch.sqrt", summary: "√x", sqrt).with(domains: [.positive]),
        unary("sin", torch: "torch.sin", summary: "sin x", sin),
        unary("cos", torch: "torch.cos", summary: "cos x", cos),
        unary("tanh", torch: "torch.tanh", summary: "tanh x", tanh),
        unary("sigmoid", torch: "torch.sigmoid", summary: "1 / (1 + e⁻ˣ)", sigmoid),
        unary("relu", torch: "torch.relu", summary: "max(x, 0)", relu).with(smooth: false),
        unary("abs", torch: "torch.abs", summary: "|x| (gradient sign x, 0 at 0)", abs).with(smooth: false),
        Op("clip", operands: [.tensor], options: [.init("min", .number), .init("max", .number)], torch: "torch.clamp",
           summary: "min(max(x, min), max), either bound optional (gradient 1 strictly inside)") { args, options throws(AutogradError) in
            try clip(try args[0].variable(), min: options.number("min"), max: options.number("max"))
        }.with(smooth: false),
        twoTensors("maximum", torch: "torch.maximum", summary: "max(a, b), broadcasting (a tie splits the gradient)", maximum).with(smooth: false),
        twoTensors("minimum", torch: "torch.minimum", summary: "min(a, b), broadcasting (a tie splits the gradient)", minimum).with(smooth: false),
        Op("where", operands: [.tensor, .tensor, .tensor], torch: "torch_ops.where",
           summary: "c ≠ 0 ? a : b, broadcasting (no gradient to c; c may be int64, a and b not)") { args, _ throws(AutogradError) in
            try select(try args[0].variable(), try args[1].variable(), try args[2].variable())
        }.with(smooth: false).acceptingInt64(),
        unary("log1p", torch: "torch.log1p", summary: "ln(1 + x)", log1p).with(domains: [.positive]),
        unary("expm1", torch: "torch.expm1", summary: "eˣ − 1", expm1),
        unary("tan", torch: "torch.tan", summary: "tan x", tan),
        Op("softplus", operands: [.tensor], options: [.init("beta", .number), .init("threshold", .number)],
           torch: "torch.nn.functional.softplus",
           summary: "log(1 + e^(βx))/β, x where βx > threshold (β = 1, threshold = 20)") { args, options throws(AutogradError) in
            softplus(try args[0].variable(), beta: options.number("beta") ?? 1, threshold: options.number("threshold") ?? 20)
        },
        Op("leaky_relu", operands: [.tensor], options: [.init("slope", .number, torch: "negative_slope")],
           torch: "torch.nn.functional.leaky_relu", summary: "x if x > 0 else slope·x (slope = 0.01)") { args, options throws(AutogradError) in
            leakyReLU(try args[0].variable(), slope: options.number("slope") ?? 0.01)
        }.with(smooth: false),
        Op("elu", operands: [.tensor], options: [.init("alpha", .number)], torch: "torch.nn.functional.elu",
           summary: "x if x > 0 else α(eˣ − 1) (α = 1)") { args, options throws(AutogradError) in
            elu(try args[0].variable(), alpha: options.number("alpha") ?? 1)
        }.with(smooth: false),
        unary("gelu", torch: "torch.nn.functional.gelu", summary: "x·Φ(x) = x·½(1 + erf(x/√2))", gelu),
        unary("gelu_tanh", torch: "torch_ops.gelu_tanh", summary: "½x(1 + tanh(√(2/π)(x + 0.044715x³)))", geluTanh),
        unary("silu", torch: "torch.nn.functional.silu", summary: "x·σ(x)", silu),
        Op("dropout", operands: [.tensor, .tensor], options: [.init("p", .number)], torch: "torch_ops.dropout",
           summary: "x·[m ≠ 0]/(1 − p) with a given mask m (p = 0.5; no gradient to m)") { args, options throws(AutogradError) in
            try dropout(try args[0].variable(), mask: try args[1].variable().data, p: options.number("p") ?? 0.5)
        },
        Op("dropout_eval", operands: [.tensor], options: [.init("p", .number)], torch: "torch_ops.dropout_eval",
           summary: "dropout when not training: x itself") { args, options throws(AutogradError) in
            var generator = SystemRandomNumberGenerator()
            return try dropout(try args[0].variable(), p: options.number("p") ?? 0.5, training: false, using: &generator)
        },
        twoTensors("greater", torch: "torch_ops.greater", summary: "1 where a > b, else 0 (no gradient)", greater).with(smooth: false).acceptingInt64(),
        twoTensors("less", torch: "torch_ops.less", summary: "1 where a < b, else 0 (no gradient)", less).with(smooth: false).acceptingInt64(),
        twoTensors("greater_equal", torch: "torch_ops.greater_equal", summary: "1 where a ≥ b, else 0 (no gradient)", greaterEqual).with(smooth: false).acceptingInt64(),
        twoTensors("less_equal", torch: "torch_ops.less_equal", summary: "1 where a ≤ b, else 0 (no gradient)", lessEqual).with(smooth: false).acceptingInt64(),
        twoTensors("equal", torch: "torch_ops.equal", summary: "1 where a = b, else 0 (no gradient)", equal).with(smooth: false).acceptingInt64(),
        twoTensors("not_equal", torch: "torch_ops.not_equal", summary: "1 where a ≠ b, else 0 (no gradient)", notEqual).with(smooth: false).acceptingInt64(),
    ]

    /// An op of two tensor operands (a number written there becomes a constant tensor).
    static func twoTensors(
        _ name: String, torch: String, summary: String,
        _ f: @escaping @Sendable (Variable, Variable) throws(AutogradError) -> Variable
    ) -> Op {
        Op(name, operands: [.tensor, .tensor], torch: torch, summary: summary) { args, _ throws(AutogradError) in
            try f(try args[0].variable(), try args[1].variable())
        }
    }
}
