// SPDX-License-Identifier: Apache-2.0
// The Vulkan instance and the description of physical devices.
#include <cstdio>
#include <cstring>
#include <mutex>

#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "instance_state.hpp"
#include "loader.hpp"

#ifndef _WIN32
#include <unistd.h>
#endif

namespace cuda_interop::vulkan {
namespace detail {
namespace {

const char* device_type_name(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return "cpu";
    default:
      return "other";
  }
}

}  // namespace

std::shared_ptr<InstanceState> InstanceState::create() {
  const GlobalFunctions& global = loader();
  std::uint32_t version = VK_API_VERSION_1_0;
  check(global.vkEnumerateInstanceVersion(&version), "vkEnumerateInstanceVersion");
  if (version < VK_API_VERSION_1_1) {
    throw NotSupported("the Vulkan loader implements Vulkan " +
                       std::to_string(VK_API_VERSION_MAJOR(version)) + "." +
                       std::to_string(VK_API_VERSION_MINOR(version)) +
                       "; external memory needs Vulkan 1.1 or later");
  }
  auto state = std::make_shared<InstanceState>();
  // 1.2 brings timeline semaphores and driver properties into the core when the device has them.
  state->api_version = version >= VK_API_VERSION_1_2 ? VK_API_VERSION_1_2 : VK_API_VERSION_1_1;

  VkApplicationInfo application{};
  application.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  application.pApplicationName = "cuda-interop";
  application.pEngineName = "cuda-interop";
  application.apiVersion = state->api_version;
  VkInstanceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pApplicationInfo = &application;
  const VkResult created = global.vkCreateInstance(&info, nullptr, &state->instance);
  if (created == VK_ERROR_INCOMPATIBLE_DRIVER) {
    // The loader found no usable driver (ICD): a missing installation, not a failed call.
    throw NotSupported("vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER; no usable Vulkan "
                       "driver (ICD) was found. Install one (mesa-vulkan-drivers, or the NVIDIA "
                       "driver's Vulkan ICD; headless NVIDIA containers may need VK_ICD_FILENAMES "
                       "pointing at a JSON whose library_path is libEGL_nvidia.so.0)");
  }
  check(created, "vkCreateInstance");
  try {
    state->fn = load_instance_functions(global.vkGetInstanceProcAddr, state->instance);
  } catch (...) {
    auto destroy = reinterpret_cast<PFN_vkDestroyInstance>(
        global.vkGetInstanceProcAddr(state->instance, "vkDestroyInstance"));
    if (destroy != nullptr) destroy(state->instance, nullptr);
    state->instance = VK_NULL_HANDLE;
    throw;
  }
  return state;
}

std::shared_ptr<InstanceState> InstanceState::shared() {
  static std::mutex mutex;
  // Never destroyed: at exit the driver may already be unloaded.
  static auto* kept = new std::shared_ptr<InstanceState>();
  std::lock_guard<std::mutex> lock(mutex);
  if (!*kept || !is_owner((*kept)->creator)) *kept = create();  // a forked child
  return *kept;
}

InstanceState::~InstanceState() {
  if (instance != VK_NULL_HANDLE && fn.vkDestroyInstance != nullptr &&
      is_owner(creator)) {
    fn.vkDestroyInstance(instance, nullptr);
  }
}

std::vector<PhysicalDeviceInfo> describe_physical_devices(const InstanceState& instance,
                                                          std::vector<VkPhysicalDevice>* handles) {
  std::uint32_t count = 0;
  check(instance.fn.vkEnumeratePhysicalDevices(instance.instance, &count, nullptr),
        "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(count);
  if (count > 0) {
    const VkResult result =
        instance.fn.vkEnumeratePhysicalDevices(instance.instance, &count, devices.data());
    if (result != VK_INCOMPLETE) check(result, "vkEnumeratePhysicalDevices");
    devices.resize(count);
  }
  std::vector<PhysicalDeviceInfo> infos;
  for (std::uint32_t index = 0; index < devices.size(); ++index) {
    VkPhysicalDeviceProperties basic{};
    instance.fn.vkGetPhysicalDeviceProperties(devices[index], &basic);

    VkPhysicalDeviceIDProperties id{};
    id.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES;
    VkPhysicalDeviceDriverProperties driver{};
    driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
    VkPhysicalDeviceProperties2 properties{};
    properties.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    properties.pNext = &id;
    // Driver properties are core in 1.2; chaining them on an older device is invalid.
    const bool has_driver = instance.api_version >= VK_API_VERSION_1_2 &&
                            basic.apiVersion >= VK_API_VERSION_1_2;
    if (has_driver) id.pNext = &driver;
    instance.fn.vkGetPhysicalDeviceProperties2(devices[index], &properties);

    PhysicalDeviceInfo info;
    info.index = index;
    info.name = properties.properties.deviceName;
    std::memcpy(info.uuid.data(), id.deviceUUID, VK_UUID_SIZE);
    std::memcpy(info.driver_uuid.data(), id.driverUUID, VK_UUID_SIZE);
    if (has_driver) {
      info.driver_name = driver.driverName;
      info.driver_info = driver.driverInfo;
    }
    info.device_type = device_type_name(properties.properties.deviceType);
    info.api_version = properties.properties.apiVersion;
    info.driver_version = properties.properties.driverVersion;
    info.vendor_id = properties.properties.vendorID;
    info.device_id = properties.properties.deviceID;
    infos.push_back(std::move(info));
  }
  if (handles != nullptr) *handles = std::move(devices);
  return infos;
}

}  // namespace detail

std::string uuid_to_string(const Uuid& uuid) {
  std::string text;
  char digits[3];
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    std::snprintf(digits, sizeof(digits), "%02x", uuid[i]);
    text += digits;
  }
  return text;
}

std::vector<PhysicalDeviceInfo> physical_devices() {
  const auto instance = detail::InstanceState::shared();
  return detail::describe_physical_devices(*instance, nullptr);
}

}  // namespace cuda_interop::vulkan
