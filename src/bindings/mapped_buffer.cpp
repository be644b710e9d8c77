// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/mapped_buffer.hpp"

#include <pybind11/pybind11.h>

#include <cstdint>

#include "buffer_protocol.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_mapped_buffer(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<MappedBuffer> cls(m, "MappedBuffer",
                           "Linear device memory mapped from an ExternalMemory. Copies share it.");
  cls.def("share", [](const MappedBuffer& self) { return MappedBuffer(self); },
           "Another owner of the same mapping (the mapping lives while any owner does).")
      .def_property_readonly("ptr", [](const MappedBuffer& self) {
        return reinterpret_cast<std::uintptr_t>(self.data());
      })
      .def_property_readonly("size", &MappedBuffer::size)
      .def_property_readonly("offset", &MappedBuffer::offset)
      .def_property_readonly("device", &MappedBuffer::device)
      .def("fill", &MappedBuffer::fill, py::arg("value"), py::arg("offset"), py::arg("size"),
           release_gil())
      .def("close", &MappedBuffer::close, release_gil())
      .def_property_readonly("closed", &MappedBuffer::closed);
  def_host_copies(cls);
}

}  // namespace cuda_interop::bindings
