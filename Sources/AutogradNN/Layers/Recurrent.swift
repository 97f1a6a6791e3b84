import Autograd

/// What ``RNN``, ``LSTM`` and ``GRU`` share: the sizes, the four parameters with torch's
/// names and initialisation, the input projection and the shape checks. Not subclassable
/// outside the module; use the three layers.
///
/// **Parameters** (torch's `nn.RNN`/`nn.LSTM`/`nn.GRU` with `num_layers=1`), with `G`
/// gates (1 for the RNN, 4 for the LSTM, 3 for the GRU) stacked along the first axis in
/// torch's order:
///
/// | name           | shape                    |
/// |----------------|--------------------------|
/// | `weight_ih_l0` | `[G·hidden, inputSize]`  |
/// | `weight_hh_l0` | `[G·hidden, hidden]`     |
/// | `bias_ih_l0`   | `[G·hidden]`             |
/// | `bias_hh_l0`   | `[G·hidden]`             |
///
/// so that a `state_dict` saved by torch (`safetensors.torch.save_file`) loads with
/// ``Module/load(from:strict:)`` and gives torch's outputs. **Initialisation** is
/// torch's `reset_parameters`: every parameter U(−1/√hidden, 1/√hidden), drawn in the
/// order of the table.
///
/// **Two ways to run a layer.**
/// - *Step* (DeZero's `RNN`/`LSTM` layers): `layer(x)` with `x` of shape `[N, inputSize]`
///   is one time step; the layer keeps its hidden state ``h`` (and the LSTM its cell
///   state `c`) for the next call, starting from zeros. ``resetState()`` forgets it,
///   ``detachState()`` keeps its value but cuts the graph behind it (truncated
///   backpropagation through time: DeZero's `unchain_backward`, torch's `h.detach()`).
/// - *Sequence* (torch's `forward`): `sequence(x, …)` with `x` of shape `[T, N, inputSize]`
///   (`[N, T, inputSize]` with `batchFirst`, or `[T, inputSize]` unbatched) returns
///   every step's hidden state and the final state, in torch's shapes; it neither reads
///   nor changes the kept state.
///
/// Both are compositions of differentiable operations (matrix products, `split`,
/// `sigmoid`, `tanh`, `stack`), so backward passes and higher derivatives need nothing
/// else. The input's projection `x·W_ihᵀ + b_ih` is computed for all time steps at once
/// in the sequence API.
public class RecurrentLayer: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    /// The sequence API's layout: `[N, T, input]` if `true`, `[T, N, input]` if `false`.
    public let batchFirst: Bool
    /// Gates stacked in the weights: 1 (RNN), 4 (LSTM), 3 (GRU).
    let gates: Int
    /// `[G·hidden, inputSize]`, torch's `weight_ih_l0`.
    public let weightIH: Parameter
    /// `[G·hidden, hidden]`, torch's `weight_hh_l0`.
    public let weightHH: Parameter
    /// `[G·hidden]`, torch's `bias_ih_l0`, or `nil` for a layer without bias.
    public let biasIH: Parameter?
    /// `[G·hidden]`, torch's `bias_hh_l0`, or `nil` for a layer without bias.
    public let biasHH: Parameter?

    /// The hidden state kept by the step API, `[N, hidden]`, or `nil` (zeros) before the
    /// first step and after ``resetState()``.
    public internal(set) var h: Variable?

    init(gates: Int, inputSize: Int, hiddenSize: Int, bias: Bool, batchFirst: Bool, dtype: DType,
         generator: inout SeededGenerator) {
        if inputSize < 0 || hiddenSize < 1 {
            fatalError("\(Self.self)(inputSize: \(inputSize), hiddenSize: \(hiddenSize)): the input size cannot be negative and the hidden size must be positive")
        }
        self.gates = gates
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.batchFirst = batchFirst
        let bound = 1 / Double(hiddenSize).squareRoot()
        func draw(_ shape: [Int], _ name: String, _ generator: inout SeededGenerator) -> Parameter {
            Parameter(Initialization.uniform(shape: shape, low: -bound, high: bound, dtype: dtype, generator: &generator),
                      name: name)
        }
        weightIH = draw([gates * hiddenSize, inputSize], "weight_ih_l0", &generator)
        weightHH = draw([gates * hiddenSize, hiddenSize], "weight_hh_l0", &generator)
        biasIH = bias ? draw([gates * hiddenSize], "bias_ih_l0", &generator) : nil
        biasHH = bias ? draw([gates * hiddenSize], "bias_hh_l0", &generator) : nil
    }

    /// torch's names, in torch's order.
    override public var namedOwnParameters: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH)]
        if let biasIH { result.append(("bias_ih_l0", biasIH)) }
        if let biasHH { result.append(("bias_hh_l0", biasHH)) }
        return result
    }

    override public var namedChildren: [(name: String, module: Module)] { [] }

    /// The layer as written in messages: `LSTM(input: 1, hidden: 100)`.
    var label: String { "\(type(of: self))(input: \(inputSize), hidden: \(hiddenSize))" }

    /// Forgets the kept state: the next step starts from zeros (DeZero's `reset_state`).
    public func resetState() {
        h = nil
    }

    /// Keeps the state's value but cuts the graph behind it, so that the next backward
    /// pass stops here (truncated BPTT; torch's `h.detach()`, DeZero's `unchain_backward`).
    public func detachState() {
        h = h.map { Variable.constant($0.data) }
    }

    // MARK: Pieces the layers share

    /// `x·W_ihᵀ + b_ih` for `x` of shape `[M, inputSize]`: `[M, G·hidden]`.
    func inputProjection(_ x: Variable) throws(AutogradError) -> Variable {
        let product = try MatMul(transposeB: true).apply([x, weightIH.variable])[0]
        guard let biasIH else { return product }
        return try add(product, biasIH.variable)
    }

    /// `h·W_hhᵀ + b_hh` for `h` of shape `[N, hidden]`: `[N, G·hidden]`.
    func hiddenProjection(_ h: Variable) throws(AutogradError) -> Variable {
        let product = try MatMul(transposeB: true).apply([h, weightHH.variable])[0]
        guard let biasHH else { return product }
        return try add(product, biasHH.variable)
    }

    /// The `G` gate blocks of a projection `[N, G·hidden]`, each `[N, hidden]`.
    func gateBlocks(_ projection: Variable) throws(AutogradError) -> [Variable] {
        try split(projection, sizes: Array(repeating: hiddenSize, count: gates), axis: 1)
    }

    /// Zeros `[batch, hidden]` in the parameters' dtype: the state before the first step.
    func zeroState(batch: Int) throws(AutogradError) -> Variable {
        Variable.constant(try Tensor.zeros([batch, hiddenSize], dtype: weightIH.dtype))
    }

    /// A kept state, or zeros `[batch, hidden]` if there is none.
    func orZeros(_ state: Variable?, batch: Int) throws(AutogradError) -> Variable {
        if let state { return state }
        return try zeroState(batch: batch)
    }

    /// Checks a step's input `[N, inputSize]`; returns `N`.
    func checkStepInput(_ x: Variable) throws(AutogradError) -> Int {
        guard x.rank == 2, x.shape[1] == inputSize else {
            throw .invalidArgument(op: label, reason: "a step expects inputs [N, \(inputSize)], got shape \(x.shape)")
        }
        return x.shape[0]
    }

    /// Checks a kept state against a step's batch size.
    func checkKeptState(_ state: Variable, batch: Int, name: String) throws(AutogradError) {
        guard state.shape == [batch, hiddenSize] else {
            throw .invalidArgument(op: label, reason: "the kept state \(name) has shape \(state.shape) but this step's batch needs [\(batch), \(hiddenSize)]; call resetState() when the batch size changes")
        }
    }

    /// The sequence's input as `[T, N, inputSize]` and whether it was unbatched.
    func timeMajor(_ x: Variable) throws(AutogradError) -> (x: Variable, unbatched: Bool) {
        let layout = batchFirst ? "[N, T, \(inputSize)]" : "[T, N, \(inputSize)]"
        guard (x.rank == 3 || x.rank == 2), x.shape.last == inputSize else {
            throw .invalidArgument(op: label, reason: "a sequence expects inputs \(layout) or [T, \(inputSize)], got shape \(x.shape)")
        }
        let timeAxis = x.rank == 3 && batchFirst ? 1 : 0
        guard x.shape[timeAxis] > 0 else {
            throw .invalidArgument(op: label, reason: "a sequence needs at least one time step, got shape \(x.shape)")
        }
        if x.rank == 2 { return (try expandDims(x, axis: 1), true) }
        return (batchFirst ? try transpose(x, axes: [1, 0, 2]) : x, false)
    }

    /// An initial state given in torch's shape `[1, N, hidden]` (`[1, hidden]` unbatched)
    /// as `[N, hidden]`; zeros if `nil`.
    func initialState(_ state: Variable?, batch: Int, unbatched: Bool, name: String) throws(AutogradError) -> Variable {
        guard let state else { return try zeroState(batch: batch) }
        let expected = unbatched ? [1, hiddenSize] : [1, batch, hiddenSize]
        guard state.shape == expected else {
            throw .invalidArgument(op: label, reason: "the initial state \(name) must have shape \(expected), got \(state.shape)")
        }
        return try reshape(state, [batch, hiddenSize])
    }

    /// A final state `[N, hidden]` in torch's shape `[1, N, hidden]` (`[1, hidden]` unbatched).
    func finalState(_ state: Variable, unbatched: Bool) throws(AutogradError) -> Variable {
        unbatched ? state : try expandDims(state, axis: 0)
    }

    /// Runs `cell` over the time steps of `x` (`[T, N, input]` after ``timeMajor(_:)``),
    /// with the input projection computed for all steps at once. Returns the outputs in
    /// the caller's layout.
    func runSequence<State>(
        _ x: Variable, unbatched: Bool, initial: State,
        cell: (Variable, State) throws(AutogradError) -> (h: Variable, state: State)
    ) throws(AutogradError) -> (output: Variable, state: State) {
        let (steps, batch) = (x.shape[0], x.shape[1])
        let width = gates * hiddenSize
        let projected = try reshape(try inputProjection(try reshape(x, [steps * batch, inputSize])), [steps, batch, width])
        let perStep = steps == 1 ? [projected] : try split(projected, sizes: Array(repeating: 1, count: steps), axis: 0)
        var state = initial
        var outputs: [Variable] = []
        outputs.reserveCapacity(steps)
        for projection in perStep {
            let (h, next) = try cell(try reshape(projection, [batch, width]), state)
            outputs.append(h)
            state = next
        }
        var output = try stack(outputs, axis: 0)                       // [T, N, hidden]
        if unbatched {
            output = try reshape(output, [steps, hiddenSize])
        } else if batchFirst {
            output = try transpose(output, axes: [1, 0, 2])
        }
        return (output, state)
    }

    /// The step API of a layer whose state is one hidden tensor (RNN, GRU): `cell` on the
    /// projected input and the kept state (zeros at first), which becomes the kept state.
    func stepKeepingHidden(
        _ x: Variable, cell: (Variable, Variable) throws(AutogradError) -> Variable
    ) throws(AutogradError) -> Variable {
        let batch = try checkStepInput(x)
        if let h { try checkKeptState(h, batch: batch, name: "h") }
        let next = try cell(try inputProjection(x), try orZeros(h, batch: batch))
        h = next
        return next
    }

    /// The sequence API of a layer whose state is one hidden tensor (RNN, GRU).
    func hiddenSequence(
        _ input: Variable, initialState: Variable?, cell: (Variable, Variable) throws(AutogradError) -> Variable
    ) throws(AutogradError) -> (output: Variable, state: Variable) {
        let (x, unbatched) = try timeMajor(input)
        let h0 = try self.initialState(initialState, batch: x.shape[1], unbatched: unbatched, name: "h_0")
        let (output, h) = try runSequence(x, unbatched: unbatched, initial: h0) { (projection, h) throws(AutogradError) in
            let next = try cell(projection, h)
            return (next, next)
        }
        return (output, try finalState(h, unbatched: unbatched))
    }
}

