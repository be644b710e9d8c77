// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/mipmapped_array.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <tuple>

#include "buffer_protocol.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

using ExtentTuple = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>;

ExtentTuple to_tuple(const Extent& e) { return {e.width, e.height, e.depth}; }

/// Host copies of a whole level; device copies take a pointer and byte count.
void def_level_copies(py::class_<ArrayLevel>& cls) {
  cls.def(
         "copy_from_host",
         [](const ArrayLevel& self, const py::buffer& source) {
           const py::buffer_info info = contiguous(source, false);
           py::gil_scoped_release release;
           self.copy_from_host(info.ptr, byte_size(info));
         },
         py::arg("source"))
      .def(
          "copy_to_host",
          [](const ArrayLevel& self, const py::buffer& destination) {
            const py::buffer_info info = contiguous(destination, true);
            py::gil_scoped_release release;
            self.copy_to_host(info.ptr, byte_size(info));
          },
          py::arg("destination"))
      .def(
          "copy_from_device",
          [](const ArrayLevel& self, std::uintptr_t source, std::size_t bytes) {
            self.copy_from_device(reinterpret_cast<const void*>(source), bytes);
          },
          py::arg("source"), py::arg("size"), py::call_guard<py::gil_scoped_release>())
      .def(
          "copy_to_device",
          [](const ArrayLevel& self, std::uintptr_t destination, std::size_t bytes) {
            self.copy_to_device(reinterpret_cast<void*>(destination), bytes);
          },
          py::arg("destination"), py::arg("size"), py::call_guard<py::gil_scoped_release>());
}

}  // namespace

void init_mipmapped_array(py::module_& m) {
  py::class_<ArrayObject>(m, "ArrayObject", "Owner of a CUDA surface or texture object.")
      .def_property_readonly("handle", &ArrayObject::handle)
      .def("close", &ArrayObject::close, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("closed", &ArrayObject::closed);

  py::class_<ArrayLevel> level(m, "ArrayLevel", "One level (cudaArray_t) of a mipmapped array.");
  level.def_property_readonly("index", &ArrayLevel::index)
      .def_property_readonly("extent", [](const ArrayLevel& self) { return to_tuple(self.extent()); })
      .def_property_readonly("byte_size", &ArrayLevel::byte_size)
      .def_property_readonly("native_handle",
                             [](const ArrayLevel& self) {
                               return reinterpret_cast<std::uintptr_t>(self.native_handle());
                             })
      .def("create_surface_object", &ArrayLevel::create_surface_object);
  def_level_copies(level);

  py::class_<MappedMipmappedArray>(m, "MappedMipmappedArray",
                                   "A CUDA mipmapped array mapped from an ExternalMemory.")
      .def_property_readonly("layout", &MappedMipmappedArray::layout)
      .def_property_readonly("kind", [](const MappedMipmappedArray& s) { return s.format().kind; })
      .def_property_readonly("bits", [](const MappedMipmappedArray& s) { return s.format().bits; })
      .def_property_readonly("channels",
                             [](const MappedMipmappedArray& s) { return s.format().channels; })
      .def_property_readonly("extent",
                             [](const MappedMipmappedArray& s) { return to_tuple(s.extent()); })
      .def_property_readonly("levels", &MappedMipmappedArray::levels)
      .def_property_readonly("flags", &MappedMipmappedArray::flags)
      .def_property_readonly("device", &MappedMipmappedArray::device)
      .def_property_readonly("native_handle",
                             [](const MappedMipmappedArray& self) {
                               return reinterpret_cast<std::uintptr_t>(self.native_handle());
                             })
      .def("level", &MappedMipmappedArray::level, py::arg("index"))
      .def(
          "create_texture_object",
          [](const MappedMipmappedArray& self, bool linear_filter, bool normalized_coordinates,
             bool normalized_float, int address_mode) {
            return self.create_texture_object(
                {linear_filter, normalized_coordinates, normalized_float, address_mode});
          },
          py::arg("linear_filter"), py::arg("normalized_coordinates"), py::arg("normalized_float"),
          py::arg("address_mode"))
      .def("close", &MappedMipmappedArray::close, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("closed", &MappedMipmappedArray::closed);

}

}  // namespace cuda_interop::bindings
