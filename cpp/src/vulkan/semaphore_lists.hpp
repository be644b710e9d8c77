// SPDX-License-Identifier: Apache-2.0
#pragma once
// The semaphores of a submission, resolved and checked against Vulkan's rules before Vulkan sees
// them, and the rules for single timeline and binary values.

#include <cstdint>
#include <utility>
#include <vector>

#include "cuda_interop/vulkan/transfer.hpp"
#include "device_state.hpp"
#include "semaphore_state.hpp"

namespace cuda_interop::vulkan::detail {

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

/// Resolves and checks `sync` (no semaphore twice per side, a binary wait only with a signal
/// pending, timeline values that only grow and stay within the device's limit), adding each
/// semaphore to `keep_alive`. The caller holds the device's mutex.
SemaphoreLists resolve_semaphores(DeviceState& device, const SubmitSync& sync,
                                  KeepAlive& keep_alive);

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

}  // namespace cuda_interop::vulkan::detail
