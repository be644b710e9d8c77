// SPDX-License-Identifier: Apache-2.0
#pragma once
// Binding areas of cuda_interop._d3d12, one per core header.

#include <pybind11/pybind11.h>

#include <cstdint>

namespace cuda_interop::bindings::d3d12 {

void init_device(pybind11::module_& m);
void init_heap(pybind11::module_& m);
void init_resource(pybind11::module_& m);
void init_fence(pybind11::module_& m);
void init_transfer(pybind11::module_& m);

/// NT handles cross into Python as ints, owned by the caller.
inline std::uintptr_t handle_to_int(void* handle) { return reinterpret_cast<std::uintptr_t>(handle); }

}  // namespace cuda_interop::bindings::d3d12
