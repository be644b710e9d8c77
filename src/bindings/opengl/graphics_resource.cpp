// SPDX-License-Identifier: Apache-2.0
// The CUDA side of OpenGL interop (registered GL objects, mappings), bound into _core: it is CUDA
// work on the core's one CUDA runtime, like ExternalMemory. Its GL errors are raised as the
// classes of cuda_interop._opengl.
#include "cuda_interop/opengl/graphics_resource.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <vector>

#include "cuda_interop/opengl/error.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

using opengl::GraphicsResource;
using opengl::Mapping;

std::optional<int> device_of(std::int64_t device) {
  if (device < 0) return std::nullopt;
  return static_cast<int>(device);
}

// opengl.ContextError / OpenGLError, from _opengl (imported on first use).
void register_opengl_translator() {
  py::register_local_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(pointer);
    } catch (const opengl::ContextError& error) {
      py::object type = py::module_::import("cuda_interop._opengl").attr("ContextError");
      PyErr_SetString(type.ptr(), error.what());
    } catch (const opengl::OpenGLError& error) {
      py::object type = py::module_::import("cuda_interop._opengl").attr("OpenGLError");
      py::object instance = type(error.what());
      instance.attr("code") = error.code();
      instance.attr("code_name") = error.code_name();
      instance.attr("call") = error.call();
      PyErr_SetObject(type.ptr(), instance.ptr());
    }
  });
}

}  // namespace

void init_opengl_graphics(py::module_& m) {
  register_opengl_translator();
  py::class_<GraphicsResource>(m, "GLGraphicsResource",
                               "A GL buffer, texture or renderbuffer registered with CUDA.")
      .def("close", &GraphicsResource::close)
      .def_property_readonly("closed", &GraphicsResource::closed)
      .def("unregister", &GraphicsResource::unregister)
      .def_property_readonly("is_buffer", &GraphicsResource::is_buffer)
      .def_property_readonly("gl_name", &GraphicsResource::gl_name)
      .def_property_readonly("target", &GraphicsResource::target)
      .def_property_readonly("flags", &GraphicsResource::flags)
      .def_property_readonly("device", &GraphicsResource::device)
      .def_property_readonly("layout", &GraphicsResource::layout)
      .def_property_readonly("mapped", &GraphicsResource::mapped);
  py::class_<Mapping>(m, "GLMapping", "Registered GL objects mapped together on a stream.")
      .def("close", &Mapping::close)
      .def_property_readonly("closed", &Mapping::closed)
      .def_property_readonly("mapped", &Mapping::mapped)
      .def("__len__", &Mapping::size)
      .def("buffer", &Mapping::buffer, py::arg("index"))
      .def("mipmapped_array", &Mapping::mipmapped_array, py::arg("index"))
      .def("unmap", &Mapping::unmap, py::arg("stream"), py::call_guard<py::gil_scoped_release>());
  m.def(
      "gl_register_buffer",
      [](std::uint32_t buffer, unsigned flags, std::int64_t device) {
        return GraphicsResource::register_buffer(buffer, flags, device_of(device));
      },
      py::arg("buffer"), py::arg("flags"), py::arg("device"),
      "Registers a GL buffer of the current context with CUDA (device < 0: the context's).");
  m.def(
      "gl_register_image",
      [](std::uint32_t image, std::uint32_t target, unsigned flags, std::int64_t device) {
        return GraphicsResource::register_image(image, target, flags, device_of(device));
      },
      py::arg("image"), py::arg("target"), py::arg("flags"), py::arg("device"),
      "Registers a GL texture or renderbuffer of the current context with CUDA.");
  m.def("gl_map", &Mapping::map, py::arg("resources"), py::arg("stream"),
        py::call_guard<py::gil_scoped_release>(),
        "Maps registered GL objects together (one cudaGraphicsMapResources call).");
  m.def("gl_context_devices", &opengl::current_context_devices,
        "The CUDA devices the current GL context renders on (cudaGLGetDevices).");
}

}  // namespace cuda_interop::bindings
