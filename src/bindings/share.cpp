// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/share.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>

#include "convert.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

/// A handle given as an int (fd, NT or KMT handle, NvSci address) or a name (str).
SharedHandle to_handle(HandleForm form, const py::object& value, bool owned) {
  if (py::isinstance<py::str>(value)) {
    return SharedHandle::from_name(form, name_argument(value, "handle"));
  }
  return SharedHandle::from_integer(form, int64_argument(value, "handle"), owned);
}

py::object handle_value(const SharedHandle& handle) {
  switch (handle.kind()) {
    case SharedHandle::Kind::Empty: return py::none();
    case SharedHandle::Kind::Name: return py::cast(handle.name());
    default: return py::int_(handle.value());
  }
}

std::optional<py::bytes> optional_bytes(const std::optional<Uuid>& uuid) {
  if (!uuid) return std::nullopt;
  return to_bytes(*uuid);
}
std::optional<py::bytes> optional_bytes(const std::optional<Luid>& luid) {
  if (!luid) return std::nullopt;
  return to_bytes(*luid);
}

DeviceIdentity to_identity(const std::optional<py::bytes>& uuid,
                           const std::optional<py::bytes>& luid) {
  DeviceIdentity identity;
  if (uuid) identity.uuid = to_array<16>(*uuid, "device_uuid");
  if (luid) identity.luid = to_array<8>(*luid, "device_luid");
  return identity;
}

/// "fd=5", "handle=0x1a4", "name='frames'", "address=0x7f..", or "closed", and ", not owned".
std::string describe_handle(const SharedHandle& handle) {
  std::string text;
  switch (handle.kind()) {
    case SharedHandle::Kind::Empty: return "closed";
    case SharedHandle::Kind::Fd: text = "fd=" + std::to_string(handle.value()); break;
    case SharedHandle::Kind::Name:
      text = "name=" + py::repr(py::cast(handle.name())).cast<std::string>();
      break;
    case SharedHandle::Kind::Win32:
    case SharedHandle::Kind::Address:
      text = (handle.kind() == SharedHandle::Kind::Win32 ? "handle=" : "address=") +
             py::str("{:#x}").attr("format")(handle.value()).cast<std::string>();
      break;
  }
  const bool named = handle.kind() == SharedHandle::Kind::Name;  // a name is never owned
  return handle.owned() || named ? text : text + " (not owned)";
}

/// "device=GPU-<uuid>", "device=LUID <hex>", or "" where the device is not known.
std::string describe_device(const DeviceIdentity& device) {
  if (device.uuid) {
    py::object uuid = py::module_::import("uuid").attr("UUID")(py::arg("bytes") =
                                                                   to_bytes(*device.uuid));
    return ", device=GPU-" + py::str(uuid).cast<std::string>();
  }
  if (device.luid) {
    return ", device=LUID " + to_bytes(*device.luid).attr("hex")().cast<std::string>();
  }
  return "";
}

/// What both descriptors bind alike: the handle and the device.
template <typename Share>
void def_common(py::class_<Share>& cls) {
  cls.def_property_readonly(
         "handle", [](const Share& self) { return handle_value(self.handle); },
         "The fd or handle (int), the name (str), or None once closed or released.")
      .def_property_readonly("owned", [](const Share& self) { return self.handle.owned(); },
                             "Whether closing the descriptor closes the handle.")
      .def_property_readonly(
          "device_uuid", [](const Share& self) { return optional_bytes(self.device.uuid); },
          "The 16-byte UUID of the device the object was created on, or None if not known.")
      .def_property_readonly(
          "device_luid", [](const Share& self) { return optional_bytes(self.device.luid); },
          "The 8-byte LUID of the device the object was created on (Windows), or None if not "
          "known.")
      .def(
          "release",
          [](Share& self) {
            if (self.handle.kind() == SharedHandle::Kind::Empty) {
              throw ClosedError("the share's handle was closed or given away: nothing to release");
            }
            return self.handle.release();
          },
          "Gives up an owned handle without closing it and returns it (the caller owns it).")
      .def(
          "close", [](Share& self) { self.handle.close(); },
          "Closes an owned handle; idempotent.")
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [](Share& self, const py::object&, const py::object&, const py::object&) {
            self.handle.close();
            return false;
          },
          py::arg("exc_type"), py::arg("exc"), py::arg("traceback"), "Closes an owned handle.")
      .def_property_readonly(
          "closed",
          [](const Share& self) { return self.handle.kind() == SharedHandle::Kind::Empty; },
          "True once the handle is closed or released (the descriptor can no longer be "
          "imported).");
}

}  // namespace

