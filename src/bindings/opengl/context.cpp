// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/context.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::opengl::bindings {

void init_context(py::module_& m) {
  py::enum_<WindowSystem>(m, "WindowSystem", "The library a context was made current through.")
      .value("EGL", WindowSystem::Egl)
      .value("GLX", WindowSystem::Glx)
      .value("WGL", WindowSystem::Wgl);
  py::class_<ContextId>(m, "ContextId", "A GL context as its window system names it.")
      .def_readonly("system", &ContextId::system)
      .def_readonly("context", &ContextId::context)
      .def_readonly("display", &ContextId::display)
      .def("__eq__",
           [](const ContextId& a, const py::object& b) {
             return py::isinstance<ContextId>(b) && a == b.cast<ContextId>();
           })
      .def("__hash__", [](const ContextId& id) { return py::hash(py::make_tuple(
                                                     static_cast<int>(id.system), id.context)); })
      .def("__repr__", &ContextId::describe);
  py::class_<ContextInfo>(m, "ContextInfo", "What the current context reports about itself.")
      .def_readonly("id", &ContextInfo::id)
      .def_readonly("vendor", &ContextInfo::vendor)
      .def_readonly("renderer", &ContextInfo::renderer)
      .def_readonly("version", &ContextInfo::version)
      .def_readonly("extensions", &ContextInfo::extensions)
      .def_property_readonly("device_uuids",
                             [](const ContextInfo& info) {
                               std::vector<py::bytes> uuids;
                               for (const Uuid& uuid : info.device_uuids) {
                                 uuids.push_back(cuda_interop::bindings::to_bytes(uuid));
                               }
                               return uuids;
                             })
      .def_property_readonly("driver_uuid", [](const ContextInfo& info) {
        return cuda_interop::bindings::to_bytes(info.driver_uuid);
      });
  m.def("has_current_context", &has_current_context,
        "True when an OpenGL context is current on this thread.");
  m.def("current_context_id", &current_context_id);
  m.def("current_context_info", &current_context_info);
}

}  // namespace cuda_interop::opengl::bindings
