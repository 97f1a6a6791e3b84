import Foundation

/// A one-line progress bar on standard error for a training epoch: batches done of the
/// epoch's total, the running mean loss and the elapsed time, redrawn in place (`\r`) on
/// a terminal. When standard error is not a terminal (a log, a pipe) only the finished
/// line is written, so that logs hold one line per epoch. Internal to the examples: no
/// stable API.
public struct ProgressBar {
    /// What the bar is counting (e.g. `"epoch 3/15"`), at the start of the line.
    public var label: String
    /// The number of steps in all (`≥ 1`).
    public let total: Int
    /// The bar's width in characters.
    public let width: Int
    let started: Date
    let interactive: Bool

    public init(label: String, total: Int, width: Int = 30, started: Date = Date(),
                interactive: Bool = isatty(FileHandle.standardError.fileDescriptor) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.width = max(width, 1)
        self.started = started
        self.interactive = interactive
    }

    /// The line for `done` of `total` steps: `epoch 3/15 [=========>          ] 14/45 loss 0.2311 1.2 s`.
    /// `done` is clamped to `0...total`; a loss of `nil` (nothing averaged yet) prints as `-`.
    public func line(done: Int, loss: Double?, elapsed: TimeInterval) -> String {
        let done = min(max(done, 0), total)
        let filled = done * width / total
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(width - filled - 1, 0))
        let lossText = loss.map { String(format: "%.4f", $0) } ?? "-"
        let digits = String(total).count
        let count = String(repeating: " ", count: max(digits - String(done).count, 0)) + "\(done)/\(total)"
        return "\(label) [\(bar)] \(count) loss \(lossText) " + String(format: "%.1f s", elapsed)
    }

    /// Redraws the bar after `done` steps (on a terminal only).
    public func update(done: Int, loss: Double?) {
        guard interactive else { return }
        write("\r" + line(done: done, loss: loss, elapsed: Date().timeIntervalSince(started)) + "\u{1B}[K")
    }

    /// Writes the final state of the bar and ends its line.
    public func finish(done: Int, loss: Double?) {
        let text = line(done: done, loss: loss, elapsed: Date().timeIntervalSince(started))
        write((interactive ? "\r" + text + "\u{1B}[K" : text) + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
