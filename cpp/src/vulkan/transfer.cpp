// SPDX-License-Identifier: Apache-2.0
// Fill, upload, download and copies on the device's queue.
#include "cuda_interop/vulkan/transfer.hpp"

#include <cstring>
#include <string>

#include "barriers.hpp"
#include "buffer_state.hpp"
#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "image_state.hpp"
#include "submit.hpp"

namespace cuda_interop::vulkan {
namespace {

std::uint64_t checked_range(std::uint64_t total, std::uint64_t offset, std::uint64_t size,
                            const char* what) {
  if (offset > total) {
    throw InvalidArgument(std::string(what) + ": offset " + std::to_string(offset) +
                          " is beyond the buffer's " + std::to_string(total) + " bytes");
  }
  if (size == whole_size) size = total - offset;
  if (size == 0 || size > total - offset) {
    throw InvalidArgument(std::string(what) + ": " + std::to_string(size) + " bytes at offset " +
                          std::to_string(offset) + " do not fit in " + std::to_string(total) +
                          " bytes");
  }
  return size;
}

void same_device(const BufferResource& a, const DeviceState& device) {
  if (a.device.get() != &device) throw InvalidArgument("the objects belong to different contexts");
}

// Copies through a mapped staging buffer; data flows host -> staging or staging -> host.
void write_staging(const BufferResource& staging, const void* data, std::uint64_t size) {
  const auto& device = *staging.device;
  void* mapped = nullptr;
  detail::check(device.fn.vkMapMemory(device.device, staging.memory.memory, 0, size, 0, &mapped),
                "vkMapMemory");
  std::memcpy(mapped, data, static_cast<std::size_t>(size));
  device.fn.vkUnmapMemory(device.device, staging.memory.memory);
}

void read_staging(const BufferResource& staging, void* data, std::uint64_t size) {
  const auto& device = *staging.device;
  void* mapped = nullptr;
  detail::check(device.fn.vkMapMemory(device.device, staging.memory.memory, 0, size, 0, &mapped),
                "vkMapMemory");
  std::memcpy(data, mapped, static_cast<std::size_t>(size));
  device.fn.vkUnmapMemory(device.device, staging.memory.memory);
}

VkBufferImageCopy level_region(const Image& image, std::uint32_t level, std::uint64_t offset) {
  const auto extent = image.level_extent(level);
  VkBufferImageCopy region{};
  region.bufferOffset = offset;
  region.bufferRowLength = 0;  // tightly packed
  region.bufferImageHeight = 0;
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, image.desc().layers};
  region.imageOffset = {0, 0, 0};
  region.imageExtent = {extent[0], extent[1], extent[2]};
  return region;
}

void require_blocking(const SubmitSync& sync, const char* what) {
  if (!sync.block) throw InvalidArgument(std::string(what) + " always waits: block must be true");
}

void check_texel_offset(const Image& image, std::uint64_t offset) {
  if (offset % format_info(image.desc().format).texel_size() != 0) {
    throw InvalidArgument("a buffer offset for image copies must be a multiple of the texel size");
  }
}

}  // namespace

void fill(const Buffer& buffer, std::uint32_t value, std::uint64_t offset, std::uint64_t size,
          const SubmitSync& sync) {
  const auto& resource = buffer.resource();
  const bool whole = size == whole_size;
  size = checked_range(resource->size, offset, size, "fill");
  if (offset % 4 != 0 || (!whole && size % 4 != 0)) {
    throw InvalidArgument("fill: offset and size must be multiples of 4");
  }
  const auto& device = resource->device;
  detail::submit_commands(device, sync, {resource}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    device->fn.vkCmdFillBuffer(commands, resource->buffer, offset, whole ? VK_WHOLE_SIZE : size,
                               value);
    detail::barrier_after_transfer(*device, commands);
  });
}

