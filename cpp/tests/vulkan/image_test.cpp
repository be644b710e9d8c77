// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include <vulkan/vulkan_core.h>

#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;

std::uint64_t total_bytes(const Image& image) {
  std::uint64_t total = 0;
  for (std::uint32_t level = 0; level < image.desc().levels; ++level) {
    total += image.level_size(level);
  }
  return total;
}

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<std::uint8_t> bytes(size);
  for (auto& byte : bytes) byte = static_cast<std::uint8_t>(generator());
  return bytes;
}

// Every level round trips through upload/download, byte for byte.
void expect_levels_round_trip(const Image& image) {
  for (std::uint32_t level = 0; level < image.desc().levels; ++level) {
    const auto bytes = random_bytes(image.level_size(level), 100 + level);
    upload(image, level, bytes.data(), bytes.size());
  }
  for (std::uint32_t level = 0; level < image.desc().levels; ++level) {
    const auto bytes = random_bytes(image.level_size(level), 100 + level);
    std::vector<std::uint8_t> back(bytes.size());
    download(image, level, back.data(), back.size());
    EXPECT_EQ(back, bytes) << "level " << level;
  }
}

TEST_F(VulkanTest, Image2DWithMips) {
  ImageDesc desc;
  desc.format = parse_format("R8G8B8A8_UNORM");
  desc.width = 64;
  desc.height = 48;
  desc.levels = 4;
  Image image = context->create_image(desc);
  EXPECT_FALSE(image.is_3d());
  EXPECT_EQ(image.level_extent(3), (std::array<std::uint32_t, 3>{8, 6, 1}));
  EXPECT_EQ(image.level_size(0), 64u * 48u * 4u);
  EXPECT_GE(image.allocation_size(), total_bytes(image));
  EXPECT_TRUE(image.sampled());
  EXPECT_FALSE(image.color_attachment());
  expect_levels_round_trip(image);
}

TEST_F(VulkanTest, Image3D) {
  ImageDesc desc;
  desc.format = parse_format("R32_SFLOAT");
  desc.width = 16;
  desc.height = 8;
  desc.depth = 4;
  desc.levels = 2;
  Image image = context->create_image(desc);
  EXPECT_TRUE(image.is_3d());
  EXPECT_EQ(image.level_extent(1), (std::array<std::uint32_t, 3>{8, 4, 2}));
  EXPECT_GE(image.allocation_size(), total_bytes(image));
  expect_levels_round_trip(image);
}

TEST_F(VulkanTest, LayeredImageWithColorAttachment) {
  ImageDesc desc;
  desc.format = parse_format("R16G16B16A16_SFLOAT");
  desc.width = 32;
  desc.height = 32;
  desc.layers = 3;
  desc.levels = 2;
  desc.color_attachment = true;
  Image image = context->create_image(desc);
  EXPECT_TRUE(image.color_attachment());
  EXPECT_EQ(image.level_size(1), 16u * 16u * 3u * 8u);
  EXPECT_GE(image.allocation_size(), total_bytes(image));
  expect_levels_round_trip(image);
}

TEST_F(VulkanTest, EveryFormatCanBeCreatedAndExported) {
  for (const Format format : formats()) {
    const PixelFormat& info = format_info(format);
    ImageDesc desc;
    desc.format = format;
    desc.width = 8;
    desc.height = 8;
    Image image = context->create_image(desc);
    EXPECT_GE(image.allocation_size(), 64u * info.texel_size()) << info.name;
#ifndef _WIN32
    UniqueFd fd = image.export_fd();
    EXPECT_TRUE(fd) << info.name;
#endif
  }
}

TEST_F(VulkanTest, BufferImageCopiesPerLevel) {
  ImageDesc desc;
  desc.format = parse_format("R32_UINT");
  desc.width = 20;
  desc.height = 10;
  desc.levels = 3;
  desc.layers = 2;
  Image image = context->create_image(desc);
  const std::uint64_t size = image.level_size(1);
  Buffer source = context->create_buffer(size + 16);
  Buffer destination = context->create_buffer(size + 16);
  const auto bytes = random_bytes(size, 3);
  upload(source, bytes.data(), size, 16);
  copy(source, image, 1, 16);
  copy(image, 1, destination, 0);
  std::vector<std::uint8_t> back(size);
  download(destination, back.data(), size);
  EXPECT_EQ(back, bytes);
}

TEST_F(VulkanTest, ImageArgumentsAreValidated) {
  ImageDesc desc;
  desc.width = 16;
  desc.height = 16;
  desc.levels = 6;  // 16 has 5 levels
  EXPECT_THROW((void)context->create_image(desc), InvalidArgument);
  desc.levels = 1;
  desc.depth = 2;
  desc.layers = 2;
  EXPECT_THROW((void)context->create_image(desc), InvalidArgument);
  desc.depth = 1;
  desc.layers = 1;
  desc.width = 0;
  EXPECT_THROW((void)context->create_image(desc), InvalidArgument);
  desc.width = 16;
  Image image = context->create_image(desc);
  std::vector<std::uint8_t> wrong(image.level_size(0) - 1);
  EXPECT_THROW(upload(image, 0, wrong.data(), wrong.size()), InvalidArgument);
  EXPECT_THROW((void)image.level_extent(1), InvalidArgument);
}

