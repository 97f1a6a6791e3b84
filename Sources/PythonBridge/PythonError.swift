import CPython

/// An error from the Python bridge.
///
/// Either a Python exception that was raised (its type name, `str()` of the
/// exception, and the formatted traceback when there is one), or a failure of
/// the bridge itself: the interpreter could not start
/// (``initializationErrorType``) or a value did not have the type a conversion
/// expected (``conversionErrorType``, message e.g. `"expected float, got str"`).
public struct PythonError: Error, CustomStringConvertible, Sendable {
    /// The exception's type name (`"ValueError"`, `"ModuleNotFoundError"`), or
    /// ``initializationErrorType`` / ``conversionErrorType`` for bridge failures.
    public var typeName: String
    /// `str()` of the exception, or the bridge's explanation.
    public var message: String
    /// The traceback as formatted by `traceback.format_exception` (it ends with
    /// the `"Type: message"` line), when the exception carried one; else `nil`.
    public var traceback: String?

    /// `typeName` of an error raised when the interpreter cannot start.
    public static let initializationErrorType = "PythonInitializationError"
    /// `typeName` of an error raised when a Python value cannot be converted to
    /// the requested Swift type.
    public static let conversionErrorType = "PythonConversionError"

    /// Creates an error from its parts.
    public init(typeName: String, message: String, traceback: String? = nil) {
        self.typeName = typeName
        self.message = message
        self.traceback = traceback
    }

    /// `"TypeName: message"`, followed by the traceback on the next lines when present.
    public var description: String {
        let head = message.isEmpty ? typeName : "\(typeName): \(message)"
        guard let traceback, !traceback.isEmpty else { return head }
        return head + "\n" + traceback
    }

    /// A conversion failure: "expected `expected`, got `actual`", with the
    /// Python-side reason appended when there was one.
    static func conversion(expected: String, actual: String, reason: String? = nil) -> PythonError {
        var message = "expected \(expected), got \(actual)"
        if let reason, !reason.isEmpty { message += " (\(reason))" }
        return PythonError(typeName: conversionErrorType, message: message)
    }

    /// Takes the pending Python exception, leaving none pending, and describes it.
    ///
    /// Call only right after a C-API call reported failure (NULL or -1). If no
    /// exception is pending, returns a `SystemError` naming `context`.
    static func fetch(context: String) -> PythonError {
        // PyErr_Fetch: new references (each may be NULL); clears the indicator.
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var tb: UnsafeMutablePointer<PyObject>?
        PyErr_Fetch(&type, &value, &tb)
        defer {
            pyXDecref(type)
            pyXDecref(value)
            pyXDecref(tb)
        }
        guard type != nil else {
            return PythonError(typeName: "SystemError", message: "\(context) failed without setting a Python exception")
        }
        // Replaces the three references with normalized ones (value an exception instance).
        PyErr_NormalizeException(&type, &value, &tb)
        if let value, let tb {
            _ = PyException_SetTraceback(value, tb)  // does not steal; 0 or -1
        }
        PyErr_Clear()

        var typeName = "UnknownException"
        if let type {
            if PyType_Check(type) != 0, let name = PyType_GetName(PyTypeObjectPointer(type)) {  // new reference
                typeName = pythonString(name) ?? typeName
                swiftpy_decref(name)
            }
        }
        PyErr_Clear()

        var message = ""
        if let value {
            if let text = PyObject_Str(value) {  // new reference
                message = pythonString(text) ?? "<str() of the exception failed>"
                swiftpy_decref(text)
            } else {
                message = "<str() of the exception failed>"
            }
        }
        PyErr_Clear()

        return PythonError(typeName: typeName, message: message, traceback: formatTraceback(type, value, tb))
    }

    /// `"".join(traceback.format_exception(type, value, tb))`, or nil when there is
    /// neither a traceback nor a chained exception, or formatting fails. Leaves no
    /// exception pending. All three arguments are borrowed.
    private static func formatTraceback(
        _ type: UnsafeMutablePointer<PyObject>?,
        _ value: UnsafeMutablePointer<PyObject>?,
        _ tb: UnsafeMutablePointer<PyObject>?
    ) -> String? {
        guard let type, let value else { return nil }
        var chained = false
        if let cause = PyException_GetCause(value) { chained = true; swiftpy_decref(cause) }        // new reference
        if let context = PyException_GetContext(value) { chained = true; swiftpy_decref(context) }  // new reference
        guard tb != nil || chained else { return nil }

        defer { PyErr_Clear() }
        guard let module = PyImport_ImportModule("traceback") else { return nil }  // new reference
        defer { swiftpy_decref(module) }
        guard let format = PyObject_GetAttrString(module, "format_exception") else { return nil }  // new reference
        defer { swiftpy_decref(format) }
        guard let args = PyTuple_New(3) else { return nil }  // new reference
        defer { swiftpy_decref(args) }
        let tbOrNone = tb ?? swiftpy_none()
        for (i, item) in [type, value, tbOrNone].enumerated() {
            swiftpy_incref(item)  // SET_ITEM steals
            swiftpy_tuple_set_item(args, i, item)
        }
        guard let lines = PyObject_Call(format, args, nil) else { return nil }  // new reference
        defer { swiftpy_decref(lines) }
        guard let empty = PyUnicode_FromString("") else { return nil }  // new reference
        defer { swiftpy_decref(empty) }
        guard let joined = PyUnicode_Join(empty, lines) else { return nil }  // new reference
        defer { swiftpy_decref(joined) }
        return pythonString(joined).map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
    }
}

/// Py_XDECREF for an optional pointer.
@inline(__always)
func pyXDecref(_ object: UnsafeMutablePointer<PyObject>?) {
    if let object { swiftpy_decref(object) }
}

/// Reinterprets a PyObject pointer known to be a type object.
@inline(__always)
func PyTypeObjectPointer(_ object: UnsafeMutablePointer<PyObject>) -> UnsafeMutablePointer<PyTypeObject> {
    UnsafeMutableRawPointer(object).assumingMemoryBound(to: PyTypeObject.self)
}

/// The UTF-8 contents of a Python `str` (borrowed), or nil (exception cleared) if
/// it is not a str or cannot be encoded (lone surrogates).
func pythonString(_ object: UnsafeMutablePointer<PyObject>) -> String? {
    var size: Py_ssize_t = 0
    // Borrowed buffer owned by `object`, valid while it lives.
    guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else {
        PyErr_Clear()
        return nil
    }
    return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
    }
}

extension PythonError {
    /// `"TypeName: message"` without the traceback, for embedding in another message.
    var summary: String {
        message.isEmpty ? typeName : "\(typeName): \(message)"
    }
}
