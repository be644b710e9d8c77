// SPDX-License-Identifier: Apache-2.0
// The wire form of the share descriptors (share.hpp): every field but the handle, as the JSON
// object that travels beside the fd between processes. Written once here, for the encoder and the
// decoder alike, so a field added to a descriptor is added to its wire form in one place.
//
//   {"kind": "memory", "type": 1, "device_uuid": "<32 hex digits>" | null, "size": 4096,
//    "dedicated": false, "image": null | {"kind": 1, "bits": 8, "channels": 4,
//    "extent": [w, h, d], "levels": 1, "flags": 0, "offset": 0}}
//   {"kind": "semaphore", "type": 9, "device_uuid": ...}
//
// Decoding trusts nothing: each field must be of its exact JSON type (a bool is not an int here,
// nor "false" a bool), and every range is the core's (arguments.hpp); a bad message is a
// ValueError naming the field. The LUID does not travel: the wire carries fds, a Linux form.
#include <pybind11/pybind11.h>
#include <pybind11/typing.h>

#include <cstdint>
#include <optional>
#include <string>

#include "convert.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/share.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

/// A wire message as the stubs name it: dict[str, Any].
using Message = py::typing::Dict<py::str, py::object>;

/// Field `name` of `message`, or None when it has none.
py::object field_of(const py::dict& message, const char* name) {
  if (!message.contains(name)) return py::none();
  return message[name];
}

[[noreturn]] void refuse(const std::string& what, const py::handle& value) {
  throw py::value_error(what + ", got " + std::string(py::repr(value)));
}

/// Field `name` of `message`: an int (not a bool), as a signed 64-bit value.
std::int64_t int_field(const py::dict& message, const char* name, const char* owner = "field") {
  const py::object value = field_of(message, name);
  if (!PyLong_CheckExact(value.ptr())) {
    refuse(std::string(owner) + " '" + name + "' must be a int", value);
  }
  return int64_argument(value, name);
}

bool bool_field(const py::dict& message, const char* name) {
  const py::object value = field_of(message, name);
  if (!PyBool_Check(value.ptr())) refuse(std::string("field '") + name + "' must be a bool", value);
  return value.ptr() == Py_True;
}

py::object uuid_to_wire(const std::optional<Uuid>& uuid) {
  if (!uuid) return py::none();
  return py::bytes(reinterpret_cast<const char*>(uuid->data()), uuid->size()).attr("hex")();
}

std::optional<Uuid> uuid_from_wire(const py::dict& message) {
  const py::object value = field_of(message, "device_uuid");
  if (value.is_none()) return std::nullopt;
  const char* refusal = "field 'device_uuid' must be 32 hex digits";
  if (!PyUnicode_CheckExact(value.ptr()) || py::len(value) != 32) refuse(refusal, value);
  Uuid uuid{};
  const std::string text = value.cast<std::string>();
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    std::size_t used = 0;
    const std::string pair = text.substr(2 * i, 2);
    if (pair.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) refuse(refusal, value);
    uuid[i] = static_cast<std::uint8_t>(std::stoul(pair, &used, 16));
  }
  return uuid;
}

py::dict image_to_wire(const ImageLayout& image) {
  py::dict wire;
  wire["kind"] = static_cast<int>(image.format.kind);
  wire["bits"] = image.format.bits;
  wire["channels"] = image.format.channels;
  py::list extent;
  for (std::uint64_t value : {image.extent.width, image.extent.height, image.extent.depth}) {
    extent.append(value);
  }
  wire["extent"] = extent;
  wire["levels"] = image.levels;
  wire["flags"] = image.flags;
  wire["offset"] = image.offset;
  return wire;
}