// MARK: - RNN

/// An Elman recurrent layer with tanh (torch's `nn.RNN`, DeZero's `RNN` layer):
///
///     h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
///
/// with `W_ih` `[hidden, input]`, `W_hh` `[hidden, hidden]`. Parameters, initialisation
/// and the two APIs (one step at a time with a kept state, or a whole sequence) are
/// described in ``RecurrentLayer``.
///
/// ```swift
/// let rnn = RNN(inputSize: 1, hiddenSize: 10)
/// let h1 = try rnn(x1)            // [N, 10]; the layer keeps h1
/// let h2 = try rnn(x2)            // uses h1
/// rnn.resetState()
/// let (output, hN) = try rnn.sequence(xs)   // xs [T, N, 1] → [T, N, 10], [1, N, 10]
/// ```
public final class RNN: RecurrentLayer {
    /// A layer initialised as torch's `nn.RNN(inputSize, hiddenSize, bias=bias,
    /// batch_first=batchFirst)`, from `generator`.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        super.init(gates: 1, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst,
                   dtype: dtype, generator: &generator)
    }

    /// A layer initialised from its own generator, seeded with `seed`.
    public convenience init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false,
                            dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst, dtype: dtype,
                  generator: &generator)
    }

    /// One step of the cell from a projected input `x·W_ihᵀ + b_ih`.
    func cell(_ projection: Variable, _ h: Variable) throws(AutogradError) -> Variable {
        tanh(try add(projection, try hiddenProjection(h)))
    }

    /// One time step (the step API): `x` `[N, input]` → `h'` `[N, hidden]`, which the
    /// layer keeps as ``RecurrentLayer/h``.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for an input that is not
    ///   `[N, input]` or a kept state of another batch size.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try stepKeepingHidden(x, cell: cell)
    }

    /// torch's `output, h_n = rnn(input, h_0)`: every step's hidden state and the last.
    /// - Parameters:
    ///   - input: `[T, N, input]` (`[N, T, input]` with ``RecurrentLayer/batchFirst``), or
    ///     `[T, input]` unbatched.
    ///   - initialState: `h_0`, `[1, N, hidden]` (`[1, hidden]` unbatched); zeros if `nil`.
    /// - Returns: `output` `[T, N, hidden]` (`[N, T, hidden]`, `[T, hidden]`) and `state`,
    ///   `h_n`, shaped as `h_0`.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for shapes that do not fit.
    public func sequence(_ input: Variable, initialState: Variable? = nil) throws(AutogradError) -> (output: Variable, state: Variable) {
        try hiddenSequence(input, initialState: initialState, cell: cell)
    }
}

