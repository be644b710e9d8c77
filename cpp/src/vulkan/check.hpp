// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turning a VkResult into the package's errors.

#include "vk.hpp"

namespace cuda_interop::vulkan::detail {

/// Throws VulkanError naming `call` unless `result` is VK_SUCCESS.
void check(VkResult result, const char* call);

}  // namespace cuda_interop::vulkan::detail