TEST_F(VulkanTest, ImageCloseIsIdempotentAndUseAfterCloseThrowsClosed) {
  ImageDesc desc;
  desc.width = 4;
  desc.height = 4;
  Image image = context->create_image(desc);
  image.close();
  image.close();
  EXPECT_THROW((void)image.desc(), ClosedError);
  EXPECT_THROW((void)image.allocation_size(), ClosedError);
}

TEST(VulkanFormat, ParsesNamesInAnyCaseWithOrWithoutPrefix) {
  EXPECT_EQ(parse_format("R8G8B8A8_UNORM"), Format{VK_FORMAT_R8G8B8A8_UNORM});
  EXPECT_EQ(parse_format("r32_sfloat"), Format{VK_FORMAT_R32_SFLOAT});
  EXPECT_EQ(parse_format("R32_FLOAT"), Format{VK_FORMAT_R32_SFLOAT});
  EXPECT_EQ(parse_format("VK_FORMAT_R32_UINT"), Format{VK_FORMAT_R32_UINT});
  EXPECT_EQ(format_from_vk(VK_FORMAT_R8G8B8A8_UNORM), parse_format("R8G8B8A8_UNORM"));
  EXPECT_EQ(format_info(parse_format("R16G16B16A16_SFLOAT")).texel_size(), 8u);
  try {
    (void)parse_format("B8G8R8A8_SRGB");
    FAIL() << "unknown format accepted";
  } catch (const InvalidArgument& error) {
    EXPECT_NE(std::string(error.what()).find("R8G8B8A8_UNORM"), std::string::npos);
  }
  EXPECT_THROW((void)format_from_vk(VK_FORMAT_B8G8R8A8_SRGB), InvalidArgument);
}

// The table stores VkFormat values as integers: each must be the header's value of its name.
TEST(VulkanFormat, TableValuesAreTheHeadersValues) {
#define CUDA_INTEROP_EXPECT_VK(name) \
  EXPECT_EQ(pixel_format(#name).vk_format, static_cast<std::uint32_t>(VK_FORMAT_##name))
  CUDA_INTEROP_EXPECT_VK(R8_UNORM);
  CUDA_INTEROP_EXPECT_VK(R8_UINT);
  CUDA_INTEROP_EXPECT_VK(R8_SNORM);
  CUDA_INTEROP_EXPECT_VK(R8_SINT);
  CUDA_INTEROP_EXPECT_VK(R8G8_UNORM);
  CUDA_INTEROP_EXPECT_VK(R8G8_UINT);
  CUDA_INTEROP_EXPECT_VK(R8G8_SINT);
  CUDA_INTEROP_EXPECT_VK(R8G8B8A8_UNORM);
  CUDA_INTEROP_EXPECT_VK(R8G8B8A8_UINT);
  CUDA_INTEROP_EXPECT_VK(R8G8B8A8_SNORM);
  CUDA_INTEROP_EXPECT_VK(R8G8B8A8_SINT);
  CUDA_INTEROP_EXPECT_VK(B8G8R8A8_UNORM);
  CUDA_INTEROP_EXPECT_VK(R16_UNORM);
  CUDA_INTEROP_EXPECT_VK(R16_UINT);
  CUDA_INTEROP_EXPECT_VK(R16_SINT);
  CUDA_INTEROP_EXPECT_VK(R16_SFLOAT);
  CUDA_INTEROP_EXPECT_VK(R16G16_UINT);
  CUDA_INTEROP_EXPECT_VK(R16G16_SINT);
  CUDA_INTEROP_EXPECT_VK(R16G16_SFLOAT);
  CUDA_INTEROP_EXPECT_VK(R16G16B16A16_UNORM);
  CUDA_INTEROP_EXPECT_VK(R16G16B16A16_UINT);
  CUDA_INTEROP_EXPECT_VK(R16G16B16A16_SINT);
  CUDA_INTEROP_EXPECT_VK(R16G16B16A16_SFLOAT);
  CUDA_INTEROP_EXPECT_VK(R32_UINT);
  CUDA_INTEROP_EXPECT_VK(R32_SINT);
  CUDA_INTEROP_EXPECT_VK(R32_SFLOAT);
  CUDA_INTEROP_EXPECT_VK(R32G32_UINT);
  CUDA_INTEROP_EXPECT_VK(R32G32_SINT);
  CUDA_INTEROP_EXPECT_VK(R32G32_SFLOAT);
  CUDA_INTEROP_EXPECT_VK(R32G32B32A32_UINT);
  CUDA_INTEROP_EXPECT_VK(R32G32B32A32_SINT);
  CUDA_INTEROP_EXPECT_VK(R32G32B32A32_SFLOAT);
#undef CUDA_INTEROP_EXPECT_VK
  EXPECT_EQ(formats().size(), pixel_formats().size());
}

}  // namespace
}  // namespace cuda_interop::vulkan
