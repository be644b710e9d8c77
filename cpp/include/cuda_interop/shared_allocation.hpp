// SPDX-License-Identifier: Apache-2.0
#pragma once
/// SharedAllocation: CUDA device memory that other processes and APIs can import.
/// Created with cuMemCreate as a shareable allocation (a POSIX fd on Linux, an NT handle on
/// Windows) and mapped into this process, so one side writes through span() and the importer
/// sees the same bytes.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cuda_interop/device_span.hpp"
#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop {

namespace detail {
struct SharedAllocationState;
}  // namespace detail

/// Move-only; the allocation lives while this object or any span or import of it does.
class SharedAllocation {
 public:
  SharedAllocation() noexcept;
  ~SharedAllocation();
  SharedAllocation(SharedAllocation&&) noexcept;
  SharedAllocation& operator=(SharedAllocation&&) noexcept;
  SharedAllocation(const SharedAllocation&) = delete;
  SharedAllocation& operator=(const SharedAllocation&) = delete;

  /// Allocates at least `size` bytes on `device` (< 0: current), rounded up to the allocation
  /// granularity; size() is the exported size that an importer must be given.
  static SharedAllocation create(std::uint64_t size, int device);

  /// The allocation as mapped in this process.
  DeviceSpan span() const;
  std::uint64_t size() const;
  int device() const;
  /// A share descriptor for importing it (here or in another process): a new handle, the size,
  /// and the device's UUID.
  MemoryShare export_share() const;

#ifdef _WIN32
  /// A new NT handle to the allocation on every call (cuMemExportToShareableHandle).
  UniqueWin32Handle export_win32() const;
#else
  /// A new file descriptor for the allocation on every call (cuMemExportToShareableHandle).
  UniqueFd export_fd() const;
#endif

  /// Unmaps and releases this process's reference; importers keep theirs. Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  const detail::SharedAllocationState& live() const;

  std::shared_ptr<detail::SharedAllocationState> state_;
};

}  // namespace cuda_interop
