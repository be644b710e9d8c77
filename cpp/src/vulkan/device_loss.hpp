// SPDX-License-Identifier: Apache-2.0
#pragma once
// A lost device (VK_ERROR_DEVICE_LOST) and a forked child: calls refused before the driver.

#include "device_state.hpp"

namespace cuda_interop::vulkan::detail {

/// Throws NotSupported in a forked child (the objects belong to the process that created them),
/// and VulkanError(VK_ERROR_DEVICE_LOST) naming `call` when the device was lost earlier: every
/// operation that would reach the driver refuses before it does.
void refuse_unless_usable(const DeviceState& device, const char* call);

/// check(), remembering a lost device so that later calls fail at once instead of hanging.
void check_on(DeviceState& device, VkResult result, const char* call);

}  // namespace cuda_interop::vulkan::detail
