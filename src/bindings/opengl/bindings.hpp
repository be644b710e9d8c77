// SPDX-License-Identifier: Apache-2.0
#pragma once
// Registration of the _opengl binding areas.

#include <pybind11/pybind11.h>

namespace cuda_interop::opengl::bindings {

void init_context(pybind11::module_& m);
void init_memory(pybind11::module_& m);
void init_semaphore(pybind11::module_& m);

}  // namespace cuda_interop::opengl::bindings
