// SPDX-License-Identifier: Apache-2.0
// DLPack exports of linear device memory (pybind11 has no DLPack support of its own): capsules for
// the Python protocol, and hand-offs through a framework's C exchange API.
#include "cuda_interop/dlpack.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "cuda_interop/device_span.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

constexpr const char* versioned_name = "dltensor_versioned";
constexpr const char* legacy_name = "dltensor";
constexpr const char* exchange_api_name = "dlpack_exchange_api";

/// A capsule that nobody consumed still owns its tensor (consumers rename it to "used_...").
template <typename Managed>
void release_unconsumed(PyObject* capsule, const char* name) {
  if (PyCapsule_IsValid(capsule, name) == 0) return;
  auto* managed = static_cast<Managed*>(PyCapsule_GetPointer(capsule, name));
  if (managed != nullptr && managed->deleter != nullptr) managed->deleter(managed);
}

/// The table of major version 1 behind a `__dlpack_c_exchange_api__` capsule (walking the chain
/// of older tables when the framework's is newer); TypeError when it has none we can use.
const DLPackExchangeAPI* exchange_api(const py::handle& capsule) {
  auto* header = static_cast<DLPackExchangeAPIHeader*>(
      PyCapsule_GetPointer(capsule.ptr(), exchange_api_name));
  if (header == nullptr) throw py::error_already_set();  // not a capsule of that name
  const DLPackVersion newest = header->version;
  while (header != nullptr && header->version.major != dlpack_version.major) {
    header = header->prev_api;
  }
  const auto* api = reinterpret_cast<const DLPackExchangeAPI*>(header);
  if (api == nullptr || api->managed_tensor_to_py_object_no_sync == nullptr) {
    throw py::type_error("the DLPack C exchange API (version " + std::to_string(newest.major) +
                         "." + std::to_string(newest.minor) +
                         ") has no major version 1 table that imports tensors");
  }
  return api;
}

/// One tensor of a span, described once: each capsule or hand-off is a new managed tensor that
/// holds the span's owner, so the memory stays valid until its consumer lets go.
class Export {
 public:
  Export(const TensorDescription& tensor, std::shared_ptr<const void> owner)
      : prepared_(std::make_shared<const PreparedTensor>(tensor, std::move(owner))) {}

  py::capsule capsule(bool versioned) const {
    if (versioned) {
      DLManagedTensorVersioned* managed = export_versioned(prepared_);
      PyObject* capsule = PyCapsule_New(managed, versioned_name, [](PyObject* self) {
        release_unconsumed<DLManagedTensorVersioned>(self, versioned_name);
      });
      if (capsule == nullptr) {
        managed->deleter(managed);
        throw py::error_already_set();
      }
      return py::reinterpret_steal<py::capsule>(capsule);
    }
    DLManagedTensor* managed = export_legacy(prepared_);
    PyObject* capsule = PyCapsule_New(managed, legacy_name, [](PyObject* self) {
      release_unconsumed<DLManagedTensor>(self, legacy_name);
    });
    if (capsule == nullptr) {
      managed->deleter(managed);
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::capsule>(capsule);
  }

  /// The framework's tensor of this memory, made by its exchange API (`api`: the capsule of
  /// its tensor type's `__dlpack_c_exchange_api__`). No Python call and no stream
  /// synchronisation, as with `__dlpack__` (this package enqueues no work on the memory).
  py::object to(const py::handle& api) const {
    const DLPackExchangeAPI* table = exchange_api(api);
    DLManagedTensorVersioned* managed = export_versioned(prepared_);
    void* out = nullptr;
    if (hand_over(managed, table->managed_tensor_to_py_object_no_sync, &out) != 0 ||
        out == nullptr) {
      if (PyErr_Occurred() == nullptr) {
        PyErr_SetString(PyExc_RuntimeError, "the DLPack C exchange API failed without an error");
      }
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::object>(static_cast<PyObject*>(out));
  }

  std::uintptr_t ptr() const {
    return reinterpret_cast<std::uintptr_t>(prepared_->tensor().data);
  }

 private:
  std::shared_ptr<const PreparedTensor> prepared_;
};

Export export_span(const DeviceSpan& span, std::int64_t byte_offset,
                   std::vector<std::int64_t> shape, std::uint8_t code, std::uint8_t bits) {
  const TensorDescription tensor = describe_tensor(
      span, non_negative(byte_offset, "byte_offset"), {code, bits, 1}, std::move(shape));
  // The export holds the span's owner: closing every other reference leaves the memory valid.
  return {tensor, span.owner()};
}

}  // namespace

void init_dlpack(py::module_& m) {
  py::class_<Export>(m, "DLPackExport",
                     "A tensor of linear memory, described once, handed out as DLPack capsules "
                     "or through a framework's C exchange API. Holds the memory.")
      .def("capsule", &Export::capsule, py::arg("versioned"),
           "A new DLPack capsule (versioned or legacy) that keeps the memory valid until the "
           "consumer lets go.")
      .def("to", &Export::to, py::arg("api"),
           "The tensor made by a framework's DLPack C exchange API (the capsule of its tensor "
           "type's ``__dlpack_c_exchange_api__``); no stream synchronisation.")
      .def_property_readonly("ptr", &Export::ptr, "Address of the first element.");
  m.def(
      "dlpack_exchange_api_version",
      [](const py::handle& api) {
        const DLPackExchangeAPI* table = exchange_api(api);
        return py::make_tuple(table->header.version.major, table->header.version.minor);
      },
      py::arg("api"),
      "(major, minor) of the table of a ``__dlpack_c_exchange_api__`` capsule that views use; "
      "TypeError or ValueError when there is none.");
  m.def("dlpack_export", &export_span, py::arg("span"), py::arg("byte_offset"), py::arg("shape"),
        py::arg("code"), py::arg("bits"),
        "`shape` elements (C order) of DLPack type (`code`, `bits`) at `byte_offset` into "
        "`span`; InvalidArgument when they do not fit.");
}

}  // namespace cuda_interop::bindings
