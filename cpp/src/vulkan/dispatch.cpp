// SPDX-License-Identifier: Apache-2.0
#include "dispatch.hpp"

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

[[noreturn]] void missing(const char* name) {
  throw NotSupported(std::string("the Vulkan driver does not provide ") + name +
                     " (Vulkan 1.1 is required)");
}

template <typename Function>
void resolve_optional(PFN_vkGetDeviceProcAddr get, VkDevice device, Function& out,
                      const char* core_name, const char* khr_name) {
  out = reinterpret_cast<Function>(get(device, core_name));
  if (out == nullptr && khr_name != nullptr) out = reinterpret_cast<Function>(get(device, khr_name));
}

}  // namespace

InstanceFunctions load_instance_functions(PFN_vkGetInstanceProcAddr get, VkInstance instance) {
  InstanceFunctions functions;
#define CUDA_INTEROP_VK_LOAD(name)                                               \
  functions.name = reinterpret_cast<PFN_##name>(get(instance, #name));           \
  if (functions.name == nullptr) missing(#name);
  CUDA_INTEROP_VK_INSTANCE_FUNCTIONS(CUDA_INTEROP_VK_LOAD)
#undef CUDA_INTEROP_VK_LOAD
  return functions;
}

DeviceFunctions load_device_functions(PFN_vkGetDeviceProcAddr get, VkDevice device) {
  DeviceFunctions functions;
#define CUDA_INTEROP_VK_LOAD(name)                                               \
  functions.name = reinterpret_cast<PFN_##name>(get(device, #name));             \
  if (functions.name == nullptr) missing(#name);
  CUDA_INTEROP_VK_DEVICE_FUNCTIONS(CUDA_INTEROP_VK_LOAD)
#undef CUDA_INTEROP_VK_LOAD
  // Core names first (Vulkan 1.2), then the VK_KHR_timeline_semaphore aliases.
  resolve_optional(get, device, functions.vkGetSemaphoreCounterValue, "vkGetSemaphoreCounterValue",
                   "vkGetSemaphoreCounterValueKHR");
  resolve_optional(get, device, functions.vkWaitSemaphores, "vkWaitSemaphores",
                   "vkWaitSemaphoresKHR");
  resolve_optional(get, device, functions.vkSignalSemaphore, "vkSignalSemaphore",
                   "vkSignalSemaphoreKHR");
#ifdef _WIN32
  resolve_optional(get, device, functions.vkGetMemoryWin32HandleKHR, "vkGetMemoryWin32HandleKHR",
                   nullptr);
  resolve_optional(get, device, functions.vkGetSemaphoreWin32HandleKHR,
                   "vkGetSemaphoreWin32HandleKHR", nullptr);
#else
  resolve_optional(get, device, functions.vkGetMemoryFdKHR, "vkGetMemoryFdKHR", nullptr);
  resolve_optional(get, device, functions.vkGetSemaphoreFdKHR, "vkGetSemaphoreFdKHR", nullptr);
#endif
  return functions;
}

}  // namespace cuda_interop::vulkan::detail
