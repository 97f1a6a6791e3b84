import ArgumentParser
import Foundation
import Autograd
import Parity
import ParityAutograd
import ParityCommandLine
import ParityDifferentiation

@main
struct ParityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Checks this library against the committed PyTorch fixtures, case by case.",
        discussion: """
        Evaluates every case of the given fixture files (default: every fixtures/torch/*.json) in
        Swift, with the fixture's own inputs and upstream gradient, and compares the output and
        the gradients of every order with torch's. Prints one row per case and a closing
        'N passed, N failed' line; exits non-zero if any case fails.
        """)

    @Argument(help: "Fixture files (default: every fixtures/torch/*.json).")
    var fixtures: [String] = []

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Option(help: "Also write a Markdown summary (per suite, per op, float32 errors, reference agreement) to this file.")
    var markdown: String?

    @Flag(help: "Print the coverage matrix of the specs (op × dtype × order × rank) instead of checking.")
    var coverage = false

    @Flag(help: "Print the typed operation names (OpName constants) generated from the op catalogue instead of checking.")
    var opNames = false

    @Option(help: "With --coverage: rewrite the matrix between the coverage markers of this file (Sources/Parity/Parity.docc/Coverage.md). With --op-names: write the names to this file (Sources/Parity/Operations/OpName+Catalogue.swift).")
    var updateFile: String?

    @Option(help: ArgumentHelp("The old name of --update-file, from when the matrix was in the README.", visibility: .hidden))
    var updateReadme: String?

    @Option(help: "Print the computation graph of a case (SUITE/CASE or CASE) as Graphviz DOT instead of checking.")
    var dot: String?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        do {
            try check()
        } catch let error as ParityError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func check() throws {
        if coverage { return try printCoverage() }
        if opNames { return try printOpNames() }
        if let dot { return try printGraph(dot) }

        let allFiles = fixtures.isEmpty ? try FixtureFiles.jsonFiles(in: FixtureFiles.fixtureDirectory) : fixtures
        guard !allFiles.isEmpty else { throw ParityError("no fixture files found") }
        let (trainingFiles, files) = try partitionTrainingFixtures(allFiles)  // ParityCommand+Training.swift
        let suites = try files.map { path throws(ParityError) in try FixtureSuite(contentsOf: path, limits: limitOptions.limits) }

        let nameWidth = max(30, suites.flatMap { s in s.cases.map { s.suite.count + $0.name.count + 1 } }.max() ?? 0)
        print(pad("case", nameWidth), pad("dtype", 8), pad("order", 5), pad("max abs err", 12), pad("max rel err", 12),
              pad("result", 7), pad("references (torch, Swift, numerical)", 37), "compiler AD")
        var analyses: [CaseAnalysis] = []
        for suite in suites {
            for fixture in suite.cases {
                let analysis = CaseAnalysis.analyze(fixture, suite: suite.suite, on: AutogradBackend(), reference: CompilerDerivedReference())
                let report = analysis.report
                analyses.append(analysis)
                let errors = report.refusal != nil
                    ? [pad("refused", 12), pad("refused", 12)]
                    : [pad(MarkdownReport.format(report.maxAbsError), 12), pad(MarkdownReport.format(report.maxRelError), 12)]
                // Names come from the file: escaped, so no control character reaches the terminal.
                print(pad("\(suite.suite)/\(fixture.name)".escapingControlCharacters, nameWidth), pad(fixture.dtype.rawValue, 8),
                      pad("\(fixture.order)", 5), errors[0], errors[1], pad(Self.result(report), 7),
                      pad(analysis.triage.rawValue, 37), analysis.fourthReference?.summary ?? "·")
                for failure in report.failures { print("    \(failure.escapingControlCharacters)") }
            }
        }
        let reports = analyses.map(\.report) + (try checkTraining(trainingFiles, nameWidth: nameWidth, pad: pad))
        if let junit {
            try FixtureFiles.writeAtomically(JUnitReport.xml(reports), to: junit)
        }
        if let markdown {
            let versions = Set(suites.map { "torch \($0.torch), Python \($0.python)" }).sorted().joined(separator: "; ")
            try FixtureFiles.writeAtomically(MarkdownReport.render(analyses, versions: versions), to: markdown)
        }
        let summary = ParitySummary(reports)
        for (reason, n) in summary.unsupportedReasons { print("unsupported: \(n) case(s): \(reason)") }
        print(summary.closingLine)
        if summary.failed > 0 { throw ExitCode.failure }
    }

    /// A report's result column.
    static func result(_ report: CaseReport) -> String {
        switch report.verdict {
        case .passed: "pass"
        case .failed: "FAIL"
        case .unsupported: "unsup."
        }
    }

    /// Prints the typed names of the catalogue (`OpName+Catalogue.swift`), or rewrites the file.
    private func printOpNames() throws {
        let source = OpName.catalogueSource()
        guard let path = updateFile else { return print(source, terminator: "") }
        try FixtureFiles.writeAtomically(source, to: path)
        print("wrote \(OpTable.all.count) operation names to \(path)")
    }

    private func printCoverage() throws {
        let specs = try FixtureFiles.jsonFiles(in: FixtureFiles.specDirectory).map { path throws(ParityError) in
            try SuiteSpec(contentsOf: path, limits: limitOptions.limits)
        }
        let matrix = CoverageMatrix(specs: specs)
        guard let path = updateFile ?? updateReadme else { return print(matrix.markdown, terminator: "") }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ParityError("cannot read \(path): \(error.localizedDescription)")
        }
        let updated: String
        do {
            updated = try matrix.updating(readme: text)
        } catch {
            throw error.inFile(path)
        }
        try FixtureFiles.writeAtomically(updated, to: path)
        print("updated the coverage matrix in \(path)")
    }

    /// Evaluates one case in Swift and prints its graph.
    private func printGraph(_ wanted: String) throws {
        let files = fixtures.isEmpty ? try FixtureFiles.jsonFiles(in: FixtureFiles.fixtureDirectory) : fixtures
        for path in files {
            let suite = try FixtureSuite(contentsOf: path, limits: limitOptions.limits)
            for c in suite.cases where c.name == wanted || "\(suite.suite)/\(c.name)" == wanted {
                let program: Program
                do {
                    program = try Program(parsing: c.expr)
                } catch {
                    throw ParityError(error.message, file: path, caseName: c.name, column: error.location.column)
                }
                let inputs = try c.inputs.map { input throws(ParityError) in
                    (input.name, Variable(try input.value.tensor(DType(c.dtype)), name: input.name))
                }
                let output = try Evaluator(backend: AutogradBackend(), dtype: c.dtype).evaluate(program, inputs: inputs)
                output.name = "output"
                print(dotGraph(of: output), terminator: "")
                return
            }
        }
        throw ParityError("no case named '\(wanted)' in \(files.joined(separator: ", "))")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
