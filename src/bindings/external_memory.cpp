// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_memory.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>

#include "cuda_interop/mapped_buffer.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_external_memory(py::module_& m) {
  py::enum_<MemoryHandleType>(m, "MemoryHandleType", "cudaExternalMemoryHandleType, with CUDA's values.")
      .value("OPAQUE_FD", MemoryHandleType::OpaqueFd)
      .value("OPAQUE_WIN32", MemoryHandleType::OpaqueWin32)
      .value("OPAQUE_WIN32_KMT", MemoryHandleType::OpaqueWin32Kmt)
      .value("D3D12_HEAP", MemoryHandleType::D3D12Heap)
      .value("D3D12_RESOURCE", MemoryHandleType::D3D12Resource)
      .value("D3D11_RESOURCE", MemoryHandleType::D3D11Resource)
      .value("D3D11_RESOURCE_KMT", MemoryHandleType::D3D11ResourceKmt)
      .value("NVSCIBUF", MemoryHandleType::NvSciBuf);

  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<ExternalMemory>(m, "ExternalMemory", "Owner of a cudaExternalMemory_t.")
      .def_static("import_fd", &ExternalMemory::import_fd, py::arg("fd"), py::arg("size"),
                  py::arg("dedicated"), py::arg("device"), py::arg("take_ownership"), release_gil())
      .def_static(
          "import_win32_handle",
          [](MemoryHandleType type, std::uintptr_t handle, std::uint64_t size, bool dedicated,
             int device, bool take_ownership) {
            return ExternalMemory::import_win32_handle(type, reinterpret_cast<void*>(handle), size,
                                                       dedicated, device, take_ownership);
          },
          py::arg("type"), py::arg("handle"), py::arg("size"), py::arg("dedicated"),
          py::arg("device"), py::arg("take_ownership"), release_gil())
      .def_static("import_win32_name", &ExternalMemory::import_win32_name, py::arg("type"),
                  py::arg("name"), py::arg("size"), py::arg("dedicated"), py::arg("device"),
                  release_gil())
      .def_static(
          "import_nvscibuf",
          [](std::uintptr_t object, std::uint64_t size, int device) {
            return ExternalMemory::import_nvscibuf(reinterpret_cast<void*>(object), size, device);
          },
          py::arg("object"), py::arg("size"), py::arg("device"), release_gil())
      .def("map_buffer", &ExternalMemory::map_buffer, py::arg("offset"), py::arg("size"),
           release_gil())
      .def("close", &ExternalMemory::close, release_gil())
      .def_property_readonly("closed", &ExternalMemory::closed)
      .def_property_readonly("device", &ExternalMemory::device)
      .def_property_readonly("size", &ExternalMemory::size)
      .def_property_readonly("handle_type", &ExternalMemory::handle_type)
      .def_property_readonly("dedicated", &ExternalMemory::dedicated)
      .def_property_readonly("native_handle", [](const ExternalMemory& memory) {
        return reinterpret_cast<std::uintptr_t>(memory.native_handle());
      });
}

}  // namespace cuda_interop::bindings
