// SPDX-License-Identifier: Apache-2.0
// Exportable optimally tiled images, kept in GENERAL layout for sharing.
#include "cuda_interop/vulkan/image.hpp"

#include <algorithm>
#include <string>

#include "check.hpp"
#include "cuda_interop/error.hpp"
#include "device_loss.hpp"
#include "external_handles.hpp"
#include "image_state.hpp"
#include "memory.hpp"
#include "submit.hpp"

namespace cuda_interop::vulkan {
namespace {

std::uint32_t max_levels(const ImageDesc& desc) {
  std::uint32_t largest = std::max({desc.width, desc.height, desc.depth});
  std::uint32_t levels = 1;
  while (largest > 1) {
    largest >>= 1;
    ++levels;
  }
  return levels;
}

void validate(const ImageDesc& desc) {
  if (desc.width == 0 || desc.height == 0 || desc.depth == 0 || desc.levels == 0 ||
      desc.layers == 0) {
    throw InvalidArgument("image width, height, depth, levels and layers must all be at least 1");
  }
  if (desc.depth > 1 && desc.layers > 1) {
    throw InvalidArgument("a 3D image (depth > 1) cannot have array layers");
  }
  if (desc.levels > max_levels(desc)) {
    throw InvalidArgument("an image of " + std::to_string(desc.width) + "x" +
                          std::to_string(desc.height) + "x" + std::to_string(desc.depth) +
                          " has at most " + std::to_string(max_levels(desc)) + " mip levels, not " +
                          std::to_string(desc.levels));
  }
}

struct ExportSupport {
  VkImageUsageFlags usage = 0;
  bool dedicated_only = false;
};

// Finds usage flags the driver can export for this image, dropping storage if it must.
ExportSupport export_support(const DeviceState& device, const ImageDesc& desc,
                             const PixelFormat& format) {
  const auto& fn = device.instance->fn;
  VkFormatProperties properties{};
  fn.vkGetPhysicalDeviceFormatProperties(device.physical_device,
                                         static_cast<VkFormat>(format.vk_format), &properties);
  const VkFormatFeatureFlags features = properties.optimalTilingFeatures;
  const VkFormatFeatureFlags transfer =
      VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
  if ((features & transfer) != transfer) {
    throw NotSupported(std::string("format ") + format.name +
                       " cannot be copied to and from with optimal tiling on " + device.info.name);
  }
  VkImageUsageFlags usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (features & VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT) usage |= VK_IMAGE_USAGE_SAMPLED_BIT;
  if (desc.color_attachment) {
    if ((features & VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT) == 0) {
      throw NotSupported(std::string("format ") + format.name +
                         " cannot be a colour attachment on " + device.info.name);
    }
    usage |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  }
  const bool storage = (features & VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT) != 0;
  for (const VkImageUsageFlags candidate :
       {storage ? usage | VK_IMAGE_USAGE_STORAGE_BIT : usage, usage}) {
    VkPhysicalDeviceExternalImageFormatInfo external{};
    external.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO;
    external.handleType = detail::memory_handle_type;
    VkPhysicalDeviceImageFormatInfo2 query{};
    query.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2;
    query.pNext = &external;
    query.format = static_cast<VkFormat>(format.vk_format);
    query.type = desc.depth > 1 ? VK_IMAGE_TYPE_3D : VK_IMAGE_TYPE_2D;
    query.tiling = VK_IMAGE_TILING_OPTIMAL;
    query.usage = candidate;
    VkExternalImageFormatProperties external_properties{};
    external_properties.sType = VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES;
    VkImageFormatProperties2 result{};
    result.sType = VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2;
    result.pNext = &external_properties;
    const VkResult status =
        fn.vkGetPhysicalDeviceImageFormatProperties2(device.physical_device, &query, &result);
    if (status == VK_ERROR_FORMAT_NOT_SUPPORTED) continue;
    detail::check(status, "vkGetPhysicalDeviceImageFormatProperties2");
    const auto flags = external_properties.externalMemoryProperties.externalMemoryFeatures;
    if ((flags & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT) == 0) continue;
    const auto& limits = result.imageFormatProperties;
    if (desc.width > limits.maxExtent.width || desc.height > limits.maxExtent.height ||
        desc.depth > limits.maxExtent.depth || desc.levels > limits.maxMipLevels ||
        desc.layers > limits.maxArrayLayers) {
      throw InvalidArgument(std::string("the image exceeds the limits of ") + format.name +
                            " on " + device.info.name + " (max extent " +
                            std::to_string(limits.maxExtent.width) + "x" +
                            std::to_string(limits.maxExtent.height) + "x" +
                            std::to_string(limits.maxExtent.depth) + ", " +
                            std::to_string(limits.maxArrayLayers) + " layers)");
    }
    return {candidate, (flags & VK_EXTERNAL_MEMORY_FEATURE_DEDICATED_ONLY_BIT) != 0};
  }
  throw NotSupported(std::string("the Vulkan device ") + device.info.name + " cannot export " +
                     (desc.depth > 1 ? "3D" : "2D") + " images of format " + format.name);
}

// Moves every subresource from UNDEFINED to GENERAL, where the image stays.
void make_general(const std::shared_ptr<DeviceState>& device, const ImageResource& image) {
  detail::submit_commands(device, {}, {}, [&](VkCommandBuffer commands) {
    VkImageMemoryBarrier barrier{};
    barrier.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER;
    barrier.srcAccessMask = 0;
    barrier.dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
    barrier.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    barrier.newLayout = VK_IMAGE_LAYOUT_GENERAL;
    barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.image = image.image;
    barrier.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, VK_REMAINING_MIP_LEVELS, 0,
                                VK_REMAINING_ARRAY_LAYERS};
    device->fn.vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                                    VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, nullptr, 0, nullptr,
                                    1, &barrier);
  });
}

}  // namespace

