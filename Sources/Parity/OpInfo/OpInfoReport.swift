/// What became of torch's OpInfo samples, op by op: how many there were, how many the
/// language can express (and why the others not), and how the expressed ones fared.
public struct OpInfoReport: Sendable {
    /// The share of an op's samples that must be expressible.
    public static let expressibleTarget = 0.95

    /// One catalogue op's samples (both dtypes together).
    public struct Row: Sendable {
        public var op: String
        public var samples = 0
        public var converted = 0
        /// Skip reasons, with how many samples each.
        public var skipped: [String: Int] = [:]
        /// Samples left out for their size (a tensor the dump did not carry; see
        /// `torch_opinfo.py`'s `max_numel`): not counted in ``samples``.
        public var tooLarge = 0
        public var passed = 0
        /// float32 cases outside the tolerance but within torch's own float32 error
        /// (``Float32Noise``): Swift as close to the exact values as torch's float32.
        public var float32Noise = 0
        public var failed = 0
        /// Failing cases, `name: first failure`.
        public var failures: [String] = []

        public var expressible: Double { samples == 0 ? 1 : Double(converted) / Double(samples) }

        public init(op: String) { self.op = op }
    }

    public var rows: [String: Row] = [:]
    /// Per mapped OpInfo that torch's op_db lacks or that raised: the message.
    public var errors: [String] = []

    public init() {}

    /// Records a sample that became calls of `op` (counted under the op it runs as: a
    /// linear sample without a bias is linear_nobias's).
    public mutating func converted(_ op: String) {
        rows[op, default: Row(op: op)].samples += 1
        rows[op, default: Row(op: op)].converted += 1
    }

    public mutating func skipped(_ op: String, _ skip: OpInfoSkip) {
        if skip.tooLarge {
            rows[op, default: Row(op: op)].tooLarge += 1
            return
        }
        rows[op, default: Row(op: op)].samples += 1
        rows[op, default: Row(op: op)].skipped[skip.reason, default: 0] += 1
    }

    /// Samples left out for their size, over every op.
    public var totalTooLarge: Int { rows.values.reduce(0) { $0 + $1.tooLarge } }

    public mutating func checked(_ op: String, case name: String, report: CaseReport, float32Noise: Bool = false) {
        if report.verdict == .passed {
            rows[op, default: Row(op: op)].passed += 1
        } else if float32Noise {
            rows[op, default: Row(op: op)].float32Noise += 1
        } else {
            rows[op, default: Row(op: op)].failed += 1
            rows[op, default: Row(op: op)].failures.append("\(name): \(report.failures.first ?? "failed")")
        }
    }

    public mutating func torchFailed(_ op: String, case name: String, message: String) {
        rows[op, default: Row(op: op)].failed += 1
        rows[op, default: Row(op: op)].failures.append("\(name): torch cannot run the converted case (\(message))")
    }

    /// The ops below ``expressibleTarget`` without a documented reason
    /// (``OpTable/opInfoShortfalls``).
    public var belowTarget: [Row] {
        rows.values.filter {
            $0.samples > 0 && $0.expressible < Self.expressibleTarget && OpTable.opInfoShortfalls[$0.op] == nil
        }.sorted { $0.op < $1.op }
    }

    public var totalSamples: Int { rows.values.reduce(0) { $0 + $1.samples } }
    public var totalConverted: Int { rows.values.reduce(0) { $0 + $1.converted } }
    public var totalFailed: Int { rows.values.reduce(0) { $0 + $1.failed } }

    /// Every catalogue op, in catalogue order: its samples, the share expressed, the
    /// verdicts of the cases, and the main reasons for the rest (or the op's exception).
    public var markdown: String { markdown(ops: OpTable.all.map(\.name)) }

    /// ``markdown`` for some ops only, with the count of hand-written spec cases that use
    /// each op beside its samples (``CoverageMatrix``), if given.
    public func markdown(ops: [String], handWritten: [String: Int]? = nil) -> String {
        var out = "| op |" + (handWritten == nil ? "" : " hand-written cases |")
            + " OpInfo samples | expressible | cases passed | float32 noise | failed | not expressible, because |\n"
        out += "|---|" + (handWritten == nil ? "" : "---:|") + "---:|---:|---:|---:|---:|---|\n"
        for name in ops {
            guard let op = OpTable.operation(named: name) else { continue }
            let row = rows[op.name] ?? Row(op: op.name)
            let why: String
            if let shortfall = OpTable.opInfoShortfalls[op.name], row.expressible < Self.expressibleTarget {
                why = shortfall
            } else if row.samples == 0 {
                why = OpTable.opInfoExceptions[op.name].map { "no samples of its own: \($0)" } ?? "no OpInfo mapped"
            } else {
                why = row.skipped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(3).map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
            }
            let share = row.samples == 0 ? "–" : String(Int((row.expressible * 100).rounded(.down))) + " %"
            out += "| `\(op.name)` |" + (handWritten.map { " \($0[op.name] ?? 0) |" } ?? "") + " \(row.samples) | \(share) | \(row.passed) | \(row.float32Noise) | \(row.failed) | "
                + MarkdownReport.text(why) + " |\n"
        }
        return out
    }
}
