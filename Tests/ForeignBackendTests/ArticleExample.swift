// The code of the article "Verify your own library" (Sources/Parity/Parity.docc/
// VerifyYourOwnLibrary.md), verbatim: `articleCodeIsMirrored` reads the article and fails
// on any ```swift block that does not appear in this file (the manifest is checked apart),
// so the article cannot drift from code that compiles and passes against the fixtures.
// This target links Parity only, as the article's package does.

import Foundation
import Parity
import Testing

public final class Node {
    public let value: Double
    /// The nodes this one was computed from, each with ∂self/∂input, given self.
    let inputs: [(node: Node, derivative: (Node) -> Node)]

    public init(_ value: Double, inputs: [(node: Node, derivative: (Node) -> Node)] = []) {
        self.value = value
        self.inputs = inputs
    }

    public static func + (a: Node, b: Node) -> Node {
        Node(a.value + b.value, inputs: [(a, { _ in Node(1) }), (b, { _ in Node(1) })])
    }

    public static func * (a: Node, b: Node) -> Node {
        Node(a.value * b.value, inputs: [(a, { _ in b }), (b, { _ in a })])
    }

    /// tanh x, whose derivative is 1 − tanh² x.
    public func tanh() -> Node {
        Node(Foundation.tanh(value), inputs: [(self, { out in Node(1) + Node(-1) * out * out })])
    }

    /// σ(x) = 1 / (1 + e⁻ˣ), whose derivative is σ(1 − σ).
    public func sigmoid() -> Node {
        Node(1 / (1 + Foundation.exp(-value)), inputs: [(self, { out in out * (Node(1) + Node(-1) * out) })])
    }

    /// The gradients of this node with respect to `leaves`, seeded with `seed`.
    public func gradients(withRespectTo leaves: [Node], seed: Node) -> [Node] {
        var order: [Node] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ node: Node) {
            guard seen.insert(ObjectIdentifier(node)).inserted else { return }
            for input in node.inputs { visit(input.node) }
            order.append(node)
        }
        visit(self)
        var grads = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let g = grads[ObjectIdentifier(node)] else { continue }
            for input in node.inputs {
                let contribution = g * input.derivative(node)
                let key = ObjectIdentifier(input.node)
                grads[key] = grads[key].map { $0 + contribution } ?? contribution
            }
        }
        return leaves.map { grads[ObjectIdentifier($0)] ?? Node(0) }
    }
}

struct MicroGradBackend: ParityBackend {
    var supportedOperations: Set<OpName>? { [.tanh, .sigmoid] }
    var supportedScalarTypes: Set<ScalarType> { [.float64] }

    func input(_ tensor: HostTensor, dtype: ScalarType) throws -> Node {
        guard tensor.shape.isEmpty else { throw ParityError.unsupported("MicroGrad has scalars only") }
        return Node(tensor.data[0])
    }

    func constant(_ tensor: HostTensor, dtype: ScalarType) throws -> Node {
        try input(tensor, dtype: dtype)
    }

    func apply(_ operation: Op, _ operands: [Operand<Node>], _ options: OptionValues) throws -> [Node] {
        guard case .value(let x) = operands[0] else { throw ParityError.unsupported("a number operand") }
        switch operation.opName {
        case .tanh: return [x.tanh()]
        case .sigmoid: return [x.sigmoid()]
        default: throw ParityError.unsupported("\(operation.name)")
        }
    }

    func index(_ value: Node, _ items: [SubscriptItem]) throws -> Node {
        throw ParityError.unsupported("indexing")
    }

    func gradients(of output: Node, withRespectTo inputs: [Node], upstream: Node, createGraph: Bool) throws -> [Node] {
        output.gradients(withRespectTo: inputs, seed: upstream)
    }

    func sumOfSums(_ values: [Node]) throws -> Node {
        values.dropFirst().reduce(values[0], +)
    }

    func read(_ value: Node) throws -> HostTensor {
        HostTensor(scalar: value.value)
    }
}

@Test func microGradMatchesTorch() throws {
    let summary = ParitySummary(checking: try FixtureFiles.packagedSuites(), on: MicroGradBackend())
    for report in summary.reports where report.verdict == .failed {
        Issue.record("\(report.suite)/\(report.name): \(report.failures.joined(separator: "; "))")
    }
    #expect(summary.passed >= 3)
    print(summary.closingLine)
}

@Test func whatMicroGradLacks() throws {
    let summary = ParitySummary(checking: try FixtureFiles.packagedSuites(), on: MicroGradBackend())
    for (reason, cases) in summary.unsupportedReasons.prefix(3) {
        print("\(cases) cases: \(reason)")
    }
    let xml = JUnitReport.xml(summary.reports)  // unsupported cases are <skipped/>
    #expect(xml.contains("failures=\"0\""))
}

@Suite("The article's example")
struct ArticleExampleTests {
    static let articlePath = FixtureFiles.packageRoot + "/Sources/Parity/Parity.docc/VerifyYourOwnLibrary.md"

    /// Every ```swift block of the article is in this file (leading whitespace aside); the
    /// manifest names products this package has.
    @Test func articleCodeIsMirrored() throws {
        let article = try String(contentsOfFile: Self.articlePath, encoding: .utf8)
        let this = try String(contentsOfFile: #filePath, encoding: .utf8)
        func normalized(_ s: String) -> String {
            s.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: "\n")
        }
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 5)
        let manifest = try #require(blocks.first)
        let package = try String(contentsOfFile: FixtureFiles.packageRoot + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(".product(name: \"Parity\", package: \"swift-autograd\")"))
        #expect(package.contains("name: \"swift-autograd\""))
        #expect(package.contains(".library(name: \"Parity\", targets: [\"Parity\"])"))
        for block in blocks.dropFirst() {
            #expect(normalized(this).contains(normalized(block)), "not mirrored: \(block.prefix(80))")
        }
    }
}
