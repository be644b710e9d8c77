// SPDX-License-Identifier: Apache-2.0
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "cuda_interop/vulkan/buffer.hpp"

namespace py = pybind11;

namespace cuda_interop::vulkan::bindings {

void init_buffer(py::module_& m) {
  py::class_<Buffer>(m, "VulkanBuffer", "An exportable Vulkan buffer with its own memory.")
      .def("close", &Buffer::close)
      .def_property_readonly("closed", &Buffer::closed)
      .def("export_share", &Buffer::export_share,
           "A share descriptor for CUDA (a new handle the descriptor owns).")
      .def_property_readonly("size", &Buffer::size)
      .def_property_readonly("allocation_size", &Buffer::allocation_size)
      .def_property_readonly("dedicated", &Buffer::dedicated)
      .def_property_readonly("memory_type_index", &Buffer::memory_type_index)
      .def_property_readonly("imported", &Buffer::imported)
#ifndef _WIN32
      .def(
          "export_fd", [](const Buffer& self) { return self.export_fd().release(); },
          "A new file descriptor that the caller owns and must close.")
#endif
      .def(
          "export_win32",
          [](const Buffer& self) { return reinterpret_cast<std::uintptr_t>(self.export_win32().release()); },
          "A new NT handle that the caller owns and must close.");
}

}  // namespace cuda_interop::vulkan::bindings
