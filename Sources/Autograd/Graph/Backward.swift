// The backward pass: reverse-mode differentiation over the recorded graph.
//
// The engine walks functions from the output towards the leaves, always taking the
// function of the highest generation next (a max-heap), so that a function runs only
// after every function that consumed its outputs: a variable used twice (`x + x`, or
// `a` in `square(a) + square(a)`) has received both contributions before its own
// creator runs. The walk is a loop, not recursion, so graph depth is bounded by memory
// only. A pass that records nothing (first-order gradients, the common case) moves bare
// tensors and calls each function's tensor-level backward; one that records
// (`createGraph`) moves Variables and calls the Variable-level backward.
//
// All the scratch state of a pass (the gradients on their way, which functions are
// queued) lives in the pass, never in the graph's nodes: a pass reads the graph and
// writes nothing to it but the leaves' `grad`, under a lock. So `gradients(of:)`
// mutates nothing, and several passes may run at once over graphs that share
// variables (a model's parameters used by several threads), as torch's engine allows.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Variable {
    /// Computes the gradient of this variable with respect to every variable it was
    /// computed from, accumulating it into their ``grad`` (DeZero's `backward`,
    /// torch's `backward`).
    ///
    /// The seed (the gradient of this variable with respect to itself) is this
    /// variable's ``grad`` if set (`y.grad = Variable(1.0)`, as in DeZero), otherwise ones.
    ///
    /// Several threads may run backward passes at once through graphs that share
    /// variables: each pass keeps its state to itself, and the additions into a shared
    /// leaf's ``grad`` are serialised (see <doc:ThreadSafety>).
    /// - Parameters:
    ///   - retainGrad: keep the gradient of every intermediate result too (by default
    ///     only leaves and variables marked with ``retainGrad()`` keep theirs).
    ///   - createGraph: record the backward computation itself, so that the gradients
    ///     can be differentiated again (higher-order derivatives). Note that a leaf's
    ///     ``grad`` then refers back to the leaf through its graph, a reference cycle, as
    ///     in torch: call ``cleargrad()`` when done, or use ``gradients(of:withRespectTo:seed:createGraph:)``,
    ///     which returns gradients without storing them.
    public func backward(retainGrad: Bool = false, createGraph: Bool = false) {
        let given = GradientLocks.withLock(for: self) { grad.take() }
        let seed = given ?? Variable.constant(data.filled(with: 1))
        var pass = BackwardPass(createGraph: createGraph, mode: .accumulate(retainAll: retainGrad))
        pass.run(from: self, seed: seed)
    }

    /// ``backward(retainGrad:createGraph:)`` from an explicit seed gradient.
    /// - Throws: ``AutogradError/seedShapeMismatch(seed:output:)``.
    public func backward(seed: Tensor, retainGrad: Bool = false, createGraph: Bool = false) throws(AutogradError) {
        guard seed.shape == shape else { throw .seedShapeMismatch(seed: seed.shape, output: shape) }
        guard seed.dtype == dtype else { throw .dtypeMismatch(seed.dtype, dtype, op: "backward") }
        GradientLocks.withLock(for: self) { grad = nil }  // the seed replaces a stored one
        var pass = BackwardPass(createGraph: createGraph, mode: .accumulate(retainAll: retainGrad))
        pass.run(from: self, seed: Variable.constant(seed))
    }
}

/// The gradients of `output` with respect to each of `inputs` (torch's
/// `torch.autograd.grad`), without touching any variable's ``Variable/grad`` or
/// anything else in the graph: it may run while other threads use the same graph.
///
/// An input that `output` does not depend on gets zeros of its shape.
/// - Parameters:
///   - output: the variable to differentiate (torch's `outputs`).
///   - inputs: the variables to differentiate it with respect to; the result has one
///     gradient for each, in order.
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
    var pass = BackwardPass(createGraph: createGraph, mode: .capture(Set(inputs.map(NodeID.init))))
    pass.run(from: output, seed: seed)
    return inputs.map { pass.pending[NodeID($0)]?.variable ?? Variable.constant($0.data.filled(with: 0)) }
}

/// One backward pass over a graph, with all of its scratch state.
private struct BackwardPass {
    enum Mode {
        /// Add gradients into leaves' `grad` (and intermediates' that retain it).
        case accumulate(retainAll: Bool)
        /// Leave every `grad` alone; the caller reads these variables' gradients from
        /// ``pending`` after the pass.
        case capture(Set<NodeID>)
    }

    let createGraph: Bool
    let mode: Mode

