import Testing
@testable import Autograd

@Suite("Convolution")
struct ConvolutionTests {
    /// Gradients of every input, against central differences, over strides, padding,
    /// dilation and groups; second order through the backward (a convolution's backward
    /// is convolutions).
    @Test(arguments: [
        (IntPair(1), IntPair(0), IntPair(1), 1),
        (IntPair(2), IntPair(1), IntPair(1), 2),
        (IntPair(2, 1), IntPair(0, 2), IntPair(1, 2), 1),
    ])
    func conv2dGradients(stride: IntPair, padding: IntPair, dilation: IntPair, groups: Int) throws {
        var rng = SplitMix64(seed: 41)
        let x = rng.tensor([2, 4, 5, 6], in: -1...1), w = rng.tensor([2, 4 / groups, 3, 2], in: -1...1)
        let b = rng.tensor([2], in: -1...1)
        let f: ([Variable]) throws -> Variable = {
            try conv2d($0[0], $0[1], $0[2], stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        try checkGradients("conv2d", [x, w, b], f)
        try checkSecondOrderGradients("conv2d", [x, w, b]) { tanh(try f($0)) }
    }

    @Test(arguments: [(IntPair(1), IntPair(0), IntPair(0), 1), (IntPair(2), IntPair(1), IntPair(1), 2),
                      (IntPair(1), IntPair(0), IntPair(1), 1)])
    func convTranspose2dGradients(stride: IntPair, padding: IntPair, outputPadding: IntPair, groups: Int) throws {
        var rng = SplitMix64(seed: 42)
        let x = rng.tensor([2, 4, 3, 3], in: -1...1), w = rng.tensor([4, 3, 3, 3], in: -1...1)
        let b = rng.tensor([3 * groups], in: -1...1)
        // Output padding 1 with stride 1 needs dilation 2 (torch: smaller than stride or dilation).
        let dilation: IntPair = outputPadding.height >= stride.height ? 2 : 1
        let f: ([Variable]) throws -> Variable = {
            try convTranspose2d($0[0], $0[1], $0[2], stride: stride, padding: padding, outputPadding: outputPadding,
                                dilation: dilation, groups: groups)
        }
        try checkGradients("conv_transpose2d", [x, w, b], f)
        try checkSecondOrderGradients("conv_transpose2d", [x, w, b]) { tanh(try f($0)) }
    }

    /// The recorded backward and the tensor-level one give the same bits.
    @Test func backwardWithoutGraphMatchesTheGraph() throws {
        var rng = SplitMix64(seed: 43)
        let x = Variable(rng.tensor([2, 4, 5, 5], in: -1...1)), w = Variable(rng.tensor([6, 2, 3, 3], in: -1...1))
        let b = Variable(rng.tensor([6], in: -1...1))
        let y = try conv2d(x, w, b, stride: 2, padding: 1, groups: 2)
        let fast = try gradients(of: sum(y * y), withRespectTo: [x, w, b])
        let recorded = try gradients(of: sum(y * y), withRespectTo: [x, w, b], createGraph: true)
        for (a, c) in zip(fast, recorded) { #expect(a.data == c.data) }
    }

    /// torch's unfold layout: row (c·KH + kh)·KW + kw, column oh·OW + ow, zeros in padding;
    /// col2im is its adjoint (⟨im2col x, c⟩ = ⟨x, col2im c⟩).
    @Test func im2colLayoutAndAdjoint() throws {
        let x = Variable(try Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Double.init)))
        let col = try im2col(x, kernelSize: 2, padding: [0, 1])
        #expect(col.shape == [1, 4, 8])
        // kernel element (0, 0) over the 2×4 window positions of the padded columns
        #expect(Array(col.data.scalars[0..<8]) == [0, 1, 2, 3, 0, 4, 5, 6])
        var rng = SplitMix64(seed: 44)
        let c = rng.tensor([1, 4, 8], in: -1...1)
        let folded = try col2im(Variable(c), outputSize: 3, kernelSize: 2, padding: [0, 1])
        let left = zip(col.data.scalars, c.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(x.data.scalars, folded.data.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(left - right) < 1e-12)
    }

    /// Typed errors with torch's conditions.
    @Test func refusesBadShapesAndArguments() throws {
        let x = Variable(try Tensor.zeros([1, 3, 5, 5])), w = Variable(try Tensor.zeros([4, 3, 3, 3]))
        func refused(_ body: () throws(AutogradError) -> Variable) -> Bool {
            do { _ = try body(); return false } catch { if case .invalidArgument = error { return true }; return false }
        }
        #expect(refused { () throws(AutogradError) in try conv2d(x, Variable(try Tensor.zeros([4, 2, 3, 3]))) })
        #expect(refused { () throws(AutogradError) in try conv2d(Variable(try Tensor.zeros([1, 3, 2, 2])), w) })
        #expect(try conv2d(Variable(try Tensor.zeros([1, 3, 2, 2])), w, padding: 1).shape == [1, 4, 2, 2])
        #expect(refused { () throws(AutogradError) in try conv2d(x, w, groups: 3) })
        #expect(refused { () throws(AutogradError) in try conv2d(x, w, stride: 0) })
        #expect(refused { () throws(AutogradError) in try conv2d(x, w, dilation: [1, 0]) })
        #expect(refused { () throws(AutogradError) in try conv2d(x, w, padding: -1) })
        #expect(refused { () throws(AutogradError) in try convTranspose2d(x, Variable(try Tensor.zeros([3, 2, 3, 3])), stride: 2, outputPadding: 2) })
        #expect(throws: AutogradError.dtypeMismatch(.float32, .float64, op: "conv2d")) {
            try conv2d(Variable(x.data.converted(to: .float32)), w)
        }
        #expect(throws: AutogradError.unsupportedDType(.int64, op: "Convolution2D")) {
            try conv2d(Variable(x.data.converted(to: .int64)), Variable(w.data.converted(to: .int64)))
        }
    }
}

