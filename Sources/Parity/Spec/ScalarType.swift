/// The element type of a case or of one of its tensors, as torch names it (`torch.float64`,
/// `torch.float32`, `torch.int64`).
///
/// The harness keeps every value as `Double` (``HostTensor``); this says what a backend
/// must turn it into. A case runs in ``float64`` or ``float32``; a single input may be
/// ``int64`` (class labels, indices), whatever the case's type.
public enum ScalarType: String, Sendable, CaseIterable, CustomStringConvertible {
    case float64
    case float32
    /// 64-bit signed integers (torch's `torch.long`): never differentiated.
    case int64

    public var description: String { rawValue }

    /// Whether values of this type are floating-point numbers (and so take gradients).
    public var isFloatingPoint: Bool { self != .int64 }
}
