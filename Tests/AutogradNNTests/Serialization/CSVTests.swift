import Foundation
import Testing
import Autograd
@testable import AutogradNN

@Suite("CSV")
struct CSVTests {
    @Test func readsATableWithAHeader() throws {
        let path = try DataFixtures.temporaryDirectory() + "/t.csv"
        try Data("x, y ,\"z\"\r\n1,2.5,-3\n\n4e2, nan ,\"0.125\"\n".utf8).write(to: URL(fileURLWithPath: path))
        let table = try CSV.readTable(path: path)
        #expect(table.columnNames == ["x", "y", "z"])
        #expect(table.values.shape == [2, 3])
        let v = table.values.scalars
        #expect(v[0] == 1 && v[1] == 2.5 && v[2] == -3 && v[3] == 400 && v[4].isNaN && v[5] == 0.125)
        #expect(try CSV.read(path: path, dtype: .float32).dtype == .float32)
    }

    @Test func headerAutoReadsANumericFirstLineAsData() throws {
        #expect(try CSV.parse("1;2\n3;4", delimiter: ";").values == (try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])))
        #expect(try CSV.parse("1,2\n3,4", header: .present).values == (try Tensor(shape: [1, 2], scalars: [3, 4])))
        #expect(try CSV.parse("a,b\n", header: .auto).values.shape == [0, 2])
        #expect(try CSV.parse("").values.shape == [0, 0])
    }

    @Test func aNonNumberNamesItsLineAndColumn() {
        #expect(throws: NNError.malformedCSV(line: 3, column: 2, reason: "'abc' is not a number")) {
            try CSV.parse("a,b\n1,2\n3,abc\n")
        }
        #expect(throws: NNError.malformedCSV(line: 2, column: 1, reason: "the field is empty")) { try CSV.parse("1,2\n,2\n") }
    }

    @Test func aRaggedRowNamesItsLine() {
        #expect(throws: NNError.malformedCSV(line: 4, column: nil, reason: "3 fields, where the first line has 2")) {
            try CSV.parse("1,2\n3,4\n\n5,6,7\n")
        }
        #expect(throws: NNError.self) { try CSV.parse("\"1,2\n") }
    }

    @Test func writesWhatItReads() throws {
        let t = try Tensor(shape: [2, 3], scalars: [0.1, -2, 1e-300, .infinity, 3, 1 / 3])
        let path = try DataFixtures.temporaryDirectory() + "/w.csv"
        try CSV.write(t, to: path, header: ["a", "b,c", "d"])
        let table = try CSV.readTable(path: path)
        #expect(table.columnNames == ["a", "b,c", "d"])
        #expect(table.values == t)
        #expect(try CSV.format(try Tensor(shape: [2], float32Scalars: [0.1, 2])) == "0.1\n2.0\n")
        #expect(throws: NNError.self) { try CSV.format(Tensor(1)) }
        #expect(throws: NNError.self) { try CSV.format(t, header: ["a"]) }
    }
}
