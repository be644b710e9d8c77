// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/transfer.hpp"

#include <gtest/gtest.h>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/error.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

using TransferTest = testing::DeviceTest;
using testing::pattern;

TEST_F(TransferTest, CommittedBufferRoundTripIsByteExact) {
  const Resource buffer = device.create_committed_buffer(100003);  // odd size on purpose
  const std::vector<std::uint8_t> bytes = pattern(buffer.size(), 7);
  upload(buffer, bytes.data(), bytes.size());
  EXPECT_EQ(download(buffer, buffer.size()), bytes);
}

TEST_F(TransferTest, OffsetsAddressPartsOfTheBuffer) {
  const Resource buffer = device.create_committed_buffer(4096);
  clear(buffer, 0xee);
  const std::vector<std::uint8_t> middle = pattern(1000, 3);
  upload(buffer, middle.data(), middle.size(), 1001);
  EXPECT_EQ(download(buffer, 1000, 1001), middle);
  EXPECT_EQ(download(buffer, 1001, 0), std::vector<std::uint8_t>(1001, 0xee));
  EXPECT_EQ(download(buffer, 2095, 2001), std::vector<std::uint8_t>(2095, 0xee));
  EXPECT_THROW(upload(buffer, middle.data(), middle.size(), 3500), InvalidArgument);
  EXPECT_THROW((void)download(buffer, 0), InvalidArgument);
}

TEST_F(TransferTest, PlacedBuffersInASharedHeapAreIndependent) {
  const Heap heap = device.create_heap(2 * Heap::alignment);
  const Resource first = heap.create_placed_buffer(0, Heap::alignment);
  const Resource second = heap.create_placed_buffer(Heap::alignment, Heap::alignment);
  const std::vector<std::uint8_t> a = pattern(Heap::alignment, 1);
  const std::vector<std::uint8_t> b = pattern(Heap::alignment, 2);
  upload(first, a.data(), a.size());
  upload(second, b.data(), b.size());
  EXPECT_EQ(download(first, first.size()), a);
  EXPECT_EQ(download(second, second.size()), b);
}

TEST_F(TransferTest, CopyAndClear) {
  const Resource source = device.create_committed_buffer(5000);
  const Resource destination = device.create_committed_buffer(6000);
  const std::vector<std::uint8_t> bytes = pattern(5000, 11);
  upload(source, bytes.data(), bytes.size());
  clear(destination, 0x42);
  copy(source, destination);
  EXPECT_EQ(download(destination, 5000), bytes);
  EXPECT_EQ(download(destination, 1000, 5000), std::vector<std::uint8_t>(1000, 0x42));
  EXPECT_THROW(copy(destination, source), InvalidArgument);  // does not fit
}

TEST_F(TransferTest, TextureMipLevelsRoundTripWithRowPitch) {
  Texture2DDesc desc;
  desc.width = 37;  // 148-byte rows: re-pitched to 256 in staging
  desc.height = 21;
  desc.format = DXGI_FORMAT_R8G8B8A8_UINT;
  desc.mip_levels = 4;
  desc.array_size = 2;
  const Resource texture = device.create_committed_texture2d(desc);
  std::vector<std::vector<std::uint8_t>> written;
  for (std::uint32_t slice = 0; slice < 2; ++slice) {
    for (std::uint32_t level = 0; level < 4; ++level) {
      const std::uint64_t width = std::max<std::uint64_t>(1, 37u >> level);
      const std::uint64_t height = std::max<std::uint64_t>(1, 21u >> level);
      ASSERT_EQ(subresource_size(texture, level, slice), width * height * 4);
      written.push_back(pattern(width * height * 4, level + 10 * slice));
      upload_texture(texture, level, slice, written.back().data(), written.back().size());
    }
  }
  std::size_t index = 0;
  for (std::uint32_t slice = 0; slice < 2; ++slice) {
    for (std::uint32_t level = 0; level < 4; ++level) {
      EXPECT_EQ(download_texture(texture, level, slice), written[index++]) << "level " << level;
    }
  }
  EXPECT_THROW((void)download_texture(texture, 4, 0), InvalidArgument);
  EXPECT_THROW(upload_texture(texture, 0, 0, written[0].data(), written[0].size() - 1), InvalidArgument);
}

TEST_F(TransferTest, BufferAndTextureCallsAreNotInterchangeable) {
  const Resource buffer = device.create_committed_buffer(256);
  Texture2DDesc desc;
  desc.width = 4;
  desc.height = 4;
  const Resource texture = device.create_committed_texture2d(desc);
  EXPECT_THROW((void)download(texture, 16), InvalidArgument);
  EXPECT_THROW((void)download_texture(buffer, 0), InvalidArgument);
}

}  // namespace
}  // namespace cuda_interop::d3d12
