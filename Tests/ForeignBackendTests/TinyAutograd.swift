import Foundation

// A scalar autograd the size of micrograd, standing for "another library": it knows
// nothing of this repository's Autograd. Each node keeps its value, its inputs and, per
// input, the local derivative as a function that builds new nodes, so that gradients
// are graphs too and can be differentiated again (second and third order).

/// One scalar in a graph.
final class Scalar {
    let value: Double
    /// The inputs, each with ∂self/∂input built from nodes (given self).
    let inputs: [(node: Scalar, derivative: (Scalar) -> Scalar)]

    init(_ value: Double, inputs: [(node: Scalar, derivative: (Scalar) -> Scalar)] = []) {
        self.value = value
        self.inputs = inputs
    }

    static func + (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.value + b.value, inputs: [(a, { _ in Scalar(1) }), (b, { _ in Scalar(1) })])
    }

    static func - (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.value - b.value, inputs: [(a, { _ in Scalar(1) }), (b, { _ in Scalar(-1) })])
    }

    static func * (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.value * b.value, inputs: [(a, { _ in b }), (b, { _ in a })])
    }

    /// a / b: ∂/∂a = 1/b, ∂/∂b = −(a/b)/b (divided twice, not by b², which overflows
    /// or underflows first: torch computes it this way too).
    static func / (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.value / b.value, inputs: [(a, { _ in Scalar(1) / b }), (b, { _ in -((a / b) / b) })])
    }

    static prefix func - (a: Scalar) -> Scalar {
        Scalar(-a.value, inputs: [(a, { _ in Scalar(-1) })])
    }

    /// eˣ: its own derivative.
    func exp() -> Scalar { Scalar(Foundation.exp(value), inputs: [(self, { out in out })]) }

    /// ln x: ∂ = 1/x.
    func log() -> Scalar { Scalar(Foundation.log(value), inputs: [(self, { _ in Scalar(1) / self })]) }

    func sin() -> Scalar { Scalar(Foundation.sin(value), inputs: [(self, { _ in self.cos() })]) }

    func cos() -> Scalar { Scalar(Foundation.cos(value), inputs: [(self, { _ in -self.sin() })]) }

    /// tanh x: ∂ = 1 − tanh²x.
    func tanh() -> Scalar { Scalar(Foundation.tanh(value), inputs: [(self, { out in Scalar(1) - out * out })]) }

    /// σ(x) = 1/(1 + e⁻ˣ): ∂ = σ(1 − σ).
    func sigmoid() -> Scalar {
        Scalar(1 / (1 + Foundation.exp(-value)), inputs: [(self, { out in out * (Scalar(1) - out) })])
    }

    /// xᵖ for a constant p: ∂ = p·xᵖ⁻¹, and 0 for p = 0 (not 0·x⁻¹, which is NaN at 0).
    func power(_ p: Double) -> Scalar {
        Scalar(Foundation.pow(value, p), inputs: [(self, { _ in p == 0 ? Scalar(0) : Scalar(p) * self.power(p - 1) })])
    }

    /// xʸ for a node y: ∂/∂x = y·xʸ⁻¹ (0 where y = 0), ∂/∂y = xʸ·ln x (0 where x = 0 and
    /// y ≥ 0), the conventions torch's derivatives follow.
    func power(_ y: Scalar) -> Scalar {
        Scalar(Foundation.pow(value, y.value), inputs: [
            (self, { _ in y.value == 0 ? Scalar(0) : y * self.power(y - Scalar(1)) }),
            (y, { out in self.value == 0 && y.value >= 0 ? Scalar(0) : out * self.log() }),
        ])
    }

    /// The gradients of `self` with respect to `leaves`, seeded with `seed`: reverse
    /// mode over the nodes in topological order, every product a new node.
    func gradients(withRespectTo leaves: [Scalar], seed: Scalar) -> [Scalar] {
        var order: [Scalar] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(Scalar, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.inputs { stack.append((input.node, false)) }
        }
        var grads: [ObjectIdentifier: Scalar] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let g = grads[ObjectIdentifier(node)] else { continue }
            for input in node.inputs {
                let contribution = g * input.derivative(node)
                let key = ObjectIdentifier(input.node)
                grads[key] = grads[key].map { $0 + contribution } ?? contribution
            }
        }
        return leaves.map { grads[ObjectIdentifier($0)] ?? Scalar(0) }
    }
}
