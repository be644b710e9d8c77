// SPDX-License-Identifier: Apache-2.0
#include "submit.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/error.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"

namespace cuda_interop::vulkan {
namespace detail {
namespace {

/// Idle command buffers kept for reuse; more are freed.
constexpr std::size_t max_idle_commands = 16;
/// Submissions left in flight before a submission looks for finished ones (a counter read).
constexpr std::size_t reap_after = 16;
/// The longest a host wait blocks before it looks for an interrupt.
constexpr std::uint64_t wait_slice_ns = 50'000'000;

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

/// The semaphores of one submission, resolved, checked and with the progress signal added.
struct SemaphoreLists {
  std::vector<VkSemaphore> wait_handles, signal_handles;
  std::vector<std::uint64_t> wait_values, signal_values;
  std::vector<VkPipelineStageFlags> wait_stages;
  // Timeline signals, recorded as pending once submitted.
  std::vector<std::pair<SemaphoreResource*, std::uint64_t>> timeline_signals;
  // Binary semaphores waited for and signalled, their pending signal settled once submitted.
  std::vector<SemaphoreResource*> binary_waits, binary_signals;
  // Every wait, with its timeline value (0 for binary ones), kept with the work in flight.
  std::vector<std::pair<SemaphoreResource*, std::uint64_t>> waits;
  bool any_timeline = false;
};

std::uint64_t counter(DeviceState& device, const SemaphoreResource& semaphore) {
  std::uint64_t value = 0;
  check_on(device, device.fn.vkGetSemaphoreCounterValue(device.device, semaphore.semaphore, &value),
           "vkGetSemaphoreCounterValue");
  return value;
}

SemaphoreResource& resolve(const DeviceState& device, const SemaphoreOp& operation,
                           const char* side, KeepAlive& keep_alive) {
  if (operation.semaphore == nullptr) {
    throw InvalidArgument(std::string("a null semaphore was given to ") + side);
  }
  const auto& resource = operation.semaphore->resource();  // ClosedError when closed
  if (resource->device.get() != &device) {
    throw InvalidArgument(std::string("a semaphore to ") + side +
                          " belongs to another Vulkan context");
  }
  keep_alive.push_back(resource);
  return *resource;
}

/// Checks `sync` against Vulkan's rules before Vulkan sees it; the caller holds the mutex.
SemaphoreLists resolve_all(DeviceState& device, const SubmitSync& sync, KeepAlive& keep_alive) {
  SemaphoreLists lists;
  std::vector<std::pair<const SemaphoreResource*, std::uint64_t>> waited, signalled;
  const auto once = [](auto& seen, const SemaphoreResource& semaphore, std::uint64_t value,
                       const char* side) {
    for (const auto& [other, unused] : seen) {
      if (other == &semaphore) {
        throw InvalidArgument(std::string("a semaphore appears twice among the ") + side +
                              " of one submission");
      }
    }
    seen.emplace_back(&semaphore, value);
  };
  for (const SemaphoreOp& operation : sync.waits) {
    SemaphoreResource& semaphore = resolve(device, operation, "wait for", keep_alive);
    once(waited, semaphore, operation.value, "waits");
    if (semaphore.timeline && operation.value > device.max_timeline_difference) {
      check_difference(device, prune(device, semaphore), operation.value, "wait value");
    }
    if (!semaphore.timeline) {
      refuse_binary_value(operation.value, "wait for");
      if (!semaphore.exportable && !semaphore.binary_signal_pending) {
        throw InvalidArgument(
            "a binary semaphore to wait for has no signal pending: nothing could ever signal it "
            "(signal it first, in an earlier submission)");
      }
      lists.binary_waits.push_back(&semaphore);
    }
    lists.wait_handles.push_back(semaphore.semaphore);
    lists.wait_values.push_back(semaphore.timeline ? operation.value : 0);
    lists.wait_stages.push_back(VK_PIPELINE_STAGE_ALL_COMMANDS_BIT);
    lists.waits.emplace_back(&semaphore, semaphore.timeline ? operation.value : 0);
    lists.any_timeline = lists.any_timeline || semaphore.timeline;
  }
  for (const SemaphoreOp& operation : sync.signals) {
    SemaphoreResource& semaphore = resolve(device, operation, "signal", keep_alive);
    once(signalled, semaphore, operation.value, "signals");
    if (semaphore.timeline) {
      for (const auto& [other, wait_value] : waited) {
        if (other == &semaphore && operation.value <= wait_value) {
          throw InvalidArgument("a submission that waits for timeline value " +
                                std::to_string(wait_value) + " cannot signal the lower value " +
                                std::to_string(operation.value));
        }
      }
      const std::uint64_t now = prune(device, semaphore);
      const std::uint64_t floor =
          semaphore.pending_signals.empty() ? now : semaphore.pending_signals.back();
      if (operation.value <= floor) {
        throw InvalidArgument("a timeline semaphore only moves forward: signal value " +
                              std::to_string(operation.value) + " is not above " +
                              std::to_string(floor) + " (its value or a signal already queued)");
      }
      check_difference(device, now, operation.value, "signal value");
      lists.timeline_signals.emplace_back(&semaphore, operation.value);
      lists.any_timeline = true;
    } else {
      refuse_binary_value(operation.value, "signal");
      if (semaphore.binary_signal_pending) {
        bool waited_here = false;
        for (const SemaphoreResource* other : lists.binary_waits) waited_here |= other == &semaphore;
        if (!waited_here) {
          throw InvalidArgument(
              "a binary semaphore to signal already has a signal pending: wait for it first");
        }
      }
      lists.binary_signals.push_back(&semaphore);
    }
    lists.signal_handles.push_back(semaphore.semaphore);
    lists.signal_values.push_back(semaphore.timeline ? operation.value : 0);
  }
  return lists;
}

void release(DeviceState& device, InFlight& work) noexcept {
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

/// A command buffer ready to record: an idle one (reset when begun again) or a new one.
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

/// Returns what a submission that never happened took.
struct PendingWork {
  DeviceState& device;
  InFlight work;
  ~PendingWork() { release(device, work); }
};

}  // namespace

void check_difference(const DeviceState& device, std::uint64_t now, std::uint64_t value,
                      const char* what) {
  const std::uint64_t difference = value > now ? value - now : now - value;
  if (difference > device.max_timeline_difference) {
    throw InvalidArgument(std::string(what) + " " + std::to_string(value) + " is " +
                          std::to_string(difference) + " away from the semaphore's value " +
                          std::to_string(now) + "; the Vulkan device allows at most " +
                          std::to_string(device.max_timeline_difference) +
                          " (maxTimelineSemaphoreValueDifference)");
  }
}

void refuse_binary_value(std::uint64_t value, const char* side) {
  if (value != 0) {
    throw InvalidArgument(std::string("a binary semaphore to ") + side +
                          " has no counter: its value must be 0, got " + std::to_string(value));
  }
}

std::uint64_t prune(DeviceState& device, SemaphoreResource& semaphore) {
  const std::uint64_t now = counter(device, semaphore);
  auto& pending = semaphore.pending_signals;
  pending.erase(pending.begin(), std::upper_bound(pending.begin(), pending.end(), now));
  return now;
}

void refuse_unless_usable(const DeviceState& device, const char* call) {
  if (!device.owned()) {
    throw NotSupported(std::string("refused ") + call +
                       ": this Vulkan context and its objects belong to the process that created "
                       "them; a forked child cannot use them (create a new context in the child)");
  }
  if (!device.lost) return;
  const char* first = device.lost_in.load();
  throw VulkanError(VK_ERROR_DEVICE_LOST, call,
                    std::string("refused: the Vulkan device was lost earlier (") +
                        (first != nullptr ? first : "a Vulkan call") +
                        " returned VK_ERROR_DEVICE_LOST); close its objects and create a new "
                        "context");
}

void check_on(DeviceState& device, VkResult result, const char* call) {
  if (result == VK_ERROR_DEVICE_LOST) {
    device.mark_lost(call);
    throw VulkanError(static_cast<int>(result), call,
                      "the Vulkan device was lost; every later call on its context and objects "
                      "fails at once: close them and create a new context");
  }
  check(result, call);
}

bool wait_in_slices(std::uint64_t timeout_ns, const std::function<bool(std::uint64_t)>& ready) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto waited = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                             start)
            .count());
    const std::uint64_t left = waited >= timeout_ns ? 0 : timeout_ns - waited;
    if (ready(std::min(left, wait_slice_ns))) return true;
    if (left <= wait_slice_ns) return ready(0);
    check_interrupt();
  }
}

