// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/device_span.hpp"

#include <cuda_runtime_api.h>

#include <cstring>
#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

cudaStream_t as_stream(StreamHandle stream) { return reinterpret_cast<cudaStream_t>(stream); }

/// A host copy: synchronous, or on `stream` and then waited for (the host buffer is the
/// caller's only until we return).
void copy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind,
          const std::optional<StreamHandle>& stream) {
  if (!stream) {
    CUDA_INTEROP_CHECK(cudaMemcpy(destination, source, bytes, kind),
                       std::to_string(bytes) + " bytes");
    return;
  }
  CUDA_INTEROP_CHECK(cudaMemcpyAsync(destination, source, bytes, kind, as_stream(*stream)),
                     std::to_string(bytes) + " bytes");
  CUDA_INTEROP_CHECK(cudaStreamSynchronize(as_stream(*stream)));
}

}  // namespace

void* DeviceSpan::data() const {
  if (!owner_) throw ClosedError("the device memory is closed");
  return data_;
}

std::uint64_t DeviceSpan::size() const {
  if (!owner_) throw ClosedError("the device memory is closed");
  return size_;
}

int DeviceSpan::device() const {
  if (!owner_) throw ClosedError("the device memory is closed");
  return device_;
}

const std::shared_ptr<const void>& DeviceSpan::owner() const {
  if (!owner_) throw ClosedError("the device memory is closed");
  return owner_;
}

DeviceSpan DeviceSpan::subspan(std::uint64_t offset, std::uint64_t size) const {
  const std::uint64_t total = this->size();
  if (offset > total || (size == 0 && offset == total)) {
    throw InvalidArgument("offset " + std::to_string(offset) + " is not inside the " +
                          std::to_string(total) + "-byte memory");
  }
  const std::uint64_t length = size == 0 ? total - offset : size;
  check_range(offset, length, total, "view");
  return DeviceSpan(static_cast<char*>(data_) + offset, length, device_, owner_);
}

void DeviceSpan::copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset,
                                std::optional<StreamHandle> stream) const {
  check_range(offset, bytes, size(), "copy_from_host");
  if (device_ < 0) {  // a host span (see DeviceSpan): nothing to order on a stream
    std::memcpy(static_cast<char*>(data_) + offset, source, bytes);
    return;
  }
  DeviceGuard guard(device_);
  copy(static_cast<char*>(data_) + offset, source, bytes, cudaMemcpyHostToDevice, stream);
}

void DeviceSpan::copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset,
                              std::optional<StreamHandle> stream) const {
  check_range(offset, bytes, size(), "copy_to_host");
  if (device_ < 0) {
    std::memcpy(destination, static_cast<const char*>(data_) + offset, bytes);
    return;
  }
  DeviceGuard guard(device_);
  copy(destination, static_cast<const char*>(data_) + offset, bytes, cudaMemcpyDeviceToHost,
       stream);
}

void DeviceSpan::fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes,
                      std::optional<StreamHandle> stream) const {
  check_range(offset, bytes, size(), "fill");
  void* start = static_cast<char*>(data_) + offset;
  if (device_ < 0) {
    std::memset(start, value, bytes);
    return;
  }
  DeviceGuard guard(device_);
  if (stream) {
    CUDA_INTEROP_CHECK(cudaMemsetAsync(start, value, bytes, as_stream(*stream)));
  } else {
    CUDA_INTEROP_CHECK(cudaMemset(start, value, bytes));
  }
}

}  // namespace cuda_interop
