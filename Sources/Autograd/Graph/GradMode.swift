import Synchronization

/// Whether operations record themselves in the graph. On by default.
///
/// Task-local, so it is safe under Swift concurrency: turning gradients off in one
/// task does not affect another.
public enum GradMode {
    @TaskLocal static var isEnabledValue = true

    /// How many scopes that turn recording off are running, in any task. While there are
    /// none, recording is on everywhere and the task-local value need not be looked up:
    /// the lookup was half the cost of recording an op on a 0-d tensor.
    static let disablingScopes = Atomic<Int>(0)

    /// `true` unless inside ``withNoGrad(_:)`` (or a non-`createGraph` backward pass).
    public static var isEnabled: Bool {
        disablingScopes.load(ordering: .acquiring) == 0 || isEnabledValue
    }
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
    // Counted before the value is bound and after it is unbound, so that a zero count
    // always means that no task has recording off.
    if !enabled { GradMode.disablingScopes.add(1, ordering: .sequentiallyConsistent) }
    defer { if !enabled { GradMode.disablingScopes.subtract(1, ordering: .sequentiallyConsistent) } }
    let result = GradMode.$isEnabledValue.withValue(enabled) { () -> Result<R, E> in
        do throws(E) { return .success(try body()) } catch { return .failure(error) }
    }
    return try result.get()
}
