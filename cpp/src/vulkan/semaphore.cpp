// SPDX-License-Identifier: Apache-2.0
// Binary and timeline semaphores, exportable through the platform's opaque handle type.
#include "cuda_interop/vulkan/semaphore.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "external_handles.hpp"
#include "progress.hpp"
#include "semaphore_lists.hpp"
#include "semaphore_state.hpp"
#include "submit.hpp"

namespace cuda_interop::vulkan {
namespace {

#ifdef _WIN32
constexpr DWORD shared_resource_read = 0x80000000UL;
constexpr DWORD shared_resource_write = 0x1UL;
#endif

void require_semaphore_export(const DeviceState& device) {
#ifdef _WIN32
  const bool enabled = device.features.external_semaphore_win32;
#else
  const bool enabled = device.features.external_semaphore_fd;
#endif
  if (!enabled) {
    throw NotSupported(std::string("the Vulkan device ") + device.info.name + " lacks " +
                       detail::semaphore_extension + ", needed to export semaphores");
  }
}

void require_exportable(const DeviceState& device, bool timeline) {
  require_semaphore_export(device);
  VkSemaphoreTypeCreateInfo type{};
  type.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  VkPhysicalDeviceExternalSemaphoreInfo query{};
  query.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO;
  query.pNext = timeline ? &type : nullptr;
  query.handleType = detail::semaphore_handle_type;
  VkExternalSemaphoreProperties properties{};
  properties.sType = VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES;
  device.instance->fn.vkGetPhysicalDeviceExternalSemaphoreProperties(device.physical_device,
                                                                    &query, &properties);
  if ((properties.externalSemaphoreFeatures & VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT) == 0) {
    throw NotSupported(std::string("the Vulkan device ") + device.info.name + " cannot export " +
                       (timeline ? "timeline" : "binary") + " semaphores through " +
                       detail::semaphore_extension);
  }
}

// The counter, refused at once on a lost device (a loss another thread saw ends waits too).
std::uint64_t counter(DeviceState& device, VkSemaphore semaphore) {
  detail::refuse_unless_usable(device, "vkGetSemaphoreCounterValue");
  std::uint64_t value = 0;
  detail::check_on(device, device.fn.vkGetSemaphoreCounterValue(device.device, semaphore, &value),
                   "vkGetSemaphoreCounterValue");
  return value;
}

// Waits up to `slice_ns` for a timeline to reach `value`. vkWaitSemaphores wakes at once for a
// signal made on this device, but notices one made elsewhere (CUDA signalling the exported
// semaphore, another process) only ~8 ms late (measured on an H200), while the counter shows
// it at once: so the wait also reads the counter, between waits of 10 µs doubling to 1 ms.
bool wait_polling(DeviceState& device, VkSemaphore semaphore, std::uint64_t value,
                  std::uint64_t slice_ns) {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + std::chrono::nanoseconds(slice_ns);
  VkSemaphoreWaitInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO;
  info.semaphoreCount = 1;
  info.pSemaphores = &semaphore;
  info.pValues = &value;
  std::uint64_t step_ns = 10'000;
  for (;;) {
    detail::refuse_unless_usable(device, "vkWaitSemaphores");  // a loss another thread saw ends it
    if (counter(device, semaphore) >= value) return true;
    const auto now = Clock::now();
    const auto left = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - now).count());
    if (now >= end) return false;
    const VkResult result =
        device.fn.vkWaitSemaphores(device.device, &info, std::min(step_ns, left));
    if (result != VK_TIMEOUT) {
      detail::check_on(device, result, "vkWaitSemaphores");
      return true;
    }
    step_ns = std::min<std::uint64_t>(step_ns * 2, 1'000'000);
  }
}

}  // namespace

SemaphoreResource::~SemaphoreResource() {
  if (device && device->owned() && semaphore != VK_NULL_HANDLE) {
    device->fn.vkDestroySemaphore(device->device, semaphore, nullptr);
  }
}

Semaphore::Semaphore(std::shared_ptr<SemaphoreResource> resource) noexcept
    : resource_(std::move(resource)) {}
Semaphore::~Semaphore() { close(); }

void Semaphore::close() noexcept {
  if (!resource_) return;
  const auto device = resource_->device;
  resource_.reset();
  std::lock_guard<std::mutex> lock(device->mutex);
  device->reap_locked();
}

const std::shared_ptr<SemaphoreResource>& Semaphore::resource() const {
  if (!resource_) throw ClosedError("the Vulkan semaphore is closed");
  return resource_;
}

bool Semaphore::timeline() const { return resource()->timeline; }
bool Semaphore::exportable() const { return resource()->exportable; }

