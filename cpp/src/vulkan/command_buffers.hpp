// SPDX-License-Identifier: Apache-2.0
#pragma once
// Command buffers reused across submissions: finished ones are kept idle and begun again.

#include "device_state.hpp"

namespace cuda_interop::vulkan::detail {

/// A command buffer ready to record: an idle one (reset when begun again) or a new one. The
/// caller holds the device's mutex.
VkCommandBuffer acquire_commands(DeviceState& device);

/// Returns what finished (or never submitted) work took: its fence is destroyed, its command
/// buffer kept idle for reuse (or freed beyond a few), what it kept alive released. The caller
/// holds the device's mutex; never throws.
void release_work(DeviceState& device, InFlight& work) noexcept;

}  // namespace cuda_interop::vulkan::detail