    /// The gradients received so far by variables whose creator has not run yet, and by
    /// the variables the pass keeps (``keeps(_:)``), by variable identity. Every variable
    /// here is alive for the whole pass: the graph below the root holds it.
    var pending: [NodeID: PendingGradient] = [:]
    /// The kept variables, in the order they first received a gradient.
    private var kept: [Variable] = []
    /// The functions waiting in ``queue``, by identity.
    private var queued: Set<NodeID> = []
    private var queue = GenerationHeap()

    init(createGraph: Bool, mode: Mode) {
        self.createGraph = createGraph
        self.mode = mode
    }

    mutating func run(from root: Variable, seed: Variable) {
        withGradMode(createGraph) {
            receive(root, createGraph ? .recorded(seed) : .tensor(seed.data))
            // A function handed straight on, with the complete gradient of one of its
            // outputs, without going through `pending` and the queue (see `canHandOn`).
            var next: (function: Function, output: Int, gradient: PendingGradient)?
            while true {
                let f: Function
                var carried: (output: Int, gradient: PendingGradient)?
                if let n = next.take() {
                    f = n.function
                    carried = (n.output, n.gradient)
                } else if let popped = queue.pop() {
                    f = popped
                    queued.remove(NodeID(f))
                } else {
                    break
                }
                if f.inputCount == 1 {
                    // One input: the chains' path, without arrays where the op allows.
                    let x = f.input(0)
                    let gx: PendingGradient
                    if !createGraph, let unary = f as? UnaryFunction {
                        let gy = carried?.gradient.tensor ?? takeGradient(ofOutput: 0, of: f).tensor
                        gx = .tensor(unary.backwardWithoutGraph(gy) ?? unrecordedBackward(f, [gy])[0])
                    } else {
                        let gxs = gradients(ofInputsOf: f, carried: carried)
                        checkCount(gxs.count, of: f)
                        gx = gxs[0]
                    }
                    guard x.requiresGrad else { continue }
                    check(gx.tensor.shape, for: x, in: f)
                    if let creator = x.creator, canHandOn(x, to: creator) {
                        next = (creator, x.outputIndex, gx)
                    } else {
                        receive(x, gx)
                    }
                    continue
                }
                let gxs = gradients(ofInputsOf: f, carried: carried)
                checkCount(gxs.count, of: f)
                for (i, gx) in gxs.enumerated() {
                    let x = f.input(i)
                    guard x.requiresGrad else { continue }
                    check(gx.tensor.shape, for: x, in: f)
                    receive(x, gx)
                }
            }
            finish()
        }
    }

    /// Adds `g` to the gradient `v` has received so far, and queues `v`'s creator.
    private mutating func receive(_ v: Variable, _ g: PendingGradient) {
        if v.creator == nil && !keeps(v) { return }  // a leaf nobody asked about
        let id = NodeID(v)
        if let existing = pending[id] {
            pending[id] = existing.adding(g)
        } else {
            pending[id] = g
            if keeps(v) { kept.append(v) }
        }
        if let f = v.creator, queued.insert(NodeID(f)).inserted {
            queue.push(f)
        }
    }

    /// Whether `x`'s gradient is complete and `creator` may run next, taking it directly.
    ///
    /// True when nothing else can still add to `x`'s gradient: `x` has received nothing
    /// before (else its creator would be queued), and no queued function is of a later
    /// generation than `creator`. (A consumer of `x` is of a later generation than
    /// `x`'s creator; a function not yet reached is of an earlier generation than the
    /// queued ones it will be reached from.) Then the heap would give `creator` next
    /// anyway; handing it on saves a dictionary entry and a heap round trip per op in a chain.
    private func canHandOn(_ x: Variable, to creator: Function) -> Bool {
        guard !keeps(x) else { return false }
        if !queued.isEmpty && queued.contains(NodeID(creator)) { return false }
        guard let top = queue.top else { return true }
        return top.generation <= creator.generation
    }

    /// The gradient output `i` of `f` has received, or zeros if it received none (or is
    /// gone); removed from ``pending`` unless the output is kept.
    private mutating func takeGradient(ofOutput i: Int, of f: Function) -> PendingGradient {
        if !pending.isEmpty, let y = f.output(i) {
            let id = NodeID(y)
            if let g = keeps(y) ? pending[id] : pending.removeValue(forKey: id) { return g }
        }
        let zeros = f.zeroGradient(ofOutput: i)
        return createGraph ? .recorded(Variable.constant(zeros)) : .tensor(zeros)
    }

