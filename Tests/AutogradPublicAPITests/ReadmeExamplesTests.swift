// The test functions of `ReadmeExamplesTests` mirror the ```swift blocks of README.md,
// verbatim (modulo leading whitespace; a block's `import` lines are this file's imports).
// Change a block there and here together: `readmeBlocksAreMirrored` reads README.md,
// extracts its ```swift blocks and fails on any block that does not appear in this file,
// so the README's code cannot drift from code that compiles and gives the values it shows.

import Foundation
import Testing
import Autograd
import AutogradNN

@Suite("README examples")
struct ReadmeExamplesTests {
    /// README "Add it to your package": a manifest fragment, which cannot compile in a test;
    /// its package and product names are checked against this package's Package.swift.
    @Test func addItToYourPackage() throws {
        let manifest = """
            // Package.swift
            dependencies: [
                .package(url: "https://github.com/OWNER/swift-autograd", branch: "main"),
            ],
            targets: [
                .executableTarget(name: "MyModel", dependencies: [
                    .product(name: "Autograd", package: "swift-autograd"),
                    .product(name: "AutogradNN", package: "swift-autograd"),
                ]),
            ]
            """
        let package = try String(contentsOfFile: ReadmeFiles.root + "/Package.swift", encoding: .utf8)
        #expect(package.contains("name: \"swift-autograd\""))
        #expect(manifest.contains("/swift-autograd\""))
        for product in ["Autograd", "AutogradNN"] {
            #expect(manifest.contains(".product(name: \"\(product)\", package: \"swift-autograd\")"))
            #expect(package.contains(".library(name: \"\(product)\", targets: [\"\(product)\"])"))
        }
        #expect(package.contains(".library(name: \"Parity\", targets: [\"Parity\"])"))
    }

    /// README "An example": d/dx sigmoid(tanh(x)) at 1, and DeZero's step 48.
    @Test func example() throws {
        let x = Variable(1.0)
        let y = sigmoid(tanh(x))
        y.backward()
        print(x.grad!.data)   // tensor(0.0911, dtype=float64); torch prints tensor(0.0911)

        let (points, labels) = Datasets.spiral()
        let model = MLP(sizes: [2, 10, 3], activation: .sigmoid, seed: 0)
        let optimizer = try SGD(model.parameters, lr: 1.0)
        let loader = try DataLoader(inputs: points, targets: labels, batchSize: 30, shuffle: true, seed: 0)
        for epoch in 0..<300 {
            for batch in loader.epoch(epoch) {
                let loss = try Loss.softmaxCrossEntropy(model(Variable.constant(batch.inputs)), batch.targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
        }
        let accuracy = try classificationAccuracy(model(Variable.constant(points)).data, labels: labels)

        // PyTorch's published value: torch.sigmoid(torch.tanh(x)) at 1 has gradient 0.0911
        // (printed to 4 decimals; 0.09112821805819912 in float64).
        let gradient = x.grad!.data.item()
        #expect((gradient * 10_000).rounded() / 10_000 == 0.0911)
        #expect(abs(gradient - 0.09112821805819912) < 1e-15)
        #expect(x.grad!.data.description == "tensor(0.0911, dtype=float64)")
        // an untrained 3-class model is right a third of the time; the trained one far more often
        #expect(accuracy > 0.8, "accuracy \(accuracy)")
    }

    /// Every ```swift block of README.md appears in this file (see the comment at the top).
    @Test func readmeBlocksAreMirrored() throws {
        let readme = try String(contentsOfFile: ReadmeFiles.root + "/README.md", encoding: .utf8)
        let mirror = try String(contentsOfFile: #filePath, encoding: .utf8)
        let blocks = ReadmeFiles.swiftBlocks(in: readme)
        #expect(blocks.count == 2, "README.md's swift blocks: \(blocks.count); mirror each new one here")
        let mirrorLines = ReadmeFiles.normalizedLines(mirror)
        for block in blocks {
            let lines = ReadmeFiles.normalizedLines(block)
            let imports = lines.filter { $0.hasPrefix("import ") }
            let code = lines.filter { !$0.hasPrefix("import ") }
            for line in imports { #expect(mirrorLines.contains(line), "README import not in the mirror: \(line)") }
            #expect(ReadmeFiles.contains(mirrorLines, contiguous: code),
                    "README.md's block is not mirrored verbatim in \(#filePath):\n\(block)")
        }
    }
}

enum ReadmeFiles {
    /// The package root: this file is Tests/AutogradPublicAPITests/ReadmeExamplesTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The bodies of the ```swift fenced blocks, in order.
    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = [], current: [Substring]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    /// The lines without leading and trailing whitespace, empty ones left out.
    static func normalizedLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Whether `needle` occurs in `haystack` as consecutive lines.
    static func contains(_ haystack: [String], contiguous needle: [String]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            Array(haystack[start..<(start + needle.count)]) == needle
        }
    }
}
