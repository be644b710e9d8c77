// SPDX-License-Identifier: Apache-2.0
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings.hpp"
#include "cuda_interop/arguments.hpp"
#include "buffer_protocol.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "cuda_interop/vulkan/transfer.hpp"

namespace py = pybind11;
using cuda_interop::bindings::byte_size;
using cuda_interop::bindings::contiguous;

namespace cuda_interop::vulkan::bindings {
namespace {

std::uint64_t size_or_whole(const std::optional<std::int64_t>& size) {
  return size ? positive(*size, "size") : whole_size;
}

}  // namespace

void init_transfer(py::module_& m) {
  const auto waits = py::arg("waits") = SemaphoreValues{};
  const auto signals = py::arg("signals") = SemaphoreValues{};
  const auto block = py::arg("block") = true;
  const auto timeout = py::arg("timeout") = py::none();

  m.def(
      "fill",
      [](const Buffer& buffer, std::int64_t value, std::int64_t offset,
         std::optional<std::int64_t> size, const SemaphoreValues& w, const SemaphoreValues& s,
         bool b, const std::optional<double>& t) {
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint32_t word = non_negative_u32(value, "value");
        const std::uint64_t start = non_negative(offset, "offset"), bytes = size_or_whole(size);
        py::gil_scoped_release release;
        fill(buffer, word, start, bytes, sync);
      },
      py::arg("buffer"), py::arg("value"), py::arg("offset") = 0, py::arg("size") = py::none(),
      waits, signals, block, timeout);
  m.def(
      "upload",
      [](const Buffer& buffer, const py::buffer& data, std::int64_t offset,
         const SemaphoreValues& w, const SemaphoreValues& s, bool b,
         const std::optional<double>& t) {
        const py::buffer_info info = contiguous(data, false);
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint64_t start = non_negative(offset, "offset");
        py::gil_scoped_release release;
        upload(buffer, info.ptr, byte_size(info), start, sync);
      },
      py::arg("buffer"), py::arg("data"), py::arg("offset") = 0, waits, signals, block, timeout);
  m.def(
      "download",
      [](const Buffer& buffer, const py::object& out, std::int64_t offset,
         const std::optional<std::int64_t>& size, const SemaphoreValues& w,
         const SemaphoreValues& s, const std::optional<double>& t) {
        const SubmitSync sync = make_sync(w, s, true, t);
        const std::uint64_t start = non_negative(offset, "offset");
        // The range is checked before any host memory is allocated for it.
        const std::uint64_t bytes =
            size || out.is_none() ? download_size(buffer, start, size_or_whole(size)) : 0;
        py::object target = out;
        if (out.is_none()) target = py::array_t<std::uint8_t>(static_cast<py::ssize_t>(bytes));
        const py::buffer_info info = contiguous(target.cast<py::buffer>(), true);
        if (size && byte_size(info) != bytes) {
          throw py::value_error("out has " + std::to_string(byte_size(info)) +
                                " bytes but size is " + std::to_string(bytes) +
                                ": give an out of exactly size bytes, or no size");
        }
        {
          py::gil_scoped_release release;
          download(buffer, info.ptr, byte_size(info), start, sync);
        }
        return target;
      },
      py::arg("buffer"), py::arg("out") = py::none(), py::arg("offset") = 0,
      py::arg("size") = py::none(), waits, signals, timeout);
  m.def(
      "copy_buffer",
      [](const Buffer& source, const Buffer& destination, std::optional<std::int64_t> size,
         std::int64_t source_offset, std::int64_t destination_offset, const SemaphoreValues& w,
         const SemaphoreValues& s, bool b,
         const std::optional<double>& t) {
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint64_t bytes = size_or_whole(size);
        const std::uint64_t from = non_negative(source_offset, "source_offset");
        const std::uint64_t to = non_negative(destination_offset, "destination_offset");
        py::gil_scoped_release release;
        copy(source, destination, bytes, from, to, sync);
      },
      py::arg("source"), py::arg("destination"), py::arg("size") = py::none(),
      py::arg("source_offset") = 0, py::arg("destination_offset") = 0, waits, signals, block,
      timeout);
  m.def(
      "upload_image",
      [](const Image& image, std::int64_t level, const py::buffer& data,
         const SemaphoreValues& w, const SemaphoreValues& s, bool b,
         const std::optional<double>& t) {
        const py::buffer_info info = contiguous(data, false);
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint32_t index = non_negative_u32(level, "level");
        py::gil_scoped_release release;
        upload(image, index, info.ptr, byte_size(info), sync);
      },
      py::arg("image"), py::arg("level"), py::arg("data"), waits, signals, block, timeout);
  m.def(
      "download_image",
      [](const Image& image, std::int64_t level, const py::buffer& out, const SemaphoreValues& w,
         const SemaphoreValues& s,
         const std::optional<double>& t) {
        const py::buffer_info info = contiguous(out, true);
        const SubmitSync sync = make_sync(w, s, true, t);
        const std::uint32_t index = non_negative_u32(level, "level");
        py::gil_scoped_release release;
        download(image, index, info.ptr, byte_size(info), sync);
      },
      py::arg("image"), py::arg("level"), py::arg("out"), waits, signals, timeout);
  m.def(
      "copy_buffer_to_image",
      [](const Buffer& source, const Image& destination, std::int64_t level,
         std::int64_t source_offset, const SemaphoreValues& w, const SemaphoreValues& s, bool b,
         const std::optional<double>& t) {
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint32_t index = non_negative_u32(level, "level");
        const std::uint64_t from = non_negative(source_offset, "source_offset");
        py::gil_scoped_release release;
        copy(source, destination, index, from, sync);
      },
      py::arg("source"), py::arg("destination"), py::arg("level"), py::arg("source_offset") = 0,
      waits, signals, block, timeout);
  m.def(
      "copy_image_to_buffer",
      [](const Image& source, std::int64_t level, const Buffer& destination,
         std::int64_t destination_offset, const SemaphoreValues& w, const SemaphoreValues& s,
         bool b, const std::optional<double>& t) {
        const SubmitSync sync = make_sync(w, s, b, t);
        const std::uint32_t index = non_negative_u32(level, "level");
        const std::uint64_t to = non_negative(destination_offset, "destination_offset");
        py::gil_scoped_release release;
        copy(source, index, destination, to, sync);
      },
      py::arg("source"), py::arg("level"), py::arg("destination"),
      py::arg("destination_offset") = 0, waits, signals, block, timeout);
}

}  // namespace cuda_interop::vulkan::bindings
