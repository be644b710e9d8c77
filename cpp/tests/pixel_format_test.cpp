// SPDX-License-Identifier: Apache-2.0
// The pixel-format table: lookups by name, VkFormat and DXGI_FORMAT; no GPU needed.
#include "cuda_interop/pixel_format.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

TEST(PixelFormat, NamesAreVulkanSpellingsAndDxgiAliases) {
  const PixelFormat& rgba = pixel_format("R8G8B8A8_UNORM");
  EXPECT_EQ(&pixel_format("r8g8b8a8_unorm"), &rgba);
  EXPECT_EQ(&pixel_format("VK_FORMAT_R8G8B8A8_UNORM"), &rgba);
  EXPECT_EQ(&pixel_format("DXGI_FORMAT_R8G8B8A8_UNORM"), &rgba);
  const PixelFormat& r32f = pixel_format("R32_SFLOAT");
  EXPECT_EQ(&pixel_format("R32_FLOAT"), &r32f);
  EXPECT_EQ(&pixel_format("dxgi_format_r32_float"), &r32f);
  EXPECT_EQ(r32f.dxgi_name(), "R32_FLOAT");
  EXPECT_EQ(rgba.dxgi_name(), "R8G8B8A8_UNORM");
  EXPECT_EQ(find_pixel_format("float32"), nullptr);
}

TEST(PixelFormat, RowsDescribeTheTexel) {
  const PixelFormat& half4 = pixel_format("R16G16B16A16_SFLOAT");
  EXPECT_EQ(half4.kind, ChannelKind::Float);
  EXPECT_EQ(half4.texel_size(), 8u);
  EXPECT_EQ(half4.component(), "float16");
  EXPECT_EQ(pixel_format("R8_SNORM").component(), "int8");
  EXPECT_EQ(pixel_format("R32G32_UINT").component(), "uint32");
  EXPECT_EQ(half4.array_format().element_size(), 8u);
}

TEST(PixelFormat, LookupByGraphicsApiValue) {
  EXPECT_EQ(pixel_format_from_vk(37).name, std::string("R8G8B8A8_UNORM"));
  EXPECT_EQ(pixel_format_from_dxgi(41).name, std::string("R32_SFLOAT"));
  EXPECT_EQ(pixel_format_from_dxgi(87).name, std::string("B8G8R8A8_UNORM"));
  EXPECT_THROW((void)pixel_format_from_vk(0), InvalidArgument);
  EXPECT_THROW((void)pixel_format_from_dxgi(0), InvalidArgument);
  EXPECT_THROW((void)pixel_format_from_dxgi(29), InvalidArgument);  // R8G8B8A8_UNORM_SRGB
}

TEST(PixelFormat, UnknownNamesListTheAcceptedOnes) {
  try {
    (void)pixel_format("B8G8R8A8_SRGB");
    FAIL() << "unknown format accepted";
  } catch (const InvalidArgument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("B8G8R8A8_SRGB"), std::string::npos) << message;
    EXPECT_NE(message.find("R32G32B32A32_SFLOAT"), std::string::npos) << message;
  }
}

TEST(PixelFormat, NamesAndValuesAreUniqueAndValid) {
  std::set<std::string> names;
  std::set<std::uint32_t> vk;
  std::set<std::uint32_t> dxgi;
  for (const auto& format : pixel_formats()) {
    EXPECT_TRUE(names.insert(format.name).second) << format.name;
    if (format.vk_format != 0) EXPECT_TRUE(vk.insert(format.vk_format).second) << format.name;
    if (format.dxgi_format != 0) EXPECT_TRUE(dxgi.insert(format.dxgi_format).second) << format.name;
    EXPECT_NO_THROW(format.array_format().validate()) << format.name;
  }
}

}  // namespace
}  // namespace cuda_interop
