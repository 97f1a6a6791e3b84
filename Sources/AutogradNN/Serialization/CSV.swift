import Autograd
import Foundation

/// Plain numeric tables in CSV files: one row per line, one number per field.
///
/// Fields are separated by `delimiter` (a comma unless told otherwise) and trimmed of
/// spaces and tabs; a field may be quoted (`"1.5"`). Numbers are what Swift's
/// `Double(_:)` parses: `3`, `-0.25`, `1e-3`, `nan`, `inf`. Blank lines are skipped; every
/// other line must have as many fields as the first. Line endings may be `\n` or `\r\n`.
///
/// ```swift
/// // x,y
/// // 1,2.5
/// // 3,-4
/// let table = try CSV.read(path: "points.csv")          // float64 [2, 2]
/// try CSV.write(table, to: "copy.csv", header: ["x", "y"])
/// ```
public enum CSV {
    /// Whether the first line names the columns.
    public enum Header: Sendable {
        /// The first line is a header (and is not parsed as numbers).
        case present
        /// Every line is data.
        case absent
        /// The first line is a header if any of its fields is not a number.
        case auto
    }

    /// A table as read: its column names, if it has a header, and its values.
    public struct Table: Sendable {
        /// The header's fields, or `nil` for a table without one.
        public var columnNames: [String]?
        /// The values, of shape `[rows, columns]`.
        public var values: Tensor
    }

    /// Reads the numeric table in the CSV file at `path`.
    ///
    /// ```swift
    /// let x = try CSV.read(path: "data.csv", header: .present, delimiter: ";", dtype: .float32)
    /// ```
    /// - Parameters:
    ///   - path: The file's path (UTF-8 text).
    ///   - header: Whether the first line names the columns (``Header/auto`` decides by
    ///     whether every field of it is a number).
    ///   - delimiter: The field separator.
    ///   - dtype: The tensor's dtype (float32 values are rounded to the nearest `Float`).
    /// - Returns: A tensor of shape `[rows, columns]` (`[0, 0]` for a file with no data).
    /// - Throws: ``NNError/fileError(path:reason:)`` if the file cannot be read or is not
    ///   UTF-8, and ``NNError/malformedCSV(line:column:reason:)`` naming the line and
    ///   column of a field that is not a number, or the line of a row whose length differs.
    public static func read(path: String, header: Header = .auto, delimiter: Character = ",",
                            dtype: DType = .float64) throws(NNError) -> Tensor {
        try readTable(path: path, header: header, delimiter: delimiter, dtype: dtype).values
    }

