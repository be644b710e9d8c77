// SPDX-License-Identifier: Apache-2.0
// Device memory: choosing a type, exportable (and dedicated) allocation, export of handles.
#include <string>

#include "buffer_state.hpp"
#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "external_handles.hpp"
#include "memory.hpp"

namespace cuda_interop::vulkan::detail {
namespace {

#ifdef _WIN32
// dxgi1_2.h values; CUDA's samples export Vulkan memory with read and write access.
constexpr DWORD shared_resource_read = 0x80000000UL;
constexpr DWORD shared_resource_write = 0x1UL;
#endif

}  // namespace

std::uint32_t find_memory_type(const DeviceState& device, std::uint32_t type_bits,
                               VkMemoryPropertyFlags required, const char* what) {
  const auto& memory = device.memory_properties;
  for (std::uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
    if ((type_bits & (1u << i)) != 0 && (memory.memoryTypes[i].propertyFlags & required) == required) {
      return i;
    }
  }
  throw NotSupported(std::string("no Vulkan memory type suits ") + what);
}

void require_memory_export(const DeviceState& device) {
#ifdef _WIN32
  const bool enabled = device.features.external_memory_win32;
#else
  const bool enabled = device.features.external_memory_fd;
#endif
  if (!enabled) {
    throw NotSupported(std::string("the Vulkan device ") + device.info.name + " lacks " +
                       memory_extension + ", needed to export memory");
  }
}

MemoryBlock allocate_memory(DeviceState& device, const VkMemoryRequirements& requirements,
                            std::uint32_t memory_type_index, bool exportable, bool dedicated,
                            VkBuffer buffer, VkImage image) {
  VkMemoryAllocateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  info.allocationSize = requirements.size;
  info.memoryTypeIndex = memory_type_index;
  const void* chain = nullptr;

  VkMemoryDedicatedAllocateInfo dedicated_info{};
  dedicated_info.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO;
  dedicated_info.buffer = buffer;
  dedicated_info.image = image;
  if (dedicated) {
    dedicated_info.pNext = chain;
    chain = &dedicated_info;
  }
  VkExportMemoryAllocateInfo export_info{};
  export_info.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO;
  export_info.handleTypes = memory_handle_type;
#ifdef _WIN32
  VkExportMemoryWin32HandleInfoKHR win32_info{};
  win32_info.sType = VK_STRUCTURE_TYPE_EXPORT_MEMORY_WIN32_HANDLE_INFO_KHR;
  win32_info.pAttributes = nullptr;  // default security descriptor, not inheritable
  win32_info.dwAccess = shared_resource_read | shared_resource_write;
  win32_info.name = nullptr;
#endif
  if (exportable) {
#ifdef _WIN32
    win32_info.pNext = chain;
    export_info.pNext = &win32_info;
#else
    export_info.pNext = chain;
#endif
    chain = &export_info;
  }
  info.pNext = chain;

  MemoryBlock block;
  check(device.fn.vkAllocateMemory(device.device, &info, nullptr, &block.memory),
        "vkAllocateMemory");
  block.allocation_size = requirements.size;
  block.memory_type_index = memory_type_index;
  block.dedicated = dedicated;
  block.exportable = exportable;
  return block;
}

void free_memory(DeviceState& device, MemoryBlock& block) noexcept {
  if (block.memory != VK_NULL_HANDLE && device.owned()) {
    device.fn.vkFreeMemory(device.device, block.memory, nullptr);
  }
  block.memory = VK_NULL_HANDLE;
}

#ifndef _WIN32
UniqueFd export_memory_fd(const DeviceState& device, const MemoryBlock& block) {
  require_memory_export(device);
  if (!block.exportable) throw InvalidArgument("this Vulkan memory was not created exportable");
  refuse_unless_usable(device, "vkGetMemoryFdKHR");
  VkMemoryGetFdInfoKHR info{};
  info.sType = VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR;
  info.memory = block.memory;
  info.handleType = memory_handle_type;
  int fd = -1;
  check(device.fn.vkGetMemoryFdKHR(device.device, &info, &fd), "vkGetMemoryFdKHR");
  return UniqueFd(fd);
}

UniqueWin32Handle export_memory_win32(const DeviceState&, const MemoryBlock&) {
  throw NotSupported("Win32 handles exist only on Windows; use export_fd()");
}
#else
UniqueWin32Handle export_memory_win32(const DeviceState& device, const MemoryBlock& block) {
  require_memory_export(device);
  if (!block.exportable) throw InvalidArgument("this Vulkan memory was not created exportable");
  refuse_unless_usable(device, "vkGetMemoryWin32HandleKHR");
  VkMemoryGetWin32HandleInfoKHR info{};
  info.sType = VK_STRUCTURE_TYPE_MEMORY_GET_WIN32_HANDLE_INFO_KHR;
  info.memory = block.memory;
  info.handleType = memory_handle_type;
  HANDLE handle = nullptr;
  check(device.fn.vkGetMemoryWin32HandleKHR(device.device, &info, &handle),
        "vkGetMemoryWin32HandleKHR");
  return UniqueWin32Handle(static_cast<void*>(handle));
}
#endif

std::shared_ptr<BufferResource> create_staging_buffer(const std::shared_ptr<DeviceState>& device,
                                                      std::uint64_t size) {
  refuse_unless_usable(*device, "vkQueueSubmit");  // only transfers use staging buffers
  auto resource = std::make_shared<BufferResource>();
  resource->device = device;
  resource->size = size;
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = size;
  info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  check(device->fn.vkCreateBuffer(device->device, &info, nullptr, &resource->buffer),
        "vkCreateBuffer");
  VkBufferMemoryRequirementsInfo2 query{};
  query.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_REQUIREMENTS_INFO_2;
  query.buffer = resource->buffer;
  VkMemoryRequirements2 requirements{};
  requirements.sType = VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2;
  device->fn.vkGetBufferMemoryRequirements2(device->device, &query, &requirements);
  const std::uint32_t type = find_memory_type(
      *device, requirements.memoryRequirements.memoryTypeBits,
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
      "a host-visible coherent staging buffer");
  resource->memory = allocate_memory(*device, requirements.memoryRequirements, type, false, false,
                                     VK_NULL_HANDLE, VK_NULL_HANDLE);
  check(device->fn.vkBindBufferMemory(device->device, resource->buffer, resource->memory.memory, 0),
        "vkBindBufferMemory");
  return resource;
}

}  // namespace cuda_interop::vulkan::detail
