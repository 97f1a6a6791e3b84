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
    ]
}
