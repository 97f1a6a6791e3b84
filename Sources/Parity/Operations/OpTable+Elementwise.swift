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
    ] + moreElementwise + pointwiseActivations

    /// Powers, logarithms, trigonometric and special functions.
    static let moreElementwise: [Op] = [
        unary("reciprocal", torch: "torch.reciprocal", summary: "1/x (±inf at ±0)").with(domains: [.nonzero]),
        unary("rsqrt", torch: "torch.rsqrt", summary: "1/√x (inf at 0, NaN below)").with(domains: [.positive]),
        unary("sign", torch: "torch.sign", summary: "−1, 0 or 1 by the sign of x (NaN stays NaN; gradient 0)").with(smooth: false),
        unary("erf", torch: "torch.erf", summary: "erf x = 2/√π ∫₀ˣ e^(−t²) dt"),
        unary("erfc", torch: "torch.erfc", summary: "erfc x = 1 − erf x, accurate where erf x is near 1"),
        unary("log2", torch: "torch.log2", summary: "log₂ x = ln x / ln 2").with(domains: [.positive]),
        unary("log10", torch: "torch.log10", summary: "log₁₀ x = ln x / ln 10").with(domains: [.positive]),
        unary("exp2", torch: "torch.exp2", summary: "2ˣ"),
        unary("sinh", torch: "torch.sinh", summary: "sinh x = (eˣ − e⁻ˣ)/2"),
        unary("cosh", torch: "torch.cosh", summary: "cosh x = (eˣ + e⁻ˣ)/2"),
        unary("asin", torch: "torch.asin", summary: "arcsin x in [−π/2, π/2], x in [−1, 1] (gradient 1/√(1 − x²))")
            .with(domains: [.insideUnit]),
        unary("acos", torch: "torch.acos", summary: "arccos x in [0, π], x in [−1, 1] (gradient −1/√(1 − x²))")
            .with(domains: [.insideUnit]),
        unary("atan", torch: "torch.atan", summary: "arctan x in (−π/2, π/2) (gradient 1/(1 + x²))"),
        twoTensors("atan2", torch: "torch.atan2",
                   summary: "the angle of the point (b, a): arctan(a/b) in (−π, π] by the quadrant, broadcasting "
                       + "(gradients b/(a² + b²) and −a/(a² + b²))"),
        unary("asinh", torch: "torch.asinh", summary: "arsinh x = ln(x + √(x² + 1))"),
        unary("acosh", torch: "torch.acosh", summary: "arcosh x = ln(x + √(x² − 1)), x ≥ 1 (gradient 1/√(x² − 1))")
            .with(domains: [.aboveOne]),
        unary("atanh", torch: "torch.atanh", summary: "artanh x = ½ ln((1 + x)/(1 − x)), x in [−1, 1] (gradient 1/(1 − x²))")
            .with(domains: [.insideUnit]),
    ]

    /// The activation functions that act on each element (softmax and softmin, along an
    /// axis, are in ``activations``).
    static let pointwiseActivations: [Op] = [
        Op("hardtanh", operands: [.tensor],
           options: [.init("min", .number, torch: "min_val"), .init("max", .number, torch: "max_val")],
           torch: "torch.nn.functional.hardtanh",
           summary: "min(max(x, min), max) (min = −1, max = 1; gradient 1 strictly inside)").with(smooth: false),
        unary("relu6", torch: "torch.nn.functional.relu6", summary: "min(max(x, 0), 6)").with(smooth: false),
        unary("selu", torch: "torch.nn.functional.selu",
              summary: "λ·(x if x > 0 else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733 (gradient λα·eˣ at 0)").with(smooth: false),
        Op("celu", operands: [.tensor], options: [.init("alpha", .number)], torch: "torch.nn.functional.celu",
           summary: "max(0, x) + min(0, α(e^(x/α) − 1)) (α = 1, not 0)").with(smooth: false),
        unary("mish", torch: "torch.nn.functional.mish", summary: "x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ))"),
        unary("softsign", torch: "torch.nn.functional.softsign", summary: "x / (1 + |x|)").with(smooth: false),
        unary("logsigmoid", torch: "torch.nn.functional.logsigmoid", summary: "log σ(x) = −softplus(−x)"),
        unary("hardsigmoid", torch: "torch.nn.functional.hardsigmoid",
              summary: "min(max(x/6 + ½, 0), 1) (gradient 1/6 strictly inside (−3, 3); torch has no second derivative)")
            .with(smooth: false).differentiable(upTo: 1),
        unary("hardswish", torch: "torch.nn.functional.hardswish",
              summary: "x·min(max(x + 3, 0), 6)/6 (gradient x/3 + ½ strictly inside (−3, 3), 0 at −3, 1 at 3)").with(smooth: false),
    ]

    /// An op of two tensor operands (a number written there becomes a constant tensor).
    static func twoTensors(_ name: String, torch: String, summary: String) -> Op {
        Op(name, operands: [.tensor, .tensor], torch: torch, summary: summary)
    }
}
