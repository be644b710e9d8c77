// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/semaphore.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <utility>

#include "bindings.hpp"

namespace py = pybind11;

namespace cuda_interop::opengl::bindings {
namespace {

Barriers barriers(const std::vector<std::uint32_t>& buffers,
                  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& textures) {
  Barriers result;
  result.buffers = buffers;
  for (const auto& [texture, layout] : textures) result.textures.push_back({texture, layout});
  return result;
}

}  // namespace

void init_semaphore(py::module_& m) {
  py::class_<Semaphore>(m, "Semaphore", "A GL semaphore holding an imported one.")
      .def_static("import_share", &Semaphore::import, py::arg("share"))
      .def("close", &Semaphore::close)
      .def_property_readonly("closed", &Semaphore::closed)
      .def_property_readonly("name", &Semaphore::name)
      .def_property_readonly("timeline", &Semaphore::timeline)
      .def_property_readonly("context", &Semaphore::context)
      .def_property_readonly("last_signalled", &Semaphore::last_signalled)
      .def(
          "wait",
          [](const Semaphore& self, std::uint64_t value, const std::vector<std::uint32_t>& buffers,
             const std::vector<std::pair<std::uint32_t, std::uint32_t>>& textures) {
            self.wait(value, barriers(buffers, textures));
          },
          py::arg("value"), py::arg("buffers"), py::arg("textures"))
      .def(
          "signal",
          [](const Semaphore& self, std::uint64_t value, const std::vector<std::uint32_t>& buffers,
             const std::vector<std::pair<std::uint32_t, std::uint32_t>>& textures) {
            self.signal(value, barriers(buffers, textures));
          },
          py::arg("value"), py::arg("buffers"), py::arg("textures"));
}

}  // namespace cuda_interop::opengl::bindings
