// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/device.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>

#include "convert.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"
#include "module.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings::d3d12 {
namespace {

using cuda_interop::d3d12::AdapterInfo;
using cuda_interop::d3d12::Device;

py::bytes luid_to_bytes(const Luid& luid) {
  return py::bytes(reinterpret_cast<const char*>(luid.data()), luid.size());
}

Luid bytes_to_luid(const py::bytes& bytes) {
  const std::string raw = bytes;
  if (raw.size() != sizeof(Luid)) {
    throw InvalidArgument("a LUID has 8 bytes, got " + std::to_string(raw.size()));
  }
  Luid luid{};
  std::memcpy(luid.data(), raw.data(), luid.size());
  return luid;
}

}  // namespace

void init_device(py::module_& m) {
  using release_gil = py::call_guard<py::gil_scoped_release>;
  py::class_<AdapterInfo>(m, "AdapterInfo", "A DXGI adapter.")
      .def_readonly("index", &AdapterInfo::index)
      .def_readonly("description", &AdapterInfo::description)
      .def_property_readonly("luid", [](const AdapterInfo& info) { return luid_to_bytes(info.luid); })
      .def_readonly("vendor_id", &AdapterInfo::vendor_id)
      .def_readonly("device_id", &AdapterInfo::device_id)
      .def_readonly("dedicated_video_memory", &AdapterInfo::dedicated_video_memory)
      .def_readonly("software", &AdapterInfo::software);
  m.def("list_adapters", &cuda_interop::d3d12::list_adapters, release_gil());

  py::class_<Device>(m, "Device", "ID3D12Device with a copy queue.")
      .def_static("from_luid", [](const py::bytes& luid) {
        const Luid value = bytes_to_luid(luid);
        py::gil_scoped_release release;
        return Device::from_luid(value);
      }, py::arg("luid"))
      .def_static("from_adapter_index", &Device::from_adapter_index, py::arg("index"), release_gil())
      .def_property_readonly("adapter", &Device::adapter)
      .def_property_readonly("luid", [](const Device& device) { return luid_to_bytes(device.luid()); })
      .def_property_readonly("node_count", &Device::node_count)
      .def_property_readonly("native_handle",
                             [](const Device& device) { return handle_to_int(device.native()); })
      .def("create_heap", [](const Device& device, std::int64_t size, unsigned flags) {
        const std::uint64_t bytes = positive(size, "size");
        py::gil_scoped_release release;
        return device.create_heap(bytes, static_cast<D3D12_HEAP_FLAGS>(flags));
      }, py::arg("size"), py::arg("flags"))
      .def("create_committed_buffer", [](const Device& device, std::int64_t size, unsigned flags) {
        const std::uint64_t bytes = positive(size, "size");
        py::gil_scoped_release release;
        return device.create_committed_buffer(bytes, static_cast<D3D12_RESOURCE_FLAGS>(flags));
      }, py::arg("size"), py::arg("flags"))
      .def("create_committed_texture2d",
           [](const Device& device, std::int64_t width, std::int64_t height, unsigned format,
              std::int64_t mip_levels, std::int64_t array_size, unsigned flags) {
             cuda_interop::d3d12::Texture2DDesc desc;
             desc.width = positive_u32(width, "width");
             desc.height = positive_u32(height, "height");
             desc.format = static_cast<DXGI_FORMAT>(format);
             desc.mip_levels = positive_u16(mip_levels, "mip_levels");
             desc.array_size = positive_u16(array_size, "array_size");
             desc.flags = static_cast<D3D12_RESOURCE_FLAGS>(flags);
             py::gil_scoped_release release;
             return device.create_committed_texture2d(desc);
           },
           py::arg("width"), py::arg("height"), py::arg("format"), py::arg("mip_levels"),
           py::arg("array_size"), py::arg("flags"))
      .def("create_fence", [](const Device& device, const py::handle& initial_value) {
        const std::uint64_t value = uint64_argument(initial_value, "initial_value");
        py::gil_scoped_release release;
        return device.create_fence(value);
      }, py::arg("initial_value"))
      .def("open_shared_handle_by_name", [](const Device& device, const std::wstring& name) {
        return handle_to_int(device.open_shared_handle_by_name(name).release());
      }, py::arg("name"), release_gil())
      .def("close", &Device::close)
      .def_property_readonly("closed", &Device::closed);
}

}  // namespace cuda_interop::bindings::d3d12
