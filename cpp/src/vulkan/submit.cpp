// SPDX-License-Identifier: Apache-2.0
// One submission: commands recorded into a reused command buffer, its semaphores, the progress
// signal, and the wait for it when the caller blocks.
#include "submit.hpp"

#include <cstddef>
#include <mutex>

#include "check.hpp"
#include "command_buffers.hpp"
#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "semaphore_lists.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

/// Submissions left in flight before a submission looks for finished ones (a counter read).
constexpr std::size_t reap_after = 16;

/// Returns what a submission that never happened took.
struct PendingWork {
  DeviceState& device;
  InFlight work;
  ~PendingWork() { release_work(device, work); }
};

}  // namespace

bool submit_commands(const std::shared_ptr<DeviceState>& device_pointer, const SubmitSync& sync,
                     KeepAlive keep_alive, const Recorder& record) {
  DeviceState& device = *device_pointer;
  std::unique_lock<std::mutex> lock(device.mutex);
  refuse_unless_usable(device, "vkQueueSubmit");
  if (device.in_flight.size() >= reap_after || (record && device.idle_commands.empty())) {
    device.reap_locked();
  }
  SemaphoreLists lists = resolve_semaphores(device, sync, keep_alive);
  PendingWork pending{device, {}};
  if (record) {
    pending.work.commands = acquire_commands(device);
    VkCommandBufferBeginInfo begin{};
    begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    check(device.fn.vkBeginCommandBuffer(pending.work.commands, &begin), "vkBeginCommandBuffer");
    record(pending.work.commands);
    check(device.fn.vkEndCommandBuffer(pending.work.commands), "vkEndCommandBuffer");
  }
  const std::uint64_t value = device.submitted + 1;
  if (device.progress != VK_NULL_HANDLE) {
    lists.signal_handles.push_back(device.progress);
    lists.signal_values.push_back(value);
    lists.any_timeline = true;
  } else {
    VkFenceCreateInfo fence{};
    fence.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
    check(device.fn.vkCreateFence(device.device, &fence, nullptr, &pending.work.fence),
          "vkCreateFence");
  }

  VkTimelineSemaphoreSubmitInfo timeline{};
  timeline.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO;
  timeline.waitSemaphoreValueCount = static_cast<std::uint32_t>(lists.wait_values.size());
  timeline.pWaitSemaphoreValues = lists.wait_values.data();
  timeline.signalSemaphoreValueCount = static_cast<std::uint32_t>(lists.signal_values.size());
  timeline.pSignalSemaphoreValues = lists.signal_values.data();
  VkSubmitInfo submit{};
  submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  // Chained only with timeline semaphores: the structure needs the feature.
  submit.pNext = lists.any_timeline ? &timeline : nullptr;
  submit.waitSemaphoreCount = static_cast<std::uint32_t>(lists.wait_handles.size());
  submit.pWaitSemaphores = lists.wait_handles.data();
  submit.pWaitDstStageMask = lists.wait_stages.data();
  submit.commandBufferCount = pending.work.commands != VK_NULL_HANDLE ? 1 : 0;
  submit.pCommandBuffers = &pending.work.commands;
  submit.signalSemaphoreCount = static_cast<std::uint32_t>(lists.signal_handles.size());
  submit.pSignalSemaphores = lists.signal_handles.data();
  check_on(device, device.fn.vkQueueSubmit(device.queue, 1, &submit, pending.work.fence),
           "vkQueueSubmit");

  device.submitted = value;
  for (const auto& [semaphore, signalled] : lists.timeline_signals) {
    semaphore->pending_signals.push_back(signalled);
  }
  for (SemaphoreResource* semaphore : lists.binary_waits) semaphore->binary_signal_pending = false;
  for (SemaphoreResource* semaphore : lists.binary_signals) semaphore->binary_signal_pending = true;
  pending.work.value = value;
  pending.work.keep_alive = std::move(keep_alive);
  pending.work.waits = std::move(lists.waits);
  device.in_flight.push_back(std::move(pending.work));
  pending.work = {};
  if (!sync.block) return true;

  // Wait without the lock: the work may wait for a semaphore another thread signals through it.
  lock.unlock();
  const bool done = device.wait_for(value, sync.timeout_ns);
  lock.lock();
  device.reap_locked(done ? value : 0);
  if (!done) {
    throw TimeoutError("the Vulkan work did not complete within the timeout; it stays queued "
                       "(a semaphore it waits for may never be signalled)");
  }
  return true;
}

}  // namespace cuda_interop::vulkan::detail
