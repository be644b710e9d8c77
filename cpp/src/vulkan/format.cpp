// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/vulkan/format.hpp"

#include <algorithm>
#include <cctype>

#include "cuda_interop/error.hpp"
#include "vk.hpp"

namespace cuda_interop::vulkan {

const std::vector<FormatInfo>& formats() {
  static const std::vector<FormatInfo> table = {
      {Format::R8_UNORM, "R8_UNORM", VK_FORMAT_R8_UNORM, 1, 1, "uint8"},
      {Format::R8_UINT, "R8_UINT", VK_FORMAT_R8_UINT, 1, 1, "uint8"},
      {Format::R8G8_UNORM, "R8G8_UNORM", VK_FORMAT_R8G8_UNORM, 2, 2, "uint8"},
      {Format::R8G8B8A8_UNORM, "R8G8B8A8_UNORM", VK_FORMAT_R8G8B8A8_UNORM, 4, 4, "uint8"},
      {Format::R8G8B8A8_UINT, "R8G8B8A8_UINT", VK_FORMAT_R8G8B8A8_UINT, 4, 4, "uint8"},
      {Format::R16_SFLOAT, "R16_SFLOAT", VK_FORMAT_R16_SFLOAT, 2, 1, "float16"},
      {Format::R16G16B16A16_SFLOAT, "R16G16B16A16_SFLOAT", VK_FORMAT_R16G16B16A16_SFLOAT, 8, 4,
       "float16"},
      {Format::R32_SFLOAT, "R32_SFLOAT", VK_FORMAT_R32_SFLOAT, 4, 1, "float32"},
      {Format::R32_UINT, "R32_UINT", VK_FORMAT_R32_UINT, 4, 1, "uint32"},
      {Format::R32_SINT, "R32_SINT", VK_FORMAT_R32_SINT, 4, 1, "int32"},
      {Format::R32G32_SFLOAT, "R32G32_SFLOAT", VK_FORMAT_R32G32_SFLOAT, 8, 2, "float32"},
      {Format::R32G32B32A32_SFLOAT, "R32G32B32A32_SFLOAT", VK_FORMAT_R32G32B32A32_SFLOAT, 16, 4,
       "float32"},
      {Format::R32G32B32A32_UINT, "R32G32B32A32_UINT", VK_FORMAT_R32G32B32A32_UINT, 16, 4,
       "uint32"},
  };
  return table;
}

const FormatInfo& format_info(Format format) {
  for (const auto& info : formats()) {
    if (info.format == format) return info;
  }
  throw InvalidArgument("unknown image format value " + std::to_string(static_cast<int>(format)));
}

Format parse_format(std::string_view name) {
  std::string upper;
  for (const char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string prefix = "VK_FORMAT_";
  if (upper.compare(0, prefix.size(), prefix) == 0) upper.erase(0, prefix.size());
  std::string accepted;
  for (const auto& info : formats()) {
    if (upper == info.name) return info.format;
    accepted += accepted.empty() ? "" : ", ";
    accepted += info.name;
  }
  throw InvalidArgument("unknown image format '" + std::string(name) + "'; accepted: " + accepted);
}

Format format_from_vk(std::uint32_t vk_format) {
  for (const auto& info : formats()) {
    if (info.vk_format == vk_format) return info.format;
  }
  throw InvalidArgument("VkFormat " + std::to_string(vk_format) +
                        " is not one of the formats this package creates");
}

}  // namespace cuda_interop::vulkan
