// SPDX-License-Identifier: Apache-2.0
#pragma once
/// DLPack (v1.1 ABI): the structs, as the DLPack specification defines them, and the export of
/// linear device memory as a managed tensor that keeps its owner alive.

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

enum DLDataTypeCode : std::uint8_t { kDLInt = 0, kDLUInt = 1, kDLFloat = 2, kDLBfloat = 4, kDLBool = 6 };

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

}  // namespace cuda_interop::dlpack

#include "cuda_interop/device_span.hpp"

namespace cuda_interop {

using namespace dlpack;

inline constexpr DLPackVersion dlpack_version{1, 1};

/// What to export: `shape` elements of `dtype` (C order) at `data` on CUDA device `device`.
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

/// A new managed tensor (versioned or legacy) whose deleter releases `owner` — so the memory
/// outlives every other owner until the consumer calls the deleter. InvalidArgument for an
/// empty dtype or negative extents.
DLManagedTensorVersioned* export_versioned(const TensorDescription& tensor,
                                           std::shared_ptr<const void> owner);
DLManagedTensor* export_legacy(const TensorDescription& tensor, std::shared_ptr<const void> owner);

}  // namespace cuda_interop
