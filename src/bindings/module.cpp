// SPDX-License-Identifier: Apache-2.0
// cuda_interop._core: the CUDA core. Each area registers itself through init_<area>().
#include <pybind11/pybind11.h>

#include "errors.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
void init_device(py::module_& m);
void init_handle_types(py::module_& m);
void init_array_format(py::module_& m);
void init_share(py::module_& m);
void init_device_span(py::module_& m);
void init_external_memory(py::module_& m);
void init_shared_allocation(py::module_& m);
void init_external_semaphore(py::module_& m);
void init_mipmapped_array(py::module_& m);
void init_pixel_format(py::module_& m);
void init_dlpack(py::module_& m);
void init_frame_schedule(py::module_& m);
}  // namespace cuda_interop::bindings

PYBIND11_MODULE(_core, m) {
  using namespace cuda_interop::bindings;
  m.doc() = "CUDA external-resource interop: the native core of cuda_interop.";
  define_errors(m);
  register_error_translator(m);
  route_warnings_to_python();
  // Types before the functions that take or return them, so signatures name Python types.
  init_device(m);
  init_handle_types(m);
  init_array_format(m);
  init_share(m);
  init_device_span(m);
  init_mipmapped_array(m);
  init_pixel_format(m);
  init_external_memory(m);
  init_shared_allocation(m);
  init_external_semaphore(m);
  init_dlpack(m);
  init_frame_schedule(m);
}
