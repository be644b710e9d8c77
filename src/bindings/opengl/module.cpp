// SPDX-License-Identifier: Apache-2.0
// cuda_interop._opengl: the OpenGL producer. Each area registers itself through init_<area>().
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "cuda_interop/opengl/error.hpp"
#include "errors.hpp"

namespace py = pybind11;

namespace {

// Owned by the module for the life of the interpreter.
PyObject* opengl_error_type = nullptr;
PyObject* context_error_type = nullptr;

void register_opengl_errors(py::module_& m) {
  py::exception<cuda_interop::opengl::OpenGLError> type(m, "OpenGLError", PyExc_RuntimeError);
  type.doc() = "A GL call set a GL error. Attributes: code (int), code_name (str), call (str).";
  opengl_error_type = type.ptr();
  py::exception<cuda_interop::opengl::ContextError> context(m, "ContextError", PyExc_RuntimeError);
  context.doc() = "No OpenGL context is current on this thread, or not the one the object needs.";
  context_error_type = context.ptr();
  // Registered after the core translator, so it is tried first; others fall through to it.
  py::register_local_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(pointer);
    } catch (const cuda_interop::opengl::OpenGLError& error) {
      py::object instance = py::reinterpret_borrow<py::object>(opengl_error_type)(error.what());
      instance.attr("code") = error.code();
      instance.attr("code_name") = error.code_name();
      instance.attr("call") = error.call();
      PyErr_SetObject(opengl_error_type, instance.ptr());
    } catch (const cuda_interop::opengl::ContextError& error) {
      PyErr_SetString(context_error_type, error.what());
    }
  });
}

}  // namespace

PYBIND11_MODULE(_opengl, m) {
  using namespace cuda_interop::opengl::bindings;
  m.doc() = "The OpenGL producer of cuda_interop: GL memory objects and semaphores.";
  cuda_interop::bindings::register_error_translator(m);
  cuda_interop::bindings::route_warnings_to_python();
  register_opengl_errors(m);
  init_context(m);
  init_memory(m);
  init_semaphore(m);
}
