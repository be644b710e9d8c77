// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state behind a Semaphore handle, with what this process queued on it.

#include <cstdint>
#include <memory>
#include <vector>

#include "device_state.hpp"

namespace cuda_interop::vulkan {

struct SemaphoreResource {
  std::shared_ptr<DeviceState> device;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  bool timeline = false;
  bool exportable = false;
  /// Timeline values this process has submitted signals of and that the counter had not reached
  /// when last looked at, ascending (guarded by the device's mutex). A value must exceed them all
  /// to be signalled by the queue, and stay below them to be signalled by the host.
  std::vector<std::uint64_t> pending_signals;
  /// A binary semaphore's signal submitted by this context and not yet waited for (guarded by
  /// the device's mutex). Only this context can signal one that is not exportable, so a wait
  /// with none pending would never end and is refused.
  bool binary_signal_pending = false;
  ~SemaphoreResource();
};

}  // namespace cuda_interop::vulkan
