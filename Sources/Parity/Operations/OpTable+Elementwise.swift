extension OpTable {
    // MARK: - Elementwise

    static let elementwise: [Op] = [
        unary("exp", torch: "torch.exp", summary: "eˣ"),
        unary("log", torch: "torch.log", summary: "ln x").with(domains: [.positive]),
        unary("sqrt", torch: "torch.sqrt", summary: "√x").with(domains: [.positive]),
        unary("sin", torch: "torch.sin", summary: "sin x"),
        unary("cos", torch: "torch.cos", summary: "cos x"),
        unary("tanh", torch: "torch.tanh", summary: "tanh x"),
        unary("sigmoid", torch: "torch.sigmoid", summary: "1 / (1 + e⁻ˣ)"),
        unary("relu", torch: "torch.relu", summary: "max(x, 0)").with(smooth: false),
        unary("abs", torch: "torch.abs", summary: "|x| (gradient sign x, 0 at 0)").with(smooth: false),
        Op("clip", operands: [.tensor, .tensorOrNumber, .tensorOrNumber], torch: "torch.clamp",
           summary: "min(max(x, min), max), either bound optional, both numbers or both tensors as torch.clamp takes "
               + "them (gradient 1 strictly inside)")
            .naming(operands: ["input", "min", "max"], required: 1).with(smooth: false),
        twoTensors("maximum", torch: "torch.maximum", summary: "max(a, b), broadcasting (a tie splits the gradient)").with(smooth: false),
        twoTensors("minimum", torch: "torch.minimum", summary: "min(a, b), broadcasting (a tie splits the gradient)").with(smooth: false),
        Op("where", operands: [.tensor, .tensor, .tensor], torch: "torch_ops.where",
           summary: "c ≠ 0 ? a : b, broadcasting (no gradient to c; c may be int64, a and b not)").with(smooth: false).acceptingInt64(),
        unary("log1p", torch: "torch.log1p", summary: "ln(1 + x)").with(domains: [.positive]),
        unary("expm1", torch: "torch.expm1", summary: "eˣ − 1"),
        unary("tan", torch: "torch.tan", summary: "tan x"),
        Op("softplus", operands: [.tensor], options: [.init("beta", .number), .init("threshold", .number)],
           torch: "torch.nn.functional.softplus",
           summary: "log(1 + e^(βx))/β, x where βx > threshold (β = 1, threshold = 20)"),
        Op("leaky_relu", operands: [.tensor], options: [.init("slope", .number, torch: "negative_slope")],
           torch: "torch.nn.functional.leaky_relu", summary: "x if x > 0 else slope·x (slope = 0.01)").with(smooth: false),
        Op("elu", operands: [.tensor], options: [.init("alpha", .number)], torch: "torch.nn.functional.elu",
           summary: "x if x > 0 else α(eˣ − 1) (α = 1)").with(smooth: false),
        unary("gelu", torch: "torch.nn.functional.gelu", summary: "x·Φ(x) = x·½(1 + erf(x/√2))"),
        unary("gelu_tanh", torch: "torch_ops.gelu_tanh", summary: "½x(1 + tanh(√(2/π)(x + 0.044715x³)))"),
        unary("silu", torch: "torch.nn.functional.silu", summary: "x·σ(x)"),
        Op("dropout", operands: [.tensor, .tensor], options: [.init("p", .number)], torch: "torch_ops.dropout",
           summary: "x·[m ≠ 0]/(1 − p) with a given mask m (p = 0.5; no gradient to m)"),
        Op("dropout_eval", operands: [.tensor], options: [.init("p", .number)], torch: "torch_ops.dropout_eval",
           summary: "dropout when not training: x itself"),
        twoTensors("greater", torch: "torch_ops.greater", summary: "1 where a > b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
        twoTensors("less", torch: "torch_ops.less", summary: "1 where a < b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
        twoTensors("greater_equal", torch: "torch_ops.greater_equal", summary: "1 where a ≥ b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
        twoTensors("less_equal", torch: "torch_ops.less_equal", summary: "1 where a ≤ b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
        twoTensors("equal", torch: "torch_ops.equal", summary: "1 where a = b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
        twoTensors("not_equal", torch: "torch_ops.not_equal", summary: "1 where a ≠ b, else 0 (no gradient)").with(smooth: false).acceptingInt64(),
    ]

    /// An op of two tensor operands (a number written there becomes a constant tensor).
    static func twoTensors(_ name: String, torch: String, summary: String) -> Op {
        Op(name, operands: [.tensor, .tensor], torch: torch, summary: summary)
    }
}
