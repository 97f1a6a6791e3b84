import CPython

/// A Python object, owning one strong reference to it.
///
/// A wrapper either adopts a new reference (the result of a C-API call that
/// returns one) or retains a borrowed one; either way it releases exactly that
/// one reference in `deinit`.
///
/// Not `Sendable`: create, use and drop Python objects only on the thread that
/// called ``Python/initialize(executable:)`` (it holds the GIL), and only after
/// that call has succeeded.
public final class PythonObject: CustomStringConvertible {
    /// The owned reference: one count held from `init` until `deinit`.
    ///
    /// Code that hands `pointer` to a C call keeps `self` alive across the call
    /// (`withExtendedLifetime`) whenever `self` is a local that is not used afterwards.
    let pointer: UnsafeMutablePointer<PyObject>

    /// Wraps a new reference, taking over its ownership (no retain).
    init(adopting pointer: UnsafeMutablePointer<PyObject>) {
        self.pointer = pointer
    }

    /// Wraps a borrowed reference, retaining it.
    init(retaining pointer: UnsafeMutablePointer<PyObject>) {
        swiftpy_incref(pointer)
        self.pointer = pointer
    }

    deinit {
        swiftpy_decref(pointer)
    }

    /// Adopts the new reference a C-API call returned, or throws (and clears) the
    /// pending Python exception if it returned NULL.
    static func adopt(
        _ result: UnsafeMutablePointer<PyObject>?, _ context: @autoclosure () -> String
    ) throws(PythonError) -> PythonObject {
        guard let result else { throw PythonError.fetch(context: context()) }
        return PythonObject(adopting: result)
    }

    /// Checks the new reference returned by a call that fails only when memory is
    /// exhausted, and returns it (still +1, for the caller to adopt or hand on).
    ///
    /// The "never fails" conversions use this: `MemoryError` is the one failure a
    /// Python float/int/str/list/tuple constructor has, and it stops the program.
    static func infallible(_ result: UnsafeMutablePointer<PyObject>?, _ context: String) -> UnsafeMutablePointer<PyObject> {
        guard let result else {
            let error = PythonError.fetch(context: context)
            fatalError("Python ran out of memory in \(context): \(error)")
        }
        return result
    }

    /// A new (+1) reference to the object, for a call that steals one.
    func retainedPointer() -> UnsafeMutablePointer<PyObject> {
        swiftpy_incref(pointer)
        return pointer
    }

    /// The name of the object's type, e.g. `"float"`, `"Tensor"` (tp_name; no Python code runs).
    var typeName: String {
        String(cString: swiftpy_type_name(pointer))
    }

    // MARK: Swift -> Python

    /// A Python `float` with exactly this value (including -0.0, infinities and NaN).
    public convenience init(_ value: Double) {
        self.init(adopting: PythonObject.infallible(PyFloat_FromDouble(value), "float()"))  // new reference
    }

    /// A Python `int` with this value.
    public convenience init(_ value: Int) {
        self.init(adopting: PythonObject.infallible(PyLong_FromLong(value), "int()"))  // new reference
    }

    /// Python's `True` or `False`.
    public convenience init(_ value: Bool) {
        self.init(adopting: PythonObject.infallible(PyBool_FromLong(value ? 1 : 0), "bool()"))  // new reference
    }

