// SPDX-License-Identifier: Apache-2.0
// Choosing the physical device and creating the logical device with what interop needs.
#include <algorithm>
#include <cstring>
#include <string>

#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/context.hpp"
#include "device_state.hpp"
#include "external_handles.hpp"
#include "instance_state.hpp"

namespace cuda_interop::vulkan {
namespace {

std::string list_devices(const std::vector<PhysicalDeviceInfo>& devices) {
  std::string text;
  for (const auto& device : devices) {
    if (!text.empty()) text += "; ";
    text += std::to_string(device.index) + ": " + device.name + " (UUID " +
            uuid_to_string(device.uuid) + ", " + device.device_type + ")";
  }
  return text.empty() ? "none" : text;
}

std::uint32_t choose_device(const ContextOptions& options,
                            const std::vector<PhysicalDeviceInfo>& devices) {
  if (devices.empty()) {
    throw NotSupported("the Vulkan loader reports no physical device: no Vulkan driver (ICD) is "
                       "installed or usable");
  }
  if (options.device_uuid && options.physical_device_index) {
    throw InvalidArgument("choose the Vulkan device by CUDA UUID or by index, not both");
  }
  if (options.physical_device_index) {
    if (*options.physical_device_index >= devices.size()) {
      throw InvalidArgument("Vulkan physical device index " +
                            std::to_string(*options.physical_device_index) +
                            " is out of range; devices seen: " + list_devices(devices));
    }
    return *options.physical_device_index;
  }
  if (options.device_uuid) {
    for (const auto& device : devices) {
      if (device.uuid == *options.device_uuid) return device.index;
    }
    throw NotSupported("no Vulkan physical device has the CUDA device's UUID " +
                       uuid_to_string(*options.device_uuid) + "; devices seen: " +
                       list_devices(devices));
  }
  if (devices.size() == 1) return 0;
  throw InvalidArgument("several Vulkan physical devices exist; give the CUDA device's UUID or an "
                        "index; devices seen: " + list_devices(devices));
}

// CUDA requires the device group of the chosen device to hold only that device.
void require_single_device_group(const detail::InstanceState& instance, VkPhysicalDevice device,
                                 const PhysicalDeviceInfo& info) {
  std::uint32_t count = 0;
  detail::check(instance.fn.vkEnumeratePhysicalDeviceGroups(instance.instance, &count, nullptr),
                "vkEnumeratePhysicalDeviceGroups");
  std::vector<VkPhysicalDeviceGroupProperties> groups(count);
  for (auto& group : groups) group.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_GROUP_PROPERTIES;
  if (count == 0) return;
  const VkResult result =
      instance.fn.vkEnumeratePhysicalDeviceGroups(instance.instance, &count, groups.data());
  if (result != VK_INCOMPLETE) detail::check(result, "vkEnumeratePhysicalDeviceGroups");
  for (std::uint32_t g = 0; g < count; ++g) {
    const auto& group = groups[g];
    const auto* end = group.physicalDevices + group.physicalDeviceCount;
    if (std::find(group.physicalDevices, end, device) != end && group.physicalDeviceCount > 1) {
      throw NotSupported("Vulkan device " + info.name + " is in a device group of " +
                         std::to_string(group.physicalDeviceCount) +
                         " devices; CUDA interop needs a group of one");
    }
  }
}

std::vector<std::string> device_extensions(const detail::InstanceState& instance,
                                           VkPhysicalDevice device) {
  std::uint32_t count = 0;
  detail::check(instance.fn.vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr),
                "vkEnumerateDeviceExtensionProperties");
  std::vector<VkExtensionProperties> properties(count);
  if (count > 0) {
    const VkResult result = instance.fn.vkEnumerateDeviceExtensionProperties(
        device, nullptr, &count, properties.data());
    if (result != VK_INCOMPLETE) detail::check(result, "vkEnumerateDeviceExtensionProperties");
  }
  std::vector<std::string> names;
  for (std::uint32_t i = 0; i < count && i < properties.size(); ++i) {
    names.emplace_back(properties[i].extensionName);
  }
  return names;
}

std::uint32_t choose_queue_family(const detail::InstanceState& instance, VkPhysicalDevice device) {
  std::uint32_t count = 0;
  instance.fn.vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  instance.fn.vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
  // Graphics and compute queues can all transfer; prefer graphics (the family renderers use).
  for (const VkQueueFlags wanted : {VkQueueFlags{VK_QUEUE_GRAPHICS_BIT},
                                    VkQueueFlags{VK_QUEUE_COMPUTE_BIT}}) {
    for (std::uint32_t i = 0; i < count; ++i) {
      if ((families[i].queueFlags & wanted) != 0 && families[i].queueCount > 0) return i;
    }
  }
  throw NotSupported("the Vulkan device has no graphics or compute queue");
}

void create_device(DeviceState& state) {
  const auto& instance = *state.instance;
  const auto extensions = device_extensions(instance, state.physical_device);
  const auto has = [&](const char* name) {
    return std::find(extensions.begin(), extensions.end(), name) != extensions.end();
  };
  const std::uint32_t api = std::min(instance.api_version, state.info.api_version);
  state.features.api_version = api;
  state.features.dedicated_allocation = true;  // core in 1.1

  std::vector<const char*> enabled;
  const auto enable = [&](const char* name) {
    if (!has(name)) return false;
    enabled.push_back(name);
    return true;
  };
#ifdef _WIN32
  state.features.external_memory_win32 = enable(detail::memory_extension);
  state.features.external_semaphore_win32 = enable(detail::semaphore_extension);
#else
  state.features.external_memory_fd = enable(detail::memory_extension);
  state.features.external_semaphore_fd = enable(detail::semaphore_extension);
#endif
  const bool timeline_extension = api < VK_API_VERSION_1_2 && has("VK_KHR_timeline_semaphore");
  if (timeline_extension) enabled.push_back("VK_KHR_timeline_semaphore");

  VkPhysicalDeviceTimelineSemaphoreFeatures timeline{};
  timeline.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES;
  if (api >= VK_API_VERSION_1_2 || timeline_extension) {
    VkPhysicalDeviceFeatures2 query{};
    query.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
    query.pNext = &timeline;
    instance.fn.vkGetPhysicalDeviceFeatures2(state.physical_device, &query);
  }
  state.features.timeline_semaphore = timeline.timelineSemaphore == VK_TRUE;
  if (state.features.timeline_semaphore) {
    VkPhysicalDeviceTimelineSemaphoreProperties limits{};
    limits.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_PROPERTIES;
    VkPhysicalDeviceProperties2 properties{};
    properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    properties.pNext = &limits;
    instance.fn.vkGetPhysicalDeviceProperties2(state.physical_device, &properties);
    state.max_timeline_difference = limits.maxTimelineSemaphoreValueDifference;
  }

  state.queue_family = choose_queue_family(instance, state.physical_device);
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{};
  queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue.queueFamilyIndex = state.queue_family;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;

  VkDeviceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.pNext = state.features.timeline_semaphore ? &timeline : nullptr;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.enabledExtensionCount = static_cast<std::uint32_t>(enabled.size());
  info.ppEnabledExtensionNames = enabled.data();
  detail::check(instance.fn.vkCreateDevice(state.physical_device, &info, nullptr, &state.device),
                "vkCreateDevice");
  state.fn = detail::load_device_functions(instance.fn.vkGetDeviceProcAddr, state.device);
  // A loader may hand out trampolines for extensions that were not enabled: never use those.
  if (!state.features.timeline_semaphore) {
    state.fn.vkGetSemaphoreCounterValue = nullptr;
    state.fn.vkWaitSemaphores = nullptr;
    state.fn.vkSignalSemaphore = nullptr;
  }
#ifdef _WIN32
  if (!state.features.external_memory_win32) state.fn.vkGetMemoryWin32HandleKHR = nullptr;
  if (!state.features.external_semaphore_win32) state.fn.vkGetSemaphoreWin32HandleKHR = nullptr;
#else
  if (!state.features.external_memory_fd) state.fn.vkGetMemoryFdKHR = nullptr;
  if (!state.features.external_semaphore_fd) state.fn.vkGetSemaphoreFdKHR = nullptr;
#endif

  state.fn.vkGetDeviceQueue(state.device, state.queue_family, 0, &state.queue);
  VkCommandPoolCreateInfo pool{};
  pool.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  // Command buffers are reused: each is reset when it is begun again.
  pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT | VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = state.queue_family;
  detail::check(state.fn.vkCreateCommandPool(state.device, &pool, nullptr, &state.command_pool),
                "vkCreateCommandPool");
  if (state.features.timeline_semaphore) {  // the queue's progress: one signal per submission
    VkSemaphoreTypeCreateInfo type{};
    type.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO;
    type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
    VkSemaphoreCreateInfo semaphore{};
    semaphore.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO;
    semaphore.pNext = &type;
    detail::check(state.fn.vkCreateSemaphore(state.device, &semaphore, nullptr, &state.progress),
                  "vkCreateSemaphore");
  }
}

}  // namespace

