import Foundation

/// The parity results as a Markdown summary: per suite, per op, float32 error beside
/// torch's own, and how the three references agree. Names and messages come from
/// fixture files: control characters in them are written as visible escapes, and `|` is
/// escaped so that a name cannot break a table.
public enum MarkdownReport {
    /// `s` safe in a Markdown table cell or list item.
    public static func text(_ s: String) -> String {
        s.escapingControlCharacters.replacingOccurrences(of: "|", with: "\\|")
    }

    public static func render(_ cases: [CaseAnalysis], versions: String) -> String {
        let failed = cases.filter { $0.report.verdict == .failed }
        let unsupported = ParitySummary(cases.map(\.report)).unsupportedReasons
        let passed = cases.filter { $0.report.verdict == .passed }.count
        let refused = cases.filter { $0.report.refusal != nil }.count
        var out = "# Parity report\n\n"
        out += "\(versions). \(cases.count) cases: \(passed) passed"
        out += refused > 0 ? " (\(refused) of them refused by both sides, as expected)" : ""
        out += ", \(failed.count) failed"
        let unsupportedCount = unsupported.reduce(0) { $0 + $1.cases }
        out += unsupportedCount > 0 ? ", \(unsupportedCount) unsupported by the backend.\n\n" : ".\n\n"
        if unsupportedCount > 0 {
            out += "| unsupported because | cases |\n|---|---:|\n"
            for (reason, n) in unsupported { out += "| \(text(reason)) | \(n) |\n" }
            out += "\n"
        }

        out += "## By suite\n\n| suite | cases | failed | worst abs error | worst rel error | at |\n|---|---:|---:|---:|---:|---|\n"
        for (suite, group) in grouped(cases, by: { [$0.report.suite] }) {
            out += row(text(suite), group)
        }

        out += "\n## By op\n\nEvery case that uses the op counts for it.\n\n"
        out += "| op | cases | failed | worst abs error | worst rel error | at |\n|---|---:|---:|---:|---:|---|\n"
        for (op, group) in grouped(cases, by: \.operations) {
            out += row("`\(op)`", group)
        }

        let narrow = cases.compactMap { c in c.float32.map { (c, $0) } }
        if !narrow.isEmpty {
            out += "\n## float32: Swift's error beside torch's own\n\n"
            out += "Both sides' float32 results (output and every gradient) against torch's float64 results for the same inputs.\n\n"
            out += "| case | Swift f32 vs torch f64 (abs / rel) | torch f32 vs torch f64 (abs / rel) |\n|---|---:|---:|\n"
            for (c, e) in narrow {
                out += "| \(text("\(c.report.suite)/\(c.report.name)")) | \(format(e.swift.abs)) / \(format(e.swift.rel)) | \(format(e.torch.abs)) / \(format(e.torch.rel)) |\n"
            }
        }

        out += "\n## Three references\n\nFirst-order gradients from torch, from Swift's backward, and from central differences of Swift's forward pass (float64).\n\n"
        out += "| references | cases |\n|---|---:|\n"
        for verdict in Triage.allCases {
            let n = cases.filter { $0.triage == verdict }.count
            if n > 0 { out += "| \(verdict.rawValue) | \(n) |\n" }
        }
        let suspicious = cases.filter { ![.allAgree, .notChecked, .numericalOff].contains($0.triage) }
        for c in suspicious {
            out += "\n- \(text("\(c.report.suite)/\(c.report.name)")): \(c.triage.rawValue)"
        }
        out += fourthReference(cases)

        if !failed.isEmpty {
            out += "\n## Failures\n\n"
            for c in failed {
                out += "- **\(text("\(c.report.suite)/\(c.report.name)"))** (\(c.report.dtype), order \(c.report.order)): "
                out += c.report.failures.map(text).joined(separator: "; ") + "\n"
            }
        }
        return out
    }

    private static func grouped(_ cases: [CaseAnalysis], by keys: (CaseAnalysis) -> [String]) -> [(String, [CaseAnalysis])] {
        var groups: [String: [CaseAnalysis]] = [:]
        for c in cases {
            for key in keys(c) { groups[key, default: []].append(c) }
        }
        return groups.sorted { $0.key < $1.key }
    }

    private static func row(_ label: String, _ group: [CaseAnalysis]) -> String {
        let computed = group.filter { $0.report.refusal == nil && $0.report.error == nil }
        let worstAbs = computed.max { $0.report.maxAbsError < $1.report.maxAbsError }
        let worstRel = computed.max { $0.report.maxRelError < $1.report.maxRelError }
        let failed = group.filter { $0.report.verdict == .failed }.count
        return "| \(label) | \(group.count) | \(failed) | \(format(worstAbs?.report.maxAbsError ?? 0)) | "
            + "\(format(worstRel?.report.maxRelError ?? 0)) | \(worstRel.map { text("\($0.report.suite)/\($0.report.name)") } ?? "") |\n"
    }

    /// `0`, or three significant digits in scientific notation.
    public static func format(_ x: Double) -> String {
        x == 0 ? "0" : x.isFinite ? String(format: "%.2e", x) : "\(x)"
    }
}
