// SPDX-License-Identifier: Apache-2.0
#include <pybind11/pybind11.h>

#include <cstdint>

#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/os_handle.hpp"
#include "errors.hpp"
#include "module.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_d3d12, m) {
  m.doc() = "Direct3D 12 producer of cuda_interop (Windows only); use cuda_interop.d3d12.";
  cuda_interop::bindings::register_error_translator(m);
  cuda_interop::bindings::d3d12::init_device(m);
  cuda_interop::bindings::d3d12::init_heap(m);
  cuda_interop::bindings::d3d12::init_resource(m);
  cuda_interop::bindings::d3d12::init_fence(m);
  cuda_interop::bindings::d3d12::init_transfer(m);
  // Python sees HRESULTs both as unsigned (0x80004001) and as OSError.errno (signed): take either.
  m.def("hresult_name", [](std::int64_t hresult) {
    const auto bits = static_cast<std::uint32_t>(hresult & 0xFFFFFFFF);
    return cuda_interop::d3d12::hresult_name(static_cast<long>(static_cast<std::int32_t>(bits)));
  }, py::arg("hresult"), "Symbolic name of a known HRESULT, else ''.");
  m.def(
      "close_handle",
      [](std::uintptr_t handle) { cuda_interop::close_win32_handle(reinterpret_cast<void*>(handle)); },
      py::arg("handle"), "CloseHandle; OSError on failure.");
}
