/// What the harness refuses to read or generate, so that a hostile or mistaken spec or
/// fixture costs an error message rather than the machine's memory or time. One value
/// carries every limit; `gen-fixtures` and `parity` raise each with a flag of the same
/// name (`--max-file-bytes`, ...; see <doc:Limits>).
///
/// The defaults are far above what the committed specs and fixtures need (the largest
/// fixture file is about 340 KB, the largest case has 768 input elements, JSON nests 8
/// levels, the longest array has 600 items, the largest model about 400 parameters).
public struct HarnessLimits: Sendable, Equatable {
    /// The largest spec or fixture file read, in bytes (checked with `stat` before
    /// reading, and again while reading). Default 64 MiB.
    public var maxFileBytes: Int
    /// The deepest nesting of JSON arrays and objects. Default 64.
    public var maxJSONDepth: Int
    /// The most items of one JSON array, or members of one JSON object. Default 1,000,000.
    public var maxJSONItems: Int
    /// The most elements of one tensor: an input (literal or generated), an output, a
    /// gradient. Every dimension is also at most this. Default 1,000,000.
    public var maxTensorElements: Int
    /// The most input elements of one case, summed over its inputs. Default 4,000,000.
    public var maxCaseElements: Int
    /// The most parameters (weights and biases) of a training case's model. Default 1,000,000.
    public var maxModelParameters: Int

    public init(maxFileBytes: Int = 64 << 20, maxJSONDepth: Int = 64, maxJSONItems: Int = 1_000_000,
                maxTensorElements: Int = 1_000_000, maxCaseElements: Int = 4_000_000, maxModelParameters: Int = 1_000_000) {
        self.maxFileBytes = maxFileBytes
        self.maxJSONDepth = maxJSONDepth
        self.maxJSONItems = maxJSONItems
        self.maxTensorElements = maxTensorElements
        self.maxCaseElements = maxCaseElements
        self.maxModelParameters = maxModelParameters
    }

    /// The defaults documented on each property.
    public static let `default` = HarnessLimits()

    /// The number of elements of `shape`, with checked arithmetic.
    /// - Throws: ``ParityError`` if the product of the dimensions overflows `Int`.
    public static func elementCount(_ shape: [Int]) throws(ParityError) -> Int {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw ParityError("shape \(shape) has more elements than an Int can count") }
            count = product
        }
        return count
    }

    /// The number of elements of `shape`, refusing a shape over ``maxTensorElements`` or
    /// with a dimension over it (a huge dimension beside a zero one still overflows strides).
    public func checkTensor(_ shape: [Int]) throws(ParityError) -> Int {
        if let dimension = shape.first(where: { $0 > maxTensorElements }) {
            throw ParityError("dimension \(dimension) of shape \(shape) is over the limit of \(maxTensorElements) elements per tensor (--max-tensor-elements)")
        }
        let count = try Self.elementCount(shape)
        guard count <= maxTensorElements else {
            throw ParityError("shape \(shape) has \(count) elements, over the limit of \(maxTensorElements) per tensor (--max-tensor-elements)")
        }
        return count
    }

    /// Checks every input shape of a case and their total.
    /// - Parameter inputs: the name and shape of each input.
    public func checkCase(_ inputs: [(name: String, shape: [Int])]) throws(ParityError) {
        var total = 0
        for (name, shape) in inputs {
            let count: Int
            do {
                count = try checkTensor(shape)
            } catch {
                throw ParityError(error.message, field: "inputs.\(name)")
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            total = sum
            guard !overflow, total <= maxCaseElements else {
                throw ParityError("the inputs have more than \(maxCaseElements) elements in all, the limit per case (--max-case-elements)",
                                  field: "inputs")
            }
        }
    }
}