void upload(const Buffer& buffer, const void* data, std::uint64_t size, std::uint64_t offset,
            const SubmitSync& sync) {
  const auto& resource = buffer.resource();
  size = checked_range(resource->size, offset, size, "upload");
  const auto& device = resource->device;
  auto staging = detail::create_staging_buffer(device, size);
  write_staging(*staging, data, size);
  detail::submit_commands(device, sync, {resource, staging}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    const VkBufferCopy region{0, offset, size};
    device->fn.vkCmdCopyBuffer(commands, staging->buffer, resource->buffer, 1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
}

std::uint64_t download_size(const Buffer& buffer, std::uint64_t offset, std::uint64_t size) {
  return checked_range(buffer.resource()->size, offset, size, "download");
}

void download(const Buffer& buffer, void* data, std::uint64_t size, std::uint64_t offset,
              const SubmitSync& sync) {
  require_blocking(sync, "download");
  const auto& resource = buffer.resource();
  size = checked_range(resource->size, offset, size, "download");
  const auto& device = resource->device;
  auto staging = detail::create_staging_buffer(device, size);
  detail::submit_commands(device, sync, {resource, staging}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    const VkBufferCopy region{offset, 0, size};
    device->fn.vkCmdCopyBuffer(commands, resource->buffer, staging->buffer, 1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
  read_staging(*staging, data, size);
}

void copy(const Buffer& source, const Buffer& destination, std::uint64_t size,
          std::uint64_t source_offset, std::uint64_t destination_offset, const SubmitSync& sync) {
  const auto& from = source.resource();
  const auto& to = destination.resource();
  same_device(*to, *from->device);
  if (size == whole_size) {
    size = checked_range(from->size, source_offset, size, "copy source");
  }
  checked_range(from->size, source_offset, size, "copy source");
  checked_range(to->size, destination_offset, size, "copy destination");
  if (from == to && source_offset < destination_offset + size &&
      destination_offset < source_offset + size) {
    throw InvalidArgument("copy within one buffer: source bytes [" +
                          std::to_string(source_offset) + ", " +
                          std::to_string(source_offset + size) + ") and destination bytes [" +
                          std::to_string(destination_offset) + ", " +
                          std::to_string(destination_offset + size) +
                          ") overlap (Vulkan leaves overlapping copies undefined)");
  }
  const auto& device = from->device;
  detail::submit_commands(device, sync, {from, to}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    const VkBufferCopy region{source_offset, destination_offset, size};
    device->fn.vkCmdCopyBuffer(commands, from->buffer, to->buffer, 1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
}

void copy(const Buffer& source, const Image& destination, std::uint32_t level,
          std::uint64_t source_offset, const SubmitSync& sync) {
  const auto& from = source.resource();
  const auto& to = destination.resource();
  same_device(*from, *to->device);
  check_texel_offset(destination, source_offset);
  checked_range(from->size, source_offset, destination.level_size(level), "copy to image");
  const VkBufferImageCopy region = level_region(destination, level, source_offset);
  const auto& device = from->device;
  detail::submit_commands(device, sync, {from, to}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    device->fn.vkCmdCopyBufferToImage(commands, from->buffer, to->image, VK_IMAGE_LAYOUT_GENERAL,
                                      1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
}

void copy(const Image& source, std::uint32_t level, const Buffer& destination,
          std::uint64_t destination_offset, const SubmitSync& sync) {
  const auto& from = source.resource();
  const auto& to = destination.resource();
  same_device(*to, *from->device);
  check_texel_offset(source, destination_offset);
  checked_range(to->size, destination_offset, source.level_size(level), "copy from image");
  const VkBufferImageCopy region = level_region(source, level, destination_offset);
  const auto& device = from->device;
  detail::submit_commands(device, sync, {from, to}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    device->fn.vkCmdCopyImageToBuffer(commands, from->image, VK_IMAGE_LAYOUT_GENERAL, to->buffer,
                                      1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
}

void upload(const Image& image, std::uint32_t level, const void* data, std::uint64_t size,
            const SubmitSync& sync) {
  const auto& resource = image.resource();
  const std::uint64_t expected = image.level_size(level);
  if (size != expected) {
    throw InvalidArgument("upload of mip level " + std::to_string(level) + " needs " +
                          std::to_string(expected) + " bytes, got " + std::to_string(size));
  }
  const auto& device = resource->device;
  auto staging = detail::create_staging_buffer(device, size);
  write_staging(*staging, data, size);
  const VkBufferImageCopy region = level_region(image, level, 0);
  detail::submit_commands(device, sync, {resource, staging}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    device->fn.vkCmdCopyBufferToImage(commands, staging->buffer, resource->image,
                                      VK_IMAGE_LAYOUT_GENERAL, 1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
}

void download(const Image& image, std::uint32_t level, void* data, std::uint64_t size,
              const SubmitSync& sync) {
  require_blocking(sync, "download");
  const auto& resource = image.resource();
  const std::uint64_t expected = image.level_size(level);
  if (size != expected) {
    throw InvalidArgument("download of mip level " + std::to_string(level) + " needs " +
                          std::to_string(expected) + " bytes, got " + std::to_string(size));
  }
  const auto& device = resource->device;
  auto staging = detail::create_staging_buffer(device, size);
  const VkBufferImageCopy region = level_region(image, level, 0);
  detail::submit_commands(device, sync, {resource, staging}, [&](VkCommandBuffer commands) {
    detail::barrier_before_transfer(*device, commands);
    device->fn.vkCmdCopyImageToBuffer(commands, resource->image, VK_IMAGE_LAYOUT_GENERAL,
                                      staging->buffer, 1, &region);
    detail::barrier_after_transfer(*device, commands);
  });
  read_staging(*staging, data, size);
}

void submit(const Context& context, const SubmitSync& sync) {
  detail::submit_commands(context.state(), sync, {}, {});
}

}  // namespace cuda_interop::vulkan
