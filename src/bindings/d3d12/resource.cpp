// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/resource.hpp"

#include <pybind11/pybind11.h>

#include <string>

#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {

void init_resource(py::module_& m) {
  using cuda_interop::d3d12::Resource;
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<Resource>(m, "Resource", "A shared committed resource or a placed buffer.")
      .def_property_readonly("is_buffer", &Resource::is_buffer)
      .def_property_readonly("placed", &Resource::placed)
      .def_property_readonly("heap_offset", &Resource::heap_offset)
      .def_property_readonly("heap_size", &Resource::heap_size)
      .def_property_readonly("size", &Resource::size)
      .def_property_readonly("allocation_size", &Resource::allocation_size)
      .def_property_readonly("subresource_count", &Resource::subresource_count)
      .def_property_readonly("width", [](const Resource& r) { return r.desc().Width; })
      .def_property_readonly("height", [](const Resource& r) { return r.desc().Height; })
      .def_property_readonly("array_size", [](const Resource& r) { return r.desc().DepthOrArraySize; })
      .def_property_readonly("mip_levels", [](const Resource& r) { return r.desc().MipLevels; })
      .def_property_readonly("format", [](const Resource& r) { return static_cast<unsigned>(r.desc().Format); })
      .def_property_readonly("flags", [](const Resource& r) { return static_cast<unsigned>(r.desc().Flags); })
      .def("export_share", &Resource::export_share, py::arg("name"), release_gil(),
           "A share descriptor for CUDA (by NT handle, or by name when one is given).")
      .def("share", [](const Resource& resource, const std::wstring& name) {
        return handle_to_int(resource.share(name).release());
      }, py::arg("name"), release_gil())
      .def("share_heap", [](const Resource& resource, const std::wstring& name) {
        return handle_to_int(resource.share_heap(name).release());
      }, py::arg("name"), release_gil())
      .def_property_readonly("native_handle",
                             [](const Resource& resource) { return handle_to_int(resource.native()); })
      .def("close", &Resource::close)
      .def_property_readonly("closed", &Resource::closed);
}

}  // namespace cuda_interop::bindings::d3d12
