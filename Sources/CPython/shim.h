// Shim over Python.h for the CPython system-library target.
//
// Order matters: glibc's headers must be seen before Python.h. With Python.h
// first, the Swift build fails on fd_set ("'__fds_bits' from module 'CDispatch'
// is not present in definition of 'fd_set' in module 'CPython'").
#ifndef SWIFT_AUTOGRAD_CPYTHON_SHIM_H
#define SWIFT_AUTOGRAD_CPYTHON_SHIM_H

#include <features.h>
#include <stdio.h>
#include <sys/select.h>

#define PY_SSIZE_T_CLEAN
#include <Python.h>

// Swift does not import macro objects (Py_None) or function-like macros
// (PyList_SET_ITEM, PyFloat_AS_DOUBLE, ...). These helpers wrap them.
// Reference semantics are stated on each one.

/// Py_None. Borrowed reference.
static inline PyObject *swiftpy_none(void) { return Py_None; }

/// Py_INCREF / Py_DECREF (static inline functions behind same-named macros in 3.11).
static inline void swiftpy_incref(PyObject *o) { Py_INCREF(o); }
static inline void swiftpy_decref(PyObject *o) { Py_DECREF(o); }

/// The reference count of o (Py_REFCNT).
static inline Py_ssize_t swiftpy_refcnt(PyObject *o) { return Py_REFCNT(o); }

/// Py_TYPE(o)->tp_name: a C string owned by the type object (borrowed).
static inline const char *swiftpy_type_name(PyObject *o) { return Py_TYPE(o)->tp_name; }

/// PyFloat_CheckExact(o).
static inline int swiftpy_float_check_exact(PyObject *o) { return PyFloat_CheckExact(o); }

/// PyFloat_AS_DOUBLE(o): o must be a float (no check, no error).
static inline double swiftpy_float_as_double(PyObject *o) { return PyFloat_AS_DOUBLE(o); }

/// PyList_SET_ITEM(list, i, item): steals the reference to item; only for filling a fresh list.
static inline void swiftpy_list_set_item(PyObject *list, Py_ssize_t i, PyObject *item) {
    PyList_SET_ITEM(list, i, item);
}

/// PyTuple_SET_ITEM(tuple, i, item): steals the reference to item; only for filling a fresh tuple.
static inline void swiftpy_tuple_set_item(PyObject *tuple, Py_ssize_t i, PyObject *item) {
    PyTuple_SET_ITEM(tuple, i, item);
}

/// PySequence_Fast_GET_SIZE(o): o must be a result of PySequence_Fast (a list or tuple).
static inline Py_ssize_t swiftpy_fast_size(PyObject *o) { return PySequence_Fast_GET_SIZE(o); }

/// PySequence_Fast_ITEMS(o): the item array (borrowed references, valid while o is alive and unchanged).
static inline PyObject **swiftpy_fast_items(PyObject *o) { return PySequence_Fast_ITEMS(o); }

#endif