DeviceState::~DeviceState() {
  if (device == VK_NULL_HANDLE || !owned()) return;
  if (!settle()) return;  // leaked rather than destroyed under work still queued (it warned)
  if (progress != VK_NULL_HANDLE) fn.vkDestroySemaphore(device, progress, nullptr);
  if (command_pool != VK_NULL_HANDLE) fn.vkDestroyCommandPool(device, command_pool, nullptr);
  fn.vkDestroyDevice(device, nullptr);
}

Context::Context(const ContextOptions& options) {
  auto state = std::make_shared<DeviceState>();
  state->instance = detail::InstanceState::shared();
  std::vector<VkPhysicalDevice> handles;
  const auto devices = detail::describe_physical_devices(*state->instance, &handles);
  const std::uint32_t index = choose_device(options, devices);
  state->physical_device = handles[index];
  state->info = devices[index];
  require_single_device_group(*state->instance, state->physical_device, state->info);
  state->instance->fn.vkGetPhysicalDeviceMemoryProperties(state->physical_device,
                                                          &state->memory_properties);
  create_device(*state);
  state_ = std::move(state);
}

Context::~Context() { close(); }
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&& other) noexcept {
  if (this != &other) {
    close();
    state_ = std::move(other.state_);
  }
  return *this;
}

void Context::close() noexcept {
  if (!state_) return;
  // Work in flight holds the objects it uses, which hold the device: finish it to break the
  // cycle, releasing or abandoning (with a warning) what waits for a semaphore nobody signals.
  if (state_->owned()) state_->settle();
  state_.reset();
}

const std::shared_ptr<DeviceState>& Context::state() const {
  if (!state_) throw ClosedError("the Vulkan context is closed");
  return state_;
}

const PhysicalDeviceInfo& Context::physical_device() const { return state()->info; }
const Features& Context::features() const { return state()->features; }

bool Context::wait_idle(std::uint64_t timeout_ns) { return state()->wait_idle(timeout_ns); }

}  // namespace cuda_interop::vulkan
