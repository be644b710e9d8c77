// SPDX-License-Identifier: Apache-2.0
#pragma once
// Recording and submitting one command buffer, with semaphore waits and signals, tracked on the
// queue's progress timeline.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cuda_interop/vulkan/transfer.hpp"
#include "state.hpp"

namespace cuda_interop::vulkan::detail {

using KeepAlive = std::vector<std::shared_ptr<const void>>;
using Recorder = std::function<void(VkCommandBuffer)>;

/// Records `record` (nothing when empty) into a reused command buffer and submits it with the
/// waits and signals of `sync` (checked first: no semaphore twice, timeline values that only
/// grow). With `sync.block` it waits up to `sync.timeout_ns`, interruptibly, and returns whether
/// the work completed; non-blocking submissions return true. Work that has not completed stays
/// alive with `keep_alive` until it does.
bool submit_commands(const std::shared_ptr<DeviceState>& device, const SubmitSync& sync,
                     KeepAlive keep_alive, const Recorder& record);

/// check(), remembering a lost device so that later calls fail at once instead of hanging.
void check_on(DeviceState& device, VkResult result, const char* call);

/// Calls `ready(slice_ns)` with slices of at most 50 ms until it returns true or `timeout_ns`
/// has passed (false), checking for an interrupt between slices (check_interrupt()).
bool wait_in_slices(std::uint64_t timeout_ns, const std::function<bool(std::uint64_t)>& ready);

/// InvalidArgument naming `what` unless timeline `value` is within the device's
/// maxTimelineSemaphoreValueDifference of the counter `now` (Vulkan's limit for the values of
/// host signals and of queued waits and signals).
void check_difference(const DeviceState& device, std::uint64_t now, std::uint64_t value,
                      const char* what);

/// InvalidArgument unless `value` is 0: a binary semaphore (to `side`) has no counter.
void refuse_binary_value(std::uint64_t value, const char* side);

/// Forgets the semaphore's pending signals that its counter has reached; returns the counter.
/// The caller holds the device's mutex.
std::uint64_t prune(DeviceState& device, SemaphoreResource& semaphore);

/// InvalidArgument unless a host signal of timeline `value` is valid now: above the counter and
/// below every signal of it still pending on the queue. The caller holds the device's mutex.
void check_host_signal(DeviceState& device, SemaphoreResource& semaphore, std::uint64_t value);

/// Makes prior work's writes visible to transfer commands.
void barrier_before_transfer(const DeviceState& device, VkCommandBuffer commands);
/// Makes transfer writes visible to all later work and to the host.
void barrier_after_transfer(const DeviceState& device, VkCommandBuffer commands);

}  // namespace cuda_interop::vulkan::detail