    /// A Python `str` with this text (embedded NUL characters included).
    public convenience init(_ value: String) {
        var value = value
        // A Swift String is always valid UTF-8, so decoding cannot fail. New reference.
        let object = value.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, $0.count) }
        }
        self.init(adopting: PythonObject.infallible(object, "str()"))
    }

    /// A Python `list` of these objects (each retained by the list).
    public static func list(_ items: [PythonObject]) -> PythonObject {
        let list = PythonObject(adopting: infallible(PyList_New(items.count), "list()"))  // new reference
        for (i, item) in items.enumerated() {
            swiftpy_list_set_item(list.pointer, i, item.retainedPointer())  // steals the +1
        }
        return list
    }

    /// A Python `tuple` of these objects (each retained by the tuple).
    public static func tuple(_ items: [PythonObject]) -> PythonObject {
        let tuple = PythonObject(adopting: infallible(PyTuple_New(items.count), "tuple()"))  // new reference
        for (i, item) in items.enumerated() {
            swiftpy_tuple_set_item(tuple.pointer, i, item.retainedPointer())  // steals the +1
        }
        return tuple
    }

    /// A Python `list` of `float`s with exactly these values, built without
    /// intermediate wrappers.
    public static func floatList(_ values: [Double]) -> PythonObject {
        let list = PythonObject(adopting: infallible(PyList_New(values.count), "list()"))  // new reference
        for (i, value) in values.enumerated() {
            // PyFloat_FromDouble: new reference, which SET_ITEM steals.
            swiftpy_list_set_item(list.pointer, i, infallible(PyFloat_FromDouble(value), "float()"))
        }
        return list
    }

    /// Python's `None`.
    public static var none: PythonObject {
        PythonObject(retaining: swiftpy_none())  // Py_None is a borrowed reference
    }

    /// Whether this is Python's `None`.
    public var isNone: Bool {
        pointer == swiftpy_none()
    }

    // MARK: Attributes and calls

    /// `getattr(self, name)`; throws the `AttributeError` (or whatever the lookup raises).
    public func attribute(_ name: String) throws(PythonError) -> PythonObject {
        // An interned name (new reference) hits CPython's attribute cache, which
        // compares names by identity; a fresh str each time would always miss it.
        let key = try PythonObject.adopt(PyUnicode_InternFromString(name), "str(\(name))")
        return try withExtendedLifetime(key) { () throws(PythonError) in
            // PyObject_GetAttr: new reference, NULL on error; borrows both arguments.
            try PythonObject.adopt(PyObject_GetAttr(pointer, key.pointer), "getattr(\(typeName), \(name))")
        }
    }

    /// `self(*args, **keywords)`; throws whatever the call raises.
    public func call(
        _ args: [PythonObject] = [], keywords: [(String, PythonObject)] = []
    ) throws(PythonError) -> PythonObject {
        let argTuple = PythonObject.tuple(args)
        let kwargs = keywords.isEmpty ? nil : try PythonObject.adopt(PyDict_New(), "dict()")  // new reference
        if let kwargs {
            for (key, value) in keywords {
                // PyDict_SetItemString: borrows `value` (the dict takes its own reference); 0 or -1.
                if PyDict_SetItemString(kwargs.pointer, key, value.pointer) != 0 {
                    throw PythonError.fetch(context: "setting keyword \(key)")
                }
            }
        }
        return try withExtendedLifetime((argTuple, kwargs)) { () throws(PythonError) in
            // PyObject_Call: new reference, NULL on error; borrows all three arguments.
            try PythonObject.adopt(PyObject_Call(pointer, argTuple.pointer, kwargs?.pointer), "calling a \(typeName)")
        }
    }

    /// `getattr(self, name)(*args, **keywords)`.
    public func callMethod(
        _ name: String, _ args: [PythonObject] = [], keywords: [(String, PythonObject)] = []
    ) throws(PythonError) -> PythonObject {
        try attribute(name).call(args, keywords: keywords)
    }

    // MARK: Python -> Swift

    /// `str(self)`; if that raises, `repr(self)`; if that raises too, `<TypeName object>`.
    /// Leaves no exception pending.
    public var description: String {
        for conversion in [PyObject_Str, PyObject_Repr] {
            if let text = conversion(pointer) {  // new reference
                defer { swiftpy_decref(text) }
                if let string = pythonString(text) { return string }
            } else {
                PyErr_Clear()
            }
        }
        return "<\(typeName) object>"
    }

    /// The value as a `Double`, as `PyFloat_AsDouble` (Python's `float(x)` for
    /// numbers) gives it: a `float` exactly, an `int` correctly rounded, or any
    /// object with `__float__`/`__index__` (a one-element tensor, a numpy scalar).
    /// Throws a conversion error ("expected float, got str (TypeError: ...)") otherwise.
    public func toDouble() throws(PythonError) -> Double {
        if swiftpy_float_check_exact(pointer) != 0 { return swiftpy_float_as_double(pointer) }
        let value = PyFloat_AsDouble(pointer)
        if value == -1, PyErr_Occurred() != nil {
            throw PythonError.conversion(expected: "float", actual: typeName, reason: PythonError.fetch(context: "float()").summary)
        }
        return value
    }

    /// The value as an `Int` (`PyLong_AsLong`: an `int`, a `bool`, or an object
    /// with `__index__`). Throws a conversion error for other types ("expected int,
    /// got float (...)") and for ints outside `Int`'s range ("(OverflowError: ...)").
    public func toInt() throws(PythonError) -> Int {
        let value = PyLong_AsLong(pointer)
        if value == -1, PyErr_Occurred() != nil {
            throw PythonError.conversion(expected: "int", actual: typeName, reason: PythonError.fetch(context: "int()").summary)
        }
        return value
    }

    /// The object's truthiness, `bool(self)`; throws what `__bool__`/`__len__` raises
    /// (e.g. numpy's "The truth value of an array ... is ambiguous").
    public func toBool() throws(PythonError) -> Bool {
        switch PyObject_IsTrue(pointer) {
        case 0: return false
        case 1: return true
        default: throw PythonError.fetch(context: "bool()")
        }
    }

    /// `str(self)` as a Swift `String`; throws what `__str__` raises, or a
    /// conversion error if the text cannot be encoded as UTF-8 (lone surrogates).
    public func toString() throws(PythonError) -> String {
        let text = try PythonObject.adopt(PyObject_Str(pointer), "str()")  // new reference
        let string = withExtendedLifetime(text) { pythonString(text.pointer) }
        guard let string else {
            throw PythonError.conversion(expected: "str encodable as UTF-8", actual: "str with lone surrogates")
        }
        return string
    }

    /// The items of any iterable (list, tuple, `torch.Size`, range, generator, ...),
    /// each wrapped with its own reference. Throws a conversion error for a
    /// non-iterable ("expected an iterable, got int (...)").
    public func toArray() throws(PythonError) -> [PythonObject] {
        let sequence = try fastSequence()
        return try withExtendedLifetime(sequence) { () throws(PythonError) in
            let count = swiftpy_fast_size(sequence.pointer)
            var result: [PythonObject] = []
            result.reserveCapacity(count)
            // No Python code runs in this loop, so the list/tuple cannot change under it.
            for i in 0..<count {
                guard let items = swiftpy_fast_items(sequence.pointer), let item = items[i] else {
                    throw PythonError.conversion(expected: "an iterable", actual: "\(typeName) with a NULL item")
                }
                result.append(PythonObject(retaining: item))  // borrowed item: retain it
            }
            return result
        }
    }

    /// The items of a list/tuple/iterable of numbers as `Double`s, without
    /// wrapping each one: `float`s bit-identical, `int`s correctly rounded, other
    /// numbers via `__float__`. Throws a conversion error naming the index and type
    /// of the first item that is not a number ("expected float at index 2, got str (...)").
    public func toDoubles() throws(PythonError) -> [Double] {
        let sequence = try fastSequence()
        return try withExtendedLifetime(sequence) { () throws(PythonError) in
            var result: [Double] = []
            result.reserveCapacity(swiftpy_fast_size(sequence.pointer))
            var i = 0
            // Size and item array are re-read at every step: `__float__` of an item
            // runs Python code, which may change the list.
            while i < swiftpy_fast_size(sequence.pointer) {
                guard let items = swiftpy_fast_items(sequence.pointer), let item = items[i] else {
                    throw PythonError.conversion(expected: "a sequence of numbers", actual: "\(typeName) with a NULL item")
                }
                if swiftpy_float_check_exact(item) != 0 {
                    result.append(swiftpy_float_as_double(item))
                } else {
                    let element = PythonObject(retaining: item)  // keep it alive while __float__ runs
                    let value = withExtendedLifetime(element) { PyFloat_AsDouble(element.pointer) }
                    if value == -1, PyErr_Occurred() != nil {
                        throw PythonError.conversion(
                            expected: "float at index \(i)", actual: element.typeName,
                            reason: PythonError.fetch(context: "float()").summary)
                    }
                    result.append(value)
                }
                i += 1
            }
            return result
        }
    }

    /// `PySequence_Fast(self)`: the object itself if it is a list or tuple, else
    /// `list(self)`; a new reference either way.
    private func fastSequence() throws(PythonError) -> PythonObject {
        guard let sequence = PySequence_Fast(pointer, "not iterable") else {
            throw PythonError.conversion(
                expected: "an iterable", actual: typeName, reason: PythonError.fetch(context: "list()").summary)
        }
        return PythonObject(adopting: sequence)
    }
}
