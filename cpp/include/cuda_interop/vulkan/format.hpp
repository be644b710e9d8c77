// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The image formats the producer creates, with what CUDA needs to describe them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cuda_interop::vulkan {

/// Colour formats whose texels CUDA arrays can hold (names as in VkFormat, without VK_FORMAT_).
enum class Format {
  R8_UNORM,
  R8_UINT,
  R8G8_UNORM,
  R8G8B8A8_UNORM,
  R8G8B8A8_UINT,
  R16_SFLOAT,
  R16G16B16A16_SFLOAT,
  R32_SFLOAT,
  R32_UINT,
  R32_SINT,
  R32G32_SFLOAT,
  R32G32B32A32_SFLOAT,
  R32G32B32A32_UINT,
};

/// A format's Vulkan value and texel layout.
struct FormatInfo {
  Format format;
  const char* name;          ///< e.g. "R8G8B8A8_UNORM"
  std::uint32_t vk_format;   ///< the VkFormat value
  std::uint32_t texel_size;  ///< bytes per texel
  std::uint32_t channels;    ///< 1, 2 or 4
  const char* component;     ///< numpy dtype name of one channel: "uint8", "float16", "float32", ...
};

/// The description of `format`.
const FormatInfo& format_info(Format format);
/// Every supported format.
const std::vector<FormatInfo>& formats();
/// Parses "R8G8B8A8_UNORM", "r8g8b8a8_unorm" or "VK_FORMAT_R8G8B8A8_UNORM"; InvalidArgument
/// listing the accepted names otherwise.
Format parse_format(std::string_view name);
/// The Format for a VkFormat value; InvalidArgument when it is not one of ours.
Format format_from_vk(std::uint32_t vk_format);

}  // namespace cuda_interop::vulkan
