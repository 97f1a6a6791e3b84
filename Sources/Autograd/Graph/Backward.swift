// The backward pass: reverse-mode differentiation over the recorded graph.
//
// The engine walks functions from the output towards the leaves, always taking the
// function of the highest generation next (a max-heap), so that a function runs only
// after every function that consumed its outputs: a variable used twice (`x + x`, or
// `a` in `square(a) + square(a)`) has received both contributions before its own
// creator runs. The walk is a loop, not recursion, so graph depth is bounded by memory
// only. Gradients are accumulated in each variable's `pendingGrad` slot (no hashing),
// and freed as soon as they have been passed on, unless the variable keeps them.
// A pass that records nothing (first-order gradients, the common case) moves bare
// tensors and calls each function's tensor-level backward; one that records
// (`createGraph`) moves Variables and calls the Variable-level backward.

extension Variable {
    /// Computes the gradient of this variable with respect to every variable it was
    /// computed from, accumulating it into their ``grad`` (DeZero's `backward`,
    /// torch's `backward`).
    ///
    /// The seed (the gradient of this variable with respect to itself) is this
    /// variable's ``grad`` if set (`y.grad = Variable(1.0)`, as in DeZero), otherwise ones.
    /// - Parameters:
    ///   - retainGrad: keep the gradient of every intermediate result too (by default
    ///     only leaves and variables marked with ``retainGrad()`` keep theirs).
    ///   - createGraph: record the backward computation itself, so that the gradients
    ///     can be differentiated again (higher-order derivatives). Note that a leaf's
    ///     ``grad`` then refers back to the leaf through its graph, a reference cycle, as
    ///     in torch: call ``cleargrad()`` when done, or use ``gradients(of:withRespectTo:seed:createGraph:)``,
    ///     which returns gradients without storing them.
    public func backward(retainGrad: Bool = false, createGraph: Bool = false) {
        let seed = grad ?? Variable.constant(data.filled(with: 1))
        grad = nil
        BackwardPass(createGraph: createGraph, mode: .accumulate(retainAll: retainGrad))
            .run(from: self, seed: seed)
    }

    /// ``backward(retainGrad:createGraph:)`` from an explicit seed gradient.
    /// - Throws: ``AutogradError/seedShapeMismatch(seed:output:)``.
    public func backward(seed: Tensor, retainGrad: Bool = false, createGraph: Bool = false) throws(AutogradError) {
        guard seed.shape == shape else { throw .seedShapeMismatch(seed: seed.shape, output: shape) }
        guard seed.dtype == dtype else { throw .dtypeMismatch(seed.dtype, dtype, op: "backward") }
        grad = Variable.constant(seed)
        backward(retainGrad: retainGrad, createGraph: createGraph)
    }
}

/// The gradients of `output` with respect to each of `inputs` (torch's
/// `torch.autograd.grad`), without touching any variable's ``Variable/grad``.
///
/// An input that `output` does not depend on gets zeros of its shape.
/// - Parameters:
///   - seed: the gradient flowing into `output` (torch's `grad_outputs`); ones if `nil`.
///   - createGraph: record the backward computation, so that the results can be
///     differentiated again: `gradients(of: sum(g[0]), withRespectTo: [x])` is then
///     the second derivative.
/// - Throws: ``AutogradError/seedShapeMismatch(seed:output:)`` if the seed's shape differs.
public func gradients(
    of output: Variable, withRespectTo inputs: [Variable], seed: Variable? = nil, createGraph: Bool = false
) throws(AutogradError) -> [Variable] {
    let seed = seed ?? Variable.constant(output.data.filled(with: 1))
    guard seed.shape == output.shape else { throw .seedShapeMismatch(seed: seed.shape, output: output.shape) }
    guard seed.dtype == output.dtype else { throw .dtypeMismatch(seed.dtype, output.dtype, op: "gradients") }
    for input in inputs { input.isCaptured = true }
    let pass = BackwardPass(createGraph: createGraph, mode: .capture)
    pass.run(from: output, seed: seed)
    let result = inputs.map { $0.pendingGrad?.variable ?? Variable.constant($0.data.filled(with: 0)) }
    for input in inputs {
        input.isCaptured = false
        input.pendingGrad = nil
    }
    return result
}

/// One backward pass over a graph.
private struct BackwardPass {
    enum Mode {
        /// Add gradients into leaves' `grad` (and intermediates' that retain it).
        case accumulate(retainAll: Bool)
        /// Leave every `grad` alone; the caller reads the captured variables' pending slots.
        case capture
    }

    let createGraph: Bool
    let mode: Mode

