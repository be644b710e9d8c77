// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/vulkan/format.hpp"

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::vulkan {

const PixelFormat& format_info(Format format) {
  return pixel_format_from_vk(static_cast<std::uint32_t>(format));
}

std::vector<Format> formats() {
  std::vector<Format> result;
  for (const auto& info : pixel_formats()) {
    if (info.vk_format != 0) result.push_back(Format{info.vk_format});
  }
  return result;
}

Format parse_format(std::string_view name) {
  const PixelFormat& info = pixel_format(name);
  if (info.vk_format == 0) {
    throw InvalidArgument(std::string("the pixel format ") + info.name + " has no VkFormat");
  }
  return Format{info.vk_format};
}

Format format_from_vk(std::uint32_t vk_format) {
  return Format{pixel_format_from_vk(vk_format).vk_format};
}

}  // namespace cuda_interop::vulkan