#ifndef _WIN32
UniqueFd Semaphore::export_fd() const {
  const auto& r = *resource();
  require_semaphore_export(*r.device);
  if (!r.exportable) throw InvalidArgument("this Vulkan semaphore was not created exportable");
  detail::refuse_unless_usable(*r.device, "vkGetSemaphoreFdKHR");
  VkSemaphoreGetFdInfoKHR info{};
  info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR;
  info.semaphore = r.semaphore;
  info.handleType = detail::semaphore_handle_type;
  int fd = -1;
  detail::check(r.device->fn.vkGetSemaphoreFdKHR(r.device->device, &info, &fd),
                "vkGetSemaphoreFdKHR");
  return UniqueFd(fd);
}

UniqueWin32Handle Semaphore::export_win32() const {
  throw NotSupported("Win32 handles exist only on Windows; use export_fd()");
}
#else
UniqueWin32Handle Semaphore::export_win32() const {
  const auto& r = *resource();
  require_semaphore_export(*r.device);
  if (!r.exportable) throw InvalidArgument("this Vulkan semaphore was not created exportable");
  detail::refuse_unless_usable(*r.device, "vkGetSemaphoreWin32HandleKHR");
  VkSemaphoreGetWin32HandleInfoKHR info{};
  info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_GET_WIN32_HANDLE_INFO_KHR;
  info.semaphore = r.semaphore;
  info.handleType = detail::semaphore_handle_type;
  HANDLE handle = nullptr;
  detail::check(r.device->fn.vkGetSemaphoreWin32HandleKHR(r.device->device, &info, &handle),
                "vkGetSemaphoreWin32HandleKHR");
  return UniqueWin32Handle(static_cast<void*>(handle));
}
#endif

void Semaphore::signal(std::uint64_t value) {
  const auto& r = *resource();
  if (!r.timeline) {
    detail::refuse_binary_value(value, "signal");
    SubmitSync sync;
    sync.signals.push_back({this, 0});
    detail::submit_commands(r.device, sync, {}, {});
    return;
  }
  VkSemaphoreSignalInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO;
  info.semaphore = r.semaphore;
  info.value = value;
  std::lock_guard<std::mutex> lock(r.device->mutex);
  detail::refuse_unless_usable(*r.device, "vkSignalSemaphore");
  detail::check_host_signal(*r.device, *resource_, value);
  detail::check_on(*r.device, r.device->fn.vkSignalSemaphore(r.device->device, &info),
                   "vkSignalSemaphore");
}

bool Semaphore::wait(std::uint64_t value, std::uint64_t timeout_ns) {
  const auto& r = *resource();
  if (!r.timeline) {
    detail::refuse_binary_value(value, "wait for");
    SubmitSync sync;
    sync.waits.push_back({this, 0});
    sync.timeout_ns = timeout_ns;
    try {
      return detail::submit_commands(r.device, sync, {}, {});
    } catch (const TimeoutError&) {
      return false;
    }
  }
  return detail::wait_in_slices(timeout_ns, [&](std::uint64_t slice) {
    return wait_polling(*r.device, r.semaphore, value, slice);
  });
}

std::uint64_t Semaphore::value() const {
  const auto& r = *resource();
  if (!r.timeline) throw InvalidArgument("a binary semaphore has no counter value");
  return counter(*r.device, r.semaphore);
}

Semaphore Context::create_semaphore(bool timeline, std::uint64_t initial_value, bool exportable) {
  const auto& device = state();
  detail::refuse_unless_usable(*device, "vkCreateSemaphore");
  if (timeline && !device->features.timeline_semaphore) {
    throw NotSupported("the Vulkan device " + device->info.name +
                       " lacks timeline semaphores (Vulkan 1.2 or VK_KHR_timeline_semaphore)");
  }
  if (!timeline && initial_value != 0) {
    throw InvalidArgument("a binary semaphore has no initial value");
  }
  if (exportable) require_exportable(*device, timeline);

  VkSemaphoreTypeCreateInfo type{};
  type.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  type.initialValue = initial_value;
  VkExportSemaphoreCreateInfo export_info{};
  export_info.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO;
  export_info.handleTypes = detail::semaphore_handle_type;
  export_info.pNext = timeline ? &type : nullptr;
#ifdef _WIN32
  VkExportSemaphoreWin32HandleInfoKHR win32_info{};
  win32_info.sType = VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_WIN32_HANDLE_INFO_KHR;
  win32_info.pNext = export_info.pNext;
  win32_info.dwAccess = shared_resource_read | shared_resource_write;
  export_info.pNext = &win32_info;
#endif
  VkSemaphoreCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO;
  if (exportable) {
    info.pNext = &export_info;
  } else if (timeline) {
    info.pNext = &type;
  }
  auto resource = std::make_shared<SemaphoreResource>();
  resource->device = device;
  resource->timeline = timeline;
  resource->exportable = exportable;
  detail::check(device->fn.vkCreateSemaphore(device->device, &info, nullptr, &resource->semaphore),
                "vkCreateSemaphore");
  return Semaphore(std::move(resource));
}

}  // namespace cuda_interop::vulkan