    /// One backward step of `f`: its inputs' gradients from its outputs' ones.
    private mutating func gradients(
        ofInputsOf f: Function, carried: (output: Int, gradient: PendingGradient)?
    ) -> [PendingGradient] {
        var gys: [PendingGradient] = []
        gys.reserveCapacity(f.outputCount)
        for i in 0..<f.outputCount {
            gys.append(carried?.output == i ? carried!.gradient : takeGradient(ofOutput: i, of: f))
        }
        if createGraph {
            return f.backward(gys.map(\.variable)).map(PendingGradient.recorded)
        }
        let tensors = gys.map(\.tensor)
        return (f.backwardWithoutGraph(tensors) ?? unrecordedBackward(f, tensors)).map(PendingGradient.tensor)
    }

    /// For an op without a tensor-level rule: its Variable-level backward on bare tensors,
    /// recording nothing (grad mode is off in a pass that does not create a graph).
    private func unrecordedBackward(_ f: Function, _ gys: [Tensor]) -> [Tensor] {
        let gxs = f.backward(gys.map(Variable.constant))
        checkCount(gxs.count, of: f)
        return gxs.map(\.data)
    }

    // A custom op's backward that breaks its contract is a programming error: stop with
    // the message (`fatalError` keeps it in release builds, `precondition` would not).
    private func checkCount(_ count: Int, of f: Function) {
        if count != f.inputCount {
            fatalError("\(f.name).backward returned \(count) gradients for \(f.inputCount) inputs")
        }
    }

    private func check(_ shape: [Int], for x: Variable, in f: Function) {
        if shape != x.shape {
            fatalError("\(f.name).backward returned a gradient of shape \(shape) for an input of shape \(x.shape)")
        }
    }

    /// Whether a variable's gradient must outlive its creator's backward step.
    private func keeps(_ v: Variable) -> Bool {
        switch mode {
        case .accumulate(let retainAll): v.creator == nil || retainAll || v.retainsGrad
        case .capture(let ids): ids.contains(NodeID(v))
        }
    }

    /// Adds the kept gradients into the variables' ``Variable/grad``, each under its lock.
    private mutating func finish() {
        guard case .accumulate = mode else { return }  // `gradients(of:)` reads `pending`
        for v in kept {
            guard let gradient = pending.removeValue(forKey: NodeID(v))?.variable else { continue }
            GradientLocks.withLock(for: v) {
                if let existing = v.grad {
                    v.grad = trapping { () throws(AutogradError) in try add(existing, gradient) }
                } else {
                    v.grad = gradient
                }
            }
        }
    }
}

/// The locks that serialise additions into ``Variable/grad``: a fixed set of mutexes,
/// a variable's chosen by its address. Striped rather than one per variable, so that a
/// node stays small; two passes contend only when they finish on variables that share
/// a stripe, and a pass holds one lock at a time, so they cannot deadlock.
enum GradientLocks {
    /// A pthread mutex, which ThreadSanitizer understands (it does not see the futex
    /// behind `Synchronization.Mutex`, and reports the accesses it guards as races).
    /// The stripes live as long as the process, so the mutexes are never destroyed.
    private final class Stripe: @unchecked Sendable {
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>

        init() {
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
        }

        func withLock<R>(_ body: () -> R) -> R {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }
    }

    private static let stripes: [Stripe] = (0..<64).map { _ in Stripe() }  // a power of 2

    static func withLock<R>(for v: Variable, _ body: () -> R) -> R {
        stripes[NodeID(v)._rawHashValue(seed: 0) & (stripes.count - 1)].withLock(body)
    }
}

/// A graph node's identity, as a key of the backward pass's tables.
///
/// Its hash is one multiplication of the address instead of the standard library's
/// seeded SipHash, which was a tenth of the instructions of a backward pass over a graph
/// with fan-in. (Addresses are not chosen by an adversary; the tables live for one pass.)
struct NodeID: Hashable {
    private let address: UInt

    init(_ object: AnyObject) {
        address = UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(address)
    }

    // The entry point `Dictionary` and `Set` call; `hash(into:)` stays for other users.
    func _rawHashValue(seed: Int) -> Int {
        let h = ((address >> 4) ^ UInt(bitPattern: seed)) &* 0x9E37_79B9_7F4A_7C15  // objects are 16-byte aligned
        return Int(bitPattern: h ^ (h >> 29))
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

    /// The function ``pop()`` would return, if any.
    var top: Function? { items.first }

    mutating func push(_ f: Function) {
        items.append(f)
        var i = items.count - 1
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
