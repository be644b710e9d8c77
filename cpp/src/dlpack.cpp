// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/dlpack.hpp"

#include <string>
#include <utility>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

/// Lives as long as the managed tensor: the shape it points to and the owner it keeps.
struct Context {
  std::vector<std::int64_t> shape;
  std::shared_ptr<const void> owner;
};

DLTensor make_tensor(const TensorDescription& description, Context& context) {
  if (description.dtype.bits == 0 || description.dtype.lanes == 0) {
    throw InvalidArgument("DLPack dtype must have bits and lanes");
  }
  for (std::int64_t extent : description.shape) {
    if (extent < 0) throw InvalidArgument("DLPack shape must not be negative");
  }
  context.shape = description.shape;
  DLTensor tensor{};
  tensor.data = description.data;
  tensor.device = {kDLCUDA, description.device};
  tensor.ndim = static_cast<std::int32_t>(context.shape.size());
  tensor.dtype = description.dtype;
  tensor.shape = context.shape.empty() ? nullptr : context.shape.data();
  tensor.strides = nullptr;  // C-contiguous
  tensor.byte_offset = 0;
  return tensor;
}

template <typename Managed>
void delete_managed(Managed* self) {
  delete static_cast<Context*>(self->manager_ctx);  // may free the mapping: never throws
  delete self;
}

}  // namespace

DLManagedTensorVersioned* export_versioned(const TensorDescription& tensor,
                                           std::shared_ptr<const void> owner) {
  auto context = std::make_unique<Context>();
  context->owner = std::move(owner);
  auto managed = std::make_unique<DLManagedTensorVersioned>();
  managed->version = dlpack_version;
  managed->flags = 0;
  managed->dl_tensor = make_tensor(tensor, *context);
  managed->deleter = &delete_managed<DLManagedTensorVersioned>;
  managed->manager_ctx = context.release();
  return managed.release();
}

DLManagedTensor* export_legacy(const TensorDescription& tensor, std::shared_ptr<const void> owner) {
  auto context = std::make_unique<Context>();
  context->owner = std::move(owner);
  auto managed = std::make_unique<DLManagedTensor>();
  managed->dl_tensor = make_tensor(tensor, *context);
  managed->deleter = &delete_managed<DLManagedTensor>;
  managed->manager_ctx = context.release();
  return managed.release();
}

TensorDescription describe_tensor(const DeviceSpan& span, std::uint64_t byte_offset,
                                  DLDataType dtype, std::vector<std::int64_t> shape) {
  const std::uint64_t size = span.size();
  if (byte_offset > size) {
    throw InvalidArgument("byte_offset " + std::to_string(byte_offset) + " is outside the " +
                          std::to_string(size) + "-byte memory");
  }
  const std::uint64_t available = size - byte_offset;
  std::uint64_t bytes = (dtype.bits + 7u) / 8u * dtype.lanes;
  for (std::int64_t extent : shape) {
    if (extent < 0) throw InvalidArgument("DLPack shape must not be negative");
    const auto count = static_cast<std::uint64_t>(extent);
    bytes = count != 0 && bytes > available / count ? UINT64_MAX : bytes * count;
  }
  if (bytes > available) {
    throw InvalidArgument("the tensor needs more than the " + std::to_string(available) +
                          " bytes that remain after byte_offset " + std::to_string(byte_offset));
  }
  TensorDescription tensor;
  tensor.data = static_cast<char*>(span.data()) + byte_offset;
  tensor.device = span.device();
  tensor.dtype = dtype;
  tensor.shape = std::move(shape);
  return tensor;
}

}  // namespace cuda_interop
