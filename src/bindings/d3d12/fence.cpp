// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/fence.hpp"

#include <pybind11/pybind11.h>

#include <string>

#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {

void init_fence(py::module_& m) {
  using cuda_interop::d3d12::Fence;
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<Fence>(m, "Fence", "A shared ID3D12Fence.")
      .def_property_readonly_static("infinite", [](const py::object&) { return Fence::infinite; })
      .def("completed_value", &Fence::completed_value)
      .def("signal", &Fence::signal, py::arg("value"), release_gil())
      .def("wait", &Fence::wait, py::arg("value"), py::arg("timeout_ms"), release_gil())
      .def("queue_signal", &Fence::queue_signal, py::arg("value"), release_gil())
      .def("queue_wait", &Fence::queue_wait, py::arg("value"), release_gil())
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
