// SPDX-License-Identifier: Apache-2.0
#pragma once
// Contiguous views of Python buffers for host copies.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <stdexcept>

namespace cuda_interop::bindings {

/// The buffer's bytes; TypeError unless C-contiguous (and writable when asked).
inline pybind11::buffer_info contiguous(const pybind11::buffer& buffer, bool writable) {
  pybind11::buffer_info info = buffer.request(writable);
  Py_ssize_t expected = info.itemsize;
  for (Py_ssize_t i = info.ndim - 1; i >= 0; --i) {
    if (info.shape[i] != 1 && info.strides[i] != expected) {
      throw pybind11::type_error("host buffer must be C-contiguous");
    }
    expected *= info.shape[i];
  }
  return info;
}

inline std::size_t byte_size(const pybind11::buffer_info& info) {
  return static_cast<std::size_t>(info.size) * static_cast<std::size_t>(info.itemsize);
}

/// Binds copy_from_host(source, offset) and copy_to_host(destination, offset) for a core type
/// with the matching C++ methods; the copies run without the GIL.
template <typename Class, typename... Options>
void def_host_copies(pybind11::class_<Class, Options...>& cls) {
  cls.def(
         "copy_from_host",
         [](const Class& self, const pybind11::buffer& source, std::uint64_t offset) {
           const pybind11::buffer_info info = contiguous(source, false);
           pybind11::gil_scoped_release release;
           self.copy_from_host(info.ptr, byte_size(info), offset);
         },
         pybind11::arg("source"), pybind11::arg("offset"))
      .def(
          "copy_to_host",
          [](const Class& self, const pybind11::buffer& destination, std::uint64_t offset) {
            const pybind11::buffer_info info = contiguous(destination, true);
            pybind11::gil_scoped_release release;
            self.copy_to_host(info.ptr, byte_size(info), offset);
          },
          pybind11::arg("destination"), pybind11::arg("offset"));
}

}  // namespace cuda_interop::bindings