void check_host_signal(DeviceState& device, SemaphoreResource& semaphore, std::uint64_t value) {
  const std::uint64_t now = prune(device, semaphore);
  if (value <= now) {
    throw InvalidArgument("a timeline semaphore only moves forward: signal value " +
                          std::to_string(value) + " is not above its value " +
                          std::to_string(now));
  }
  check_difference(device, now, value, "signal value");
  if (!semaphore.pending_signals.empty() && value >= semaphore.pending_signals.front()) {
    throw InvalidArgument("a host signal of " + std::to_string(value) +
                          " would overtake the queued signal of " +
                          std::to_string(semaphore.pending_signals.front()));
  }
}

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
                     KeepAlive keep_alive, const Recorder& record) {
  DeviceState& device = *device_pointer;
  std::unique_lock<std::mutex> lock(device.mutex);
  refuse_unless_usable(device, "vkQueueSubmit");
  if (device.in_flight.size() >= reap_after || (record && device.idle_commands.empty())) {
    device.reap_locked();
  }
  SemaphoreLists lists = resolve_all(device, sync, keep_alive);
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

}  // namespace detail

bool DeviceState::reached(std::uint64_t value) {
  if (progress != VK_NULL_HANDLE) {
    std::uint64_t now = 0;
    detail::check_on(*this, fn.vkGetSemaphoreCounterValue(device, progress, &now),
                     "vkGetSemaphoreCounterValue");
    return now >= value;
  }
  std::lock_guard<std::mutex> lock(mutex);  // reaping may destroy the fences
  for (const auto& work : in_flight) {      // in submission order
    if (work.value > value) break;
    const VkResult status = fn.vkGetFenceStatus(device, work.fence);
    if (status == VK_NOT_READY) return false;
    detail::check_on(*this, status, "vkGetFenceStatus");
  }
  return true;
}

