// SPDX-License-Identifier: Apache-2.0
#pragma once
/// DLPack (v1 ABI): the structs, as the DLPack specification defines them (the type codes of
/// DLPack 1.1, the C exchange API table of 1.2/1.3), and the export of linear device memory as a
/// managed tensor that keeps its owner alive.

#include <cstdint>
#include <memory>
#include <vector>

// In our namespace so that a program may also include the reference dlpack.h; the layouts are
// the specification's.
namespace cuda_interop::dlpack {

enum DLDeviceType : std::int32_t { kDLCPU = 1, kDLCUDA = 2 };

struct DLDevice {
  DLDeviceType device_type;
  std::int32_t device_id;
};

enum DLDataTypeCode : std::uint8_t {
  kDLInt = 0,
  kDLUInt = 1,
  kDLFloat = 2,
  kDLOpaqueHandle = 3,
  kDLBfloat = 4,
  kDLComplex = 5,
  kDLBool = 6,
  // DLPack 1.1: 8-bit floats (one element per byte) ...
  kDLFloat8_e3m4 = 7,
  kDLFloat8_e4m3 = 8,
  kDLFloat8_e4m3b11fnuz = 9,
  kDLFloat8_e4m3fn = 10,
  kDLFloat8_e4m3fnuz = 11,
  kDLFloat8_e5m2 = 12,
  kDLFloat8_e5m2fnuz = 13,
  kDLFloat8_e8m0fnu = 14,
  // ... and 6- and 4-bit floats, packed unless the producer flags them padded.
  kDLFloat6_e2m3fn = 15,
  kDLFloat6_e3m2fn = 16,
  kDLFloat4_e2m1fn = 17,
};

struct DLDataType {
  std::uint8_t code;
  std::uint8_t bits;
  std::uint16_t lanes;
};

struct DLTensor {
  void* data;
  DLDevice device;
  std::int32_t ndim;
  DLDataType dtype;
  std::int64_t* shape;
  std::int64_t* strides;
  std::uint64_t byte_offset;
};

/// The pre-1.0 ("legacy") managed tensor.
struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(DLManagedTensor* self);
};

struct DLPackVersion {
  std::uint32_t major;
  std::uint32_t minor;
};

struct DLManagedTensorVersioned {
  DLPackVersion version;
  void* manager_ctx;
  void (*deleter)(DLManagedTensorVersioned* self);
  std::uint64_t flags;
  DLTensor dl_tensor;
};

// The C exchange API (DLPack 1.2/1.3): a framework publishes this table as the PyCapsule
// "dlpack_exchange_api" in its tensor type's `__dlpack_c_exchange_api__`; the functions take and
// return PyObject* as void*, and none of them synchronizes streams. Only the table's layout is
// used here (its functions are called with the GIL held).
struct DLPackExchangeAPIHeader {
  DLPackVersion version;
  DLPackExchangeAPIHeader* prev_api;  // an older table, for consumers of an older major version
};

struct DLPackExchangeAPI {
  DLPackExchangeAPIHeader header;
  int (*managed_tensor_allocator)(DLTensor* prototype, DLManagedTensorVersioned** out,
                                  void* error_ctx,
                                  void (*set_error)(void* error_ctx, const char* kind,
                                                    const char* message));
  int (*managed_tensor_from_py_object_no_sync)(void* py_object, DLManagedTensorVersioned** out);
  /// Takes ownership of `tensor` (the framework calls its deleter when its tensor dies); 0 and a
  /// new reference in `out_py_object`, or -1 with a Python exception set.
  int (*managed_tensor_to_py_object_no_sync)(DLManagedTensorVersioned* tensor,
                                             void** out_py_object);
  int (*dltensor_from_py_object_no_sync)(void* py_object, DLTensor* out);
  int (*current_work_stream)(DLDeviceType device_type, std::int32_t device_id,
                             void** out_current_stream);
};

}  // namespace cuda_interop::dlpack

#include "cuda_interop/device_span.hpp"

namespace cuda_interop {

using namespace dlpack;

inline constexpr DLPackVersion dlpack_version{1, 1};

/// The DLPack device of memory on CUDA device `ordinal`; a negative ordinal is host memory
/// (kDLCPU), as the spans that test exports without a GPU use.
DLDevice dlpack_device(int ordinal) noexcept;

/// What to export: `shape` elements of `dtype` (C order) at `data` on CUDA device `device`
/// (host memory when negative).
struct TensorDescription {
  void* data = nullptr;
  int device = 0;
  DLDataType dtype{kDLUInt, 8, 1};
  std::vector<std::int64_t> shape;
};

/// A tensor of `shape` elements of `dtype` at `byte_offset` into `span`; InvalidArgument when it
/// does not fit in the span (or byte_offset is outside it).
TensorDescription describe_tensor(const DeviceSpan& span, std::uint64_t byte_offset,
                                  DLDataType dtype, std::vector<std::int64_t> shape);

/// A tensor described once for many exports: the DLTensor, the shape and C-order strides (in
/// elements) it points to, and the owner of the memory. InvalidArgument for an empty dtype or
/// negative extents.
class PreparedTensor {
 public:
  PreparedTensor(const TensorDescription& tensor, std::shared_ptr<const void> owner);
  PreparedTensor(const PreparedTensor&) = delete;
  PreparedTensor& operator=(const PreparedTensor&) = delete;

  const DLTensor& tensor() const noexcept { return tensor_; }

 private:
  std::vector<std::int64_t> shape_;
  std::vector<std::int64_t> strides_;
  DLTensor tensor_{};
  std::shared_ptr<const void> owner_;
};

/// A new managed tensor (versioned or legacy) of `prepared` whose deleter releases it — so the
/// memory outlives every other owner until the consumer calls the deleter. One allocation.
DLManagedTensorVersioned* export_versioned(std::shared_ptr<const PreparedTensor> prepared);
DLManagedTensor* export_legacy(std::shared_ptr<const PreparedTensor> prepared);

/// The same, of a tensor described for this one export.
DLManagedTensorVersioned* export_versioned(const TensorDescription& tensor,
                                           std::shared_ptr<const void> owner);
DLManagedTensor* export_legacy(const TensorDescription& tensor, std::shared_ptr<const void> owner);

/// Hands `managed` (from export_versioned) to `consume`, which owns it on success (returns 0) and
/// may or may not have called its deleter on failure: after a failure, the tensor is deleted here
/// unless the consumer's call deleted it, so it is neither leaked nor deleted twice. Returns what
/// `consume` returned.
int hand_over(DLManagedTensorVersioned* managed, int (*consume)(DLManagedTensorVersioned*, void**),
              void** out) noexcept;

}  // namespace cuda_interop
