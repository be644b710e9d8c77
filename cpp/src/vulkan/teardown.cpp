// SPDX-License-Identifier: Apache-2.0
// Teardown that never stalls: queued work waiting for a semaphore nobody signals is released
// through the context's own timeline semaphores, or abandoned, within about half a second.
#include <algorithm>
#include <chrono>
#include <string>

#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "device_state.hpp"
#include "semaphore_lists.hpp"
#include "semaphore_state.hpp"

namespace cuda_interop::vulkan {
namespace {

using Clock = std::chrono::steady_clock;

/// How long queued work may finish on its own before teardown releases its waits.
constexpr std::uint64_t grace_ns = 150'000'000;
/// How long teardown goes on releasing waits before it abandons what is still blocked.
constexpr auto release_budget = std::chrono::milliseconds(400);
/// One wait between two rounds of releases (a released wait may release others in turn).
constexpr std::uint64_t round_ns = 20'000'000;
/// Work that waits for nothing is running on the device: it gets this long to end.
constexpr std::uint64_t running_timeout_ns = 10'000'000'000ull;

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

/// Whether `work` waits for something not yet there: a timeline value the counter has not
/// reached, or a binary semaphore (whose state the host cannot read).
bool blocked(DeviceState& device, const detail::InFlight& work) {
  for (const auto& [semaphore, value] : work.waits) {
    if (!semaphore->timeline || detail::prune(device, *semaphore) < value) return true;
  }
  return false;
}

std::size_t count_blocked(DeviceState& device) {
  std::size_t count = 0;
  for (const auto& work : device.in_flight) count += blocked(device, work) ? 1 : 0;
  return count;
}

/// Signals from the host every timeline semaphore that work in flight waits for to the highest
/// value waited for, unless a signal of it still queued is not above that value (a host signal
/// must stay below every queued one; that queued signal releases the wait once the work before
/// it runs). Appends the values signalled to `signalled`. The caller holds the device's mutex.
void release_timeline_waits(DeviceState& device, std::vector<std::uint64_t>& signalled) {
  std::vector<std::pair<SemaphoreResource*, std::uint64_t>> wanted;
  for (const auto& work : device.in_flight) {
    for (const auto& [semaphore, value] : work.waits) {
      if (!semaphore->timeline) continue;
      const auto same = [&](const auto& entry) { return entry.first == semaphore; };
      const auto found = std::find_if(wanted.begin(), wanted.end(), same);
      if (found == wanted.end()) {
        wanted.emplace_back(semaphore, value);
      } else {
        found->second = std::max(found->second, value);
      }
    }
  }
  for (const auto& [semaphore, value] : wanted) {
    const std::uint64_t now = detail::prune(device, *semaphore);
    const auto& pending = semaphore->pending_signals;
    // A signal already queued reaches the value once the work before it runs (released in turn).
    if (value <= now || (!pending.empty() && pending.front() <= value)) continue;
    VkSemaphoreSignalInfo info{};
    info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO;
    info.semaphore = semaphore->semaphore;
    info.value = value;
    detail::check_on(device, device.fn.vkSignalSemaphore(device.device, &info),
                     "vkSignalSemaphore");
    signalled.push_back(value);
  }
}

std::string list_values(const std::vector<std::uint64_t>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += i + 1 == values.size() ? " and " : ", ";
    text += std::to_string(values[i]);
  }
  return text;
}

}  // namespace

bool DeviceState::settle() noexcept {
  try {
    if (!lost) {
      if (wait_idle(grace_ns)) return true;
      std::size_t waiting = 0;
      {
        std::lock_guard<std::mutex> lock(mutex);
        waiting = count_blocked(*this);
      }
      std::vector<std::uint64_t> signalled;
      const auto end = Clock::now() + release_budget;
      for (bool done = false; !done && progress != VK_NULL_HANDLE && Clock::now() < end;) {
        {
          std::lock_guard<std::mutex> lock(mutex);
          release_timeline_waits(*this, signalled);
        }
        done = wait_idle(round_ns);
      }
      std::size_t still = 0;
      bool empty = false;
      {
        std::lock_guard<std::mutex> lock(mutex);
        reap_locked();
        empty = in_flight.empty();
        still = empty ? 0 : count_blocked(*this);
      }
      // Warnings are given without the mutex: the handler may wait for the interpreter's lock.
      if (!signalled.empty()) {
        warn("closing the Vulkan context released " +
             plural(waiting > still ? waiting - still : 0, "queued submission") +
             " waiting for a semaphore nobody signalled, by signalling the context's timeline "
             "semaphores from the host (to " + list_values(signalled) +
             "): that work ran without what it waited for");
      }
      if (empty) return true;
      if (still == 0) {  // running, waiting for nothing: it ends by itself
        if (wait_idle(running_timeout_ns)) return true;
        warn("Vulkan work is still running at teardown after 10 s; it, the objects it uses and "
             "the Vulkan device are leaked rather than destroyed under it");
        return false;
      }
      warn("closing the Vulkan context abandoned " + plural(still, "queued submission") +
           " waiting for a semaphore nobody signals (binary semaphores cannot be signalled from "
           "the host): that work, the objects it uses and the Vulkan device are leaked rather "
           "than destroyed under it");
      return false;
    }
  } catch (...) {
    // Interrupted, or the device was lost meanwhile: on a lost device the work is abandoned
    // below; otherwise it stays (with the device) rather than teardown waiting any longer.
    if (!lost) {
      warn("Vulkan teardown was interrupted while work was queued; that work, the objects it "
           "uses and the Vulkan device are leaked rather than destroyed under it");
      return false;
    }
  }
  abandon();
  return true;
}

}  // namespace cuda_interop::vulkan
