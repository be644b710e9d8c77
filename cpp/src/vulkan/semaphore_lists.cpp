// SPDX-License-Identifier: Apache-2.0
#include "semaphore_lists.hpp"

#include <algorithm>
#include <string>

#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "device_loss.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

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

}  // namespace

SemaphoreLists resolve_semaphores(DeviceState& device, const SubmitSync& sync,
                                  KeepAlive& keep_alive) {
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

}  // namespace cuda_interop::vulkan::detail
