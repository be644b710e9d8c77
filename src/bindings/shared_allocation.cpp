// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/shared_allocation.hpp"

#include <pybind11/pybind11.h>

#include <cstdint>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_shared_allocation(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<SharedAllocation>(m, "SharedAllocation",
                               "Shareable CUDA device memory (cuMemCreate), mapped in this process.")
      .def_static(
          "create",
          [](std::int64_t size, int device) {
            return SharedAllocation::create(positive(size, "size"), device);
          },
          py::arg("size"), py::arg("device"), release_gil())
      .def("span", &SharedAllocation::span, "The allocation as mapped in this process.")
      .def("export_share", &SharedAllocation::export_share, release_gil(),
           "A share descriptor with a new handle, the size and the device's UUID.")
      .def_property_readonly("size", &SharedAllocation::size)
      .def_property_readonly("device", &SharedAllocation::device)
#ifdef _WIN32
      .def(
          "export_win32",
          [](const SharedAllocation& self) {
            return reinterpret_cast<std::uintptr_t>(self.export_win32().release());
          },
          "A new NT handle; the caller owns it.")
#else
      .def(
          "export_fd", [](const SharedAllocation& self) { return self.export_fd().release(); },
          "A new file descriptor; the caller owns it.")
#endif
      .def("close", &SharedAllocation::close, release_gil())
      .def_property_readonly("closed", &SharedAllocation::closed);
}

}  // namespace cuda_interop::bindings
