// SPDX-License-Identifier: Apache-2.0
#include "command_buffers.hpp"

#include <cstddef>

#include "check.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

/// Idle command buffers kept for reuse; more are freed.
constexpr std::size_t max_idle_commands = 16;

}  // namespace

void release_work(DeviceState& device, InFlight& work) noexcept {
  if (work.fence != VK_NULL_HANDLE) device.fn.vkDestroyFence(device.device, work.fence, nullptr);
  if (work.commands != VK_NULL_HANDLE) {
    if (device.idle_commands.size() < max_idle_commands) {
      device.idle_commands.push_back(work.commands);  // reset by its next vkBeginCommandBuffer
    } else {
      device.fn.vkFreeCommandBuffers(device.device, device.command_pool, 1, &work.commands);
    }
  }
  work = {};
}

VkCommandBuffer acquire_commands(DeviceState& device) {
  if (!device.idle_commands.empty()) {
    VkCommandBuffer commands = device.idle_commands.back();
    device.idle_commands.pop_back();
    return commands;
  }
  VkCommandBufferAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  allocate.commandPool = device.command_pool;
  allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate.commandBufferCount = 1;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  check(device.fn.vkAllocateCommandBuffers(device.device, &allocate, &commands),
        "vkAllocateCommandBuffers");
  return commands;
}

}  // namespace cuda_interop::vulkan::detail