    /// Reads the CSV file at `path` as ``read(path:header:delimiter:dtype:)`` does, with
    /// the column names of its header.
    ///
    /// ```swift
    /// let table = try CSV.readTable(path: "iris.csv", header: .present)
    /// table.columnNames   // ["sepal_length", ...]
    /// ```
    /// - Parameters: As ``read(path:header:delimiter:dtype:)``.
    /// - Returns: The header's names (`nil` without one) and the values.
    /// - Throws: As ``read(path:header:delimiter:dtype:)``.
    public static func readTable(path: String, header: Header = .auto, delimiter: Character = ",",
                                 dtype: DType = .float64) throws(NNError) -> Table {
        let bytes = try Bytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .fileError(path: path, reason: "the file is not UTF-8 text")
        }
        return try parse(text, header: header, delimiter: delimiter, dtype: dtype)
    }

    /// Parses the text of a CSV file as ``readTable(path:header:delimiter:dtype:)`` reads one.
    ///
    /// ```swift
    /// let t = try CSV.parse("1,2\n3,4\n").values   // [[1.0, 2.0], [3.0, 4.0]]
    /// ```
    /// - Parameters:
    ///   - text: The file's text.
    ///   - header: Whether the first line names the columns, as in ``read(path:header:delimiter:dtype:)``.
    ///   - delimiter: The character between fields.
    ///   - dtype: The tensor's element type.
    /// - Returns: The header's names (`nil` without one) and the values.
    /// - Throws: ``NNError/malformedCSV(line:column:reason:)``.
    public static func parse(_ text: String, header: Header = .auto, delimiter: Character = ",",
                             dtype: DType = .float64) throws(NNError) -> Table {
        var columnNames: [String]?
        var values: [Double] = []
        var columns: Int?
        var rows = 0
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it is a separator of its own
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = try split(line, delimiter: delimiter, line: lineNumber)
            let numbers = fields.map { Double($0) }
            if columns == nil {
                columns = fields.count
                let isHeader = switch header {
                case .present: true
                case .absent: false
                case .auto: numbers.contains { $0 == nil }
                }
                if isHeader {
                    columnNames = fields
                    continue
                }
            }
            guard fields.count == columns else {
                throw .malformedCSV(line: lineNumber, column: nil, reason: "\(fields.count) fields, where the first line has \(columns!)")
            }
            for (index, number) in numbers.enumerated() {
                guard let number else {
                    let field = fields[index]
                    throw .malformedCSV(line: lineNumber, column: index + 1,
                                        reason: field.isEmpty ? "the field is empty" : "'\(field)' is not a number")
                }
                values.append(number)
            }
            rows += 1
        }
        let shape = [rows, rows == 0 ? (columnNames?.count ?? 0) : columns ?? 0]
        do {
            return Table(columnNames: columnNames, values: try Tensor(shape: shape, scalars: values, dtype: dtype))
        } catch {
            throw .malformedCSV(line: lineNumber, column: nil, reason: "cannot make a tensor of shape \(shape): \(error)")
        }
    }

    /// The fields of one line: split at `delimiter` outside double quotes, trimmed, and
    /// unquoted (`""` inside quotes is one `"`).
    private static func split(_ line: Substring, delimiter: Character, line lineNumber: Int) throws(NNError) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    // a doubled quote is a literal one; otherwise the quotes close
                    var lookahead = iterator
                    if lookahead.next() == "\"" { field.append("\""); iterator = lookahead } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == delimiter {
                fields.append(wasQuoted ? field : trim(field))
                field = ""
                wasQuoted = false
            } else if c == "\"" && trim(field).isEmpty {
                quoted = true
                wasQuoted = true
                field = ""
            } else {
                field.append(c)
            }
        }
        guard !quoted else { throw .malformedCSV(line: lineNumber, column: fields.count + 1, reason: "a quoted field is not closed") }
        fields.append(wasQuoted ? field : trim(field))
        return fields
    }

    private static func trim(_ s: String) -> String {
        String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    // MARK: Writing

    /// The text of a CSV file holding `tensor`: one line per row, each number in its
    /// shortest form that reads back exactly (`0.1`, `1e-10`, `nan`, `inf`).
    ///
    /// ```swift
    /// CSV.format(try Tensor(shape: [2, 2], scalars: [1, 0.5, -2, 3]))   // "1.0,0.5\n-2.0,3.0\n"
    /// ```
    /// - Parameters:
    ///   - tensor: A 2-d tensor (a 1-d tensor is written as one column).
    ///   - header: Column names for a first line, or `nil` for none.
    ///   - delimiter: The field separator.
    /// - Returns: The text.
    /// - Throws: ``NNError/invalidData(_:)`` for a tensor of another rank, or a header whose
    ///   length is not the number of columns.
    public static func format(_ tensor: Tensor, header: [String]? = nil, delimiter: Character = ",") throws(NNError) -> String {
        guard tensor.rank == 1 || tensor.rank == 2 else {
            throw .invalidData("CSV holds 1-d or 2-d tensors, not a tensor of shape \(tensor.shape)")
        }
        let columns = tensor.rank == 2 ? tensor.shape[1] : 1
        let rows = tensor.shape[0]
        let separator = String(delimiter)
        var text = ""
        if let header {
            guard header.count == columns else {
                throw .invalidData("the header has \(header.count) names for \(columns) columns")
            }
            text += header.map { quoteIfNeeded($0, delimiter: delimiter) }.joined(separator: separator) + "\n"
        }
        let fields: [String]
        if let ints = int64Values(of: tensor) {
            fields = ints.map { String($0) }
        } else if tensor.dtype == .float32 {
            fields = tensor.scalars.map { Float($0).description }
        } else {
            fields = tensor.scalars.map(\.description)
        }
        for row in 0..<rows {
            text += fields[(row * columns)..<((row + 1) * columns)].joined(separator: separator) + "\n"
        }
        return text
    }

    /// Writes `tensor` to a CSV file at `path` (atomically), as ``format(_:header:delimiter:)``
    /// lays it out.
    ///
    /// ```swift
    /// try CSV.write(predictions, to: "predictions.csv", header: ["p0", "p1", "p2"])
    /// ```
    /// - Parameters:
    ///   - tensor: A 1-d or 2-d tensor.
    ///   - path: Where to write.
    ///   - header: Column names for a first line, or `nil` for none.
    ///   - delimiter: The field separator.
    /// - Throws: ``NNError/fileError(path:reason:)``, and the errors of ``format(_:header:delimiter:)``.
    public static func write(_ tensor: Tensor, to path: String, header: [String]? = nil, delimiter: Character = ",") throws(NNError) {
        try Bytes.write(Array(format(tensor, header: header, delimiter: delimiter).utf8), to: path)
    }

    private static func quoteIfNeeded(_ name: String, delimiter: Character) -> String {
        guard name.contains(delimiter) || name.contains("\"") || name.first == " " || name.last == " " else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
