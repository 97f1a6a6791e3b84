import Foundation

/// Which Python (and so which torch) this project's tools embed.
public enum PythonLocation {
    /// `explicit` if given (a `--python` flag), else `$AUTOGRAD_PYTHON`, else the venv that
    /// `tools/setup.sh` makes: `$AUTOGRAD_VENV`, default `$XDG_CACHE_HOME` (or `~/.cache`)
    /// `/swift-autograd/torch-venv`, and its `bin/python`.
    public static func resolve(explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let chosen = environment["AUTOGRAD_PYTHON"] { return chosen }
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        let venv = environment["AUTOGRAD_VENV"] ?? cache + "/swift-autograd/torch-venv"
        return venv + "/bin/python"
    }

    /// What to tell a user whose Python or torch is missing.
    public static let setupAdvice = "run `bash tools/setup.sh`, or pass --python / set AUTOGRAD_PYTHON"
}
