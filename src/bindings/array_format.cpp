// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/array_format.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <tuple>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

/// `(width, height, depth)` (a tuple or list of three ints); TypeError or ValueError naming
/// `extent` otherwise, never pybind11's "incompatible function arguments".
Extent to_extent(const py::handle& extent) {
  if (!PyTuple_Check(extent.ptr()) && !PyList_Check(extent.ptr())) {
    throw py::type_error(std::string("extent must be a tuple (width, height, depth), got ") +
                         Py_TYPE(extent.ptr())->tp_name);
  }
  const auto values = py::reinterpret_borrow<py::sequence>(extent);
  if (values.size() != 3) {
    throw py::value_error("extent must be three ints (width, height, depth), got " +
                          std::to_string(values.size()) + " value(s)");
  }
  return {non_negative(int64_argument(values[0], "extent width"), "extent width"),
          non_negative(int64_argument(values[1], "extent height"), "extent height"),
          non_negative(int64_argument(values[2], "extent depth"), "extent depth")};
}

std::tuple<std::uint64_t, std::uint64_t, std::uint64_t> to_tuple(const Extent& e) {
  return {e.width, e.height, e.depth};
}

}  // namespace

void init_array_format(py::module_& m) {
  py::enum_<ChannelKind>(m, "ChannelKind", "cudaChannelFormatKind.")
      .value("SIGNED", ChannelKind::Signed)
      .value("UNSIGNED", ChannelKind::Unsigned)
      .value("FLOAT", ChannelKind::Float);
  py::enum_<ArrayFlags>(m, "ArrayFlags", py::arithmetic(), "cudaArray* flags a mapping accepts.")
      .value("LAYERED", array_layered)
      .value("SURFACE_LOAD_STORE", array_surface_load_store)
      .value("CUBEMAP", array_cubemap)
      .value("TEXTURE_GATHER", array_texture_gather)
      .value("COLOR_ATTACHMENT", array_color_attachment);

  py::class_<ImageLayout>(m, "ImageLayout",
                          "An image in an allocation, as CUDA maps it: format, extent (CUDA's "
                          "convention), levels, cudaArray* flags and the offset of level 0.")
      .def(py::init([](const py::object& kind, const py::object& bits, const py::object& channels,
                       const py::object& extent, const py::object& levels,
                       const py::object& flags, const py::object& offset) {
             ImageLayout layout;
             layout.format = {class_argument<ChannelKind>(kind, "kind", "ChannelKind"), non_negative_u32(int64_argument(bits, "bits"), "bits"),
                              non_negative_u32(int64_argument(channels, "channels"), "channels")};
             layout.extent = to_extent(extent);
             layout.levels = positive_u32(int64_argument(levels, "levels"), "levels");
             layout.flags = non_negative_u32(int64_argument(flags, "flags"), "flags");
             layout.offset = non_negative(int64_argument(offset, "offset"), "offset");
             layout.validate();
             return layout;
           }),
           py::arg("kind"), py::arg("bits"), py::arg("channels"), py::arg("extent"),
           py::arg("levels") = 1, py::arg("flags") = 0, py::arg("offset") = 0)
      .def_property_readonly(
          "kind", [](const ImageLayout& l) { return l.format.kind; },
          "How each channel's bits are read (cudaChannelFormatKind).")
      .def_property_readonly(
          "bits", [](const ImageLayout& l) { return l.format.bits; },
          "Bits per channel: 8, 16 or 32.")
      .def_property_readonly(
          "channels", [](const ImageLayout& l) { return l.format.channels; },
          "Channels per element: 1, 2 or 4.")
      .def_property_readonly(
          "extent", [](const ImageLayout& l) { return to_tuple(l.extent); },
          "Level 0's (width, height, depth) in elements, in CUDA's convention: 1D (w, 0, 0), "
          "2D (w, h, 0), 3D (w, h, d), layered (w, h, layers).")
      .def_readonly("levels", &ImageLayout::levels, "Number of mip levels (at least 1).")
      .def_readonly("flags", &ImageLayout::flags, "cudaArray* flags (see ArrayFlags).")
      .def_readonly("offset", &ImageLayout::offset,
                    "Where level 0 starts in the allocation, in bytes.")
      .def(
          "with_flags",
          [](const ImageLayout& self, const py::object& flags) {
            ImageLayout layout = self;
            layout.flags = non_negative_u32(int64_argument(flags, "flags"), "flags");
            layout.validate();
            return layout;
          },
          py::arg("flags"), "The same layout with other array flags.")
      .def(
          "__eq__",
          [](const ImageLayout& self, const py::object& other) {
            return py::isinstance<ImageLayout>(other) && self == other.cast<const ImageLayout&>();
          },
          py::arg("other"))
      .def("__hash__",
           [](const ImageLayout& l) {
             return py::hash(py::make_tuple(static_cast<int>(l.format.kind), l.format.bits,
                                            l.format.channels, to_tuple(l.extent), l.levels,
                                            l.flags, l.offset));
           })
      .def("__repr__", [](const ImageLayout& l) {
        return "ImageLayout(" + py::cast(l.format.kind).attr("name").cast<std::string>() + " " +
               std::to_string(l.format.channels) + "x" +
               std::to_string(l.format.bits) + "-bit, extent=(" + std::to_string(l.extent.width) +
               ", " + std::to_string(l.extent.height) + ", " + std::to_string(l.extent.depth) +
               "), levels=" + std::to_string(l.levels) + ", flags=" + std::to_string(l.flags) +
               ", offset=" + std::to_string(l.offset) + ")";
      });

  m.def(
      "max_mip_levels",
      [](const py::object& extent, const py::object& flags) {
        return max_mip_levels(to_extent(extent),
                              non_negative_u32(int64_argument(flags, "flags"), "flags"));
      },
      py::arg("extent"), py::arg("flags"));
}

}  // namespace cuda_interop::bindings
