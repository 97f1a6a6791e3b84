import Foundation
import Testing
import Autograd
import AutogradNN

@Suite("Datasets")
struct DatasetsTests {
    @Test func sinCurveFollowsDeZerosRecipe() throws {
        let (x, t) = Datasets.sinCurve()
        #expect(x.shape == [999, 1] && t.shape == [999, 1])
        #expect(x.dtype == .float64)
        // targets are the inputs shifted by one
        #expect(Array(x.scalars.dropFirst()) == Array(t.scalars.dropLast()))
        // sin(x_i) plus noise in [-0.05, 0.05), x_i = linspace(0, 2π, 1000)
        let step = 2 * Double.pi / 999
        for (i, y) in x.scalars.enumerated() {
            let noise = y - sin(Double(i) * step)
            #expect(noise >= -0.05 - 1e-12 && noise < 0.05 + 1e-12)
        }
        #expect(abs(t.scalars.last! - sin(2 * Double.pi)) <= 0.05 + 1e-12)
        // the same seed, the same noise; another seed, other noise
        #expect(Datasets.sinCurve().inputs == x)
        #expect(Datasets.sinCurve(seed: 1).inputs != x)
    }

    @Test func sinCurveTestIsTheCleanCosine() {
        let (x, t) = Datasets.sinCurve(train: false)
        #expect(x.scalars.first == 1)
        #expect(t.scalars.last == cos(2 * Double.pi))
        let step = 2 * Double.pi / 999
        #expect(x.scalars.enumerated().allSatisfy { $0.element == cos(Double($0.offset) * step) })
    }
}
