// SPDX-License-Identifier: Apache-2.0
#pragma once
/// SharedAllocation: CUDA device memory that other processes and APIs can import.
/// Created with cuMemCreate as a shareable allocation (a POSIX fd on Linux, an NT handle on
/// Windows) and mapped into this process, so one side writes through data() and the importer
/// sees the same bytes.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cuda_interop/os_handle.hpp"

namespace cuda_interop {

namespace detail {
struct SharedAllocationState;
struct LinearMemory;
}  // namespace detail

class SharedAllocation {
 public:
  SharedAllocation() noexcept = default;

  /// Allocates at least `size` bytes on `device` (< 0: current), rounded up to the allocation
  /// granularity; size() is the exported size that an importer must be given.
  static SharedAllocation create(std::uint64_t size, int device);

  void* data() const;
  std::uint64_t size() const;
  int device() const;

#ifdef _WIN32
  /// A new NT handle to the allocation on every call (cuMemExportToShareableHandle).
  UniqueWin32Handle export_win32() const;
#else
  /// A new file descriptor for the allocation on every call (cuMemExportToShareableHandle).
  UniqueFd export_fd() const;
#endif

  void copy_from_host(const void* source, std::size_t bytes, std::uint64_t offset = 0) const;
  void copy_to_host(void* destination, std::size_t bytes, std::uint64_t offset = 0) const;
  void fill(std::uint8_t value, std::uint64_t offset, std::uint64_t bytes) const;

  /// Unmaps and releases this process's reference; importers keep theirs. Idempotent.
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit SharedAllocation(std::shared_ptr<detail::SharedAllocationState> state) noexcept
      : state_(std::move(state)) {}
  const detail::SharedAllocationState& live() const;
  detail::LinearMemory memory() const;

  std::shared_ptr<detail::SharedAllocationState> state_;
};

}  // namespace cuda_interop
