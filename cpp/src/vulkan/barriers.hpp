// SPDX-License-Identifier: Apache-2.0
#pragma once
// Memory barriers around the transfer commands of one submission.

#include "device_state.hpp"

namespace cuda_interop::vulkan::detail {

/// Makes prior work's writes visible to transfer commands.
void barrier_before_transfer(const DeviceState& device, VkCommandBuffer commands);
/// Makes transfer writes visible to all later work and to the host.
void barrier_after_transfer(const DeviceState& device, VkCommandBuffer commands);

}  // namespace cuda_interop::vulkan::detail
