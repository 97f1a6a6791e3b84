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

    /// DeZero's sine-curve dataset (`dezero.datasets.SinCurve`, step 60), for predicting
    /// the next value of a time series.
    ///
    /// `x = linspace(0, 2π, 1000)`; the training curve is `y = sin(x) + u` with noise `u`
    /// drawn uniformly from [−0.05, 0.05), the test curve `y = cos(x)` without noise (as in
    /// DeZero, which draws the noise for both and adds it to the training curve only). Each
    /// input is one value of the curve and its target the next: `inputs = y[0..<999]`,
    /// `targets = y[1..<1000]`, both float64 `[999, 1]`. The recipe is DeZero's; the random
    /// numbers come from a `SeededGenerator`, not numpy's, so the noise differs.
    ///
    /// ```swift
    /// let (x, t) = Datasets.sinCurve()               // x: [999, 1], t: [999, 1]
    /// let (xTest, tTest) = Datasets.sinCurve(train: false)
    /// ```
    /// - Parameters:
    ///   - train: The noisy sine (`true`, DeZero's `train=True`) or the clean cosine.
    ///   - count: The number of points on the curve (DeZero: 1000); there are `count − 1`
    ///     examples.
    ///   - seed: The seed of the generator that draws the noise.
    /// - Returns: `inputs` and `targets`, float64 `[count − 1, 1]`.
    public static func sinCurve(train: Bool = true, count: Int = 1000, seed: UInt64 = 0) -> (inputs: Tensor, targets: Tensor) {
        if count < 2 { fatalError("sinCurve needs at least 2 points, got \(count)") }
        var generator = SeededGenerator(seed: seed)
        var y: [Double] = []
        y.reserveCapacity(count)
        for i in 0..<count {
            // numpy's linspace: start + i · step, with the last point exactly the end
            let x = i == count - 1 ? 2 * Double.pi : Double(i) * (2 * Double.pi / Double(count - 1))
            let noise = generator.uniform(-0.05, 0.05)
            y.append(train ? sin(x) + noise : cos(x))
        }
        do {
            return (try Tensor(shape: [count - 1, 1], scalars: Array(y.dropLast())),
                    try Tensor(shape: [count - 1, 1], scalars: Array(y.dropFirst())))
        } catch {
            fatalError("internal: sinCurve values do not fill their shape: \(error)")
        }
    }
}
