import Testing
@testable import Parity
import Foundation

@Suite("Coverage matrix and graphs")
struct CoverageTests {
    /// The Coverage article's matrix is the one the specs give (regenerate it with
    /// `swift run parity --coverage --update-file Sources/Parity/Parity.docc/Coverage.md`).
    @Test func coverageArticleMatrixIsCurrent() throws {
        let article = try String(contentsOfFile: Repository.path(CoverageMatrix.defaultFile), encoding: .utf8)
        let matrix = CoverageMatrix(specs: try Repository.specs())
        #expect(try matrix.updating(readme: article) == article,
                "\(CoverageMatrix.defaultFile)'s coverage matrix is stale: run swift run parity --coverage --update-file \(CoverageMatrix.defaultFile)")
    }

    /// Counting by hand: one float32 order-2 case of rank 2 using mul and sum, one refused add.
    @Test func countsByDtypeOrderRankAndRefusal() throws {
        let spec = try SuiteSpec(parsing: """
        {"suite": "s", "cases": [
          {"name": "a", "expr": "sum(x * 2)", "inputs": {"x": [[1, 2]]}, "dtype": "float32", "order": 2},
          {"name": "b", "expr": "x + y", "inputs": {"x": [1, 2], "y": [1, 2, 3]}, "error": true}
        ]}
        """)
        let rows = Dictionary(uniqueKeysWithValues: CoverageMatrix(specs: [spec]).rows.map { ($0.op, $0.counts) })
        #expect(rows["mul"]?.float32 == 1 && rows["mul"]?.orders == [0, 1, 0] && rows["mul"]?.ranks == [0, 0, 1, 0])
        #expect(rows["sum"]?.total == 1)
        #expect(rows["add"]?.refusals == 1 && rows["add"]?.orders == [0, 0, 0] && rows["add"]?.ranks == [0, 1, 0, 0])
        #expect(rows["exp"]?.total == 0)
    }

    @Test func operationNamesIncludeOperatorsAndSubscripts() throws {
        let program = try Program(parsing: "a = x[0] * -2; sum(exp(a), axis=0) - -x")
        #expect(program.operationNames == ["mul", "getitem", "sub", "sum", "exp", "neg"])  // pre-order
    }
}
