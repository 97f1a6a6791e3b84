// Fused kernels for the tensor-level backward passes (`Function.backwardWithoutGraph`):
// one loop per rule instead of one temporary tensor per operation. Each rule evaluates
// exactly the expression its op's Variable-level `backward` builds, in the same order,
// so both paths give the same bits.

/// The gradient rule of a one-input elementwise op, as a function of the incoming
/// gradient `g` and one saved value `v` (the input `x` or the output `y`, as stated).
enum UnaryGradient: Sendable {
    /// `g · y` (exp, from the output).
    case exp
    /// `g / x` (log).
    case log
    /// `g / (y · 2)` (sqrt, from the output).
    case sqrt
    /// `g · cos x` (sin).
    case sin
    /// `g · −sin x` (cos).
    case cos
    /// `g · (1 − y·y)` (tanh, from the output).
    case tanh
    /// `(g · (1 − y)) · y` (sigmoid, from the output).
    case sigmoid
    /// `g` where `!(x ≤ 0)`, else 0 (relu: NaN inputs pass the gradient, as in torch).
    case relu
    /// `g · (x · 2)` (square).
    case square

    @inline(__always)
    func apply<T: TensorScalar>(_ g: T, _ v: T) -> T {
        switch self {
        case .exp: g * v
        case .log: g / v
        case .sqrt: g / (v * 2)
        case .sin: g * T.cos(v)
        case .cos: g * -T.sin(v)
        case .tanh: g * (1 - v * v)
        case .sigmoid: g * (1 - v) * v
        case .relu: v <= 0 ? 0 : g
        case .square: g * (v * 2)
        }
    }
}

extension Tensor {
    /// `rule(g, v)` elementwise, for `g` (the incoming gradient) and `self` (the saved
    /// value) of the same shape and dtype.
    func gradient(_ rule: UnaryGradient, incoming g: Tensor) -> Tensor {
        switch (g.inlineScalar, inlineScalar) {
        case let (.float64(g), .float64(v)): return Tensor(scalar: rule.apply(g, v))
        case let (.float32(g), .float32(v)): return Tensor(scalar: rule.apply(g, v))
        default: break
        }
        func apply<T: TensorScalar>(_ gs: [T], _ vs: [T]) -> [T] {
            gs.withUnsafeBufferPointer { gp in
                vs.withUnsafeBufferPointer { vp in
                    parallelArray(count: vp.count) { range, out in
                        // One loop per rule, each with a constant rule once `loop` is inlined,
                        // so that each vectorises. (With `rule` read inside the loop, every
                        // element took an indirect jump; a closure passed in here is called
                        // per element, not inlined.)
                        @inline(__always) func loop(_ r: UnaryGradient) {
                            for i in range { out[i] = r.apply(gp[i], vp[i]) }
                        }
                        switch rule {
                        case .exp: loop(.exp)
                        case .log: loop(.log)
                        case .sqrt: loop(.sqrt)
                        case .sin: loop(.sin)
                        case .cos: loop(.cos)
                        case .tanh: loop(.tanh)
                        case .sigmoid: loop(.sigmoid)
                        case .relu: loop(.relu)
                        case .square: loop(.square)
                        }
                    }
                }
            }
        }
        switch (g.storage, storage) {
        case let (.float64(gs), .float64(vs)): return Tensor(shape: shape, storage: .float64(apply(gs, vs)))
        case let (.float32(gs), .float32(vs)): return Tensor(shape: shape, storage: .float32(apply(gs, vs)))
        default: fatalError("gradient dtype \(g.dtype) differs from the saved value's \(dtype)")
        }
    }

    /// `self ⊙ other` for the engine's own gradients, whose shapes are known to fit.
    func trustedZip(_ other: Tensor, _ op: BinaryMath) -> Tensor {
        trapping { () throws(AutogradError) in try zip(other, op) }
    }

    /// `sum(to:)` for the engine's own gradients, whose shapes are known to fit.
    func trustedSum(to target: [Int]) -> Tensor {
        trapping { () throws(AutogradError) in try sum(to: target) }
    }

    /// `broadcast(to:)` for the engine's own gradients, whose shapes are known to fit.
    func trustedBroadcast(to target: [Int]) -> Tensor {
        trapping { () throws(AutogradError) in try broadcast(to: target) }
    }
}
