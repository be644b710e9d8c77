// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/transfer.hpp"

#include <pybind11/pybind11.h>

#include <vector>

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"
#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {
namespace {

using cuda_interop::d3d12::Resource;

/// A C-contiguous view of any buffer-protocol object (bytes, numpy arrays, ...).
py::buffer_info contiguous(const py::buffer& data) {
  py::buffer_info info = data.request();
  py::ssize_t expected = info.itemsize;
  for (py::ssize_t i = info.ndim - 1; i >= 0; --i) {
    if (info.strides[i] != expected) throw InvalidArgument("data must be C-contiguous");
    expected *= info.shape[i];
  }
  return info;
}

py::bytes to_bytes(const std::vector<std::uint8_t>& bytes) {
  return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

void init_transfer(py::module_& m) {
  m.def("upload", [](const Resource& buffer, const py::buffer& data, std::int64_t offset) {
    const std::uint64_t start = non_negative(offset, "offset");
    const py::buffer_info info = contiguous(data);
    const auto size = static_cast<std::size_t>(info.size * info.itemsize);
    py::gil_scoped_release release;
    cuda_interop::d3d12::upload(buffer, info.ptr, size, start);
  }, py::arg("buffer"), py::arg("data"), py::arg("offset"));
  m.def("download", [](const Resource& buffer, std::int64_t size, std::int64_t offset) {
    const std::uint64_t count = positive(size, "size"), start = non_negative(offset, "offset");
    std::vector<std::uint8_t> bytes;
    {
      py::gil_scoped_release release;
      bytes = cuda_interop::d3d12::download(buffer, count, start);
    }
    return to_bytes(bytes);
  }, py::arg("buffer"), py::arg("size"), py::arg("offset"));
  m.def("copy", &cuda_interop::d3d12::copy, py::arg("source"), py::arg("destination"),
        py::call_guard<py::gil_scoped_release>());
  m.def("clear", [](const Resource& buffer, std::int64_t value) {
    const std::uint8_t byte = byte_argument(value, "value");
    py::gil_scoped_release release;
    cuda_interop::d3d12::clear(buffer, byte);
  }, py::arg("buffer"), py::arg("value"));
  m.def("subresource_size", &cuda_interop::d3d12::subresource_size, py::arg("texture"),
        py::arg("mip_level"), py::arg("array_slice"));
  m.def("upload_texture", [](const Resource& texture, std::int64_t mip_level, std::int64_t array_slice,
                             const py::buffer& data) {
    const std::uint32_t level = non_negative_u32(mip_level, "level");
    const std::uint32_t slice = non_negative_u32(array_slice, "array_slice");
    const py::buffer_info info = contiguous(data);
    const auto size = static_cast<std::size_t>(info.size * info.itemsize);
    py::gil_scoped_release release;
    cuda_interop::d3d12::upload_texture(texture, level, slice, info.ptr, size);
  }, py::arg("texture"), py::arg("mip_level"), py::arg("array_slice"), py::arg("data"));
  m.def("download_texture", [](const Resource& texture, std::int64_t mip_level, std::int64_t array_slice) {
    const std::uint32_t level = non_negative_u32(mip_level, "level");
    const std::uint32_t slice = non_negative_u32(array_slice, "array_slice");
    std::vector<std::uint8_t> bytes;
    {
      py::gil_scoped_release release;
      bytes = cuda_interop::d3d12::download_texture(texture, level, slice);
    }
    return to_bytes(bytes);
  }, py::arg("texture"), py::arg("mip_level"), py::arg("array_slice"));
}

}  // namespace cuda_interop::bindings::d3d12
