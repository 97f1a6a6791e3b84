import Autograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small generated datasets for examples and tests (DeZero's `dezero.datasets`).
public enum Datasets {
    /// DeZero's spiral dataset (`dezero.datasets.get_spiral`), drawn from a `SeededGenerator`.
    ///
    /// `classes` arms of `pointsPerClass` points: point `i` of arm `j` lies at radius
    /// `r = i / pointsPerClass` and angle `θ = 4j + 4r + 0.2·n` (`n` standard normal), at
    /// `(r·sin θ, r·cos θ)`; then the rows are shuffled. The recipe is DeZero's; the random
    /// numbers are not (DeZero seeds numpy's generator with 1984), so the points differ.
    ///
    /// ```swift
    /// let (x, t) = Datasets.spiral()   // x: [300, 2], t: [300] with labels 0, 1, 2
    /// ```
    /// - Parameters:
    ///   - pointsPerClass: Points on each arm (DeZero: 100).
    ///   - classes: The number of arms, one class each (DeZero: 3).
    ///   - seed: The seed of the generator that draws the noise and the shuffle.
    /// - Returns: `inputs` of shape `[pointsPerClass · classes, 2]` and `labels`, the class
    ///   index of each row as a float64 value (until integer tensors exist).
    public static func spiral(
        pointsPerClass: Int = 100, classes: Int = 3, seed: UInt64 = 1984
    ) -> (inputs: Tensor, labels: Tensor) {
        if pointsPerClass < 0 || classes < 0 { fatalError("spiral needs non-negative sizes, got \(pointsPerClass) and \(classes)") }
        var generator = SeededGenerator(seed: seed)
        var points: [[Double]] = []
        var labels: [Double] = []
        for j in 0..<classes {
            for i in 0..<pointsPerClass {
                let rate = Double(i) / Double(pointsPerClass)
                let radius = 1.0 * rate
                let theta = Double(j) * 4.0 + 4.0 * rate + generator.normal() * 0.2
                points.append([radius * sin(theta), radius * cos(theta)])
                labels.append(Double(j))
            }
        }
        let order = generator.permutation(points.count)
        do {
            return (try Tensor(shape: [points.count, 2], scalars: order.flatMap { points[$0] }),
                    try Tensor(shape: [points.count], scalars: order.map { labels[$0] }))
        } catch {
            fatalError("internal: spiral points do not fill their shape: \(error)")
        }
    }
}
