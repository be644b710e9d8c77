// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The pixel formats CUDA arrays can alias, with their Vulkan and DXGI values: the one table every
/// producer and the Python layer read.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cuda_interop/array_format.hpp"

namespace cuda_interop {

/// One colour format. The graphics APIs' values are stored as integers so that no Vulkan or
/// Windows header is needed. UNORM/SNORM formats are integers to CUDA; read them through a texture
/// with normalized_float to get [0, 1] / [-1, 1].
struct PixelFormat {
  const char* name;           ///< Vulkan spelling without VK_FORMAT_, e.g. "R8G8B8A8_UNORM"
  std::uint32_t vk_format;    ///< the VkFormat value; 0 (VK_FORMAT_UNDEFINED) when Vulkan has none
  std::uint32_t dxgi_format;  ///< the DXGI_FORMAT value; 0 (DXGI_FORMAT_UNKNOWN) when DXGI has none
  ChannelKind kind;           ///< how CUDA reads a channel
  unsigned bits;              ///< bits per channel: 8, 16 or 32
  unsigned channels;          ///< 1, 2 or 4

  /// Bytes per texel.
  unsigned texel_size() const noexcept { return bits / 8 * channels; }
  /// CUDA's description of one texel.
  ArrayFormat array_format() const noexcept { return {kind, bits, channels}; }
  /// The numpy dtype name of one channel: "uint8", "int16", "float32", ...
  std::string component() const;
  /// DXGI's spelling without DXGI_FORMAT_ (SFLOAT is FLOAT there); "" when DXGI has none.
  std::string dxgi_name() const;
};

/// Every format, in a fixed order.
const std::vector<PixelFormat>& pixel_formats();
/// The format named `name` in Vulkan or DXGI spelling, with or without the VK_FORMAT_ or
/// DXGI_FORMAT_ prefix, in any case ("R32_SFLOAT", "r32_float", "DXGI_FORMAT_R32_FLOAT"); nullptr
/// when there is none.
const PixelFormat* find_pixel_format(std::string_view name) noexcept;
/// As find_pixel_format, but InvalidArgument listing the accepted names when there is none.
const PixelFormat& pixel_format(std::string_view name);
/// The format with this VkFormat value; InvalidArgument when it is not in the table.
const PixelFormat& pixel_format_from_vk(std::uint32_t vk_format);
/// The format with this DXGI_FORMAT value; nullptr when it is not in the table.
const PixelFormat* find_pixel_format_from_dxgi(std::uint32_t dxgi_format) noexcept;
/// The format with this DXGI_FORMAT value; InvalidArgument when it is not in the table.
const PixelFormat& pixel_format_from_dxgi(std::uint32_t dxgi_format);

}  // namespace cuda_interop
