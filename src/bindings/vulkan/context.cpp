// SPDX-License-Identifier: Apache-2.0
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <variant>

#include <algorithm>
#include <optional>
#include <string>

#include "bindings.hpp"
#include "convert.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/context.hpp"

namespace py = pybind11;

namespace cuda_interop::vulkan::bindings {
namespace {

py::bytes uuid_bytes(const Uuid& uuid) {
  return py::bytes(reinterpret_cast<const char*>(uuid.data()), uuid.size());
}

Uuid to_uuid(const std::string& bytes) {
  Uuid uuid{};
  if (bytes.size() != uuid.size()) {
    throw InvalidArgument("a device UUID has 16 bytes, got " + std::to_string(bytes.size()));
  }
  std::copy(bytes.begin(), bytes.end(), uuid.begin());
  return uuid;
}

}  // namespace

void init_context(py::module_& m) {
  py::class_<PhysicalDeviceInfo>(m, "PhysicalDeviceInfo", "A Vulkan physical device.")
      .def_readonly("index", &PhysicalDeviceInfo::index)
      .def_readonly("name", &PhysicalDeviceInfo::name)
      .def_property_readonly("uuid",
                             [](const PhysicalDeviceInfo& self) { return uuid_bytes(self.uuid); })
      .def_property_readonly(
          "driver_uuid", [](const PhysicalDeviceInfo& self) { return uuid_bytes(self.driver_uuid); })
      .def_readonly("driver_name", &PhysicalDeviceInfo::driver_name)
      .def_readonly("driver_info", &PhysicalDeviceInfo::driver_info)
      .def_readonly("device_type", &PhysicalDeviceInfo::device_type)
      .def_readonly("api_version", &PhysicalDeviceInfo::api_version)
      .def_readonly("driver_version", &PhysicalDeviceInfo::driver_version)
      .def_readonly("vendor_id", &PhysicalDeviceInfo::vendor_id)
      .def_readonly("device_id", &PhysicalDeviceInfo::device_id);

  py::class_<Features>(m, "Features", "What the logical device was created with.")
      .def_readonly("api_version", &Features::api_version)
      .def_readonly("external_memory_fd", &Features::external_memory_fd)
      .def_readonly("external_memory_win32", &Features::external_memory_win32)
      .def_readonly("external_semaphore_fd", &Features::external_semaphore_fd)
      .def_readonly("external_semaphore_win32", &Features::external_semaphore_win32)
      .def_readonly("timeline_semaphore", &Features::timeline_semaphore)
      .def_readonly("dedicated_allocation", &Features::dedicated_allocation);

  m.def("physical_devices", &physical_devices, py::call_guard<py::gil_scoped_release>(),
        "Every Vulkan physical device, in enumeration order.");
  m.def("uuid_to_string", [](const std::string& bytes) { return uuid_to_string(to_uuid(bytes)); });

  py::class_<Context>(m, "Context", "Vulkan instance, device, queue and command pool.")
      .def(py::init([](const std::optional<py::bytes>& uuid,
                       std::optional<std::uint32_t> index) {
             ContextOptions options;
             if (uuid) options.device_uuid = to_uuid(std::string(*uuid));
             options.physical_device_index = index;
             py::gil_scoped_release release;
             return Context(options);
           }),
           py::arg("uuid") = py::none(), py::arg("physical_device_index") = py::none())
      .def("close", &Context::close, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("closed", &Context::closed)
      .def_property_readonly("physical_device", &Context::physical_device)
      .def_property_readonly("features", &Context::features)
      .def(
          "create_buffer",
          [](Context& self, std::int64_t size, std::optional<bool> dedicated) {
            const std::uint64_t bytes = positive(size, "size");
            py::gil_scoped_release release;
            return self.create_buffer(bytes, dedicated);
          },
          py::arg("size"), py::arg("dedicated") = py::none())
      .def(
          "create_image",
          [](Context& self, const std::variant<std::string, std::int64_t>& format,
             std::int64_t width, std::int64_t height, std::int64_t depth, std::int64_t levels,
             std::int64_t layers, bool color_attachment, bool dedicated) {
            ImageDesc desc;
            desc.format = std::holds_alternative<std::string>(format)
                              ? parse_format(std::get<std::string>(format))
                              : format_from_vk(non_negative_u32(std::get<std::int64_t>(format),
                                                                "format"));
            desc.width = positive_u32(width, "width");
            desc.height = positive_u32(height, "height");
            desc.depth = positive_u32(depth, "depth");
            desc.levels = positive_u32(levels, "levels");
            desc.layers = positive_u32(layers, "layers");
            desc.color_attachment = color_attachment;
            desc.dedicated = dedicated;
            py::gil_scoped_release release;
            return self.create_image(desc);
          },
          py::arg("format"), py::arg("width"), py::arg("height"), py::arg("depth"),
          py::arg("levels"), py::arg("layers"), py::arg("color_attachment"), py::arg("dedicated"))
      .def(
          "create_semaphore",
          [](Context& self, bool timeline, const py::handle& initial_value, bool exportable) {
            const std::uint64_t value =
                cuda_interop::bindings::uint64_argument(initial_value, "initial_value");
            py::gil_scoped_release release;
            return self.create_semaphore(timeline, value, exportable);
          },
          py::arg("timeline"), py::arg("initial_value"), py::arg("exportable"))
      .def(
          "import_buffer_fd",
          [](Context& self, std::int64_t fd, std::int64_t size, std::int64_t allocation_size,
             std::int64_t memory_type_index, bool dedicated) {
            const BufferImportDesc desc{positive(size, "size"),
                                        positive(allocation_size, "allocation_size"),
                                        non_negative_u32(memory_type_index, "memory_type_index"),
                                        dedicated};
            const int descriptor = fd_argument(fd);
            py::gil_scoped_release release;
            return self.import_buffer_fd(descriptor, desc);
          },
          py::arg("fd"), py::arg("size"), py::arg("allocation_size"),
          py::arg("memory_type_index"), py::arg("dedicated"))
      .def(
          "wait_idle",
          [](Context& self, const std::optional<double>& timeout) {
            const std::uint64_t limit = timeout_ns(timeout);
            py::gil_scoped_release release;
            return self.wait_idle(limit);
          },
          py::arg("timeout") = py::none(), "Waits for all work submitted; False on timeout.")
      .def(
          "submit",
          [](const Context& self, const SemaphoreValues& waits, const SemaphoreValues& signals,
             bool block, const std::optional<double>& timeout) {
            const SubmitSync sync = make_sync(waits, signals, block, timeout);
            if (!block) return submit(self, sync);  // a few microseconds: keep the GIL
            py::gil_scoped_release release;
            submit(self, sync);
          },
          py::arg("waits"), py::arg("signals"), py::arg("block"), py::arg("timeout") = py::none());
}

}  // namespace cuda_interop::vulkan::bindings
