// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/memory.hpp"

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "buffer_protocol.hpp"
#include "cuda_interop/arguments.hpp"

namespace py = pybind11;

namespace cuda_interop::opengl::bindings {
namespace {

std::uint32_t u32(std::int64_t value, const char* name) {
  if (value < 0 || value > 0xFFFFFFFFll) {
    throw py::value_error(std::string(name) + " must be in [0, 2**32), got " +
                          std::to_string(value));
  }
  return static_cast<std::uint32_t>(value);
}

std::uint64_t u64(std::int64_t value, const char* name) {
  if (value < 0) {
    throw py::value_error(std::string(name) + " must be >= 0, got " + std::to_string(value));
  }
  return static_cast<std::uint64_t>(value);
}

}  // namespace

void init_memory(py::module_& m) {
  py::class_<MemoryObject>(m, "MemoryObject", "A GL memory object holding imported memory.")
      .def_static("import_share", &MemoryObject::import, py::arg("share"))
      .def("close", &MemoryObject::close)
      .def_property_readonly("closed", &MemoryObject::closed)
      .def_property_readonly("name", &MemoryObject::name)
      .def_property_readonly("size", &MemoryObject::size)
      .def_property_readonly("dedicated", &MemoryObject::dedicated)
      .def_property_readonly("context", &MemoryObject::context);

  py::class_<Buffer>(m, "GLBuffer", "A GL buffer whose storage is a memory object.")
      .def_static(
          "create",
          [](const MemoryObject& memory, std::int64_t size, std::int64_t offset) {
            return Buffer::create(memory, u64(size, "size"), u64(offset, "offset"));
          },
          py::arg("memory"), py::arg("size"), py::arg("offset"))
      .def("close", &Buffer::close)
      .def_property_readonly("closed", &Buffer::closed)
      .def_property_readonly("name", &Buffer::name)
      .def_property_readonly("size", &Buffer::size)
      .def_property_readonly("offset", &Buffer::offset)
      .def_property_readonly("memory", &Buffer::memory)
      .def(
          "write",
          [](const Buffer& self, const py::buffer& data, std::int64_t offset) {
            const py::buffer_info info = cuda_interop::bindings::contiguous(data, false);
            self.write(info.ptr, cuda_interop::bindings::byte_size(info), u64(offset, "offset"));
          },
          py::arg("data"), py::arg("offset"))
      .def(
          "read",
          [](const Buffer& self, const py::buffer& out, std::int64_t offset) {
            const py::buffer_info info = cuda_interop::bindings::contiguous(out, true);
            self.read(info.ptr, cuda_interop::bindings::byte_size(info), u64(offset, "offset"));
          },
          py::arg("out"), py::arg("offset"));

  py::class_<TextureDesc>(m, "TextureDesc", "What a texture made on imported memory looks like.")
      .def(py::init([](std::int64_t target, std::int64_t internal_format, std::int64_t width,
                       std::int64_t height, std::int64_t depth, std::int64_t levels,
                       bool linear_tiling, std::int64_t offset) {
             TextureDesc desc;
             desc.target = u32(target, "target");
             desc.internal_format = u32(internal_format, "internal_format");
             desc.width = u32(width, "width");
             desc.height = u32(height, "height");
             desc.depth = u32(depth, "depth");
             desc.levels = u32(levels, "levels");
             desc.linear_tiling = linear_tiling;
             desc.offset = u64(offset, "offset");
             desc.validate();
             return desc;
           }),
           py::arg("target"), py::arg("internal_format"), py::arg("width"), py::arg("height"),
           py::arg("depth"), py::arg("levels"), py::arg("linear_tiling"), py::arg("offset"))
      .def_readonly("target", &TextureDesc::target)
      .def_readonly("internal_format", &TextureDesc::internal_format)
      .def_readonly("width", &TextureDesc::width)
      .def_readonly("height", &TextureDesc::height)
      .def_readonly("depth", &TextureDesc::depth)
      .def_readonly("levels", &TextureDesc::levels)
      .def_readonly("linear_tiling", &TextureDesc::linear_tiling)
      .def_readonly("offset", &TextureDesc::offset);

  py::class_<Texture>(m, "Texture", "A GL texture whose storage is a memory object.")
      .def_static("create", &Texture::create, py::arg("memory"), py::arg("desc"))
      .def("close", &Texture::close)
      .def_property_readonly("closed", &Texture::closed)
      .def_property_readonly("name", &Texture::name)
      .def_property_readonly("desc", &Texture::desc)
      .def_property_readonly("memory", &Texture::memory);
}

}  // namespace cuda_interop::opengl::bindings
