// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/shared_allocation.hpp"

#include <pybind11/pybind11.h>

#include <cstdint>

#include "buffer_protocol.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_shared_allocation(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<SharedAllocation> cls(m, "SharedAllocation",
                               "Shareable CUDA device memory (cuMemCreate), mapped in this process.");
  cls.def("share", [](const SharedAllocation& self) { return SharedAllocation(self); },
          "Another owner of the same allocation (it lives while any owner does).")
      .def_static("create", &SharedAllocation::create, py::arg("size"), py::arg("device"),
                  release_gil())
      .def_property_readonly("ptr", [](const SharedAllocation& self) {
        return reinterpret_cast<std::uintptr_t>(self.data());
      })
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
      .def("fill", &SharedAllocation::fill, py::arg("value"), py::arg("offset"), py::arg("size"),
           release_gil())
      .def("close", &SharedAllocation::close, release_gil())
      .def_property_readonly("closed", &SharedAllocation::closed);
  def_host_copies(cls);
}

}  // namespace cuda_interop::bindings
