// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;

TEST_F(VulkanTest, FillUploadDownloadAndCopyWithOffsets) {
  Buffer a = context->create_buffer(4096);
  Buffer b = context->create_buffer(4096);
  fill(a, 0);
  fill(a, 0x11111111u, 64, 128);
  std::vector<std::uint8_t> back(4096);
  download(a, back.data(), back.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    ASSERT_EQ(back[i], (i >= 64 && i < 192) ? 0x11 : 0) << "byte " << i;
  }

  std::vector<std::uint8_t> ramp(1000);
  std::iota(ramp.begin(), ramp.end(), std::uint8_t{0});
  upload(a, ramp.data(), ramp.size(), 3);
  fill(b, 0xffffffffu);
  copy(a, b, 1000, 3, 17);
  std::vector<std::uint8_t> part(1000);
  download(b, part.data(), part.size(), 17);
  EXPECT_EQ(part, ramp);
  std::uint8_t edge = 0;
  download(b, &edge, 1, 16);
  EXPECT_EQ(edge, 0xff);
}

TEST_F(VulkanTest, RangesAreValidated) {
  Buffer a = context->create_buffer(256);
  Buffer b = context->create_buffer(128);
  std::vector<std::uint8_t> bytes(300);
  EXPECT_THROW(upload(a, bytes.data(), 300), InvalidArgument);
  EXPECT_THROW(upload(a, bytes.data(), 10, 250), InvalidArgument);
  EXPECT_THROW(download(a, bytes.data(), 1, 256), InvalidArgument);
  EXPECT_THROW(fill(a, 0, 2, 8), InvalidArgument);
  EXPECT_THROW(copy(a, b), InvalidArgument);  // 256 bytes do not fit in 128
  SubmitSync no_block;
  no_block.block = false;
  EXPECT_THROW(download(a, bytes.data(), 1, 0, no_block), InvalidArgument);
}

TEST_F(VulkanTest, CopiesWithinOneBufferMustNotOverlap) {
  Buffer a = context->create_buffer(512);
  EXPECT_THROW(copy(a, a, 256, 0, 128), InvalidArgument);
  EXPECT_THROW(copy(a, a, 256, 128, 0), InvalidArgument);
  EXPECT_THROW(copy(a, a, 4, 8, 8), InvalidArgument);
  std::vector<std::uint8_t> bytes(512);
  std::iota(bytes.begin(), bytes.end(), std::uint8_t{0});
  upload(a, bytes.data(), bytes.size());
  copy(a, a, 256, 0, 256);  // adjacent ranges do not overlap
  std::vector<std::uint8_t> back(512);
  download(a, back.data(), back.size());
  EXPECT_TRUE(std::equal(back.begin() + 256, back.end(), bytes.begin()));
}

TEST_F(VulkanTest, DownloadSizeIsCheckedBeforeAnyCopy) {
  Buffer a = context->create_buffer(256);
  EXPECT_EQ(download_size(a, 0, whole_size), 256u);
  EXPECT_EQ(download_size(a, 200, whole_size), 56u);
  EXPECT_EQ(download_size(a, 8, 16), 16u);
  EXPECT_THROW(download_size(a, 0, 1ull << 62), InvalidArgument);
  EXPECT_THROW(download_size(a, 256, whole_size), InvalidArgument);
}

TEST_F(VulkanTest, NonBlockingWorkKeepsItsObjectsAlive) {
  Buffer a = context->create_buffer(1 << 20);
  Buffer b = context->create_buffer(1 << 20);
  SubmitSync no_block;
  no_block.block = false;
  fill(a, 0x5a5a5a5au, 0, whole_size, no_block);
  copy(a, b, whole_size, 0, 0, no_block);
  a.close();  // the copy still holds it
  context->wait_idle();
  std::vector<std::uint8_t> back(1 << 20);
  download(b, back.data(), back.size());
  EXPECT_EQ(back, std::vector<std::uint8_t>(1 << 20, 0x5a));
}

}  // namespace
}  // namespace cuda_interop::vulkan