@Suite("Pooling")
struct PoolingTests {
    /// torch's tie rule: the first maximum of a window in row-major order gets the gradient.
    @Test func maxPoolTiesGoToTheFirstMaximum() throws {
        let x = Variable(try Tensor(shape: [1, 1, 3, 3], scalars: [1, 3, 3, 3, 0, 3, 1, 1, 1]))
        let y = try maxPool2d(x, kernelSize: 2, stride: 1)
        #expect(y.data.scalars == [3, 3, 3, 3])
        sum(y).backward()
        #expect(x.grad?.data.scalars == [0, 2, 0, 1, 0, 1, 0, 0, 0])
    }

    @Test func avgPoolDivisors() throws {
        let x = Variable(try Tensor.ones([1, 1, 3, 3]))
        let included = try avgPool2d(x, kernelSize: 2, padding: 1)
        #expect(included.data.scalars == [0.25, 0.5, 0.5, 1])
        let excluded = try avgPool2d(x, kernelSize: 2, padding: 1, countIncludePad: false)
        #expect(excluded.data.scalars == [1, 1, 1, 1])
        #expect(try avgPool2d(x, kernelSize: 2, ceilMode: true).shape == [1, 1, 2, 2])
    }

    @Test func poolingGradients() throws {
        var rng = SplitMix64(seed: 45)
        let x = rng.tensor([2, 2, 5, 6], in: -1...1)
        try checkGradients("max_pool2d", [x]) { try maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1, ceilMode: true) }
        try checkGradients("avg_pool2d", [x]) {
            try avgPool2d($0[0], kernelSize: [3, 2], stride: [2, 1], padding: 1, countIncludePad: false)
        }
        try checkSecondOrderGradients("avg_pool2d", [x]) { tanh(try avgPool2d($0[0], kernelSize: 2, padding: 1)) }
    }

    @Test func refusesTorchsBadWindows() {
        let x = Variable(try! Tensor.zeros([1, 1, 4, 4]))
        #expect(throws: AutogradError.self) { try maxPool2d(x, kernelSize: 2, padding: 2) }
        #expect(throws: AutogradError.self) { try maxPool2d(x, kernelSize: 5) }
        #expect(throws: AutogradError.self) { try avgPool2d(x, kernelSize: 2, stride: 0) }
        #expect(throws: AutogradError.self) { try avgPool2d(Variable(try! Tensor.zeros([4, 4])), kernelSize: 2) }
    }
}