// MARK: - LSTM

/// A long short-term memory layer (torch's `nn.LSTM`, DeZero's `LSTM` layer). With
/// `[a_i, a_f, a_g, a_o] = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh`, four blocks of `hidden`
/// columns in torch's order:
///
///     i  = σ(a_i)                input gate
///     f  = σ(a_f)                forget gate
///     g  = tanh(a_g)             cell candidate (DeZero's u)
///     o  = σ(a_o)                output gate
///     c' = f ⊙ c + i ⊙ g
///     h' = o ⊙ tanh(c')
///
/// `W_ih` is `[4·hidden, input]`, `W_hh` `[4·hidden, hidden]`. DeZero's layer is the same
/// function with one bias per gate (and none on the `h` side) and `h = c = 0` at the
/// start. Parameters, initialisation and the step and sequence APIs: ``RecurrentLayer``.
public final class LSTM: RecurrentLayer {
    /// The cell state kept by the step API, `[N, hidden]`, or `nil` (zeros).
    public private(set) var c: Variable?

    /// A layer initialised as torch's `nn.LSTM(inputSize, hiddenSize, bias=bias,
    /// batch_first=batchFirst)`, from `generator`.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        super.init(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst,
                   dtype: dtype, generator: &generator)
    }

    /// A layer initialised from its own generator, seeded with `seed`.
    public convenience init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false,
                            dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst, dtype: dtype,
                  generator: &generator)
    }

    override public func resetState() {
        super.resetState()
        c = nil
    }

    override public func detachState() {
        super.detachState()
        c = c.map { Variable.constant($0.data) }
    }

    /// One step of the cell from a projected input `x·W_ihᵀ + b_ih`: `(h', c')`.
    func cell(_ projection: Variable, _ h: Variable, _ c: Variable) throws(AutogradError) -> (h: Variable, c: Variable) {
        let a = try gateBlocks(try add(projection, try hiddenProjection(h)))
        let (i, f, g, o) = (sigmoid(a[0]), sigmoid(a[1]), tanh(a[2]), sigmoid(a[3]))
        let next = try add(try mul(f, c), try mul(i, g))
        return (try mul(o, tanh(next)), next)
    }

    /// One time step (the step API): `x` `[N, input]` → `h'` `[N, hidden]`; the layer
    /// keeps `h'` and `c'`.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for an input that is not
    ///   `[N, input]` or a kept state of another batch size.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        let batch = try checkStepInput(x)
        if let h { try checkKeptState(h, batch: batch, name: "h") }
        if let c { try checkKeptState(c, batch: batch, name: "c") }
        let next = try cell(try inputProjection(x), try orZeros(h, batch: batch), try orZeros(c, batch: batch))
        (h, c) = (next.h, next.c)
        return next.h
    }

    /// torch's `output, (h_n, c_n) = lstm(input, (h_0, c_0))`.
    /// - Parameters:
    ///   - input: `[T, N, input]` (`[N, T, input]` with ``RecurrentLayer/batchFirst``), or
    ///     `[T, input]` unbatched.
    ///   - initialState: `(h_0, c_0)`, each `[1, N, hidden]` (`[1, hidden]` unbatched);
    ///     zeros if `nil`.
    /// - Returns: `output` `[T, N, hidden]` (`[N, T, hidden]`, `[T, hidden]`), every step's
    ///   `h`, and the final `(h_n, c_n)`, shaped as the initial state.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for shapes that do not fit.
    public func sequence(_ input: Variable, initialState: (h: Variable, c: Variable)? = nil) throws(AutogradError)
        -> (output: Variable, state: (h: Variable, c: Variable)) {
        let (x, unbatched) = try timeMajor(input)
        let batch = x.shape[1]
        let h0 = try self.initialState(initialState?.h, batch: batch, unbatched: unbatched, name: "h_0")
        let c0 = try self.initialState(initialState?.c, batch: batch, unbatched: unbatched, name: "c_0")
        let (output, state) = try runSequence(x, unbatched: unbatched, initial: (h: h0, c: c0)) { (projection, state) throws(AutogradError) in
            let next = try self.cell(projection, state.h, state.c)
            return (next.h, next)
        }
        return (output, (try finalState(state.h, unbatched: unbatched), try finalState(state.c, unbatched: unbatched)))
    }
}

