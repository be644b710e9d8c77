// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/handle_types.hpp"

#include <pybind11/pybind11.h>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_handle_types(py::module_& m) {
  py::enum_<MemoryHandleType>(m, "MemoryHandleType",
                              "cudaExternalMemoryHandleType, with CUDA's values.")
      .value("OPAQUE_FD", MemoryHandleType::OpaqueFd)
      .value("OPAQUE_WIN32", MemoryHandleType::OpaqueWin32)
      .value("OPAQUE_WIN32_KMT", MemoryHandleType::OpaqueWin32Kmt)
      .value("D3D12_HEAP", MemoryHandleType::D3D12Heap)
      .value("D3D12_RESOURCE", MemoryHandleType::D3D12Resource)
      .value("D3D11_RESOURCE", MemoryHandleType::D3D11Resource)
      .value("D3D11_RESOURCE_KMT", MemoryHandleType::D3D11ResourceKmt)
      .value("NVSCIBUF", MemoryHandleType::NvSciBuf);
  py::enum_<SemaphoreHandleType>(m, "SemaphoreHandleType",
                                 "cudaExternalSemaphoreHandleType, with CUDA's values.")
      .value("OPAQUE_FD", SemaphoreHandleType::OpaqueFd)
      .value("OPAQUE_WIN32", SemaphoreHandleType::OpaqueWin32)
      .value("OPAQUE_WIN32_KMT", SemaphoreHandleType::OpaqueWin32Kmt)
      .value("D3D12_FENCE", SemaphoreHandleType::D3D12Fence)
      .value("D3D11_FENCE", SemaphoreHandleType::D3D11Fence)
      .value("NVSCISYNC", SemaphoreHandleType::NvSciSync)
      .value("KEYED_MUTEX", SemaphoreHandleType::KeyedMutex)
      .value("KEYED_MUTEX_KMT", SemaphoreHandleType::KeyedMutexKmt)
      .value("TIMELINE_SEMAPHORE_FD", SemaphoreHandleType::TimelineSemaphoreFd)
      .value("TIMELINE_SEMAPHORE_WIN32", SemaphoreHandleType::TimelineSemaphoreWin32);
  py::enum_<SemaphoreKind>(m, "SemaphoreKind", "What a semaphore's signal or wait value means.")
      .value("BINARY", SemaphoreKind::Binary)
      .value("FENCE", SemaphoreKind::Fence)
      .value("KEYED_MUTEX", SemaphoreKind::KeyedMutex)
      .value("NVSCISYNC", SemaphoreKind::NvSciSync);
  m.def("kind_of", &kind_of, py::arg("type"), "The kind of semaphore a handle type imports.");
  m.def(
      "integer", [](const py::handle& value, const char* name) { return int64_argument(value, name); },
      py::arg("value"), py::arg("name"),
      "`value` as a signed 64-bit int; TypeError or ValueError naming `name` otherwise.");
  m.def(
      "semaphore_value",
      [](const py::handle& value, const char* name) { return uint64_argument(value, name); },
      py::arg("value"), py::arg("name"),
      "`value` as an int in [0, 2**64); TypeError or ValueError naming `name` otherwise.");
}

}  // namespace cuda_interop::bindings
