// SPDX-License-Identifier: Apache-2.0
#include "submit.hpp"

#include <chrono>
#include <string>
#include <thread>

#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"

namespace cuda_interop::vulkan {
namespace detail {
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

// The semaphores of one side of a submission, resolved and checked.
struct SemaphoreList {
  std::vector<VkSemaphore> handles;
  std::vector<std::uint64_t> values;
  std::vector<VkPipelineStageFlags> stages;
  bool any_timeline = false;
};

SemaphoreList resolve(const DeviceState& device, const std::vector<SemaphoreOp>& operations,
                      KeepAlive& keep_alive, const char* side) {
  SemaphoreList list;
  for (const auto& operation : operations) {
    if (operation.semaphore == nullptr) {
      throw InvalidArgument(std::string("a null semaphore was given to ") + side);
    }
    const auto& resource = operation.semaphore->resource();  // ClosedError when closed
    if (resource->device.get() != &device) {
      throw InvalidArgument(std::string("a semaphore to ") + side +
                            " belongs to another Vulkan context");
    }
    list.handles.push_back(resource->semaphore);
    list.values.push_back(resource->timeline ? operation.value : 0);
    list.stages.push_back(VK_PIPELINE_STAGE_ALL_COMMANDS_BIT);
    list.any_timeline = list.any_timeline || resource->timeline;
    keep_alive.push_back(resource);
  }
  return list;
}

void release(DeviceState& device, InFlight& work) noexcept {
  if (work.fence != VK_NULL_HANDLE) device.fn.vkDestroyFence(device.device, work.fence, nullptr);
  if (work.commands != VK_NULL_HANDLE) {
    device.fn.vkFreeCommandBuffers(device.device, device.command_pool, 1, &work.commands);
  }
  work.fence = VK_NULL_HANDLE;
  work.commands = VK_NULL_HANDLE;
  work.keep_alive.clear();
}

// Frees a command buffer whose submission never happened.
struct PendingWork {
  DeviceState& device;
  InFlight work;
  ~PendingWork() {
    if (work.fence != VK_NULL_HANDLE || work.commands != VK_NULL_HANDLE) release(device, work);
  }
};

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

bool submit_commands(const std::shared_ptr<DeviceState>& device_pointer, const SubmitSync& sync,
                     KeepAlive keep_alive, const Recorder& record, std::uint64_t timeout_ns) {
  DeviceState& device = *device_pointer;
  const SemaphoreList waits = resolve(device, sync.waits, keep_alive, "wait for");
  const SemaphoreList signals = resolve(device, sync.signals, keep_alive, "signal");

  std::unique_lock<std::mutex> lock(device.mutex);
  device.reap_locked();
  PendingWork pending{device, {}};
  if (record) {
    VkCommandBufferAllocateInfo allocate{};
    allocate.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
    allocate.commandPool = device.command_pool;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    check(device.fn.vkAllocateCommandBuffers(device.device, &allocate, &pending.work.commands),
          "vkAllocateCommandBuffers");
    VkCommandBufferBeginInfo begin{};
    begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    check(device.fn.vkBeginCommandBuffer(pending.work.commands, &begin), "vkBeginCommandBuffer");
    record(pending.work.commands);
    check(device.fn.vkEndCommandBuffer(pending.work.commands), "vkEndCommandBuffer");
  }
  VkFenceCreateInfo fence{};
  fence.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  check(device.fn.vkCreateFence(device.device, &fence, nullptr, &pending.work.fence),
        "vkCreateFence");

  VkTimelineSemaphoreSubmitInfo timeline{};
  timeline.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO;
  timeline.waitSemaphoreValueCount = static_cast<std::uint32_t>(waits.values.size());
  timeline.pWaitSemaphoreValues = waits.values.data();
  timeline.signalSemaphoreValueCount = static_cast<std::uint32_t>(signals.values.size());
  timeline.pSignalSemaphoreValues = signals.values.data();
  VkSubmitInfo submit{};
  submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  // Chained only with timeline semaphores: the structure needs the feature.
  submit.pNext = waits.any_timeline || signals.any_timeline ? &timeline : nullptr;
  submit.waitSemaphoreCount = static_cast<std::uint32_t>(waits.handles.size());
  submit.pWaitSemaphores = waits.handles.data();
  submit.pWaitDstStageMask = waits.stages.data();
  submit.commandBufferCount = pending.work.commands != VK_NULL_HANDLE ? 1 : 0;
  submit.pCommandBuffers = &pending.work.commands;
  submit.signalSemaphoreCount = static_cast<std::uint32_t>(signals.handles.size());
  submit.pSignalSemaphores = signals.handles.data();
  check(device.fn.vkQueueSubmit(device.queue, 1, &submit, pending.work.fence), "vkQueueSubmit");

  pending.work.keep_alive = std::move(keep_alive);
  if (!sync.block) {
    device.in_flight.push_back(std::move(pending.work));
    pending.work = {};
    return true;
  }
  // Wait without the lock: the work may wait for a semaphore another thread signals through it.
  InFlight work = std::move(pending.work);
  pending.work = {};
  lock.unlock();
  const VkResult result =
      device.fn.vkWaitForFences(device.device, 1, &work.fence, VK_TRUE, timeout_ns);
  lock.lock();
  if (result == VK_SUCCESS) {
    release(device, work);
    return true;
  }
  device.in_flight.push_back(std::move(work));
  if (result == VK_TIMEOUT) return false;
  check(result, "vkWaitForFences");
  return false;
}

}  // namespace detail

void DeviceState::reap_locked() noexcept {
  for (auto it = in_flight.begin(); it != in_flight.end();) {
    if (fn.vkGetFenceStatus(device, it->fence) == VK_SUCCESS) {
      detail::release(*this, *it);
      it = in_flight.erase(it);
    } else {
      ++it;
    }
  }
}

bool DeviceState::drain(std::uint64_t timeout_ns) noexcept {
  // Polls rather than waiting on the fences: another thread may reap (destroy) them meanwhile.
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      reap_locked();
      if (in_flight.empty()) return true;
    }
    const auto waited = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    if (static_cast<std::uint64_t>(waited) >= timeout_ns) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace cuda_interop::vulkan