// MARK: - GRU

/// A gated recurrent unit layer (torch's `nn.GRU`). With the input's projection
/// `[x_r, x_z, x_n] = x·W_ihᵀ + b_ih` and the state's `[h_r, h_z, h_n] = h·W_hhᵀ + b_hh`,
/// three blocks of `hidden` columns in torch's order:
///
///     r  = σ(x_r + h_r)          reset gate
///     z  = σ(x_z + h_z)          update gate
///     n  = tanh(x_n + r ⊙ h_n)   candidate: torch's W_in x + b_in + r ⊙ (W_hn h + b_hn)
///     h' = (1 − z) ⊙ n + z ⊙ h   computed as n + z ⊙ (h − n), as torch does
///
/// `W_ih` is `[3·hidden, input]`, `W_hh` `[3·hidden, hidden]`. Parameters,
/// initialisation and the step and sequence APIs: ``RecurrentLayer``.
public final class GRU: RecurrentLayer {
    /// A layer initialised as torch's `nn.GRU(inputSize, hiddenSize, bias=bias,
    /// batch_first=batchFirst)`, from `generator`.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false, dtype: DType = .float64,
                generator: inout SeededGenerator) {
        super.init(gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst,
                   dtype: dtype, generator: &generator)
    }

    /// A layer initialised from its own generator, seeded with `seed`.
    public convenience init(inputSize: Int, hiddenSize: Int, bias: Bool = true, batchFirst: Bool = false,
                            dtype: DType = .float64, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, batchFirst: batchFirst, dtype: dtype,
                  generator: &generator)
    }

    /// One step of the cell from a projected input `x·W_ihᵀ + b_ih`.
    func cell(_ projection: Variable, _ h: Variable) throws(AutogradError) -> Variable {
        let xs = try gateBlocks(projection)
        let hs = try gateBlocks(try hiddenProjection(h))
        let r = sigmoid(try add(xs[0], hs[0]))
        let z = sigmoid(try add(xs[1], hs[1]))
        let n = tanh(try add(xs[2], try mul(r, hs[2])))
        return try add(n, try mul(z, try sub(h, n)))
    }

    /// One time step (the step API): `x` `[N, input]` → `h'` `[N, hidden]`, which the
    /// layer keeps as ``RecurrentLayer/h``.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for an input that is not
    ///   `[N, input]` or a kept state of another batch size.
    override public func forward(_ x: Variable) throws(AutogradError) -> Variable {
        try stepKeepingHidden(x, cell: cell)
    }

    /// torch's `output, h_n = gru(input, h_0)`; shapes as ``RNN/sequence(_:initialState:)``.
    /// - Throws: `AutogradError/invalidArgument(op:reason:)` for shapes that do not fit.
    public func sequence(_ input: Variable, initialState: Variable? = nil) throws(AutogradError) -> (output: Variable, state: Variable) {
        try hiddenSequence(input, initialState: initialState, cell: cell)
    }
}
