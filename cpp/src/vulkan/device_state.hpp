// SPDX-License-Identifier: Apache-2.0
#pragma once
// The logical device behind a context and its objects: queue, command pool, work in flight. A
// child holds its parent (resource -> device -> instance), so whatever exists can still be
// destroyed correctly.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "cuda_interop/process.hpp"
#include "cuda_interop/vulkan/context.hpp"
#include "dispatch.hpp"
#include "instance_state.hpp"

namespace cuda_interop::vulkan {

struct SemaphoreResource;

namespace detail {

/// What submitted work holds alive until it completes (the resources it uses).
using KeepAlive = std::vector<std::shared_ptr<const void>>;

/// Submitted work, with what it uses, until it completes: the queue's progress semaphore reaches
/// `value` (or, on devices without timeline semaphores, `fence` signals).
struct InFlight {
  std::uint64_t value = 0;
  VkFence fence = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  KeepAlive keep_alive;
  /// The semaphores it waits for (kept alive by `keep_alive`) with their timeline values (0 for
  /// binary ones): what teardown releases or abandons when nobody signals them.
  std::vector<std::pair<SemaphoreResource*, std::uint64_t>> waits;
};

}  // namespace detail

/// The logical device, its queue and command pool. `mutex` serialises the queue, the pool, the
/// command buffers and the list of work in flight (Vulkan requires external synchronisation).
/// Completion is tracked on one internal timeline semaphore, `progress`: the n-th submission
/// signals it to n, so finished work is found with one counter read and no fence per submission;
/// finished command buffers are reset and reused.
struct DeviceState {
  std::shared_ptr<detail::InstanceState> instance;
  VkPhysicalDevice physical_device = VK_NULL_HANDLE;
  PhysicalDeviceInfo info;
  Features features;
  VkPhysicalDeviceMemoryProperties memory_properties{};
  VkDevice device = VK_NULL_HANDLE;
  detail::DeviceFunctions fn;
  std::uint32_t queue_family = 0;
  VkQueue queue = VK_NULL_HANDLE;
  VkCommandPool command_pool = VK_NULL_HANDLE;
  VkSemaphore progress = VK_NULL_HANDLE;  // null without timeline semaphores: fences then
  /// How far a timeline value signalled or waited for may be from the semaphore's counter
  /// (VkPhysicalDeviceTimelineSemaphoreProperties::maxTimelineSemaphoreValueDifference).
  std::uint64_t max_timeline_difference = 0;
  std::mutex mutex;
  std::uint64_t submitted = 0;  // the progress value of the last submission
  std::deque<detail::InFlight> in_flight;
  std::vector<VkCommandBuffer> idle_commands;
  std::atomic<bool> lost{false};  // VK_ERROR_DEVICE_LOST was seen: later calls fail at once
  std::atomic<const char*> lost_in{nullptr};  // the call that first reported it
  ProcessId creator = current_process();

  DeviceState() = default;
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;
  ~DeviceState();

  /// Whether Vulkan objects may be destroyed from here (not in a forked child).
  bool owned() const noexcept { return is_owner(creator); }
  /// Releases finished work; the caller holds `mutex`. `reached_value`, when not 0, is a
  /// progress value known to be reached (no need to read the counter).
  void reap_locked(std::uint64_t reached_value = 0) noexcept;
  /// Whether every submission up to progress value `value` has completed.
  bool reached(std::uint64_t value);
  /// Waits (interruptibly, without the mutex) until submission `value` has completed; false when
  /// `timeout_ns` passed first.
  bool wait_for(std::uint64_t value, std::uint64_t timeout_ns);
  /// Waits for all work submitted so far and releases it; false on timeout.
  bool wait_idle(std::uint64_t timeout_ns);
  /// Finishes the work in flight for teardown within about half a second, never throws. Work
  /// waiting for the context's timeline semaphores at values nobody signals is released by
  /// signalling them from the host; what still cannot finish (a binary semaphore nobody signals)
  /// is abandoned: it stays in flight with what it uses, a leak rather than a crash, and
  /// returns false. Work running without waits gets the old bound of 10 s. Each release or
  /// abandonment is reported through warn(), naming what it was. On a lost device the work is
  /// abandoned (see abandon()) and true returned: nothing of it runs any more.
  bool settle() noexcept;
  /// Remembers that `call` returned VK_ERROR_DEVICE_LOST.
  void mark_lost(const char* call) noexcept;
  /// After a loss: lets vkDeviceWaitIdle return (in finite time on a lost device, as Vulkan
  /// requires), then releases the work in flight and what it kept alive, so that the device and
  /// its objects can be destroyed. Never throws.
  void abandon() noexcept;
};

}  // namespace cuda_interop::vulkan
