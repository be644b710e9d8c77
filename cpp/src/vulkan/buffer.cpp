// SPDX-License-Identifier: Apache-2.0
// Exportable buffers, and buffers bound to imported memory.
#include "cuda_interop/vulkan/buffer.hpp"

#include <string>

#include "buffer_state.hpp"
#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"
#include "device_loss.hpp"
#include "external_handles.hpp"
#include "memory.hpp"

namespace cuda_interop::vulkan {
namespace {

constexpr VkBufferUsageFlags buffer_usage =
    VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT |
    VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_INDEX_BUFFER_BIT;

// Whether this driver can export such buffers, and whether only as dedicated allocations.
bool dedicated_only(const DeviceState& device) {
  VkPhysicalDeviceExternalBufferInfo query{};
  query.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_BUFFER_INFO;
  query.usage = buffer_usage;
  query.handleType = detail::memory_handle_type;
  VkExternalBufferProperties properties{};
  properties.sType = VK_STRUCTURE_TYPE_EXTERNAL_BUFFER_PROPERTIES;
  device.instance->fn.vkGetPhysicalDeviceExternalBufferProperties(device.physical_device, &query,
                                                                 &properties);
  const auto features = properties.externalMemoryProperties.externalMemoryFeatures;
  if ((features & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT) == 0) {
    throw NotSupported("the Vulkan device " + device.info.name +
                       " cannot export buffer memory as " + detail::memory_extension + " handles");
  }
  return (features & VK_EXTERNAL_MEMORY_FEATURE_DEDICATED_ONLY_BIT) != 0;
}

// Creates the VkBuffer with external-memory usage and returns its requirements.
std::shared_ptr<BufferResource> create_external_buffer(const std::shared_ptr<DeviceState>& device,
                                                       std::uint64_t size,
                                                       VkMemoryRequirements& requirements,
                                                       bool& requires_dedicated) {
  auto resource = std::make_shared<BufferResource>();
  resource->device = device;
  resource->size = size;
  VkExternalMemoryBufferCreateInfo external{};
  external.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO;
  external.handleTypes = detail::memory_handle_type;
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.pNext = &external;
  info.size = size;
  info.usage = buffer_usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  detail::check(device->fn.vkCreateBuffer(device->device, &info, nullptr, &resource->buffer),
                "vkCreateBuffer");

  VkMemoryDedicatedRequirements dedicated{};
  dedicated.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS;
  VkMemoryRequirements2 memory{};
  memory.sType = VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2;
  memory.pNext = &dedicated;
  VkBufferMemoryRequirementsInfo2 query{};
  query.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_REQUIREMENTS_INFO_2;
  query.buffer = resource->buffer;
  device->fn.vkGetBufferMemoryRequirements2(device->device, &query, &memory);
  requirements = memory.memoryRequirements;
  requires_dedicated = dedicated.requiresDedicatedAllocation == VK_TRUE;
  return resource;
}

}  // namespace

BufferResource::~BufferResource() {
  if (!device || !device->owned()) return;
  if (buffer != VK_NULL_HANDLE) device->fn.vkDestroyBuffer(device->device, buffer, nullptr);
  detail::free_memory(*device, memory);
}

Buffer::Buffer(std::shared_ptr<BufferResource> resource) noexcept : resource_(std::move(resource)) {}
Buffer::~Buffer() { close(); }

void Buffer::close() noexcept {
  if (!resource_) return;
  const auto device = resource_->device;
  resource_.reset();  // work in flight may still hold the resource; it is freed when that ends
  std::lock_guard<std::mutex> lock(device->mutex);
  device->reap_locked();
}

const std::shared_ptr<BufferResource>& Buffer::resource() const {
  if (!resource_) throw ClosedError("the Vulkan buffer is closed");
  return resource_;
}

std::uint64_t Buffer::size() const { return resource()->size; }
std::uint64_t Buffer::allocation_size() const { return resource()->memory.allocation_size; }
bool Buffer::dedicated() const { return resource()->memory.dedicated; }
std::uint32_t Buffer::memory_type_index() const { return resource()->memory.memory_type_index; }
bool Buffer::imported() const { return resource()->memory.imported; }

BufferImportDesc Buffer::import_desc() const {
  const auto& r = *resource();
  return {r.size, r.memory.allocation_size, r.memory.memory_type_index, r.memory.dedicated};
}

#ifndef _WIN32
UniqueFd Buffer::export_fd() const {
  const auto& r = *resource();
  return detail::export_memory_fd(*r.device, r.memory);
}
#endif

UniqueWin32Handle Buffer::export_win32() const {
  const auto& r = *resource();
  return detail::export_memory_win32(*r.device, r.memory);
}

Buffer Context::create_buffer(std::uint64_t size, std::optional<bool> dedicated_request) {
  const auto& device = state();
  if (size == 0) throw InvalidArgument("a Vulkan buffer needs a size above 0");
  detail::refuse_unless_usable(*device, "vkCreateBuffer");
  detail::require_memory_export(*device);
  const bool dedicated = dedicated_request.value_or(size >= dedicated_from_size);
  const bool only_dedicated = dedicated_only(*device);
  VkMemoryRequirements requirements{};
  bool requires_dedicated = false;
  auto resource = create_external_buffer(device, size, requirements, requires_dedicated);
  const std::uint32_t type =
      detail::find_memory_type(*device, requirements.memoryTypeBits,
                               VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, "an exportable buffer");
  resource->memory =
      detail::allocate_memory(*device, requirements, type, true,
                              dedicated || requires_dedicated || only_dedicated, resource->buffer,
                              VK_NULL_HANDLE);
  detail::check(device->fn.vkBindBufferMemory(device->device, resource->buffer,
                                              resource->memory.memory, 0),
                "vkBindBufferMemory");
  return Buffer(std::move(resource));
}

Buffer Context::import_buffer_fd(int fd, const BufferImportDesc& desc) {
  const auto& device = state();
#ifdef _WIN32
  (void)fd;
  (void)desc;
  (void)device;
  throw NotSupported("importing file descriptors is not available on Windows");
#else
  if (fd < 0) throw InvalidArgument("fd must be a valid file descriptor, got " + std::to_string(fd));
  if (!fd_is_open(fd)) throw InvalidArgument("fd " + std::to_string(fd) + " is not open");
  if (const char* what = fd_never_memory(fd)) {
    throw InvalidArgument("fd " + std::to_string(fd) + " is " + what + ", not exported memory");
  }
  if (desc.size == 0 || desc.allocation_size < desc.size) {
    throw InvalidArgument("an imported buffer needs 0 < size <= allocation_size (size " +
                          std::to_string(desc.size) + ", allocation_size " +
                          std::to_string(desc.allocation_size) + ")");
  }
  detail::require_memory_export(*device);
  detail::refuse_unless_usable(*device, "vkAllocateMemory");
  VkMemoryRequirements requirements{};
  bool requires_dedicated = false;
  auto resource = create_external_buffer(device, desc.size, requirements, requires_dedicated);
  if (desc.memory_type_index >= device->memory_properties.memoryTypeCount ||
      (requirements.memoryTypeBits & (1u << desc.memory_type_index)) == 0) {
    throw InvalidArgument("memory type " + std::to_string(desc.memory_type_index) +
                          " cannot back this buffer");
  }
  if (requirements.size > desc.allocation_size) {
    throw InvalidArgument("allocation_size " + std::to_string(desc.allocation_size) +
                          " is below the buffer's requirement of " +
                          std::to_string(requirements.size) + " bytes");
  }
  // Vulkan owns the descriptor after a successful import: give it a duplicate, never the caller's.
  UniqueFd duplicate = UniqueFd::duplicate(fd);
  VkImportMemoryFdInfoKHR import{};
  import.sType = VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR;
  import.handleType = detail::memory_handle_type;
  import.fd = duplicate.get();
  VkMemoryDedicatedAllocateInfo dedicated{};
  dedicated.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO;
  dedicated.buffer = resource->buffer;
  if (desc.dedicated) import.pNext = &dedicated;
  VkMemoryAllocateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  info.pNext = &import;
  info.allocationSize = desc.allocation_size;
  info.memoryTypeIndex = desc.memory_type_index;
  detail::check(device->fn.vkAllocateMemory(device->device, &info, nullptr,
                                            &resource->memory.memory),
                "vkAllocateMemory (import of an opaque fd)");
  (void)duplicate.release();
  resource->memory.allocation_size = desc.allocation_size;
  resource->memory.memory_type_index = desc.memory_type_index;
  resource->memory.dedicated = desc.dedicated;
  resource->memory.imported = true;
  detail::check(device->fn.vkBindBufferMemory(device->device, resource->buffer,
                                              resource->memory.memory, 0),
                "vkBindBufferMemory");
  return Buffer(std::move(resource));
#endif
}

}  // namespace cuda_interop::vulkan
