import ArgumentParser
import Foundation
import Parity
import ParityAutograd
import PythonBridge

/// `--opinfo`: PyTorch's own test inputs (the OpInfo samples of `op_db`) as cases.
///
/// For every catalogue op with an OpInfo (``Op/opInfo``), `torch_opinfo.py` dumps the
/// samples in float64 and float32; ``OpInfoConverter`` writes each as a call of the op (or
/// says why it cannot); torch computes each case's fixture as for any spec, and the
/// library is checked against it. The per-op report says how many samples there were,
/// how many the language expresses, how many passed, and why the rest were skipped.
struct OpInfoRun {
    let generator: FixtureGenerator
    let directory: OutputDirectory
    let includeReference: Bool
    /// Only these ops (all with a mapping if empty).
    let only: Set<String>
    let log: (String) -> Void

    /// Runs everything and returns the report; writes the specs, fixtures and report to
    /// `directory` (`specs/`, `torch/`, `report.md`).
    func run() throws -> OpInfoReport {
        let module = try PythonScripts.load("torch_opinfo")
        let json = try Python.importModule("json")
        let mapped = OpTable.all.flatMap { op in op.opInfo.map { (op: op, mapping: $0) } }
            .filter { only.isEmpty || only.contains($0.op.name) }
        guard !mapped.isEmpty else { throw ParityError("no op with an OpInfo mapping among \(only.sorted())") }
        let builtins = try Python.importModule("builtins")
        let requests = PythonObject.list(try mapped.map { entry throws(PythonError) in
            try builtins.attribute("dict").call([], keywords: [
                ("op", PythonObject(entry.op.name)), ("opinfo", PythonObject(entry.mapping.opInfo)),
                ("variant", PythonObject(entry.mapping.variant)),
            ])
        })

        var report = OpInfoReport()
        var suites: [String: [CaseSpec]] = [:]
        for dtype in [ScalarType.float64, .float32] {
            let started = Date()
            let dumped = try module.attribute("samples").call(
                [requests, PythonObject(dtype.rawValue)], keywords: [("include_reference", PythonObject(includeReference))])
            let text = try json.attribute("dumps").call([dumped], keywords: [("allow_nan", PythonObject(false))]).toString()
            let results = try OpInfoSamples.parse(text)
            if let first = results.first?.error, results.allSatisfy({ $0.error != nil }) {
                // Nothing could be taken: op_db itself did not import (expecttest or
                // hypothesis missing, another torch).
                throw ParityError("cannot read torch's OpInfo database: \(first); \(PythonLocation.setupAdvice)")
            }
            log(String(format: "opinfo: %@: %d OpInfos, %d samples dumped in %.1fs", dtype.rawValue, results.count,
                       results.reduce(0) { $0 + $1.samples.count }, Date().timeIntervalSince(started)))
            for (samples, entry) in zip(results, mapped) {
                if let error = samples.error ?? (samples.found ? nil : "not in this torch's op_db") {
                    report.errors.append("\(entry.mapping.opInfo)\(entry.mapping.variant.isEmpty ? "" : ".\(entry.mapping.variant)") for \(entry.op.name): \(error)")
                    continue
                }
                for (index, sample) in samples.samples.enumerated() {
                    let tag = "\(entry.mapping.opInfo.replacingOccurrences(of: "nn.functional.", with: ""))\(entry.mapping.variant.isEmpty ? "" : "_\(entry.mapping.variant)")"
                    switch OpInfoConverter.convert(sample, index: index, of: samples, mapping: entry.mapping, dtype: dtype) {
                    case .converted(let op, let cases):
                        report.converted(op)
                        for var c in cases {
                            c.name = "\(tag)_\(c.name)"
                            suites["opinfo_\(op)", default: []].append(c)
                        }
                    case .skipped(let skip):
                        report.skipped(entry.op.name, skip)
                    }
                }
            }
        }

        var writes: [(path: String, contents: Data)] = []
        for (n, (suiteName, cases)) in suites.sorted(by: { $0.key < $1.key }).enumerated() {
            let op = String(suiteName.dropFirst("opinfo_".count))
            let clock = Date()
            var fixtures: [FixtureCase] = []
            for c in uniqueNames(cases) {
                do {
                    let fixture = try generator.generate(c)
                    fixtures.append(fixture)
                    let verdict = ParityCheck.check(fixture, suite: suiteName, on: AutogradBackend())
                    let noise = verdict.verdict == .failed && Float32Noise.explains(fixture, on: AutogradBackend())
                    report.checked(op, case: c.name, report: verdict, float32Noise: noise)
                } catch {
                    report.torchFailed(op, case: c.name, message: error.message)
                }
            }
            let row = report.rows[op] ?? OpInfoReport.Row(op: op)
            log(String(format: "[%d/%d] %@: %d cases, %d passed, %d failed (%.1fs)", n + 1, suites.count, suiteName,
                       cases.count, row.passed, row.failed, Date().timeIntervalSince(clock)))
            let spec = SuiteSpec(suite: suiteName, cases: cases)
            let fixture = FixtureSuite(suite: suiteName, torch: generator.torch.version, python: generator.pythonVersion, cases: fixtures)
            writes.append((try directory.file(in: [("specs", "out")], named: suiteName, field: "suite", suffix: ".json"),
                           Data(spec.jsonText.utf8)))
            writes.append((try directory.file(in: [("torch", "out")], named: suiteName, field: "suite", suffix: ".json"),
                           Data(JSONWriter.write(fixture.json).utf8)))
        }
        writes.append((try directory.file(named: "report", field: "report", suffix: ".md"), Data(Self.document(report, only: only).utf8)))
        try FixtureFiles.writeAll(writes)
        return report
    }

