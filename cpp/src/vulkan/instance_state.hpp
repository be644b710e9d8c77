// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Vulkan instance, shared by every context of the process.

#include <cstdint>
#include <memory>
#include <vector>

#include "cuda_interop/process.hpp"
#include "cuda_interop/vulkan/context.hpp"
#include "dispatch.hpp"

namespace cuda_interop::vulkan::detail {

/// The instance and its function table.
struct InstanceState {
  VkInstance instance = VK_NULL_HANDLE;
  std::uint32_t api_version = 0;
  InstanceFunctions fn;
  ProcessId creator = current_process();

  /// Creates an instance for the newest of Vulkan 1.2 / 1.1 that the loader offers.
  static std::shared_ptr<InstanceState> create();
  /// The process's instance, created on first use and kept until exit. Creating and destroying
  /// instances repeatedly exhausts some drivers (NVIDIA's headless EGL driver fails
  /// vkCreateInstance after a few dozen), and one instance serves every context.
  static std::shared_ptr<InstanceState> shared();
  ~InstanceState();
};

/// Describes every physical device of `instance`.
std::vector<PhysicalDeviceInfo> describe_physical_devices(const InstanceState& instance,
                                                          std::vector<VkPhysicalDevice>* handles);

}  // namespace cuda_interop::vulkan::detail
