// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/pixel_format.hpp"

#include <cctype>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

constexpr auto S = ChannelKind::Signed;
constexpr auto U = ChannelKind::Unsigned;
constexpr auto F = ChannelKind::Float;

std::string upper(std::string_view text) {
  std::string result;
  for (const char c : text) {
    result += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return result;
}

std::string without_prefix(std::string name) {
  for (const std::string_view prefix : {"VK_FORMAT_", "DXGI_FORMAT_"}) {
    if (name.compare(0, prefix.size(), prefix) == 0) return name.substr(prefix.size());
  }
  return name;
}

const PixelFormat* find_by_value(std::uint32_t value, std::uint32_t PixelFormat::*field) noexcept {
  if (value != 0) {
    for (const auto& format : pixel_formats()) {
      if (format.*field == value) return &format;
    }
  }
  return nullptr;
}

const PixelFormat& by_value(std::uint32_t value, std::uint32_t PixelFormat::*field,
                            const char* what) {
  if (const PixelFormat* format = find_by_value(value, field)) return *format;
  throw InvalidArgument(std::string(what) + " " + std::to_string(value) +
                        " is not one of the formats CUDA arrays can alias here");
}

}  // namespace

const std::vector<PixelFormat>& pixel_formats() {
  // name, VkFormat, DXGI_FORMAT, channel kind, bits, channels
  static const std::vector<PixelFormat> table = {
      {"R8_UNORM", 9, 61, U, 8, 1},
      {"R8_UINT", 13, 62, U, 8, 1},
      {"R8_SNORM", 10, 63, S, 8, 1},
      {"R8_SINT", 14, 64, S, 8, 1},
      {"R8G8_UNORM", 16, 49, U, 8, 2},
      {"R8G8_UINT", 20, 50, U, 8, 2},
      {"R8G8_SINT", 21, 52, S, 8, 2},
      {"R8G8B8A8_UNORM", 37, 28, U, 8, 4},
      {"R8G8B8A8_UINT", 41, 30, U, 8, 4},
      {"R8G8B8A8_SNORM", 38, 31, S, 8, 4},
      {"R8G8B8A8_SINT", 42, 32, S, 8, 4},
      {"B8G8R8A8_UNORM", 44, 87, U, 8, 4},
      {"R16_UNORM", 70, 56, U, 16, 1},
      {"R16_UINT", 74, 57, U, 16, 1},
      {"R16_SINT", 75, 59, S, 16, 1},
      {"R16_SFLOAT", 76, 54, F, 16, 1},
      {"R16G16_UINT", 81, 36, U, 16, 2},
      {"R16G16_SINT", 82, 38, S, 16, 2},
      {"R16G16_SFLOAT", 83, 34, F, 16, 2},
      {"R16G16B16A16_UNORM", 91, 11, U, 16, 4},
      {"R16G16B16A16_UINT", 95, 12, U, 16, 4},
      {"R16G16B16A16_SINT", 96, 14, S, 16, 4},
      {"R16G16B16A16_SFLOAT", 97, 10, F, 16, 4},
      {"R32_UINT", 98, 42, U, 32, 1},
      {"R32_SINT", 99, 43, S, 32, 1},
      {"R32_SFLOAT", 100, 41, F, 32, 1},
      {"R32G32_UINT", 101, 17, U, 32, 2},
      {"R32G32_SINT", 102, 18, S, 32, 2},
      {"R32G32_SFLOAT", 103, 16, F, 32, 2},
      {"R32G32B32A32_UINT", 107, 3, U, 32, 4},
      {"R32G32B32A32_SINT", 108, 4, S, 32, 4},
      {"R32G32B32A32_SFLOAT", 109, 2, F, 32, 4},
  };
  return table;
}

std::string PixelFormat::component() const {
  const char* prefix = kind == ChannelKind::Float    ? "float"
                       : kind == ChannelKind::Signed ? "int"
                                                     : "uint";
  return prefix + std::to_string(bits);
}

std::string PixelFormat::dxgi_name() const {
  if (dxgi_format == 0) return "";
  std::string result = name;
  const std::string_view sfloat = "_SFLOAT";
  const std::size_t at = result.size() - sfloat.size();
  if (result.size() > sfloat.size() && result.compare(at, sfloat.size(), sfloat) == 0) {
    result.replace(at, sfloat.size(), "_FLOAT");
  }
  return result;
}

const PixelFormat* find_pixel_format(std::string_view name) noexcept {
  try {
    const std::string key = without_prefix(upper(name));
    for (const auto& format : pixel_formats()) {
      if (key == format.name || (format.dxgi_format != 0 && key == format.dxgi_name())) {
        return &format;
      }
    }
  } catch (...) {  // only allocation can fail here
  }
  return nullptr;
}

const PixelFormat& pixel_format(std::string_view name) {
  if (const PixelFormat* format = find_pixel_format(name)) return *format;
  std::string accepted;
  for (const auto& format : pixel_formats()) {
    accepted += accepted.empty() ? "" : ", ";
    accepted += format.name;
  }
  throw InvalidArgument("unknown pixel format '" + std::string(name) + "'; accepted: " + accepted +
                        " (also in DXGI spelling, e.g. R32_FLOAT, with a VK_FORMAT_ or "
                        "DXGI_FORMAT_ prefix, in any case)");
}

const PixelFormat& pixel_format_from_vk(std::uint32_t vk_format) {
  return by_value(vk_format, &PixelFormat::vk_format, "VkFormat");
}

const PixelFormat* find_pixel_format_from_dxgi(std::uint32_t dxgi_format) noexcept {
  return find_by_value(dxgi_format, &PixelFormat::dxgi_format);
}

const PixelFormat& pixel_format_from_dxgi(std::uint32_t dxgi_format) {
  return by_value(dxgi_format, &PixelFormat::dxgi_format, "DXGI_FORMAT");
}

}  // namespace cuda_interop
