import Autograd
import AutogradNN

/// DeZero's spiral dataset: ``Datasets/spiral(pointsPerClass:classes:seed:)`` with its class count.
struct SpiralData {
    let inputs: Tensor   // [N, 2]
    let labels: Tensor   // [N], class indices
    let classes: Int

    init(pointsPerClass: Int = 100, classes: Int = 3, seed: UInt64 = 1984) throws {
        (inputs, labels) = Datasets.spiral(pointsPerClass: pointsPerClass, classes: classes, seed: seed)
        self.classes = classes
    }
}
