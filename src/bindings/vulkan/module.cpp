// SPDX-License-Identifier: Apache-2.0
// cuda_interop._vulkan: the Vulkan producer. Each area registers itself through init_<area>().
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "cuda_interop/vulkan/error.hpp"
#include "errors.hpp"

namespace py = pybind11;

namespace {

// Owned by the module for the life of the interpreter.
PyObject* vulkan_error_type = nullptr;

void register_vulkan_error(py::module_& m) {
  vulkan_error_type =
      cuda_interop::bindings::new_error_type(
          m, "VulkanError", PyExc_RuntimeError,
          "A Vulkan call failed. Attributes: result (int), result_name (str), call (str).",
          {{"result", true, "The VkResult, e.g. -4."},
           {"result_name", false, "The VkResult's name, e.g. \"VK_ERROR_DEVICE_LOST\"."},
           {"call", false, "The Vulkan function that failed, e.g. \"vkQueueSubmit\"."}})
          .release()
          .ptr();  // kept for the interpreter's lifetime
  // Registered after the core translator, so it is tried first; others fall through to it.
  py::register_local_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(pointer);
    } catch (const cuda_interop::vulkan::VulkanError& error) {
      py::object instance = py::reinterpret_borrow<py::object>(vulkan_error_type)(error.what());
      instance.attr("_result") = error.result();
      instance.attr("_result_name") = error.result_name();
      instance.attr("_call") = error.call();
      PyErr_SetObject(vulkan_error_type, instance.ptr());
    }
  });
}

}  // namespace

PYBIND11_MODULE(_vulkan, m) {
  using namespace cuda_interop::vulkan::bindings;
  m.doc() = "The Vulkan producer of cuda_interop: exportable memory, images and semaphores.";
  cuda_interop::bindings::register_error_translator(m);
  cuda_interop::bindings::route_warnings_to_python();
  register_vulkan_error(m);
  // Types before the functions that take or return them, so signatures name Python types.
  init_buffer(m);
  init_image(m);
  init_semaphore(m);
  init_context(m);
  init_transfer(m);
}
