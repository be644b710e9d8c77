// SPDX-License-Identifier: Apache-2.0
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "cuda_interop/vulkan/image.hpp"

namespace py = pybind11;

namespace cuda_interop::vulkan::bindings {

void init_image(py::module_& m) {
  py::class_<Image>(m, "Image", "An exportable optimally tiled Vulkan image in GENERAL layout.")
      .def("close", &Image::close)
      .def_property_readonly("closed", &Image::closed)
      .def("export_share", &Image::export_share,
           "A share descriptor for CUDA (a new handle the descriptor owns).")
      .def_property_readonly("format",
                             [](const Image& self) { return format_info(self.desc().format).name; })
      .def_property_readonly(
          "vk_format", [](const Image& self) { return format_info(self.desc().format).vk_format; })
      .def_property_readonly(
          "texel_size", [](const Image& self) { return format_info(self.desc().format).texel_size(); })
      .def_property_readonly(
          "channels", [](const Image& self) { return format_info(self.desc().format).channels; })
      .def_property_readonly(
          "component", [](const Image& self) { return format_info(self.desc().format).component(); })
      .def_property_readonly("width", [](const Image& self) { return self.desc().width; })
      .def_property_readonly("height", [](const Image& self) { return self.desc().height; })
      .def_property_readonly("depth", [](const Image& self) { return self.desc().depth; })
      .def_property_readonly("levels", [](const Image& self) { return self.desc().levels; })
      .def_property_readonly("layers", [](const Image& self) { return self.desc().layers; })
      .def_property_readonly("is_3d", &Image::is_3d)
      .def_property_readonly("allocation_size", &Image::allocation_size)
      .def_property_readonly("dedicated", &Image::dedicated)
      .def_property_readonly("memory_type_index", &Image::memory_type_index)
      .def_property_readonly("sampled", &Image::sampled)
      .def_property_readonly("storage", &Image::storage)
      .def_property_readonly("color_attachment", &Image::color_attachment)
      .def("level_extent", &Image::level_extent, py::arg("level"))
      .def("level_size", &Image::level_size, py::arg("level"))
#ifndef _WIN32
      .def(
          "export_fd", [](const Image& self) { return self.export_fd().release(); },
          "A new file descriptor that the caller owns and must close.")
#endif
      .def(
          "export_win32",
          [](const Image& self) { return reinterpret_cast<std::uintptr_t>(self.export_win32().release()); },
          "A new NT handle that the caller owns and must close.");

  m.def("formats", [] {
    std::vector<std::string> names;
    for (const Format format : formats()) names.emplace_back(format_info(format).name);
    return names;
  }, "Names of the image formats this producer creates.");
}

}  // namespace cuda_interop::vulkan::bindings
