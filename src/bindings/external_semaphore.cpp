// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_semaphore.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

using Operation = std::tuple<const ExternalSemaphore*, std::uint64_t, std::optional<unsigned>>;

std::vector<SemaphoreOperation> to_operations(const std::vector<Operation>& items) {
  std::vector<SemaphoreOperation> operations;
  operations.reserve(items.size());
  for (const auto& [semaphore, value, timeout] : items) {
    operations.push_back({semaphore, value, timeout});
  }
  return operations;
}

}  // namespace

void init_external_semaphore(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<ExternalSemaphore>(m, "ExternalSemaphore", "Owner of a cudaExternalSemaphore_t.")
      .def_static("import_share", &ExternalSemaphore::import, py::arg("share"), py::arg("device"),
                  release_gil())
      .def_static(
          "import_fd",
          [](SemaphoreHandleType type, std::int64_t fd, int device, bool take_ownership) {
            return ExternalSemaphore::import_fd(type, fd_argument(fd), device, take_ownership);
          },
          py::arg("type"), py::arg("fd"), py::arg("device"), py::arg("take_ownership"),
          release_gil())
      .def_static(
          "import_win32_handle",
          [](SemaphoreHandleType type, std::int64_t handle, int device, bool take_ownership) {
            return ExternalSemaphore::import_win32_handle(type, handle_argument(handle),
                                                          device, take_ownership);
          },
          py::arg("type"), py::arg("handle"), py::arg("device"), py::arg("take_ownership"),
          release_gil())
      .def_static("import_win32_name", &ExternalSemaphore::import_win32_name, py::arg("type"),
                  py::arg("name"), py::arg("device"), release_gil())
      .def_static(
          "import_nvscisync",
          [](std::int64_t object, int device) {
            return ExternalSemaphore::import_nvscisync(handle_argument(object), device);
          },
          py::arg("object"), py::arg("device"), release_gil())
      .def("signal", &ExternalSemaphore::signal, py::arg("value"), py::arg("stream"), release_gil())
      .def("wait", &ExternalSemaphore::wait, py::arg("value"), py::arg("stream"),
           py::arg("timeout_ms"), release_gil())
      .def("close", &ExternalSemaphore::close, release_gil())
      .def_property_readonly("closed", &ExternalSemaphore::closed)
      .def_property_readonly("device", &ExternalSemaphore::device)
      .def_property_readonly("handle_type", &ExternalSemaphore::handle_type)
      .def_property_readonly("native_handle", [](const ExternalSemaphore& self) {
        return reinterpret_cast<std::uintptr_t>(self.native_handle());
      });

  m.def(
      "signal_semaphores",
      [](const std::vector<Operation>& items, StreamHandle stream) {
        const auto operations = to_operations(items);
        py::gil_scoped_release release;
        SemaphoreBatch::signal(operations, stream);
      },
      py::arg("operations"), py::arg("stream"),
      "One cudaSignalExternalSemaphoresAsync for (semaphore, value, None) tuples.");
  m.def(
      "wait_semaphores",
      [](const std::vector<Operation>& items, StreamHandle stream) {
        const auto operations = to_operations(items);
        py::gil_scoped_release release;
        SemaphoreBatch::wait(operations, stream);
      },
      py::arg("operations"), py::arg("stream"),
      "One cudaWaitExternalSemaphoresAsync for (semaphore, value, timeout_ms) tuples.");
}

}  // namespace cuda_interop::bindings