bool DeviceState::wait_for(std::uint64_t value, std::uint64_t timeout_ns) {
  return detail::wait_in_slices(timeout_ns, [&](std::uint64_t slice) {
    // A loss another thread saw ends this wait too, whether or not the driver returns.
    detail::refuse_unless_usable(*this, "vkWaitSemaphores");
    if (progress == VK_NULL_HANDLE) {  // no timeline semaphores: poll the fences
      if (reached(value)) return true;
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<std::uint64_t>(slice, 100'000)));
      return false;
    }
    VkSemaphoreWaitInfo wait{};
    wait.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO;
    wait.semaphoreCount = 1;
    wait.pSemaphores = &progress;
    wait.pValues = &value;
    const VkResult result = fn.vkWaitSemaphores(device, &wait, slice);
    if (result == VK_TIMEOUT) return false;
    detail::check_on(*this, result, "vkWaitSemaphores");
    return true;
  });
}

void DeviceState::reap_locked(std::uint64_t reached_value) noexcept {
  if (in_flight.empty()) return;
  std::uint64_t now = reached_value;
  if (now == 0 && progress != VK_NULL_HANDLE) {
    const VkResult result = fn.vkGetSemaphoreCounterValue(device, progress, &now);
    if (result == VK_ERROR_DEVICE_LOST) mark_lost("vkGetSemaphoreCounterValue");
    if (result != VK_SUCCESS) return;
  }
  // The queue completes work in submission order: stop at the first unfinished one.
  while (!in_flight.empty()) {
    detail::InFlight& work = in_flight.front();
    bool done = progress != VK_NULL_HANDLE && work.value <= now;
    if (progress == VK_NULL_HANDLE) {
      const VkResult status = fn.vkGetFenceStatus(device, work.fence);
      if (status == VK_ERROR_DEVICE_LOST) mark_lost("vkGetFenceStatus");
      done = status == VK_SUCCESS;
    }
    if (!done) break;
    detail::release(*this, work);
    in_flight.pop_front();
  }
}

bool DeviceState::wait_idle(std::uint64_t timeout_ns) {
  std::uint64_t last = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    last = submitted;
  }
  const bool done = wait_for(last, timeout_ns);
  std::lock_guard<std::mutex> lock(mutex);
  reap_locked();
  return done;
}

void DeviceState::mark_lost(const char* call) noexcept {
  const char* none = nullptr;
  lost_in.compare_exchange_strong(none, call);
  lost = true;
}

void DeviceState::abandon() noexcept {
  std::lock_guard<std::mutex> lock(mutex);
  // On a lost device this returns in finite time, with VK_SUCCESS or VK_ERROR_DEVICE_LOST; either
  // way no submission is pending afterwards and its objects may be destroyed.
  (void)fn.vkDeviceWaitIdle(device);
  while (!in_flight.empty()) {
    detail::release(*this, in_flight.front());
    in_flight.pop_front();
  }
}

}  // namespace cuda_interop::vulkan
