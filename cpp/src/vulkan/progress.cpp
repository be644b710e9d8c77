// SPDX-License-Identifier: Apache-2.0
// Completion of submitted work, tracked on the queue's progress timeline (or fences), and the
// release of what finished work used.
#include "progress.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "command_buffers.hpp"
#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "device_state.hpp"

namespace cuda_interop::vulkan {
namespace detail {
namespace {

/// The longest a host wait blocks before it looks for an interrupt.
constexpr std::uint64_t wait_slice_ns = 50'000'000;

}  // namespace

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
    detail::release_work(*this, work);
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

}  // namespace cuda_interop::vulkan