void init_share(py::module_& m) {
  py::class_<MemoryShare> memory(m, "MemoryShare",
                                 "An exported memory object: handle, handle type, size, dedicated "
                                 "flag, device identity and, for images, their layout.");
  memory
      .def(py::init([](const py::object& type, const py::object& handle, const py::object& size,
                       const py::object& dedicated, const py::object& device_uuid,
                       const py::object& device_luid, const py::object& image,
                       const py::object& owned) {
             MemoryShare share;
             share.type = class_argument<MemoryHandleType>(type, "type", "MemoryHandleType");
             check_known(share.type);
             share.size = positive(int64_argument(size, "size"), "size");
             share.dedicated = bool_argument(dedicated, "dedicated");
             share.device = to_identity(optional_bytes_argument(device_uuid, "device_uuid"),
                                        optional_bytes_argument(device_luid, "device_luid"));
             if (!image.is_none()) {
               share.image = class_argument<ImageLayout>(image, "image", "ImageLayout or None");
               share.image->check_inside(share.size, "allocation");
             }
             share.handle = to_handle(form_of(share.type), handle, bool_argument(owned, "owned"));
             return share;
           }),
           py::arg("type"), py::arg("handle"), py::arg("size"), py::arg("dedicated") = false,
           py::arg("device_uuid") = py::none(), py::arg("device_luid") = py::none(),
           py::arg("image") = py::none(), py::arg("owned") = true)
      .def_readonly("type", &MemoryShare::type, "The kind of handle (MemoryHandleType).")
      .def_readonly("size", &MemoryShare::size,
                    "The allocation size in bytes the producer reports (what CUDA is given).")
      .def_readonly("dedicated", &MemoryShare::dedicated,
                    "Whether the memory is a dedicated allocation (CUDA must be told).")
      .def_readonly("image", &MemoryShare::image,
                    "For an image, its ImageLayout (how to map it as a mipmapped array); else "
                    "None.")
      .def("validate", &MemoryShare::validate,
           "Raises unless this could be imported here: ValueError for a size of 0, a handle of "
           "the wrong form, a missing dedicated flag or an image layout outside the allocation; "
           "NotSupportedError where the platform has no such handles; ClosedError once the "
           "handle is closed or released.")
      .def("__repr__", [](const MemoryShare& self) {
        std::string text = "MemoryShare(" + py::cast(self.type).attr("name").cast<std::string>() +
                           ", " + describe_handle(self.handle) +
                           ", size=" + std::to_string(self.size) +
                           (self.dedicated ? ", dedicated" : "") + describe_device(self.device);
        if (self.image) text += ", image=" + py::repr(py::cast(*self.image)).cast<std::string>();
        return text + ")";
      });
  def_common(memory);

  py::class_<SemaphoreShare> semaphore(m, "SemaphoreShare",
                                       "An exported semaphore, fence or keyed mutex: handle, "
                                       "handle type and device identity.");
  semaphore
      .def(py::init([](const py::object& type, const py::object& handle,
                       const py::object& device_uuid, const py::object& device_luid,
                       const py::object& owned) {
             SemaphoreShare share;
             share.type = class_argument<SemaphoreHandleType>(type, "type", "SemaphoreHandleType");
             check_known(share.type);
             share.device = to_identity(optional_bytes_argument(device_uuid, "device_uuid"),
                                        optional_bytes_argument(device_luid, "device_luid"));
             share.handle = to_handle(form_of(share.type), handle, bool_argument(owned, "owned"));
             return share;
           }),
           py::arg("type"), py::arg("handle"), py::arg("device_uuid") = py::none(),
           py::arg("device_luid") = py::none(), py::arg("owned") = true)
      .def_readonly("type", &SemaphoreShare::type, "The kind of handle (SemaphoreHandleType).")
      .def("validate", &SemaphoreShare::validate,
           "Raises unless this could be imported here: ValueError for a handle of the wrong "
           "form, NotSupportedError where the platform has no such handles, ClosedError once "
           "the handle is closed or released.")
      .def("__repr__", [](const SemaphoreShare& self) {
        return "SemaphoreShare(" + py::cast(self.type).attr("name").cast<std::string>() + ", " +
               describe_handle(self.handle) + describe_device(self.device) + ")";
      });
  def_common(semaphore);

  m.def(
      "fd_never_share",
      [](const py::handle& fd) -> std::optional<std::string> {
#ifdef _WIN32
        (void)int64_argument(fd, "fd");
        return std::nullopt;
#else
        std::string never = fd_never_share(fd_argument(int64_argument(fd, "fd")));
        if (never.empty()) return std::nullopt;
        return never;
#endif
      },
      py::arg("fd"),
      "What `fd` is when it can never be an exported memory object or semaphore (\"a pipe\", "
      "\"an eventfd\", \"/dev/null, a character device\"), else None. A known-bad list: "
      "memfds, dma-bufs, sync files and drivers' own files pass.");
}

}  // namespace cuda_interop::bindings
