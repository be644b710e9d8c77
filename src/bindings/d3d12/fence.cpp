// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/fence.hpp"

#include <pybind11/pybind11.h>

#include <string>

#include "convert.hpp"
#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {

void init_fence(py::module_& m) {
  using cuda_interop::d3d12::Fence;
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<Fence>(m, "Fence", "A shared ID3D12Fence.")
      .def_property_readonly_static("infinite", [](const py::object&) { return Fence::infinite; })
      .def("completed_value", &Fence::completed_value)
      .def("signal", [](const Fence& fence, const py::handle& value) {
        const std::uint64_t checked = uint64_argument(value, "value");
        py::gil_scoped_release release;
        fence.signal(checked);
      }, py::arg("value"))
      .def("wait", [](const Fence& fence, const py::handle& value, std::uint32_t timeout_ms) {
        const std::uint64_t checked = uint64_argument(value, "value");
        py::gil_scoped_release release;
        return fence.wait(checked, timeout_ms);
      }, py::arg("value"), py::arg("timeout_ms"))
      .def("queue_signal", [](const Fence& fence, const py::handle& value) {
        const std::uint64_t checked = uint64_argument(value, "value");
        py::gil_scoped_release release;
        fence.queue_signal(checked);
      }, py::arg("value"))
      .def("queue_wait", [](const Fence& fence, const py::handle& value) {
        const std::uint64_t checked = uint64_argument(value, "value");
        py::gil_scoped_release release;
        fence.queue_wait(checked);
      }, py::arg("value"))
      .def("export_share", &Fence::export_share, py::arg("name"), release_gil(),
           "A share descriptor for CUDA (by NT handle, or by name when one is given).")
      .def("share", [](const Fence& fence, const std::wstring& name) {
        return handle_to_int(fence.share(name).release());
      }, py::arg("name"), release_gil())
      .def_property_readonly("native_handle", [](const Fence& fence) { return handle_to_int(fence.native()); })
      .def("close", &Fence::close)
      .def_property_readonly("closed", &Fence::closed);
}

}  // namespace cuda_interop::bindings::d3d12
