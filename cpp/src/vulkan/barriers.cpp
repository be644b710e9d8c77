// SPDX-License-Identifier: Apache-2.0
#include "barriers.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

void memory_barrier(const DeviceState& device, VkCommandBuffer commands,
                    VkPipelineStageFlags source_stage, VkAccessFlags source_access,
                    VkPipelineStageFlags destination_stage, VkAccessFlags destination_access) {
  VkMemoryBarrier barrier{};
  barrier.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  barrier.srcAccessMask = source_access;
  barrier.dstAccessMask = destination_access;
  device.fn.vkCmdPipelineBarrier(commands, source_stage, destination_stage, 0, 1, &barrier, 0,
                                 nullptr, 0, nullptr);
}

}  // namespace

void barrier_before_transfer(const DeviceState& device, VkCommandBuffer commands) {
  memory_barrier(device, commands, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                 VK_ACCESS_MEMORY_WRITE_BIT | VK_ACCESS_HOST_WRITE_BIT,
                 VK_PIPELINE_STAGE_TRANSFER_BIT,
                 VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
}

void barrier_after_transfer(const DeviceState& device, VkCommandBuffer commands) {
  memory_barrier(device, commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                 VK_PIPELINE_STAGE_ALL_COMMANDS_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                 VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT | VK_ACCESS_HOST_READ_BIT);
}

}  // namespace cuda_interop::vulkan::detail
