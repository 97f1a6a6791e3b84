import CPython
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded CPython interpreter (one per process).
///
/// Threading: ``initialize(executable:)`` leaves the GIL held by the thread that
/// called it, and the bridge never releases it. Every Python call — including
/// creating, using and dropping a ``PythonObject`` — must come from that same
/// thread. Swift concurrency (async functions, tasks, Swift Testing's parallel
/// tests) hops threads, so code that uses Python from there must route all
/// calls through one dedicated thread.
///
/// The interpreter is never finalized: numpy and torch cannot be loaded again
/// into a restarted interpreter.
public enum Python {
    /// Process-global lifecycle state.
    private enum State: Sendable {
        case uninitialized
        /// Started, behaving as this executable (nil: Python's default).
        case running(executable: String?)
        /// `Py_InitializeFromConfig` failed; a half-started interpreter is not retried.
        case failed(PythonError)
    }

    private static let state = Mutex<State>(.uninitialized)

    /// Starts the embedded interpreter, once per process.
    ///
    /// - Parameter executable: the Python to behave as, e.g. a venv's `bin/python`:
    ///   Python then finds the venv's `pyvenv.cfg` next to it, and `sys.path` holds
    ///   that venv's site-packages (and the stdlib of the Python the venv was
    ///   made from). `nil` lets Python choose: it looks up `python3` on `PATH` for
    ///   `sys.executable` (which may be a pyenv shim) and falls back to the
    ///   linked libpython's built-in prefix (`/usr` for Debian's).
    /// - Throws: a ``PythonError`` with `typeName` ``PythonError/initializationErrorType``
    ///   if the executable does not exist ("no Python at /x/bin/python"), if Python
    ///   fails to start, or if it already runs with another executable. Calling it
    ///   again with the same executable does nothing.
    ///
    /// Python's signal handlers are not installed, so Ctrl-C still stops the program.
    public static func initialize(executable: String?) throws(PythonError) {
        if let executable, !isExecutableFile(executable) {
            throw PythonError(typeName: PythonError.initializationErrorType, message: "no Python at \(executable)")
        }
        try state.withLock { (state: inout State) throws(PythonError) in
            switch state {
            case .running(let current):
                if current == executable { return }
                throw PythonError(
                    typeName: PythonError.initializationErrorType,
                    message: "Python already runs as \(current ?? "its default executable") in this process; "
                        + "it cannot be restarted as \(executable ?? "its default executable")")
            case .failed(let earlier):
                throw PythonError(
                    typeName: PythonError.initializationErrorType,
                    message: "Python failed to start earlier in this process: \(earlier.message)")
            case .uninitialized:
                break
            }
            if Py_IsInitialized() != 0 {
                throw PythonError(
                    typeName: PythonError.initializationErrorType,
                    message: "Python was already started in this process outside PythonBridge")
            }
            var config = try configuration(executable: executable)
            defer { PyConfig_Clear(&config) }
            do throws(PythonError) {
                try check(Py_InitializeFromConfig(&config), doing: "starting Python")
                state = .running(executable: executable)
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    /// `import name`: the module object. A missing module throws a ``PythonError``
    /// with `typeName` `"ModuleNotFoundError"`; errors while importing surface as raised.
    public static func importModule(_ name: String) throws(PythonError) -> PythonObject {
        try requireRunning()
        // PyImport_ImportModule: new reference, NULL on error.
        return try PythonObject.adopt(PyImport_ImportModule(name), "import \(name)")
    }

    /// The interpreter's version, the first word of `sys.version` (e.g. `"3.11.2"`):
    /// the version of the linked libpython.
    public static var version: String {
        // Py_GetVersion: a static C string, "3.11.2 (main, ...) [GCC ...]".
        let full = String(cString: Py_GetVersion())
        return full.split(separator: " ", maxSplits: 1).first.map(String.init) ?? full
    }

    /// `sys.executable` once the interpreter runs (e.g. the venv's `bin/python`), else nil.
    public static var executable: String? {
        guard isRunning else { return nil }
        // PySys_GetObject: borrowed reference, NULL (no exception set) if missing.
        guard let object = PySys_GetObject("executable") else { return nil }
        return pythonString(object)
    }

    // MARK: Internals

    private static var isRunning: Bool {
        state.withLock { if case .running = $0 { true } else { false } }
    }

    private static func requireRunning() throws(PythonError) {
        guard isRunning else {
            throw PythonError(
                typeName: PythonError.initializationErrorType,
                message: "Python is not running: call Python.initialize(executable:) first")
        }
    }

    /// Whether `path` names an existing regular file this process may execute.
    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// Python's default configuration, except that `executable` is set (when
    /// given), no signal handlers are installed and the process's command line is
    /// not parsed. The caller must `PyConfig_Clear` the result.
    private static func configuration(executable: String?) throws(PythonError) -> PyConfig {
        var config = PyConfig()
        PyConfig_InitPythonConfig(&config)
        config.install_signal_handlers = 0
        config.parse_argv = 0
        guard let executable else { return config }

        // PyConfig_SetBytesString(config, &config->executable, path) decodes the
        // path with the locale encoding into a wide string owned by `config`.
        // (Passing `&config` and `&config.executable` at once would be an
        // overlapping access in Swift, hence the field's offset.)
        guard let fieldOffset = MemoryLayout<PyConfig>.offset(of: \PyConfig.executable) else {
            PyConfig_Clear(&config)
            throw PythonError(typeName: PythonError.initializationErrorType, message: "PyConfig.executable has no offset")
        }
        let status = withUnsafeMutablePointer(to: &config) { configPointer in
            let field = UnsafeMutableRawPointer(configPointer).advanced(by: fieldOffset)
                .assumingMemoryBound(to: UnsafeMutablePointer<wchar_t>?.self)
            return PyConfig_SetBytesString(configPointer, field, executable)
        }
        do throws(PythonError) {
            try check(status, doing: "setting PyConfig.executable to \(executable)")
        } catch {
            PyConfig_Clear(&config)
            throw error
        }
        return config
    }

    /// Throws if a `PyStatus` reports an error or an exit request.
    private static func check(_ status: PyStatus, doing what: String) throws(PythonError) {
        guard PyStatus_Exception(status) != 0 else { return }
        var message = "\(what) failed"
        if PyStatus_IsExit(status) != 0 {
            message += ": Python asked to exit with code \(status.exitcode)"
        }
        if let function = status.func {
            message += ": \(String(cString: function))"
        }
        if let detail = status.err_msg {
            message += ": \(String(cString: detail))"
        }
        throw PythonError(typeName: PythonError.initializationErrorType, message: message)
    }
}
