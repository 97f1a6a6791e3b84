import Foundation
import Testing
@testable import Parity

@Suite("Typed operation names")
struct OpNameTests {
    /// The committed constants are what the catalogue generates: adding an op without
    /// regenerating (or editing the generated file by hand) fails here.
    @Test func theCommittedConstantsMatchTheCatalogue() throws {
        let path = Repository.path("Sources/Parity/Operations/OpName+Catalogue.swift")
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(committed == OpName.catalogueSource(),
                "regenerate: swift run parity --op-names --update-file Sources/Parity/Operations/OpName+Catalogue.swift")
    }

    @Test func constantsNameCatalogueEntries() {
        #expect(OpName.logSoftmax.rawValue == "log_softmax")
        #expect(OpName.where.operation?.torch == "torch_ops.where")
        #expect(OpName.binaryCrossEntropyWithLogits.operation?.operands.count == 4)
        #expect(OpName.binaryCrossEntropyWithLogits.operation?.requiredOperandCount == 2)
        #expect(OpName(rawValue: "no_such_op").operation == nil)
    }

    @Test func identifiersAreCamelCase() {
        #expect(OpName.identifier("conv_transpose2d_nobias") == "convTranspose2dNobias")
        #expect(OpName.identifier("exp") == "exp")
    }

    @Test func everyEntryHasADistinctIdentifier() {
        let identifiers = OpTable.all.map { OpName.identifier($0.name) }
        #expect(Set(identifiers).count == identifiers.count)
    }
}
