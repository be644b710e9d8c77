// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/device_span.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>

#include "buffer_protocol.hpp"
#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

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
}

}  // namespace cuda_interop::bindings
