// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/dlpack.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

/// One allocation per managed tensor: the struct handed out and what keeps its tensor valid.
template <typename Managed>
struct Holder {
  Managed managed{};
  std::shared_ptr<const PreparedTensor> prepared;
};

/// The managed tensor whose deleter ran last on this thread (see hand_over).
thread_local const void* last_deleted = nullptr;

template <typename Managed>
void delete_managed(Managed* self) {
  last_deleted = self;  // only compared, never dereferenced
  delete static_cast<Holder<Managed>*>(self->manager_ctx);  // may free the mapping: never throws
}

template <typename Managed>
Managed* make_managed(std::shared_ptr<const PreparedTensor> prepared) {
  auto* holder = new Holder<Managed>();
  holder->managed.dl_tensor = prepared->tensor();
  holder->managed.manager_ctx = holder;
  holder->managed.deleter = &delete_managed<Managed>;
  holder->prepared = std::move(prepared);
  return &holder->managed;
}

}  // namespace

PreparedTensor::PreparedTensor(const TensorDescription& description,
                               std::shared_ptr<const void> owner)
    : shape_(description.shape), owner_(std::move(owner)) {
  if (description.dtype.bits == 0 || description.dtype.lanes == 0) {
    throw InvalidArgument("DLPack dtype must have bits and lanes");
  }
  for (std::int64_t extent : shape_) {
    if (extent < 0) throw InvalidArgument("DLPack shape must not be negative");
  }
  // C order, in elements. DLPack >= 1.0 asks for explicit strides (NULL is the legacy spelling).
  strides_.assign(shape_.size(), 1);
  for (std::size_t i = shape_.size(); i > 1; --i) {
    strides_[i - 2] = strides_[i - 1] * std::max<std::int64_t>(shape_[i - 1], 1);
  }
  tensor_.data = description.data;
  tensor_.device = dlpack_device(description.device);
  tensor_.ndim = static_cast<std::int32_t>(shape_.size());
  tensor_.dtype = description.dtype;
  tensor_.shape = shape_.empty() ? nullptr : shape_.data();
  tensor_.strides = strides_.empty() ? nullptr : strides_.data();
  tensor_.byte_offset = 0;
}

DLDevice dlpack_device(int ordinal) noexcept {
  return ordinal < 0 ? DLDevice{kDLCPU, 0} : DLDevice{kDLCUDA, ordinal};
}

int hand_over(DLManagedTensorVersioned* managed, int (*consume)(DLManagedTensorVersioned*, void**),
              void** out) noexcept {
  last_deleted = nullptr;
  const int status = consume(managed, out);
  // A consumer that failed before owning the tensor leaves it to us; one that failed after has
  // already called the deleter (on this thread, inside the call).
  if (status != 0 && last_deleted != managed) managed->deleter(managed);
  last_deleted = nullptr;
  return status;
}

DLManagedTensorVersioned* export_versioned(std::shared_ptr<const PreparedTensor> prepared) {
  DLManagedTensorVersioned* managed = make_managed<DLManagedTensorVersioned>(std::move(prepared));
  managed->version = dlpack_version;
  managed->flags = 0;
  return managed;
}

DLManagedTensor* export_legacy(std::shared_ptr<const PreparedTensor> prepared) {
  return make_managed<DLManagedTensor>(std::move(prepared));
}

DLManagedTensorVersioned* export_versioned(const TensorDescription& tensor,
                                           std::shared_ptr<const void> owner) {
  return export_versioned(std::make_shared<const PreparedTensor>(tensor, std::move(owner)));
}

DLManagedTensor* export_legacy(const TensorDescription& tensor, std::shared_ptr<const void> owner) {
  return export_legacy(std::make_shared<const PreparedTensor>(tensor, std::move(owner)));
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
