// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/heap.hpp"

#include <pybind11/pybind11.h>

#include <string>

#include "cuda_interop/arguments.hpp"
#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {

void init_heap(py::module_& m) {
  using cuda_interop::d3d12::Heap;
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<Heap>(m, "Heap", "A shared ID3D12Heap.")
      .def_property_readonly_static("alignment", [](const py::object&) { return Heap::alignment; })
      .def_property_readonly("size", &Heap::size)
      .def_property_readonly("allocation_size", &Heap::allocation_size)
      .def_property_readonly("flags", [](const Heap& heap) { return static_cast<unsigned>(heap.flags()); })
      .def("create_placed_buffer", [](const Heap& heap, std::int64_t offset, std::int64_t size, unsigned flags) {
        const std::uint64_t start = non_negative(offset, "offset"), bytes = positive(size, "size");
        py::gil_scoped_release release;
        return heap.create_placed_buffer(start, bytes, static_cast<D3D12_RESOURCE_FLAGS>(flags));
      }, py::arg("offset"), py::arg("size"), py::arg("flags"))
      .def("export_share", &Heap::export_share, py::arg("name"), release_gil(),
           "A share descriptor for CUDA (by NT handle, or by name when one is given).")
      .def("share", [](const Heap& heap, const std::wstring& name) {
        return handle_to_int(heap.share(name).release());
      }, py::arg("name"), release_gil())
      .def_property_readonly("native_handle", [](const Heap& heap) { return handle_to_int(heap.native()); })
      .def("close", &Heap::close)
      .def_property_readonly("closed", &Heap::closed);
}

}  // namespace cuda_interop::bindings::d3d12
