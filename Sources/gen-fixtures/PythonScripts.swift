import Foundation
import PythonBridge

/// The Python files beside this one (`torch_ops.py`, `torch_training.py`,
/// `torch_opinfo.py`), loaded by path as modules of their own name: they are part of the
/// executable's source, not installed packages.
enum PythonScripts {
    /// Loads `NAME.py` from this directory as the module `NAME`.
    static func load(_ name: String) throws(PythonError) -> PythonObject {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("\(name).py").path
        let util = try Python.importModule("importlib.util")
        let spec = try util.attribute("spec_from_file_location").call([PythonObject(name), PythonObject(path)])
        guard !spec.isNone else {
            throw PythonError(typeName: "ImportError", message: "cannot load \(path)", traceback: nil)
        }
        let module = try util.attribute("module_from_spec").call([spec])
        _ = try spec.attribute("loader").callMethod("exec_module", [module])
        return module
    }
}
