// SPDX-License-Identifier: Apache-2.0
#pragma once
// Translates the core's C++ errors into the Python exceptions of cuda_interop._core.

#include <pybind11/pybind11.h>

#include <initializer_list>

namespace cuda_interop::bindings {

/// A read-only attribute of an exception class: `name` reads what the translator stored in
/// `_<name>` (0 or "" where nothing was).
struct ErrorAttribute {
  const char* name;
  bool is_int;  // int, else str
  const char* doc;
};

/// A new exception class `name` in `module` deriving from cuda_interop._core.Error and `builtin`
/// (from Exception alone where `builtin` is null: Error itself), with `attributes`.
pybind11::object new_error_type(pybind11::module_& module, const char* name, PyObject* builtin,
                                const char* doc, std::initializer_list<ErrorAttribute> attributes);

/// Creates Error, CudaError, ClosedError, NotSupportedError in `core` (the _core module only).
void define_errors(pybind11::module_& core);

/// Registers a translator local to `module`. Every extension module calls this: a translator
/// must live in the module whose copy of the core throws.
void register_error_translator(pybind11::module_& module);

/// Routes the core's teardown warnings to Python's `warnings` (ResourceWarning), and lets Ctrl-C
/// interrupt the core's long waits (KeyboardInterrupt).
void route_warnings_to_python();

}  // namespace cuda_interop::bindings
