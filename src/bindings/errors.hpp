// SPDX-License-Identifier: Apache-2.0
#pragma once
// Translates the core's C++ errors into the Python exceptions of cuda_interop._core.

#include <pybind11/pybind11.h>

namespace cuda_interop::bindings {

/// Creates CudaError, ClosedError, NotSupportedError in `core` (the _core module only).
void define_errors(pybind11::module_& core);

/// Registers a translator local to `module`. Every extension module calls this: a translator
/// must live in the module whose copy of the core throws.
void register_error_translator(pybind11::module_& module);

/// Routes the core's teardown warnings to Python's `warnings` (ResourceWarning), and lets Ctrl-C
/// interrupt the core's long waits (KeyboardInterrupt).
void route_warnings_to_python();

}  // namespace cuda_interop::bindings
