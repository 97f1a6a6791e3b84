/// How close a value must be to the reference: `|actual − expected| ≤ atol + rtol·|expected|`.
public struct Tolerance: Sendable, Equatable, CustomStringConvertible {
    public var rtol: Double
    public var atol: Double

    public init(rtol: Double, atol: Double) {
        self.rtol = rtol
        self.atol = atol
    }

    /// `torch.testing.assert_close`'s defaults: float64 rtol 1e-7, atol 1e-7;
    /// float32 rtol 1.3e-6, atol 1e-5; integers (int64) exact, as torch compares them.
    public static func `default`(for dtype: ScalarType) -> Tolerance {
        switch dtype {
        case .float64: Tolerance(rtol: 1e-7, atol: 1e-7)
        case .float32: Tolerance(rtol: 1.3e-6, atol: 1e-5)
        case .int64: Tolerance(rtol: 0, atol: 0)
        }
    }

    public var description: String { "rtol \(rtol), atol \(atol)" }

    package var json: JSONValue { .object([("rtol", .number(rtol)), ("atol", .number(atol))]) }
}

extension FieldReader {
    package func tolerance() throws(ParityError) -> Tolerance {
        _ = try members(allowed: ["rtol", "atol"])
        let rtol = try required("rtol").double(), atol = try required("atol").double()
        guard rtol >= 0, atol >= 0, rtol.isFinite, atol.isFinite else {
            throw error("rtol and atol must be finite and non-negative")
        }
        return Tolerance(rtol: rtol, atol: atol)
    }

    /// A case's dtype: float64 or float32 (int64 belongs to single inputs, not to a case).
    package func dtype() throws(ParityError) -> ScalarType {
        let name = try string()
        guard let dtype = ScalarType(rawValue: name), dtype.isFloatingPoint else {
            throw error("unknown dtype '\(name)' (expected float64 or float32; int64 is set on an input: "
                        + "{\"shape\": [...], \"data\": [...], \"dtype\": \"int64\"})")
        }
        return dtype
    }

    func order() throws(ParityError) -> Int {
        let order = try int()
        guard (1...3).contains(order) else { throw error("order must be 1, 2 or 3, not \(order)") }
        return order
    }
}
