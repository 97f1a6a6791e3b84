import Testing
import Parity
@testable import ParityAutograd

@Suite("The library's implementations of the catalogue")
struct AutogradOpsTests {
    /// The library implements every catalogue entry: none of its cases is unsupported.
    @Test func everyCatalogueEntryIsImplemented() {
        let missing = OpTable.all.map(\.opName).filter { AutogradOps.implementation(of: $0) == nil }
        #expect(missing.isEmpty, "no implementation for \(missing)")
        #expect(AutogradBackend().supportedOperations == Set(OpTable.all.map(\.opName) + [.getitem]))
    }

    /// Nothing is implemented under a name the catalogue does not have.
    @Test func everyImplementationIsInTheCatalogue() {
        let names = Set(OpTable.all.map(\.opName))
        let stray = AutogradOps.table.keys.filter { !names.contains($0) }
        #expect(stray.isEmpty, "implemented but not in the catalogue: \(stray)")
    }
}
