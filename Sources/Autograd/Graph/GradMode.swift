import Synchronization

/// Whether operations record themselves in the graph. On by default.
///
/// A task-local value, as torch's grad mode is a thread-local one: turning recording
/// off in one task does not affect another. ``withNoGrad(_:)`` turns it off for its body,
/// for the body's child tasks, and for the unstructured `Task`s created in the body (for
/// as long as they run, also after the body has returned): they inherit the setting as
/// they inherit every task-local value. `Task.detached`, threads and Dispatch queues start
/// with recording on.
public enum GradMode {
    /// A binding of the task-local setting. While one that turns recording off exists
    /// (held by a running `withNoGrad` body or by a task that inherited it), the
    /// task-local value must be looked up; while none does, recording is on everywhere.
    final class Setting: Sendable {
        let isEnabled: Bool

        init(isEnabled: Bool) {
            self.isEnabled = isEnabled
            if !isEnabled { GradMode.disablingSettings.add(1, ordering: .sequentiallyConsistent) }
        }

        deinit {
            if !isEnabled { GradMode.disablingSettings.subtract(1, ordering: .sequentiallyConsistent) }
        }
    }

    @TaskLocal static var setting: Setting?

    /// The one setting that turns recording on (it needs no counting).
    static let enabling = Setting(isEnabled: true)

    /// How many settings that turn recording off are alive, in any task. While there
    /// are none, `isEnabled` need not look up the task-local value: the lookup was half
    /// the cost of recording an op on a 0-d tensor. A setting is counted from before it
    /// is bound until after the last task holding it has let it go, so a zero count
    /// always means that no task has recording off.
    static let disablingSettings = Atomic<Int>(0)

    /// `true` unless inside ``withNoGrad(_:)`` (or a non-`createGraph` backward pass).
    public static var isEnabled: Bool {
        disablingSettings.load(ordering: .acquiring) == 0 || (setting?.isEnabled ?? true)
    }
}

/// Runs `body` with graph recording off: results have no `creator` and do not require
/// gradients, as under torch's `no_grad()` or DeZero's `no_grad()`.
///
/// ```swift
/// let y = withNoGrad { sigmoid(x) }   // y.creator == nil
/// ```
///
/// The setting is task-local (see ``GradMode``): it reaches the body's child tasks and
/// the `Task`s created in it, not other threads or detached tasks.
public func withNoGrad<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try withGradMode(false, body)
}

/// Runs `body` with graph recording on or off.
func withGradMode<R, E: Error>(_ enabled: Bool, _ body: () throws(E) -> R) throws(E) -> R {
    let setting = enabled ? GradMode.enabling : GradMode.Setting(isEnabled: false)
    let result = GradMode.$setting.withValue(setting) { () -> Result<R, E> in
        do throws(E) { return .success(try body()) } catch { return .failure(error) }
    }
    return try result.get()
}
