// SPDX-License-Identifier: Apache-2.0
// DLPack capsules for linear device memory (pybind11 has no DLPack support of its own).
#include "cuda_interop/dlpack.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "cuda_interop/mapped_buffer.hpp"
#include "cuda_interop/shared_allocation.hpp"

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

template <typename Owner>
py::capsule export_owner(const Owner& owner, std::uint64_t byte_offset,
                         const std::vector<std::int64_t>& shape, std::uint8_t code,
                         std::uint8_t bits, bool versioned) {
  TensorDescription tensor;
  tensor.data = static_cast<char*>(owner.data()) + byte_offset;
  tensor.device = owner.device();
  tensor.dtype = {code, bits, 1};
  tensor.shape = shape;
  // The capsule holds its own owner: closing every other one leaves the memory mapped.
  return make_capsule(tensor, std::make_shared<const Owner>(owner), versioned);
}

}  // namespace

void init_dlpack(py::module_& m) {
  m.def("dlpack_mapped_buffer", &export_owner<MappedBuffer>, py::arg("owner"),
        py::arg("byte_offset"), py::arg("shape"), py::arg("code"), py::arg("bits"),
        py::arg("versioned"), "A DLPack capsule over a mapped buffer that keeps it mapped.");
  m.def("dlpack_shared_allocation", &export_owner<SharedAllocation>, py::arg("owner"),
        py::arg("byte_offset"), py::arg("shape"), py::arg("code"), py::arg("bits"),
        py::arg("versioned"), "A DLPack capsule over a shared allocation that keeps it alive.");
}

}  // namespace cuda_interop::bindings
