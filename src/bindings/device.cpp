// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/device.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <string>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_device(py::module_& m) {
  py::class_<Device>(m, "DeviceInfo", "A CUDA device as the runtime describes it.")
      .def_readonly("ordinal", &Device::ordinal)
      .def_readonly("name", &Device::name)
      .def_property_readonly("uuid", [](const Device& d) { return to_bytes(d.uuid); })
      .def_property_readonly("luid",
                             [](const Device& d) -> py::object {
                               if (!d.luid) return py::none();
                               return to_bytes(*d.luid);
                             })
      .def_readonly("node_mask", &Device::node_mask)
      .def_readonly("pci_domain", &Device::pci_domain)
      .def_readonly("pci_bus", &Device::pci_bus)
      .def_readonly("pci_device", &Device::pci_device)
      .def_readonly("compute_capability_major", &Device::compute_capability_major)
      .def_readonly("compute_capability_minor", &Device::compute_capability_minor)
      .def_readonly("total_memory", &Device::total_memory);

  m.def("device_info", &Device::get, py::arg("ordinal"), "The device with this ordinal.");
  m.def(
      "device_from_uuid",
      [](const py::bytes& uuid) { return Device::from_uuid(to_array<16>(uuid, "uuid")); },
      py::arg("uuid"), "The device whose 16-byte UUID matches.");
  m.def(
      "device_from_luid",
      [](const py::bytes& luid) { return Device::from_luid(to_array<8>(luid, "luid")); },
      py::arg("luid"), "The device whose 8-byte LUID matches (Windows only).");
  m.def("all_devices", &Device::all, "Every CUDA device, in ordinal order.");
  m.def(
      "memory_info",
      [](int ordinal) {
        const MemoryInfo info = memory_info(ordinal);
        return std::make_pair(info.free, info.total);
      },
      py::arg("ordinal"), "(free, total) bytes of device memory: cudaMemGetInfo.");
  m.def("device_count", &device_count, "Number of CUDA devices.");
  m.def("current_device", &current_device, "The calling thread's current device.");
  m.def("driver_version", &driver_version, "cudaDriverGetVersion(); 0 without a driver.");
  m.def("runtime_version", &runtime_version, "The CUDA runtime version this was built with.");
  m.def("minimum_driver_version", &minimum_driver_version,
        "The oldest NVIDIA driver this build runs on, for this platform.");
  m.def(
      "driver_entry_points",
      [] { return std::make_pair(driver_entry_point_version(), driver_entry_point_names()); },
      "(CUDA version, names): the driver entry points the core asks for, at that version's ABI.");
}

}  // namespace cuda_interop::bindings