std::optional<ImageLayout> image_from_wire(const py::dict& message) {
  const py::object value = field_of(message, "image");
  if (value.is_none()) return std::nullopt;
  if (!PyDict_CheckExact(value.ptr())) refuse("field 'image' must be an object", value);
  const auto fields = py::reinterpret_borrow<py::dict>(value);
  const py::object extent = field_of(fields, "extent");
  if (!PyList_CheckExact(extent.ptr()) || py::len(extent) != 3) {
    refuse("image field 'extent' must be three ints", extent);
  }
  for (const py::handle& item : extent) {
    if (!PyLong_CheckExact(item.ptr())) refuse("image field 'extent' must be three ints", extent);
  }
  const std::int64_t kind = int_field(fields, "kind", "image field");
  if (kind < static_cast<int>(ChannelKind::Signed) || kind > static_cast<int>(ChannelKind::Float)) {
    throw py::value_error("image field 'kind' must be 0 (signed), 1 (unsigned) or 2 (float), got " +
                          std::to_string(kind));
  }
  ImageLayout image;
  image.format = {static_cast<ChannelKind>(kind),
                  non_negative_u32(int_field(fields, "bits", "image field"), "bits"),
                  non_negative_u32(int_field(fields, "channels", "image field"), "channels")};
  const auto items = py::reinterpret_borrow<py::list>(extent);
  image.extent = {non_negative(int64_argument(items[0], "extent width"), "extent width"),
                  non_negative(int64_argument(items[1], "extent height"), "extent height"),
                  non_negative(int64_argument(items[2], "extent depth"), "extent depth")};
  image.levels = positive_u32(int_field(fields, "levels", "image field"), "levels");
  image.flags = non_negative_u32(int_field(fields, "flags", "image field"), "flags");
  image.offset = non_negative(int_field(fields, "offset", "image field"), "offset");
  image.validate();
  return image;
}

/// `message` as a dict of the `kind` of share; ValueError otherwise.
py::dict message_of(const py::handle& message, const char* kind) {
  if (!PyDict_CheckExact(message.ptr())) {
    throw py::value_error(std::string("a message is a JSON object, got ") +
                          Py_TYPE(message.ptr())->tp_name);
  }
  const auto fields = py::reinterpret_borrow<py::dict>(message);
  const py::object got = field_of(fields, "kind");
  if (!PyUnicode_CheckExact(got.ptr()) || got.cast<std::string>() != kind) {
    throw py::value_error(std::string("expected a '") + kind + "' share, got kind " +
                          std::string(py::repr(got)));
  }
  return fields;
}

/// The handle type of `message`, known to this build; ValueError otherwise.
template <typename HandleType>
HandleType type_from_wire(const py::dict& message) {
  const std::int64_t value = int_field(message, "type");
  if (value < 0 || value > 0xFFFF) throw py::value_error("unknown handle type " + std::to_string(value));
  const auto type = static_cast<HandleType>(value);
  check_known(type);
  return type;
}

/// Binds to_wire() and from_wire() on `cls`: the fields every descriptor has (kind, handle type,
/// device UUID) here, the others through `write` and `read`; the handle is taken last, so a
/// malformed message leaves it to the caller.
template <typename Share>
void def_wire(py::class_<Share>& cls, const char* kind, void (*write)(const Share&, py::dict&),
              void (*read)(const py::dict&, Share&)) {
  cls.def(
         "to_wire",
         [kind, write](const Share& share) -> Message {
           py::dict wire;
           wire["kind"] = kind;
           wire["type"] = static_cast<int>(share.type);
           wire["device_uuid"] = uuid_to_wire(share.device.uuid);
           write(share, wire);
           return wire;
         },
         "Every field but the handle, as the JSON object that travels beside it (ipc).")
      .def_static(
          "from_wire",
          [kind, read](const py::object& message, const py::object& handle) {
            const py::dict fields = message_of(message, kind);
            Share share;
            share.type = type_from_wire<decltype(share.type)>(fields);
            share.device.uuid = uuid_from_wire(fields);
            read(fields, share);
            share.handle = SharedHandle::from_integer(form_of(share.type),
                                                      int64_argument(handle, "handle"), true);
            return share;
          },
          py::arg("message"), py::arg("handle"),
          "The share `message` (a to_wire() object) describes, owning `handle` from the moment "
          "it returns; ValueError naming the field when the message is malformed (the caller "
          "still owns the handle then).");
}

}  // namespace

void init_share_wire(py::module_& m) {
  auto memory = py::reinterpret_borrow<py::class_<MemoryShare>>(m.attr("MemoryShare"));
  def_wire<MemoryShare>(
      memory, "memory",
      [](const MemoryShare& share, py::dict& wire) {
        wire["size"] = share.size;
        wire["dedicated"] = share.dedicated;
        wire["image"] = share.image ? py::object(image_to_wire(*share.image)) : py::none();
      },
      [](const py::dict& fields, MemoryShare& share) {
        share.size = positive(int_field(fields, "size"), "size");
        share.dedicated = bool_field(fields, "dedicated");
        share.image = image_from_wire(fields);
      });
  auto semaphore = py::reinterpret_borrow<py::class_<SemaphoreShare>>(m.attr("SemaphoreShare"));
  def_wire<SemaphoreShare>(
      semaphore, "semaphore", [](const SemaphoreShare&, py::dict&) {},
      [](const py::dict&, SemaphoreShare&) {});
}

}  // namespace cuda_interop::bindings
