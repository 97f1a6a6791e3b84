/// Parity results as JUnit XML, the format CI systems display (an unsupported case is `<skipped>`). Names and messages come
/// from fixture files: control characters in them are written as visible escapes
/// (``Swift/String/escapingControlCharacters``), as XML 1.0 cannot carry most of them.
public enum JUnitReport {
    public static func xml(_ reports: [CaseReport]) -> String {
        let suites = Dictionary(grouping: reports, by: \.suite).sorted { $0.key < $1.key }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = reports.filter { $0.verdict == .failed }.count
        let skipped = reports.filter { $0.verdict == .unsupported }.count
        out += "<testsuites name=\"parity\" tests=\"\(reports.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        for (suite, cases) in suites {
            let suiteFailures = cases.filter { $0.verdict == .failed }.count
            let suiteSkipped = cases.filter { $0.verdict == .unsupported }.count
            out += "  <testsuite name=\"\(escape(suite))\" tests=\"\(cases.count)\" failures=\"\(suiteFailures)\" skipped=\"\(suiteSkipped)\">\n"
            for c in cases {
                let name = escape("\(c.name) [\(c.dtype), order \(c.order)]")
                out += "    <testcase classname=\"parity.\(escape(suite))\" name=\"\(name)\""
                switch c.verdict {
                case .passed:
                    out += "/>\n"
                case .unsupported:
                    out += ">\n      <skipped message=\"unsupported: \(escape(c.unsupportedReason ?? ""))\"/>\n    </testcase>\n"
                case .failed:
                    let details = c.failures.map(escape).joined(separator: "\n")
                    out += ">\n      <failure message=\"\(escape(c.failures.first ?? "failed"))\">\(details)</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.escapingControlCharacters {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
