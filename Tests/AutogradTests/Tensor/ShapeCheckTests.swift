import Testing
import Autograd

// Sizes taken from the user are checked before anything multiplies or adds them
// (`Shape.checkedCount` and the checked sums of split and cat): a shape whose
// `∏ max(dᵢ, 1)` overflows `Int`, a negative dimension, or split/cat sizes whose sum
// overflows make the throwing API throw, where it used to stop the process on an
// arithmetic overflow (an illegal instruction with no message). Each test below
// crashed the test process before the checks existed.
//
// The expected verdicts are independent of the library: `1 << 32 · 1 << 32 = 2⁶⁴` and
// `Int.max + 1` do not fit in 64 bits, and torch 2.15 refuses the same shapes
// (`torch.empty(2**32, 2**32)`: "Storage size calculation overflowed";
// `torch.empty(0, 2**40, 2**40)`: "Stride calculation overflowed").

/// `[1 << 32, 1 << 32]`: 2⁶⁴ elements, one more power of two than `Int` holds.
private let huge = [1 << 32, 1 << 32]

@Suite("Shape checks: overflowing and negative sizes throw")
struct ShapeCheckTests {
    // MARK: Factories

    @Test func zerosRefusesAnOverflowingShape() {
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "zeros")) { try Tensor.zeros(huge) }
    }

    @Test func onesRefusesAnOverflowingShape() {
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "ones")) {
            try Tensor.ones(huge, dtype: .float32)
        }
    }

    @Test func repeatingRefusesAnOverflowingShape() {
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "full")) {
            try Tensor(repeating: 2, shape: huge)
        }
    }

    @Test func scalarsInitRefusesAnOverflowingShape() {
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "tensor")) {
            try Tensor(shape: huge, scalars: [1])
        }
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "tensor")) {
            try Tensor(shape: huge, float32Scalars: [1])
        }
    }

    /// A 0 makes the element count 0, but the strides of `[0, 2⁴⁰, 2⁴⁰]` (2⁸⁰ for the
    /// first axis) still overflow; torch refuses it too.
    @Test func aZeroDimensionDoesNotHideAnOverflowingStride() throws {
        let shape = [0, 1 << 40, 1 << 40]
        #expect(throws: AutogradError.sizeOverflow(shape: shape, op: "zeros")) { try Tensor.zeros(shape) }
        // The largest shape that fits is fine.
        #expect(try Tensor.zeros([0, 1 << 31, 1 << 31]).count == 0)
    }

    @Test func theErrorDescriptionNamesTheOpAndShape() {
        let error = AutogradError.sizeOverflow(shape: huge, op: "zeros")
        #expect(error.description == "zeros: shape [4294967296, 4294967296] is too large: the product of its dimensions (0 counted as 1) exceeds 9223372036854775807")
    }

    // MARK: reshape

    @Test func reshapeRefusesAnOverflowingTarget() {
        let x = Variable(Tensor([1]))
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "reshape")) { try reshape(x, huge) }
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "reshape")) { try x.data.reshaped(huge) }
    }

    /// With a `-1`, the product of the other dimensions overflowed.
    @Test func reshapeWithMinusOneRefusesOverflowingOtherDimensions() {
        let x = Variable(Tensor([1]))
        let target = [-1] + huge
        #expect(throws: AutogradError.sizeOverflow(shape: target, op: "reshape")) { try reshape(x, target) }
    }

    /// An empty tensor reshaped to an empty shape with overflowing strides: accepted
    /// before (0 elements either way), refused now.
    @Test func reshapeOfAnEmptyTensorChecksTheStrides() throws {
        let x = Variable(try Tensor.zeros([0]))
        let target = [0, 1 << 40, 1 << 40]
        #expect(throws: AutogradError.sizeOverflow(shape: target, op: "reshape")) { try reshape(x, target) }
    }

    // MARK: broadcastTo

    @Test func broadcastToRefusesAnOverflowingShape() throws {
        let x = Variable(try Tensor(shape: [1, 1], scalars: [3]))
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "broadcastTo")) { try broadcastTo(x, huge) }
    }

    /// A dimension of size 1 lined up with a negative size (other than `-1`, which keeps it).
    @Test func broadcastToRefusesANegativeSize() throws {
        let x = Variable(try Tensor(shape: [1], scalars: [3]))
        #expect(throws: AutogradError.negativeDimension([-2])) { try broadcastTo(x, [-2]) }
    }

    // MARK: Broadcasting binary ops

    /// Two operands with no elements whose broadcast shape `[2⁴⁰, 2⁴⁰, 0]` has
    /// overflowing strides (the element count, computed left to right, overflowed).
    @Test func binaryBroadcastRefusesAnOverflowingResult() throws {
        let a = Variable(try Tensor.zeros([1 << 40, 1, 0]))
        let b = Variable(try Tensor.zeros([1, 1 << 40, 0]))
        #expect(throws: AutogradError.sizeOverflow(shape: [1 << 40, 1 << 40, 0], op: "add")) { try add(a, b) }
        #expect(throws: AutogradError.sizeOverflow(shape: [1 << 40, 1 << 40, 0], op: "multiply")) { try mul(a, b) }
    }

    // MARK: split, cat, stack

    @Test func splitRefusesSizesWhoseSumOverflows() {
        let x = Variable(Tensor([1]))
        #expect(throws: AutogradError.invalidSplit(
            shape: [1], axis: 0,
            reason: "sizes [9223372036854775807, 1] add up to more than 9223372036854775807, but the axis has length 1")) {
            try split(x, sizes: [Int.max, 1])
        }
    }

    @Test func catRefusesLengthsWhoseSumOverflows() throws {
        let x = Variable(try Tensor.zeros([0, Int.max]))
        #expect(throws: AutogradError.cannotJoin(
            op: "cat", shapes: [[0, Int.max], [0, Int.max]],
            reason: "their sizes along axis 1 add up to more than 9223372036854775807")) {
            try cat([x, x], axis: 1)
        }
    }

    /// Four empty `[0, 2⁶¹]` tensors stack to `[4, 0, 2⁶¹]`, whose first stride is 2⁶³.
    @Test func stackRefusesAnOverflowingResult() throws {
        let x = Variable(try Tensor.zeros([0, 1 << 61]))
        #expect(throws: AutogradError.sizeOverflow(shape: [4, 0, 1 << 61], op: "cat")) {
            try stack([x, x, x, x])
        }
        #expect(try stack([x, x, x]).shape == [3, 0, 1 << 61])  // 3 · 2⁶¹ < 2⁶³
    }

    // MARK: matmul

    /// `[2³², 0] @ [0, 2³²]`: both operands are empty, the result has 2⁶⁴ elements.
    @Test func matmulRefusesAnOverflowingResult() throws {
        let a = Variable(try Tensor.zeros([1 << 32, 0]))
        let b = Variable(try Tensor.zeros([0, 1 << 32]))
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "matmul")) { try matmul(a, b) }
    }

    // MARK: getitem

    /// Slicing a tensor with no elements but a long axis lists no positions: the result's
    /// size is computed first. `len(range(1, 2**40, 3)) == 366503875925` (Python).
    /// Not run on the old code, which built the list of 2⁴⁰/3 positions, growing until
    /// memory ran out (a hazard to the machine, not a clean crash).
    @Test func slicingAnEmptyTensorWithALongAxisListsNoPositions() throws {
        let x = Variable(try Tensor.zeros([0, 1 << 40]))
        let y = try getitem(x, [.all, .slice(start: 1, stop: nil, step: 3)])
        #expect(y.shape == [0, 366_503_875_925])
        #expect(y.data.count == 0)
    }

    /// An index array lengthens an axis of an empty tensor: `[1, 0, 2⁶¹]` indexed with
    /// four positions along axis 0 is `[4, 0, 2⁶¹]`, whose first stride is 2⁶³.
    @Test func getitemRefusesAnOverflowingResult() throws {
        let x = Variable(try Tensor.zeros([1, 0, 1 << 61]))
        #expect(throws: AutogradError.sizeOverflow(shape: [4, 0, 1 << 61], op: "getitem")) {
            try getitem(x, [.indices([0, 0, 0, 0])])
        }
        #expect(try getitem(x, [.indices([0, 0, 0])]).shape == [3, 0, 1 << 61])
    }

    // MARK: Gather / ScatterAdd with offsets from the caller

    @Test func gatherRefusesAnOffsetOutOfRange() {
        let x = Variable(Tensor([1, 2]))
        #expect(throws: AutogradError.invalidArgument(op: "gather", reason: "offset 5 is outside 0..<2")) {
            try Gather(offsets: [5], shape: [1]).apply([x])
        }
        #expect(throws: AutogradError.invalidArgument(op: "gather", reason: "2 offsets do not fill shape [3]")) {
            try Gather(offsets: [0, 1], shape: [3]).apply([x])
        }
        #expect(throws: AutogradError.sizeOverflow(shape: huge, op: "gather")) {
            try Gather(offsets: [], shape: huge).apply([x])
        }
    }

    @Test func scatterAddRefusesAnOffsetOutOfRange() {
        let x = Variable(Tensor([1]))
        #expect(throws: AutogradError.invalidArgument(op: "scatterAdd", reason: "offset 5 is outside 0..<2")) {
            try ScatterAdd(offsets: [5], shape: [2]).apply([x])
        }
    }
}
