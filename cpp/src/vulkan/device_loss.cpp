// SPDX-License-Identifier: Apache-2.0
#include "device_loss.hpp"

#include <string>

#include "check.hpp"
#include "command_buffers.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/error.hpp"

namespace cuda_interop::vulkan {
namespace detail {

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

}  // namespace detail

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
    detail::release_work(*this, in_flight.front());
    in_flight.pop_front();
  }
}

}  // namespace cuda_interop::vulkan
