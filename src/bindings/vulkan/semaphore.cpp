// SPDX-License-Identifier: Apache-2.0
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"

namespace py = pybind11;

namespace cuda_interop::vulkan::bindings {

void init_semaphore(py::module_& m) {
  py::class_<Semaphore>(m, "Semaphore", "A binary or timeline Vulkan semaphore.")
      .def("close", &Semaphore::close)
      .def_property_readonly("closed", &Semaphore::closed)
      .def("export_share", &Semaphore::export_share,
           "A share descriptor for CUDA (a new handle the descriptor owns).")
      .def_property_readonly("timeline", &Semaphore::timeline)
      .def_property_readonly("exportable", &Semaphore::exportable)
#ifndef _WIN32
      .def(
          "export_fd", [](const Semaphore& self) { return self.export_fd().release(); },
          "A new file descriptor that the caller owns and must close.")
#endif
      .def(
          "export_win32",
          [](const Semaphore& self) {
            return reinterpret_cast<std::uintptr_t>(self.export_win32().release());
          },
          "A new NT handle that the caller owns and must close.")
      .def("signal", &Semaphore::signal, py::arg("value"), py::call_guard<py::gil_scoped_release>())
      .def(
          "wait",
          [](Semaphore& self, std::uint64_t value, const std::optional<double>& timeout) {
            const std::uint64_t limit = timeout_ns(timeout);
            py::gil_scoped_release release;
            return self.wait(value, limit);
          },
          py::arg("value"), py::arg("timeout") = py::none(),
          "Waits on the host (interruptibly) for `value` or a binary signal; False on timeout.")
      .def_property_readonly("value", &Semaphore::value);
}

}  // namespace cuda_interop::vulkan::bindings
