// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/device_span.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>

#include "buffer_protocol.hpp"
#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

/// Host allocations of _host_span still alive (none once every export of them is released).
std::atomic<std::int64_t> host_spans_alive{0};

/// `size` zeroed bytes of host memory (256-byte aligned, like device allocations) as a span on
/// "device -1", which DLPack exports as kDLCPU: the exports, their dtypes and their ownership
/// can be tested without a GPU (its copies and fill are memcpy and memset).
DeviceSpan host_span(std::int64_t size) {
  const std::uint64_t bytes = non_negative(size, "size");
  const std::size_t allocated = bytes == 0 ? 1 : static_cast<std::size_t>(bytes);
  void* data = ::operator new(allocated, std::align_val_t{256});  // bad_alloc: MemoryError
  std::memset(data, 0, allocated);
  std::shared_ptr<const void> owner(data, [](const void* memory) {
    ::operator delete(const_cast<void*>(memory), std::align_val_t{256});
    host_spans_alive.fetch_sub(1);
  });
  host_spans_alive.fetch_add(1);
  return DeviceSpan(data, bytes, -1, std::move(owner));
}

}  // namespace

void init_device_span(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  using Stream = std::optional<StreamHandle>;
  py::class_<DeviceSpan>(m, "DeviceSpan",
                         "Linear device memory (pointer, size, device) with the owner that keeps "
                         "it valid. Copies share the owner.")
      .def("share", [](const DeviceSpan& self) { return DeviceSpan(self); },
           "Another owner of the same memory (it stays valid while any owner is open).")
      .def_property_readonly(
          "ptr",
          [](const DeviceSpan& self) { return reinterpret_cast<std::uintptr_t>(self.data()); },
          "Device address of the first byte.")
      .def_property_readonly("size", &DeviceSpan::size, "Size in bytes.")
      .def_property_readonly("device", &DeviceSpan::device,
                             "Ordinal of the CUDA device the memory is on.")
      .def(
          "subspan",
          [](const DeviceSpan& self, std::int64_t offset, std::int64_t size) {
            return self.subspan(non_negative(offset, "offset"), non_negative(size, "size"));
          },
          py::arg("offset"), py::arg("size"), "[offset, offset + size); size 0 means the rest.")
      .def(
          "copy_from_host",
          [](const DeviceSpan& self, const py::buffer& source, std::int64_t offset,
             Stream stream) {
            const py::buffer_info info = contiguous(source, false);
            const std::uint64_t start = non_negative(offset, "offset");
            py::gil_scoped_release release;
            self.copy_from_host(info.ptr, byte_size(info), start, stream);
          },
          py::arg("source"), py::arg("offset"), py::arg("stream") = py::none(),
          "Copies the bytes of a contiguous host buffer to [offset, offset + its size): "
          "synchronous without a stream; with one, ordered after its work and complete on "
          "return.")
      .def(
          "copy_to_host",
          [](const DeviceSpan& self, const py::buffer& destination, std::int64_t offset,
             Stream stream) {
            const py::buffer_info info = contiguous(destination, true);
            const std::uint64_t start = non_negative(offset, "offset");
            py::gil_scoped_release release;
            self.copy_to_host(info.ptr, byte_size(info), start, stream);
          },
          py::arg("destination"), py::arg("offset"), py::arg("stream") = py::none(),
          "Copies [offset, offset + its size) into a writable contiguous host buffer: "
          "synchronous without a stream; with one, ordered after its work and complete on "
          "return.")
      .def(
          "fill",
          [](const DeviceSpan& self, std::int64_t value, std::int64_t offset, std::int64_t size,
             Stream stream) {
            const std::uint8_t byte = byte_argument(value, "fill value");
            const std::uint64_t start = non_negative(offset, "offset");
            const std::uint64_t bytes = non_negative(size, "size");
            py::gil_scoped_release release;
            self.fill(byte, start, bytes, stream);
          },
          py::arg("value"), py::arg("offset"), py::arg("size"), py::arg("stream") = py::none(),
          "Sets every byte of [offset, offset + size) to `value` (0-255): synchronous without a "
          "stream, enqueued on it otherwise.")
      .def("close", &DeviceSpan::close, release_gil(),
           "Drops this owner's reference; idempotent. The memory stays valid while another "
           "owner is open.")
      .def_property_readonly("closed", &DeviceSpan::closed,
                             "True once close() has been called on this owner.");
  m.def("_host_span", &host_span, py::arg("size"),
        "Host memory as a DeviceSpan on device -1 (DLPack kDLCPU), for tests of the exports "
        "without a GPU.");
  m.def(
      "_host_spans_alive", [] { return host_spans_alive.load(); },
      "How many _host_span allocations are still held (by spans, views, capsules, tensors).");
}

}  // namespace cuda_interop::bindings
