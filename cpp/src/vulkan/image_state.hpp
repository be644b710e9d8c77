// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state behind an Image handle.

#include <memory>

#include "cuda_interop/vulkan/image.hpp"
#include "device_state.hpp"
#include "memory.hpp"

namespace cuda_interop::vulkan {

struct ImageResource {
  std::shared_ptr<DeviceState> device;
  VkImage image = VK_NULL_HANDLE;
  MemoryBlock memory;
  ImageDesc desc;
  VkImageUsageFlags usage = 0;
  ~ImageResource();
};

}  // namespace cuda_interop::vulkan
