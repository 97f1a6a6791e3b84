import Testing
import Autograd
@testable import AutogradNN

/// RNN, LSTM and GRU against torch: the expected values are torch's, written by
/// tools/make-recurrent-fixtures.py into Fixtures/KIND_state.safetensors (the layer's
/// `state_dict`, as `safetensors.torch.save_file` writes it) and Fixtures/KIND_io.safetensors
/// (a sequence [T=5, N=2, 3], an initial state [1, 2, 4], torch's outputs and the gradients
/// of `loss = Σ output ⊙ w_output + Σ h_n ⊙ w_h (+ Σ c_n ⊙ w_c)`).
@Suite("Recurrent layers")
struct RecurrentTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case rnn, lstm, gru
        var description: String { rawValue }
    }

    /// A float64 layer of input 3, hidden 4 holding torch's parameters.
    static func layer(_ kind: Kind, batchFirst: Bool = false) throws -> RecurrentLayer {
        let layer: RecurrentLayer = switch kind {
        case .rnn: RNN(inputSize: 3, hiddenSize: 4, batchFirst: batchFirst, seed: 99)
        case .lstm: LSTM(inputSize: 3, hiddenSize: 4, batchFirst: batchFirst, seed: 99)
        case .gru: GRU(inputSize: 3, hiddenSize: 4, batchFirst: batchFirst, seed: 99)
        }
        try layer.load(from: DataFixtures.path("\(kind)_state.safetensors"))
        return layer
    }

    static func io(_ kind: Kind) throws -> Safetensors.Contents {
        try Safetensors.read(from: DataFixtures.path("\(kind)_io.safetensors"))
    }

    /// `layer.sequence(input, initial)` for any of the three: output, h_n and (LSTM) c_n.
    static func sequence(_ layer: RecurrentLayer, _ input: Variable, h0: Variable?, c0: Variable?) throws
        -> (output: Variable, h: Variable, c: Variable?) {
        switch layer {
        case let lstm as LSTM:
            let initial = h0.map { h in (h: h, c: c0!) }
            let (output, state) = try lstm.sequence(input, initialState: initial)
            return (output, state.h, state.c)
        case let rnn as RNN:
            let (output, h) = try rnn.sequence(input, initialState: h0)
            return (output, h, nil)
        case let gru as GRU:
            let (output, h) = try gru.sequence(input, initialState: h0)
            return (output, h, nil)
        default:
            fatalError("unknown layer")
        }
    }

    /// |actual − expected| ≤ 1e-12 · (1 + |expected|) everywhere, and equal shapes.
    static func expectClose(_ actual: Tensor?, _ expected: Tensor?, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual, let expected else {
            Issue.record("\(label): missing (actual \(actual == nil ? "nil" : "present"), expected \(expected == nil ? "nil" : "present"))",
                         sourceLocation: sourceLocation)
            return
        }
        #expect(actual.shape == expected.shape, "\(label): shape", sourceLocation: sourceLocation)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst <= 1e-12, "\(label): relative error \(worst)", sourceLocation: sourceLocation)
    }

    // MARK: Parameters

    @Test(arguments: [(Kind.rnn, 1), (.lstm, 4), (.gru, 3)])
    func torchNamesShapesAndInitialisation(kind: Kind, gates: Int) throws {
        let layer: RecurrentLayer = switch kind {
        case .rnn: RNN(inputSize: 7, hiddenSize: 16, seed: 3)
        case .lstm: LSTM(inputSize: 7, hiddenSize: 16, seed: 3)
        case .gru: GRU(inputSize: 7, hiddenSize: 16, seed: 3)
        }
        #expect(layer.namedParameters().map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
        #expect(layer.namedParameters().map(\.parameter.shape) == [[gates * 16, 7], [gates * 16, 16], [gates * 16], [gates * 16]])
        // torch's reset_parameters: every parameter U(−1/√hidden, 1/√hidden).
        let values = layer.parameters.flatMap(\.data.scalars)
        #expect(values.allSatisfy { abs($0) <= 0.25 })
        #expect((values.max() ?? 0) > 0.23 && (values.min() ?? 0) < -0.23)
        let without = LSTM(inputSize: 2, hiddenSize: 3, bias: false)
        #expect(without.namedParameters().map(\.name) == ["weight_ih_l0", "weight_hh_l0"])
    }

    @Test func initialisationIsSeededAndKeepsTheDType() {
        #expect(LSTM(inputSize: 2, hiddenSize: 3, seed: 1).weightHH.data == LSTM(inputSize: 2, hiddenSize: 3, seed: 1).weightHH.data)
        #expect(LSTM(inputSize: 2, hiddenSize: 3, seed: 1).weightHH.data != LSTM(inputSize: 2, hiddenSize: 3, seed: 2).weightHH.data)
        #expect(GRU(inputSize: 2, hiddenSize: 3, dtype: .float32).parameters.allSatisfy { $0.dtype == .float32 })
    }

    // MARK: torch's outputs and gradients

    @Test(arguments: Kind.allCases)
    func sequenceGivesTorchsOutputsAndGradients(kind: Kind) throws {
        let layer = try Self.layer(kind)
        let io = try Self.io(kind)
        let x = Variable(try #require(io["input"]))
        let h0 = Variable(try #require(io["h0"]))
        let c0 = io["c0"].map { Variable($0) }
        let (output, h, c) = try Self.sequence(layer, x, h0: h0, c0: c0)
        Self.expectClose(output.data, io["output"], "output")
        Self.expectClose(h.data, io["h_n"], "h_n")
        if kind == .lstm { Self.expectClose(c?.data, io["c_n"], "c_n") }

        var loss = try add(sum(try mul(output, Variable.constant(try #require(io["w_output"])))),
                           sum(try mul(h, Variable.constant(try #require(io["w_h"])))))
        if let c { loss = try add(loss, sum(try mul(c, Variable.constant(try #require(io["w_c"]))))) }
        loss.backward()
        for (name, parameter) in layer.namedParameters() {
            Self.expectClose(parameter.grad?.data, io["grad.\(name)"], "grad \(name)")
        }
        Self.expectClose(x.grad?.data, io["grad.input"], "grad input")
        Self.expectClose(h0.grad?.data, io["grad.h0"], "grad h0")
        if let c0 { Self.expectClose(c0.grad?.data, io["grad.c0"], "grad c0") }
    }

    /// d/dθ Σ (∂loss/∂x)²: the layers are compositions of differentiable ops, so the
    /// second order comes from the same graph (torch: `autograd.grad(..., create_graph=True)`).
    @Test(arguments: Kind.allCases)
    func secondOrderGradientsMatchTorch(kind: Kind) throws {
        let layer = try Self.layer(kind)
        let io = try Self.io(kind)
        let x = Variable(try #require(io["input"]))
        let (output, h, c) = try Self.sequence(layer, x, h0: Variable.constant(try #require(io["h0"])),
                                               c0: io["c0"].map { Variable.constant($0) })
        var loss = try add(sum(try mul(output, Variable.constant(try #require(io["w_output"])))),
                           sum(try mul(h, Variable.constant(try #require(io["w_h"])))))
        if let c { loss = try add(loss, sum(try mul(c, Variable.constant(try #require(io["w_c"]))))) }
        loss.backward(createGraph: true)
        let gx = try #require(x.grad)
        layer.zeroGrad()
        sum(square(gx)).backward()
        for (name, parameter) in layer.namedParameters() {
            Self.expectClose(parameter.grad?.data, io["grad2.\(name)"], "second-order grad \(name)")
        }
    }

    /// The step API (DeZero's layers), from zero state, one time step per call, gives
    /// torch's `layer(x)` with its default zero initial state.
    @Test(arguments: Kind.allCases)
    func stepsFromZeroStateGiveTorchsSequence(kind: Kind) throws {
        let layer = try Self.layer(kind)
        let io = try Self.io(kind)
        let x = try #require(io["input"])
        var outputs: [Variable] = []
        for t in 0..<x.shape[0] {
            outputs.append(try layer(Variable(x[t])))
        }
        Self.expectClose(try stack(outputs).data, io["output_zero"], "stacked steps")
        Self.expectClose(try layer.h?.data.reshaped([1, 2, 4]), io["h_n_zero"], "kept h")
        // The sequence API with no initial state is the same, and leaves the kept state alone.
        let kept = layer.h
        Self.expectClose(try Self.sequence(layer, Variable(x), h0: nil, c0: nil).output.data, io["output_zero"], "sequence")
        #expect(layer.h === kept)
        layer.resetState()
        #expect(layer.h == nil)
        if let lstm = layer as? LSTM { #expect(lstm.c == nil) }
        Self.expectClose(try layer(Variable(x[0])).data, io["output_zero"]?[0], "first step after reset")
    }

    @Test(arguments: Kind.allCases)
    func batchFirstAndUnbatchedLayouts(kind: Kind) throws {
        let io = try Self.io(kind)
        let x = try #require(io["input"]), expected = try #require(io["output"])
        let h0 = try #require(io["h0"]), c0 = io["c0"]
        let batchFirst = try Self.layer(kind, batchFirst: true)
        let (output, h, _) = try Self.sequence(batchFirst, Variable(try x.transposed([1, 0, 2])), h0: Variable(h0),
                                               c0: c0.map { Variable($0) })
        Self.expectClose(output.data, try expected.transposed([1, 0, 2]), "batch-first output")
        Self.expectClose(h.data, io["h_n"], "batch-first h_n")

        // Sequence 1 of the batch alone, as torch's unbatched input [T, input] with h_0 [1, hidden].
        let layer = try Self.layer(kind)
        let single = Variable(x[.all, .at(1)])
        let (unbatched, hn, _) = try Self.sequence(layer, single, h0: Variable(h0[.all, .at(1)]),
                                                   c0: c0.map { Variable($0[.all, .at(1)]) })
        Self.expectClose(unbatched.data, expected[.all, .at(1)], "unbatched output")
        #expect(hn.shape == [1, 4])
    }

    /// Truncated BPTT: after `detachState()` the kept state has the same value and no creator.
    @Test func detachStateCutsTheGraph() throws {
        let lstm = LSTM(inputSize: 1, hiddenSize: 3, seed: 4)
        let x = Variable(try Tensor(shape: [2, 1], scalars: [0.5, -0.5]))
        _ = try lstm(x)
        let (h, c) = (try #require(lstm.h), try #require(lstm.c))
        #expect(h.creator != nil && c.creator != nil)
        lstm.detachState()
        #expect(lstm.h?.creator == nil && lstm.c?.creator == nil)
        #expect(lstm.h?.data == h.data && lstm.c?.data == c.data)
        // The next step's backward reaches the parameters but not the first step's graph.
        sum(try lstm(x)).backward()
        #expect(lstm.weightHH.grad != nil)
        #expect(x.grad != nil)
    }

    // MARK: Refusals

    @Test func badShapesAreTypedErrors() throws {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4)
        let gru = GRU(inputSize: 3, hiddenSize: 4)
        func refuses(_ body: () throws -> Void) {
            #expect {
                try body()
            } throws: { error in
                guard case .invalidArgument = error as? AutogradError else { return false }
                return true
            }
        }
        refuses { _ = try lstm(Variable(try Tensor.zeros([2, 5]))) }            // wrong input size
        refuses { _ = try lstm(Variable(try Tensor.zeros([3]))) }               // a step needs [N, input]
        refuses { _ = try lstm.sequence(Variable(try Tensor.zeros([4, 2, 2]))) }
        refuses { _ = try lstm.sequence(Variable(try Tensor.zeros([0, 2, 3]))) }   // no time step
        refuses { _ = try gru.sequence(Variable(try Tensor.zeros([5, 2, 3])), initialState: Variable(try Tensor.zeros([2, 4]))) }
        refuses {
            _ = try lstm.sequence(Variable(try Tensor.zeros([5, 2, 3])),
                                  initialState: (Variable(try Tensor.zeros([1, 2, 4])), Variable(try Tensor.zeros([1, 3, 4]))))
        }
        // A kept state of batch 2 does not fit a step of batch 3 until resetState().
        _ = try gru(Variable(try Tensor.zeros([2, 3])))
        refuses { _ = try gru(Variable(try Tensor.zeros([3, 3]))) }
        gru.resetState()
        #expect(try gru(Variable(try Tensor.zeros([3, 3]))).shape == [3, 4])
        // A state of another layer's shape is refused by name.
        #expect(throws: NNError.self) { try RNN(inputSize: 3, hiddenSize: 5).load(from: DataFixtures.path("rnn_state.safetensors")) }
    }
}
