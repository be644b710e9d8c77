// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state behind a Buffer handle, and the staging buffers of host copies.

#include <cstdint>
#include <memory>

#include "device_state.hpp"
#include "memory.hpp"

namespace cuda_interop::vulkan {

struct BufferResource {
  std::shared_ptr<DeviceState> device;
  VkBuffer buffer = VK_NULL_HANDLE;
  MemoryBlock memory;
  std::uint64_t size = 0;
  ~BufferResource();
};

namespace detail {

/// A host-visible, coherent staging buffer (not exportable).
std::shared_ptr<BufferResource> create_staging_buffer(const std::shared_ptr<DeviceState>& device,
                                                      std::uint64_t size);

}  // namespace detail
}  // namespace cuda_interop::vulkan