ImageResource::~ImageResource() {
  if (!device || !device->owned()) return;
  if (image != VK_NULL_HANDLE) device->fn.vkDestroyImage(device->device, image, nullptr);
  detail::free_memory(*device, memory);
}

Image::Image(std::shared_ptr<ImageResource> resource) noexcept : resource_(std::move(resource)) {}
Image::~Image() { close(); }

void Image::close() noexcept {
  if (!resource_) return;
  const auto device = resource_->device;
  resource_.reset();
  std::lock_guard<std::mutex> lock(device->mutex);
  device->reap_locked();
}

const std::shared_ptr<ImageResource>& Image::resource() const {
  if (!resource_) throw ClosedError("the Vulkan image is closed");
  return resource_;
}

const ImageDesc& Image::desc() const { return resource()->desc; }
bool Image::is_3d() const { return resource()->desc.depth > 1; }
std::uint64_t Image::allocation_size() const { return resource()->memory.allocation_size; }
bool Image::dedicated() const { return resource()->memory.dedicated; }
std::uint32_t Image::memory_type_index() const { return resource()->memory.memory_type_index; }
bool Image::sampled() const { return (resource()->usage & VK_IMAGE_USAGE_SAMPLED_BIT) != 0; }
bool Image::storage() const { return (resource()->usage & VK_IMAGE_USAGE_STORAGE_BIT) != 0; }
bool Image::color_attachment() const {
  return (resource()->usage & VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT) != 0;
}

std::array<std::uint32_t, 3> Image::level_extent(std::uint32_t level) const {
  const ImageDesc& d = desc();
  if (level >= d.levels) {
    throw InvalidArgument("mip level " + std::to_string(level) + " is out of range (the image has " +
                          std::to_string(d.levels) + ")");
  }
  return {std::max(1u, d.width >> level), std::max(1u, d.height >> level),
          std::max(1u, d.depth >> level)};
}

std::uint64_t Image::level_size(std::uint32_t level) const {
  const auto extent = level_extent(level);
  const ImageDesc& d = desc();
  return std::uint64_t{extent[0]} * extent[1] * extent[2] * d.layers *
         format_info(d.format).texel_size();
}

#ifndef _WIN32
UniqueFd Image::export_fd() const {
  const auto& r = *resource();
  return detail::export_memory_fd(*r.device, r.memory);
}
#endif

UniqueWin32Handle Image::export_win32() const {
  const auto& r = *resource();
  return detail::export_memory_win32(*r.device, r.memory);
}

Image Context::create_image(const ImageDesc& desc) {
  const auto& device = state();
  validate(desc);
  const PixelFormat& format = format_info(desc.format);
  detail::require_memory_export(*device);
  detail::refuse_unless_usable(*device, "vkCreateImage");
  const ExportSupport support = export_support(*device, desc, format);

  auto resource = std::make_shared<ImageResource>();
  resource->device = device;
  resource->desc = desc;
  resource->usage = support.usage;
  VkExternalMemoryImageCreateInfo external{};
  external.sType = VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_IMAGE_CREATE_INFO;
  external.handleTypes = detail::memory_handle_type;
  VkImageCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO;
  info.pNext = &external;
  info.imageType = desc.depth > 1 ? VK_IMAGE_TYPE_3D : VK_IMAGE_TYPE_2D;
  info.format = static_cast<VkFormat>(format.vk_format);
  info.extent = {desc.width, desc.height, desc.depth};
  info.mipLevels = desc.levels;
  info.arrayLayers = desc.layers;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = support.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  detail::check(device->fn.vkCreateImage(device->device, &info, nullptr, &resource->image),
                "vkCreateImage");

  VkMemoryDedicatedRequirements dedicated{};
  dedicated.sType = VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS;
  VkMemoryRequirements2 memory{};
  memory.sType = VK_STRUCTURE_TYPE_MEMORY_REQUIREMENTS_2;
  memory.pNext = &dedicated;
  VkImageMemoryRequirementsInfo2 query{};
  query.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_REQUIREMENTS_INFO_2;
  query.image = resource->image;
  device->fn.vkGetImageMemoryRequirements2(device->device, &query, &memory);
  const std::uint32_t type =
      detail::find_memory_type(*device, memory.memoryRequirements.memoryTypeBits,
                               VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, "an exportable image");
  const bool use_dedicated =
      desc.dedicated || support.dedicated_only || dedicated.requiresDedicatedAllocation == VK_TRUE;
  resource->memory = detail::allocate_memory(*device, memory.memoryRequirements, type, true,
                                             use_dedicated, VK_NULL_HANDLE, resource->image);
  detail::check(device->fn.vkBindImageMemory(device->device, resource->image,
                                             resource->memory.memory, 0),
                "vkBindImageMemory");
  make_general(device, *resource);
  return Image(std::move(resource));
}

}  // namespace cuda_interop::vulkan
