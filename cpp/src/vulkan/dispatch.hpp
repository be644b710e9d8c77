// SPDX-License-Identifier: Apache-2.0
#pragma once
// Function tables filled through vkGetInstanceProcAddr / vkGetDeviceProcAddr.

#include "vk.hpp"

// Instance-level entry points of Vulkan 1.1 (all required).
#define CUDA_INTEROP_VK_INSTANCE_FUNCTIONS(X)  \
  X(vkDestroyInstance)                         \
  X(vkEnumeratePhysicalDevices)                \
  X(vkEnumeratePhysicalDeviceGroups)           \
  X(vkGetPhysicalDeviceProperties)             \
  X(vkGetPhysicalDeviceProperties2)            \
  X(vkGetPhysicalDeviceFeatures2)              \
  X(vkGetPhysicalDeviceQueueFamilyProperties)  \
  X(vkGetPhysicalDeviceMemoryProperties)       \
  X(vkGetPhysicalDeviceFormatProperties)       \
  X(vkGetPhysicalDeviceImageFormatProperties2) \
  X(vkGetPhysicalDeviceExternalBufferProperties) \
  X(vkGetPhysicalDeviceExternalSemaphoreProperties) \
  X(vkEnumerateDeviceExtensionProperties)      \
  X(vkCreateDevice)                            \
  X(vkGetDeviceProcAddr)

// Device-level entry points of Vulkan 1.1 (all required).
#define CUDA_INTEROP_VK_DEVICE_FUNCTIONS(X) \
  X(vkDestroyDevice)                        \
  X(vkGetDeviceQueue)                       \
  X(vkDeviceWaitIdle)                       \
  X(vkQueueSubmit)                          \
  X(vkCreateBuffer)                         \
  X(vkDestroyBuffer)                        \
  X(vkGetBufferMemoryRequirements2)         \
  X(vkCreateImage)                          \
  X(vkDestroyImage)                         \
  X(vkGetImageMemoryRequirements2)          \
  X(vkAllocateMemory)                       \
  X(vkFreeMemory)                           \
  X(vkBindBufferMemory)                     \
  X(vkBindImageMemory)                      \
  X(vkMapMemory)                            \
  X(vkUnmapMemory)                          \
  X(vkCreateCommandPool)                    \
  X(vkDestroyCommandPool)                   \
  X(vkAllocateCommandBuffers)               \
  X(vkFreeCommandBuffers)                   \
  X(vkBeginCommandBuffer)                   \
  X(vkEndCommandBuffer)                     \
  X(vkCmdPipelineBarrier)                   \
  X(vkCmdFillBuffer)                        \
  X(vkCmdCopyBuffer)                        \
  X(vkCmdCopyBufferToImage)                 \
  X(vkCmdCopyImageToBuffer)                 \
  X(vkCreateFence)                          \
  X(vkDestroyFence)                         \
  X(vkWaitForFences)                        \
  X(vkGetFenceStatus)                       \
  X(vkCreateSemaphore)                      \
  X(vkDestroySemaphore)

namespace cuda_interop::vulkan::detail {

#define CUDA_INTEROP_VK_MEMBER(name) PFN_##name name = nullptr;

struct InstanceFunctions {
  CUDA_INTEROP_VK_INSTANCE_FUNCTIONS(CUDA_INTEROP_VK_MEMBER)
};

struct DeviceFunctions {
  CUDA_INTEROP_VK_DEVICE_FUNCTIONS(CUDA_INTEROP_VK_MEMBER)
  // Present only when their extension (or Vulkan 1.2 for the timeline calls) is enabled.
  PFN_vkGetSemaphoreCounterValue vkGetSemaphoreCounterValue = nullptr;
  PFN_vkWaitSemaphores vkWaitSemaphores = nullptr;
  PFN_vkSignalSemaphore vkSignalSemaphore = nullptr;
#ifdef _WIN32
  PFN_vkGetMemoryWin32HandleKHR vkGetMemoryWin32HandleKHR = nullptr;
  PFN_vkGetSemaphoreWin32HandleKHR vkGetSemaphoreWin32HandleKHR = nullptr;
#else
  PFN_vkGetMemoryFdKHR vkGetMemoryFdKHR = nullptr;
  PFN_vkGetSemaphoreFdKHR vkGetSemaphoreFdKHR = nullptr;
#endif
};

#undef CUDA_INTEROP_VK_MEMBER

/// Resolves every instance function; VulkanError-free: NotSupported naming a missing one.
InstanceFunctions load_instance_functions(PFN_vkGetInstanceProcAddr get, VkInstance instance);

/// Resolves the device functions; optional ones stay null when their extension is not enabled.
DeviceFunctions load_device_functions(PFN_vkGetDeviceProcAddr get, VkDevice device);

}  // namespace cuda_interop::vulkan::detail
