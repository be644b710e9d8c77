// SPDX-License-Identifier: Apache-2.0
#pragma once
/// MappedBuffer: a range of an ExternalMemory mapped as linear device memory.

#include <cstddef>
#include <cstdint>
#include <memory>

namespace cuda_interop {

namespace detail {
struct MappedBufferState;
struct ExternalMemoryState;
struct LinearMemory;
}  // namespace detail

/// Owns a pointer from cudaExternalMemoryGetMappedBuffer and frees it (cudaFree, on its device).
/// Copies share the mapping; it is freed when the last copy is closed or destroyed, and it keeps
/// its ExternalMemory alive until then. A consumer that holds a copy (a DLPack capsule, a view)
/// is therefore safe against close() of any other copy.
class MappedBuffer {
 public:
  MappedBuffer() noexcept = default;

  void* data() const;
  std::uint64_t size() const;
  /// Offset of the mapping within its ExternalMemory.
  std::uint64_t offset() const;
  int device() const;

  /// Synchronous copies between host memory and [offset, offset + bytes) of the mapping.
  void copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset = 0) const;
  void copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset = 0) const;
  /// Sets every byte of [offset, offset + bytes) to `value` (cudaMemset, synchronous).
  void fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes) const;

  /// Drops this copy's reference; idempotent.
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  friend class ExternalMemory;
  explicit MappedBuffer(std::shared_ptr<detail::MappedBufferState> state) noexcept
      : state_(std::move(state)) {}
  const detail::MappedBufferState& live() const;
  detail::LinearMemory memory() const;

  std::shared_ptr<detail::MappedBufferState> state_;
};

}  // namespace cuda_interop
