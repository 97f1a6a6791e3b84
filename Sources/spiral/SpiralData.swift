import Autograd
import AutogradNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// DeZero's spiral dataset (`dezero.datasets.get_spiral`), drawn from a ``SeededGenerator``:
/// `classes` arms of `pointsPerClass` points; point `i` of arm `j` lies at radius
/// `r = i / pointsPerClass` and angle `θ = 4j + 4r + 0.2·n` (`n` standard normal), at
/// `(r·sin θ, r·cos θ)`; then the rows are shuffled. Same recipe as DeZero's, other
/// random numbers (DeZero seeds numpy's generator with 1984).
struct SpiralData {
    let inputs: Tensor   // [N, 2]
    let labels: Tensor   // [N], class indices
    let classes: Int

    init(pointsPerClass: Int = 100, classes: Int = 3, seed: UInt64 = 1984) throws {
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
        inputs = try Tensor(shape: [points.count, 2], scalars: order.flatMap { points[$0] })
        self.labels = try Tensor(shape: [points.count], scalars: order.map { labels[$0] })
        self.classes = classes
    }
}
