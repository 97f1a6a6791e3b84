import Testing
@testable import Parity

/// The conversion of OpInfo samples (as torch_opinfo.py dumps them) into cases, without torch.
@Suite("OpInfo samples as cases")
struct OpInfoConverterTests {
    static func tensor(_ shape: [Int], _ data: [Double], dtype: String = "float64") -> String {
        #"{"tensor": {"shape": \#(shape), "dtype": "\#(dtype)", "data": \#(data), "requires_grad": true, "noncontiguous": false}}"#
    }

    /// One OpInfo's dump with the given samples (`input`, `args`, `kwargs` as JSON).
    static func dump(op: String, opinfo: String, gradgrad: Bool = true, _ samples: [(String, String, String)]) throws -> OpInfoSamples {
        let items = samples.map { #"{"input": \#($0.0), "args": \#($0.1), "kwargs": \#($0.2), "note": "", "source": "sample"}"# }
        let text = #"[{"op": "\#(op)", "opinfo": "\#(opinfo)", "variant": "", "found": true, "supports_autograd": true, "supports_gradgrad": \#(gradgrad), "samples": [\#(items.joined(separator: ", "))], "error": null}]"#
        return try #require(try OpInfoSamples.parse(text).first)
    }

    static func convert(_ samples: OpInfoSamples, _ index: Int = 0, dtype: ScalarType = .float64) throws -> OpInfoConverter.Outcome {
        let mapping = try #require(OpTable.operation(named: samples.op)?.opInfo.first)
        return OpInfoConverter.convert(samples.samples[index], index: index, of: samples, mapping: mapping, dtype: dtype)
    }

    @Test func keywordsBecomeTheCatalogueOptions() throws {
        let samples = try Self.dump(op: "sum", opinfo: "sum", [(Self.tensor([2, 3], [1, 2, 3, 4, 5, 6]), "[]", #"{"dim": {"list": [0, -1]}, "keepdim": true}"#)])
        guard case .converted(let op, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        #expect(op == "sum")
        #expect(cases.map(\.expr) == ["sum(x, axis=[0, -1], keepdims=true)"])
        #expect(cases[0].order == 2)
        guard case .literal(let x) = cases[0].inputs[0].value else { Issue.record("not a literal"); return }
        #expect(x.shape == [2, 3] && x.data == [1, 2, 3, 4, 5, 6])
    }

    @Test func positionalArgumentsAreBoundByTorchsParameterNames() throws {
        let samples = try Self.dump(op: "softplus", opinfo: "nn.functional.softplus", [(Self.tensor([1], [0.5]), "[2, 10.5]", "{}")])
        guard case .converted(_, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        #expect(cases[0].expr == "softplus(x, beta=2, threshold=10.5)")
    }

    @Test func whatHasNoCounterpartIsSkippedWithTheReason() throws {
        let samples = try Self.dump(op: "leaky_relu", opinfo: "nn.functional.leaky_relu", [
            (Self.tensor([2], [1, 2]), "[0.5, true]", "{}"),
            (Self.tensor([2], [1, 2]), "[]", #"{"negative_slope": null, "inplace": false}"#),
        ])
        guard case .skipped(let skip) = try Self.convert(samples, 0) else { Issue.record("converted"); return }
        #expect(skip.reason == "torch's inplace=True has no counterpart")
        // None means the argument is absent; an argument at the default the mapping allows is dropped.
        guard case .converted(_, let cases) = try Self.convert(samples, 1) else { Issue.record("not converted"); return }
        #expect(cases[0].expr == "leaky_relu(x)")
    }

    @Test func addsAlphaAndLossWeightsAreWritten() throws {
        let weight = #"{"tensor": {"shape": [2], "dtype": "float64", "data": [0.5, 2.0], "requires_grad": false}}"#
        let add = try Self.dump(op: "add", opinfo: "add", [(Self.tensor([1], [1]), "[\(Self.tensor([1], [2]))]", #"{"alpha": 2}"#)])
        guard case .converted(_, let sum) = try Self.convert(add) else { Issue.record("not converted"); return }
        #expect(sum[0].expr == "add(x, y, alpha=2)")
        // A tensor torch does not differentiate (a loss's weight) is a constant in the expression.
        let loss = try Self.dump(op: "binary_cross_entropy", opinfo: "nn.functional.binary_cross_entropy", [
            (Self.tensor([2], [0.25, 0.5]), "[\(Self.tensor([2], [0, 1]))]", #"{"weight": \#(weight), "reduction": "sum"}"#),
        ])
        guard case .converted(_, let cases) = try Self.convert(loss) else { Issue.record("not converted"); return }
        #expect(cases[0].expr == "binary_cross_entropy(x, y, weight=[0.5, 2.0], reduction='sum')")
        #expect(cases[0].inputs.count == 2)
    }

    /// torch's weight is [out, in]; DeZero's linear takes [in, out]: the converter transposes
    /// it, and a bias of None goes to linear_nobias.
    @Test func linearsWeightIsTransposedAndAMissingBiasPicksTheSibling() throws {
        let w = Self.tensor([2, 3], [1, 2, 3, 4, 5, 6])
        let samples = try Self.dump(op: "linear", opinfo: "nn.functional.linear", [
            (Self.tensor([3], [1, 1, 1]), "[\(w), \(Self.tensor([2], [0, 0]))]", "{}"),
            (Self.tensor([3], [1, 1, 1]), "[\(w)]", "{}"),
        ])
        guard case .converted(let op, let cases) = try Self.convert(samples, 0) else { Issue.record("not converted"); return }
        #expect(op == "linear" && cases[0].expr == "linear(x, y, z)")
        guard case .literal(let transposed) = cases[0].inputs[1].value else { Issue.record("not a literal"); return }
        #expect(transposed.shape == [3, 2] && transposed.data == [1, 4, 2, 5, 3, 6])
        guard case .converted(let sibling, let bare) = try Self.convert(samples, 1) else { Issue.record("not converted"); return }
        #expect(sibling == "linear_nobias" && bare[0].expr == "linear_nobias(x, y)")
    }

    /// padding='same' with an even kernel pads one side more in torch: symmetric padding
    /// and the first output position dropped give the same.
    @Test func sameConvolutionPaddingWithAnEvenKernel() throws {
        let samples = try Self.dump(op: "conv2d", opinfo: "nn.functional.conv2d", [
            (Self.tensor([1, 1, 3, 3], Array(repeating: 1, count: 9)), "[\(Self.tensor([1, 1, 2, 3], Array(repeating: 1, count: 6)))]",
             #"{"padding": "same"}"#),
        ])
        guard case .converted(let op, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        #expect(op == "conv2d_nobias")
        #expect(cases[0].expr == "conv2d_nobias(x, y, padding=[1, 1])[:, :, 1:, :]")
    }

    /// An op with several results gives one case per result.
    @Test func splitGivesACasePerPiece() throws {
        let samples = try Self.dump(op: "split", opinfo: "split", [(Self.tensor([5], [1, 2, 3, 4, 5]), "[2]", "{}")])
        guard case .converted(_, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        #expect(cases.map(\.expr) == (0..<3).map { "results = split(x, 2); results[\($0)]" })
    }

    @Test func integerTensorsAreInt64ForOpsThatTakeThemAndFloatsOtherwise() throws {
        let condition = Self.tensor([2], [1, 0], dtype: "bool")
        let samples = try Self.dump(op: "where", opinfo: "where", [(Self.tensor([2], [1, 2]), "[\(condition), \(Self.tensor([2], [3, 4]))]", "{}")])
        guard case .converted(_, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        // OpInfo's where(input, condition, other) is the catalogue's where(condition, input, other).
        #expect(cases[0].expr == "where(x, y, z)")
        guard case .literal(let c) = cases[0].inputs[0].value else { Issue.record("not a literal"); return }
        #expect(c.isInt64 && c.data == [1, 0])
    }

    @Test func tensorsLeftOutOfTheDumpAndComplexTensorsAreSkipped() throws {
        let omitted = #"{"tensor": {"shape": [100000, 100], "dtype": "float64", "data": null, "requires_grad": true}}"#
        let complex = Self.tensor([1], [1, 0], dtype: "complex128")
        let samples = try Self.dump(op: "exp", opinfo: "exp", [(omitted, "[]", "{}"), (complex, "[]", "{}")])
        guard case .skipped(let big) = try Self.convert(samples, 0), case .skipped(let c) = try Self.convert(samples, 1) else {
            Issue.record("converted"); return
        }
        #expect(big.reason.contains("too large"))
        #expect(c.reason.contains("complex128"))
    }

    @Test func theOrderFollowsTheOpInfosGradgradSupport() throws {
        let samples = try Self.dump(op: "exp", opinfo: "exp", gradgrad: false, [(Self.tensor([1], [1]), "[]", "{}")])
        guard case .converted(_, let cases) = try Self.convert(samples) else { Issue.record("not converted"); return }
        #expect(cases[0].order == 1)
    }

    @Test func everyMappingNamesACatalogueOpAndItsOperands() {
        for op in OpTable.all {
            for mapping in op.opInfo {
                #expect(mapping.operands.count == op.operands.count, "\(op.name): \(mapping.opInfo)")
                #expect(!mapping.parameters.isEmpty)
            }
            #expect(!op.opInfo.isEmpty || OpTable.opInfoExceptions[op.name] != nil, "\(op.name) has neither an OpInfo nor a reason")
        }
    }
}
