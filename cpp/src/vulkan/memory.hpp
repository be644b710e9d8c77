// SPDX-License-Identifier: Apache-2.0
#pragma once
// Device memory bound to one buffer or image: allocation, export and release.

#include <cstdint>

#include "cuda_interop/os_handle.hpp"
#include "vk.hpp"

namespace cuda_interop::vulkan {

struct DeviceState;

/// Memory bound to one buffer or image.
struct MemoryBlock {
  VkDeviceMemory memory = VK_NULL_HANDLE;
  std::uint64_t allocation_size = 0;
  std::uint32_t memory_type_index = 0;
  bool dedicated = false;
  bool imported = false;
  bool exportable = false;
};

namespace detail {

/// The first memory type in `type_bits` with all of `required`; NotSupported naming `what`.
std::uint32_t find_memory_type(const DeviceState& device, std::uint32_t type_bits,
                               VkMemoryPropertyFlags required, const char* what);

/// Allocates memory for `requirements`, exportable when `exportable`, dedicated to `buffer` or
/// `image` when `dedicated` (exactly one of them non-null then).
MemoryBlock allocate_memory(DeviceState& device, const VkMemoryRequirements& requirements,
                            std::uint32_t memory_type_index, bool exportable, bool dedicated,
                            VkBuffer buffer, VkImage image);

/// Frees memory; for teardown, never throws.
void free_memory(DeviceState& device, MemoryBlock& block) noexcept;

/// Export of device memory through the platform's handle type.
#ifndef _WIN32
UniqueFd export_memory_fd(const DeviceState& device, const MemoryBlock& block);
#endif
UniqueWin32Handle export_memory_win32(const DeviceState& device, const MemoryBlock& block);

/// NotSupported unless the device enabled the platform's external-memory extension.
void require_memory_export(const DeviceState& device);

}  // namespace detail
}  // namespace cuda_interop::vulkan
