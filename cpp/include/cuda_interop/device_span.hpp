// SPDX-License-Identifier: Apache-2.0
#pragma once
/// DeviceSpan: a range of linear device memory with the owner that keeps it valid. Every kind of
/// linear memory (a mapping of an ExternalMemory, a SharedAllocation) is handed out as one.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "cuda_interop/stream.hpp"

namespace cuda_interop {

/// `size` bytes at `data` on `device`. Copies share the owner: the memory stays valid while any
/// copy is open. close() drops this copy's reference; use after close raises ClosedError.
/// A negative `device` marks host memory (DLPack kDLCPU; copies and fill are memcpy/memset):
/// what tests of the exports use without a GPU.
class DeviceSpan {
 public:
  DeviceSpan() noexcept = default;
  DeviceSpan(void* data, std::uint64_t size, int device, std::shared_ptr<const void> owner) noexcept
      : data_(data), size_(size), device_(device), owner_(std::move(owner)) {}

  void* data() const;
  std::uint64_t size() const;
  int device() const;
  /// What keeps the memory valid (for exports such as DLPack that must hold it).
  const std::shared_ptr<const void>& owner() const;

  /// [offset, offset + size) of this span; size 0 means the rest. InvalidArgument outside it.
  DeviceSpan subspan(std::uint64_t offset, std::uint64_t size = 0) const;

  /// Copies between host memory and [offset, offset + bytes). Without a stream they are
  /// synchronous; with one they are ordered after the stream's work and complete on return.
  void copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset = 0,
                      std::optional<StreamHandle> stream = std::nullopt) const;
  void copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset = 0,
                    std::optional<StreamHandle> stream = std::nullopt) const;
  /// Sets every byte of [offset, offset + bytes) to `value`: synchronous without a stream,
  /// enqueued on it otherwise.
  void fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes,
            std::optional<StreamHandle> stream = std::nullopt) const;

  void close() noexcept { owner_.reset(); }
  bool closed() const noexcept { return owner_ == nullptr; }

 private:
  void* data_ = nullptr;
  std::uint64_t size_ = 0;
  int device_ = 0;
  std::shared_ptr<const void> owner_;
};

}  // namespace cuda_interop