    func run(from root: Variable, seed: Variable) {
        var queue = GenerationHeap()
        var kept: [Variable] = []

        func receive(_ v: Variable, _ g: PendingGradient) {
            if let pending = v.pendingGrad {
                v.pendingGrad = pending.adding(g)
            } else {
                v.pendingGrad = g
                if v.creator == nil || keeps(v) { kept.append(v) }
            }
            if let f = v.creator, !f.isQueued {
                f.isQueued = true
                queue.push(f)
            }
        }

        withGradMode(createGraph) {
            receive(root, createGraph ? .recorded(seed) : .tensor(seed.data))
            while let f = queue.pop() {
                // Everything that consumed f's outputs has a later generation and has
                // already run, so f cannot be queued again in this pass.
                f.isQueued = false
                if !createGraph, let unary = f as? UnaryFunction, let y = f.output(0),
                   case .tensor(let gy)? = y.pendingGrad {
                    // One input, one output, no arrays: the scalar chains' fast path.
                    let gx = unary.backwardWithoutGraph(gy) ?? unrecordedBackward(f, [gy])[0]
                    if !keeps(y) { y.pendingGrad = nil }
                    let x = f.input(0)
                    if x.requiresGrad {
                        check(gx.shape, for: x, in: f)
                        receive(x, .tensor(gx))
                    }
                    continue
                }
                let gxs = gradients(ofInputsOf: f)
                checkCount(gxs.count, of: f)
                for (i, gx) in gxs.enumerated() {
                    let x = f.input(i)
                    guard x.requiresGrad else { continue }
                    check(gx.tensor.shape, for: x, in: f)
                    receive(x, gx)
                }
                // The outputs' gradients have been passed on; free them unless kept.
                for i in 0..<f.outputCount {
                    if let y = f.output(i), !keeps(y) { y.pendingGrad = nil }
                }
            }
            finish(kept)
        }
    }

    /// One backward step of `f`: its inputs' gradients from its outputs' pending ones.
    private func gradients(ofInputsOf f: Function) -> [PendingGradient] {
        let count = f.outputCount
        if createGraph {
            let gys = (0..<count).map { i in
                f.output(i)?.pendingGrad?.variable ?? Variable.constant(f.zeroGradient(ofOutput: i))
            }
            return f.backward(gys).map(PendingGradient.recorded)
        }
        let gys = (0..<count).map { i in f.output(i)?.pendingGrad?.tensor ?? f.zeroGradient(ofOutput: i) }
        return (f.backwardWithoutGraph(gys) ?? unrecordedBackward(f, gys)).map(PendingGradient.tensor)
    }

    /// For an op without a tensor-level rule: its Variable-level backward on bare tensors,
    /// recording nothing (grad mode is off in a pass that does not create a graph).
    private func unrecordedBackward(_ f: Function, _ gys: [Tensor]) -> [Tensor] {
        let gxs = f.backward(gys.map(Variable.constant))
        checkCount(gxs.count, of: f)
        return gxs.map(\.data)
    }

    private func checkCount(_ count: Int, of f: Function) {
        precondition(count == f.inputCount, "\(f.name).backward returned \(count) gradients for \(f.inputCount) inputs")
    }

    private func check(_ shape: [Int], for x: Variable, in f: Function) {
        precondition(shape == x.shape,
                     "\(f.name).backward returned a gradient of shape \(shape) for an input of shape \(x.shape)")
    }

    /// Whether a variable's pending gradient must outlive its creator's backward step.
    private func keeps(_ v: Variable) -> Bool {
        switch mode {
        case .accumulate(let retainAll): v.creator == nil || retainAll || v.retainsGrad
        case .capture: v.isCaptured
        }
    }

    /// Moves kept gradients to where they belong.
    private func finish(_ kept: [Variable]) {
        guard case .accumulate = mode else {
            // `gradients(of:)` reads the captured ones itself; the rest are dropped.
            for v in kept where !v.isCaptured { v.pendingGrad = nil }
            return
        }
        for v in kept {
            guard let pending = v.pendingGrad?.variable else { continue }
            v.pendingGrad = nil
            if let existing = v.grad {
                v.grad = trapping { () throws(AutogradError) in try add(existing, pending) }
            } else {
                v.grad = pending
            }
        }
    }
}

/// A gradient on its way through a backward pass: a bare tensor when the pass records
/// nothing, a Variable (with its own graph) when it records.
enum PendingGradient {
    case tensor(Tensor)
    case recorded(Variable)

    var tensor: Tensor {
        switch self {
        case .tensor(let t): t
        case .recorded(let v): v.data
        }
    }

    var variable: Variable {
        switch self {
        case .tensor(let t): Variable.constant(t)
        case .recorded(let v): v
        }
    }

    /// The sum of two contributions to one variable's gradient (same shape and kind).
    func adding(_ other: PendingGradient) -> PendingGradient {
        switch (self, other) {
        case let (.tensor(a), .tensor(b)): .tensor(a.trustedZip(b, .add))
        default: .recorded(trapping { () throws(AutogradError) in try add(variable, other.variable) })
        }
    }
}

/// A max-heap of functions by generation: the next function to run is the latest one.
private struct GenerationHeap {
    private var items: [Function] = []

    mutating func push(_ f: Function) {
        items.append(f)
        var i = items.count - 1
        if i == 0 { return }  // a chain keeps the heap at one function
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent].generation < items[i].generation else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Function? {
        guard items.count > 1 else { return items.popLast() }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < items.count && items[l].generation > items[largest].generation { largest = l }
            if r < items.count && items[r].generation > items[largest].generation { largest = r }
            if largest == i { break }
            items.swapAt(i, largest)
            i = largest
        }
        return top
    }
}
