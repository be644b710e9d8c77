// SPDX-License-Identifier: Apache-2.0
// DLPack capsules for linear device memory (pybind11 has no DLPack support of its own).
#include "cuda_interop/dlpack.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "convert.hpp"
#include "cuda_interop/device_span.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {
namespace {

constexpr const char* versioned_name = "dltensor_versioned";
constexpr const char* legacy_name = "dltensor";

/// A capsule that nobody consumed still owns its tensor (consumers rename it to "used_...").
template <typename Managed>
void release_unconsumed(PyObject* capsule, const char* name) {
  if (PyCapsule_IsValid(capsule, name) == 0) return;
  auto* managed = static_cast<Managed*>(PyCapsule_GetPointer(capsule, name));
  if (managed != nullptr && managed->deleter != nullptr) managed->deleter(managed);
}

py::capsule make_capsule(const TensorDescription& tensor, std::shared_ptr<const void> owner,
                         bool versioned) {
  if (versioned) {
    DLManagedTensorVersioned* managed = export_versioned(tensor, std::move(owner));
    PyObject* capsule = PyCapsule_New(managed, versioned_name, [](PyObject* self) {
      release_unconsumed<DLManagedTensorVersioned>(self, versioned_name);
    });
    if (capsule == nullptr) {
      managed->deleter(managed);
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::capsule>(capsule);
  }
  DLManagedTensor* managed = export_legacy(tensor, std::move(owner));
  PyObject* capsule = PyCapsule_New(managed, legacy_name, [](PyObject* self) {
    release_unconsumed<DLManagedTensor>(self, legacy_name);
  });
  if (capsule == nullptr) {
    managed->deleter(managed);
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::capsule>(capsule);
}

py::capsule export_span(const DeviceSpan& span, std::int64_t byte_offset,
                        std::vector<std::int64_t> shape, std::uint8_t code, std::uint8_t bits,
                        bool versioned) {
  const TensorDescription tensor = describe_tensor(span, non_negative(byte_offset, "byte_offset"),
                                                   {code, bits, 1}, std::move(shape));
  // The capsule holds the span's owner: closing every other reference leaves the memory valid.
  return make_capsule(tensor, span.owner(), versioned);
}

}  // namespace

void init_dlpack(py::module_& m) {
  m.def("dlpack", &export_span, py::arg("span"), py::arg("byte_offset"), py::arg("shape"),
        py::arg("code"), py::arg("bits"), py::arg("versioned"),
        "A DLPack capsule over device memory that keeps it valid until the consumer lets go.");
}

}  // namespace cuda_interop::bindings
