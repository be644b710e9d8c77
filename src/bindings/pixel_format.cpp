// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/pixel_format.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_pixel_format(py::module_& m) {
  py::class_<PixelFormat>(m, "PixelFormat",
                          "A colour format CUDA arrays can alias, with its Vulkan and DXGI values.")
      .def_property_readonly("name", [](const PixelFormat& f) { return std::string(f.name); })
      .def_readonly("vk_format", &PixelFormat::vk_format)
      .def_readonly("dxgi_format", &PixelFormat::dxgi_format)
      .def_property_readonly("dxgi_name", &PixelFormat::dxgi_name)
      .def_readonly("kind", &PixelFormat::kind)
      .def_readonly("bits", &PixelFormat::bits)
      .def_readonly("channels", &PixelFormat::channels)
      .def_property_readonly("texel_size", &PixelFormat::texel_size)
      .def_property_readonly("component", &PixelFormat::component)
      .def("__repr__", [](const PixelFormat& f) { return "PixelFormat(" + std::string(f.name) + ")"; });

  m.def("pixel_formats", &pixel_formats, py::return_value_policy::reference,
        "Every pixel format, in a fixed order.");
  m.def(
      "find_pixel_format",
      [](const std::string& name) { return find_pixel_format(name); }, py::arg("name"),
      py::return_value_policy::reference,
      "The format named in Vulkan or DXGI spelling (prefix and case optional), else None.");
  m.def(
      "pixel_format", [](const std::string& name) { return &pixel_format(name); }, py::arg("name"),
      py::return_value_policy::reference,
      "As find_pixel_format; ValueError listing the accepted names when there is none.");
  m.def(
      "pixel_format_from_vk", [](std::uint32_t value) { return &pixel_format_from_vk(value); },
      py::arg("vk_format"), py::return_value_policy::reference, "The format with this VkFormat.");
  m.def(
      "pixel_format_from_dxgi", [](std::uint32_t value) { return &pixel_format_from_dxgi(value); },
      py::arg("dxgi_format"), py::return_value_policy::reference,
      "The format with this DXGI_FORMAT.");
}

}  // namespace cuda_interop::bindings
