/// Whether operations record themselves in the graph. On by default.
///
/// Task-local, so it is safe under Swift concurrency: turning gradients off in one
/// task does not affect another.
public enum GradMode {
    @TaskLocal static var isEnabledValue = true

    /// `true` unless inside ``withNoGrad(_:)`` (or a non-`createGraph` backward pass).
    public static var isEnabled: Bool { isEnabledValue }
}

/// Runs `body` with graph recording off: results have no `creator` and do not require
/// gradients, as under torch's `no_grad()` or DeZero's `no_grad()`.
///
/// ```swift
/// let y = withNoGrad { sigmoid(x) }   // y.creator == nil
/// ```
public func withNoGrad<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try withGradMode(false, body)
}

/// Runs `body` with graph recording on or off.
func withGradMode<R, E: Error>(_ enabled: Bool, _ body: () throws(E) -> R) throws(E) -> R {
    let result = GradMode.$isEnabledValue.withValue(enabled) { () -> Result<R, E> in
        do throws(E) { return .success(try body()) } catch { return .failure(error) }
    }
    return try result.get()
}
