// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The image formats the producer creates: the rows of the core's pixel-format table that have a
/// VkFormat.

#include <cstdint>
#include <string_view>
#include <vector>

#include "cuda_interop/pixel_format.hpp"

namespace cuda_interop::vulkan {

/// A VkFormat value that is in the pixel-format table (a typed integer, so that callers need no
/// Vulkan headers). Make one with parse_format or format_from_vk.
enum class Format : std::uint32_t {};

/// The table row of `format`; InvalidArgument when it is not one.
const PixelFormat& format_info(Format format);
/// Every format the producer creates.
std::vector<Format> formats();
/// Parses any name pixel_format accepts ("R8G8B8A8_UNORM", "r32_float",
/// "VK_FORMAT_R8G8B8A8_UNORM"); InvalidArgument listing the accepted names otherwise.
Format parse_format(std::string_view name);
/// The Format for a VkFormat value; InvalidArgument when it is not one of ours.
Format format_from_vk(std::uint32_t vk_format);

}  // namespace cuda_interop::vulkan