    /// Case names made unique within a suite (two OpInfos may give the same sample index).
    private func uniqueNames(_ cases: [CaseSpec]) -> [CaseSpec] {
        var seen: [String: Int] = [:]
        return cases.map { c in
            var c = c
            let n = seen[c.name, default: 0]
            seen[c.name] = n + 1
            if n > 0 { c.name += "_\(n)" }
            return c
        }
    }

    /// The report as a Markdown document.
    static func document(_ report: OpInfoReport, only: Set<String> = []) -> String {
        var out = "# OpInfo samples\n\n"
        out += "\(report.totalSamples) samples of torch's op_db (float64 and float32): \(report.totalConverted) expressible, "
        if report.totalTooLarge > 0 {
            out += "\(report.totalTooLarge) more left out for their size (tensors of more than 65,536 elements, which the dump does not carry), "
        }
        let ops = OpTable.all.map(\.name).filter { only.isEmpty || only.contains($0) || report.rows[$0] != nil }
        out += "\(report.totalFailed) failing.\n\n" + report.markdown(ops: ops)
        if !report.errors.isEmpty {
            out += "\nOpInfos without samples:\n\n" + report.errors.map { "- \(MarkdownReport.text($0))\n" }.joined()
        }
        return out
    }
}

extension GenFixtures {
    /// `--opinfo`: see ``OpInfoRun``. Fails if a case fails, or an op's share of
    /// expressible samples is below the target.
    func opInfo() throws {
        let directory = try OutputDirectory(creating: out ?? ".build/opinfo")  // before torch: a bad --out fails fast
        let generator = try startTorch().limited(by: limitOptions.limits)
        let run = OpInfoRun(generator: generator, directory: directory, includeReference: opinfoReference,
                            only: Set(opinfoOps.flatMap { $0.split(separator: ",").map(String.init) }), log: log)
        let report = try run.run()
        print(OpInfoRun.document(report, only: run.only), terminator: "")
        if let updateFile {
            let specs = try FixtureFiles.jsonFiles(in: FixtureFiles.specDirectory).map { path throws(ParityError) in
                try SuiteSpec(contentsOf: path, limits: limitOptions.limits)
            }
            let counts = Dictionary(uniqueKeysWithValues: CoverageMatrix(specs: specs).rows.map { ($0.op, $0.counts.total) })
            try updateSection(of: updateFile, with: report.markdown(ops: OpTable.all.map(\.name), handWritten: counts))
            log("updated the OpInfo table in \(updateFile)")
        }
        var failed = false
        for error in report.errors {
            // A mapping that names an OpInfo this torch lacks, or an OpInfo that raised.
            FileHandle.standardError.write(Data("error: \(error.escapingControlCharacters)\n".utf8))
            failed = true
        }
        for row in report.rows.values.sorted(by: { $0.op < $1.op }) where row.failed > 0 {
            for failure in row.failures { FileHandle.standardError.write(Data("error: \(row.op): \(failure.escapingControlCharacters)\n".utf8)) }
            failed = true
        }
        for row in report.belowTarget {
            FileHandle.standardError.write(Data(String(format: "error: %@: %.1f %% of %d OpInfo samples expressible (target %.0f %%)\n",
                                                       row.op, row.expressible * 100, row.samples, OpInfoReport.expressibleTarget * 100).utf8))
            failed = true
        }
        log("opinfo: \(report.totalSamples) samples, \(report.totalConverted) expressible, \(report.totalFailed) failing; wrote \(directory.path)")
        if failed { throw ExitCode.failure }
    }

    /// Rewrites the text between `<!-- opinfo:begin -->` and `<!-- opinfo:end -->` of `path`.
    private func updateSection(of path: String, with table: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ParityError("cannot read \(path): \(error.localizedDescription)")
        }
        // The begin marker is a comment line that may say how the table is generated.
        let begin = "<!-- opinfo:begin", end = "<!-- opinfo:end -->"
        guard let opening = text.range(of: begin), let lineEnd = text[opening.upperBound...].range(of: "-->"),
              let stop = text.range(of: end), lineEnd.upperBound <= stop.lowerBound else {
            throw ParityError("\(path) has no \(begin) ... --> \(end) section")
        }
        let start = lineEnd
        try FixtureFiles.writeAtomically(text[..<start.upperBound] + "\n" + table + text[stop.lowerBound...], to: path)
    }
}
