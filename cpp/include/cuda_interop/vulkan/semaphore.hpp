// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Binary and timeline Vulkan semaphores, exportable to CUDA.

#include <cstdint>
#include <memory>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::vulkan {

struct SemaphoreResource;

/// A VkSemaphore. Move-only; the empty (closed) state throws ClosedError on use.
class Semaphore {
 public:
  Semaphore() noexcept = default;
  explicit Semaphore(std::shared_ptr<SemaphoreResource> resource) noexcept;
  ~Semaphore();
  Semaphore(Semaphore&&) noexcept = default;
  Semaphore& operator=(Semaphore&&) noexcept = default;
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  /// Releases this handle; idempotent, never throws.
  void close() noexcept;
  bool closed() const noexcept { return !resource_; }

  bool timeline() const;
  bool exportable() const;

  /// A share descriptor for CUDA: a new handle, binary or timeline type, the device's UUID.
  SemaphoreShare export_share() const;
#ifndef _WIN32
  /// A new file descriptor on each call (vkGetSemaphoreFdKHR, OPAQUE_FD); the caller owns it.
  UniqueFd export_fd() const;
#endif
  /// A new NT handle (vkGetSemaphoreWin32HandleKHR); NotSupported outside Windows.
  UniqueWin32Handle export_win32() const;

  /// Signals from the host: a timeline semaphore is set to `value` (vkSignalSemaphore; above its
  /// counter and within maxTimelineSemaphoreValueDifference of it); a binary one is signalled by
  /// an empty queue submission (`value` must be 0).
  void signal(std::uint64_t value = 0);
  /// Waits from the host until a timeline semaphore reaches `value`, or a binary one is signalled
  /// (it is then unsignalled again; `value` must be 0). False on timeout. `timeout_ns`
  /// UINT64_MAX waits forever.
  bool wait(std::uint64_t value = 0, std::uint64_t timeout_ns = UINT64_MAX);
  /// The counter of a timeline semaphore (vkGetSemaphoreCounterValue); InvalidArgument if binary.
  std::uint64_t value() const;

  /// The shared resource (for the implementation and for tests); ClosedError when closed.
  const std::shared_ptr<SemaphoreResource>& resource() const;

 private:
  std::shared_ptr<SemaphoreResource> resource_;
};

}  // namespace cuda_interop::vulkan
