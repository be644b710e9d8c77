// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_memory.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>

#include "convert.hpp"
#include "cuda_interop/mipmapped_array.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_external_memory(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<ExternalMemory>(m, "ExternalMemory", "Owner of a cudaExternalMemory_t.")
      .def_static("import_share", &ExternalMemory::import, py::arg("share"), py::arg("device"),
                  release_gil())
      .def_static(
          "import_fd",
          [](std::int64_t fd, std::int64_t size, bool dedicated, int device,
             bool take_ownership) {
            return ExternalMemory::import_fd(fd_argument(fd), positive(size, "size"), dedicated,
                                             device, take_ownership);
          },
          py::arg("fd"), py::arg("size"), py::arg("dedicated"), py::arg("device"),
          py::arg("take_ownership"), release_gil())
      .def_static(
          "import_win32_handle",
          [](MemoryHandleType type, std::int64_t handle, std::int64_t size, bool dedicated,
             int device, bool take_ownership) {
            return ExternalMemory::import_win32_handle(type, handle_argument(handle),
                                                       positive(size, "size"), dedicated, device,
                                                       take_ownership);
          },
          py::arg("type"), py::arg("handle"), py::arg("size"), py::arg("dedicated"),
          py::arg("device"), py::arg("take_ownership"), release_gil())
      .def_static(
          "import_win32_name",
          [](MemoryHandleType type, const std::u16string& name, std::int64_t size, bool dedicated,
             int device) {
            return ExternalMemory::import_win32_name(type, name, positive(size, "size"), dedicated,
                                                     device);
          },
          py::arg("type"), py::arg("name"), py::arg("size"), py::arg("dedicated"),
          py::arg("device"), release_gil())
      .def_static(
          "import_nvscibuf",
          [](std::int64_t object, std::int64_t size, int device) {
            return ExternalMemory::import_nvscibuf(handle_argument(object),
                                                   positive(size, "size"), device);
          },
          py::arg("object"), py::arg("size"), py::arg("device"), release_gil())
      .def(
          "map_buffer",
          [](const ExternalMemory& self, std::int64_t offset, std::int64_t size) {
            const std::uint64_t start = non_negative(offset, "offset");
            const std::uint64_t length = non_negative(size, "size");
            if (!self.mapped()) {  // mapping costs milliseconds for a GiB: without the GIL
              py::gil_scoped_release release;
              (void)self.map_buffer();
            }
            return self.map_buffer(start, length);  // a view: no CUDA call
          },
          py::arg("offset"), py::arg("size"),
          "A view of [offset, offset + size) of the whole mapping (made once); size 0: the rest.")
      .def("map_mipmapped_array", &ExternalMemory::map_mipmapped_array, py::arg("layout"),
           release_gil())
      .def_property_readonly("image", &ExternalMemory::image)
      .def("close", &ExternalMemory::close, release_gil())
      .def_property_readonly("closed", &ExternalMemory::closed)
      .def_property_readonly("device", &ExternalMemory::device)
      .def_property_readonly("size", &ExternalMemory::size)
      .def_property_readonly("handle_type", &ExternalMemory::handle_type)
      .def_property_readonly("dedicated", &ExternalMemory::dedicated)
      .def_property_readonly("native_handle", [](const ExternalMemory& memory) {
        return reinterpret_cast<std::uintptr_t>(memory.native_handle());
      });
}

}  // namespace cuda_interop::bindings
