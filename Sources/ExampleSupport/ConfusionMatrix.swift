/// Counts of (true class, predicted class) pairs of a classifier on labelled examples:
/// `counts[actual][predicted]`. Row `c` holds the examples of class `c`; the diagonal the
/// correct ones. Internal to the examples: no stable API.
public struct ConfusionMatrix: Equatable, Sendable {
    /// The number of classes, `0..<classes`.
    public let classes: Int
    /// `counts[actual][predicted]`, `classes` × `classes`.
    public private(set) var counts: [[Int]]

    /// An empty matrix (all counts 0) of `classes` classes (`classes ≥ 1`).
    public init(classes: Int) {
        precondition(classes >= 1, "ConfusionMatrix: classes must be positive, got \(classes)")
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// The matrix of `predicted[i]` against `actual[i]`. Both lists have the same length and
    /// hold classes in `0..<classes`.
    public init(classes: Int, predicted: [Int], actual: [Int]) {
        precondition(predicted.count == actual.count,
                     "ConfusionMatrix: \(predicted.count) predictions for \(actual.count) labels")
        self.init(classes: classes)
        for (p, a) in zip(predicted, actual) { add(predicted: p, actual: a) }
    }

    /// Counts one example of class `actual` predicted as `predicted`.
    public mutating func add(predicted: Int, actual: Int) {
        precondition((0..<classes).contains(predicted) && (0..<classes).contains(actual),
                     "ConfusionMatrix: class \(actual) predicted as \(predicted) outside 0..<\(classes)")
        counts[actual][predicted] += 1
    }

    /// Every example counted.
    public var total: Int { counts.joined().reduce(0, +) }

    /// The examples on the diagonal.
    public var correct: Int { (0..<classes).map { counts[$0][$0] }.reduce(0, +) }

    /// `correct / total`, 0 for an empty matrix.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// The examples of class `c` (row `c`'s sum).
    public func support(of c: Int) -> Int { counts[c].reduce(0, +) }

    /// The fraction of class `c`'s examples predicted as `c` (0 when there are none).
    public func recall(of c: Int) -> Double {
        let n = support(of: c)
        return n == 0 ? 0 : Double(counts[c][c]) / Double(n)
    }

    /// The largest count off the diagonal, with its (actual, predicted) classes; `nil`
    /// when every example is on the diagonal.
    public var worstConfusion: (actual: Int, predicted: Int, count: Int)? {
        var worst: (actual: Int, predicted: Int, count: Int)?
        for a in 0..<classes {
            for p in 0..<classes where p != a && counts[a][p] > (worst?.count ?? 0) {
                worst = (a, p, counts[a][p])
            }
        }
        return worst
    }
}
