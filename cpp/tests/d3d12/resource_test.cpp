// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/error.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

using ResourceTest = testing::DeviceTest;

TEST_F(ResourceTest, HeapIsSharedAndRoundedTo64KiB) {
  const Heap heap = device.create_heap(100000);
  EXPECT_EQ(heap.size(), 2u * 65536u);
  EXPECT_EQ(heap.allocation_size(), heap.size());
  EXPECT_EQ(heap.size() % Heap::alignment, 0u);
  EXPECT_NE(heap.flags() & D3D12_HEAP_FLAG_SHARED, 0);
  ASSERT_NE(heap.native(), nullptr);
  const D3D12_HEAP_DESC desc = heap.native()->GetDesc();
  EXPECT_EQ(desc.SizeInBytes, heap.size());
  EXPECT_NE(desc.Flags & D3D12_HEAP_FLAG_SHARED, 0);
}

TEST_F(ResourceTest, PlacedBuffersFitTheHeapAndKeepItAlive) {
  Heap heap = device.create_heap(4 * Heap::alignment);
  Resource placed = heap.create_placed_buffer(Heap::alignment, 1000);
  EXPECT_TRUE(placed.placed());
  EXPECT_TRUE(placed.is_buffer());
  EXPECT_EQ(placed.heap_offset(), Heap::alignment);
  EXPECT_EQ(placed.size(), 1000u);
  EXPECT_GE(placed.allocation_size(), 1000u);
  EXPECT_THROW((void)heap.create_placed_buffer(100, 16), InvalidArgument);
  EXPECT_THROW((void)heap.create_placed_buffer(3 * Heap::alignment, Heap::alignment + 1), InvalidArgument);
  EXPECT_THROW((void)heap.create_placed_buffer(0, 0), InvalidArgument);
  heap.close();
  EXPECT_TRUE(heap.closed());
  EXPECT_THROW((void)heap.size(), ClosedError);
  EXPECT_EQ(placed.native()->GetDesc().Width, 1000u);  // still valid: it holds the heap
}

TEST_F(ResourceTest, CommittedBufferReportsItsAllocationSize) {
  const Resource buffer = device.create_committed_buffer(1000);
  EXPECT_TRUE(buffer.is_buffer());
  EXPECT_FALSE(buffer.placed());
  EXPECT_EQ(buffer.size(), 1000u);
  EXPECT_GE(buffer.allocation_size(), buffer.size());
  EXPECT_EQ(buffer.subresource_count(), 1u);
  D3D12_HEAP_PROPERTIES properties{};
  D3D12_HEAP_FLAGS flags{};
  ASSERT_EQ(buffer.native()->GetHeapProperties(&properties, &flags), S_OK);
  EXPECT_EQ(properties.Type, D3D12_HEAP_TYPE_DEFAULT);
  EXPECT_NE(flags & D3D12_HEAP_FLAG_SHARED, 0);
}

TEST_F(ResourceTest, CommittedTextureReportsSizes) {
  Texture2DDesc desc;
  desc.width = 100;
  desc.height = 60;
  desc.format = DXGI_FORMAT_R8G8B8A8_UINT;
  desc.mip_levels = 3;
  const Resource texture = device.create_committed_texture2d(desc);
  EXPECT_TRUE(texture.is_texture());
  EXPECT_EQ(texture.subresource_count(), 3u);
  // Tightly packed bytes of the three levels: 100x60, 50x30, 25x15 texels of 4 bytes.
  EXPECT_EQ(texture.size(), 4u * (100 * 60 + 50 * 30 + 25 * 15));
  EXPECT_GE(texture.allocation_size(), texture.size());
  const D3D12_RESOURCE_DESC native = texture.native()->GetDesc();
  EXPECT_EQ(native.Width, 100u);
  EXPECT_EQ(native.Height, 60u);
  EXPECT_EQ(native.MipLevels, 3);
  EXPECT_NE(native.Flags & D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS, 0);
}

TEST_F(ResourceTest, BadDescriptionsAreRejectedBeforeDirect3D) {
  EXPECT_THROW((void)device.create_heap(0), InvalidArgument);
  EXPECT_THROW((void)device.create_committed_buffer(0), InvalidArgument);
  EXPECT_THROW((void)device.create_committed_buffer(16, D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS),
               InvalidArgument);
  Texture2DDesc desc;
  desc.width = 16;
  desc.height = 16;
  desc.mip_levels = 6;  // 16, 8, 4, 2, 1: five levels at most
  EXPECT_THROW((void)device.create_committed_texture2d(desc), InvalidArgument);
  desc.mip_levels = 1;
  desc.width = 0;
  EXPECT_THROW((void)device.create_committed_texture2d(desc), InvalidArgument);
  desc.width = 16;
  desc.format = DXGI_FORMAT_D32_FLOAT;
  desc.flags = D3D12_RESOURCE_FLAG_ALLOW_DEPTH_STENCIL | D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS;
  EXPECT_THROW((void)device.create_committed_texture2d(desc), InvalidArgument);
}

/// The message of the InvalidArgument `call` throws, or "" when it throws none.
template <typename Call>
std::string refusal(Call call) {
  try {
    call();
  } catch (const InvalidArgument& error) {
    return error.what();
  }
  return "";
}

TEST_F(ResourceTest, RefusalsNameTheParameterAsTheCoreDoes) {
  EXPECT_EQ(refusal([&] { (void)device.create_heap(0); }), "size must be > 0, got 0");
  EXPECT_EQ(refusal([&] { (void)device.create_committed_buffer(0); }), "size must be > 0, got 0");
  Heap heap = device.create_heap(2 * Heap::alignment);
  EXPECT_EQ(refusal([&] { (void)heap.create_placed_buffer(100, 16); }),
            "offset must be a multiple of 65536, got 100");
  EXPECT_EQ(refusal([&] { (void)heap.create_placed_buffer(Heap::alignment, Heap::alignment + 1); }),
            "create_placed_buffer: offset 65536 + size 65537 exceeds 131072 bytes");
  Texture2DDesc desc;
  desc.width = 0;
  desc.height = 16;
  EXPECT_EQ(refusal([&] { (void)device.create_committed_texture2d(desc); }),
            "width must be within 1..16384, got 0");
  desc.width = 16;
  desc.mip_levels = 6;
  EXPECT_EQ(refusal([&] { (void)device.create_committed_texture2d(desc); }),
            "mip_levels must be within 1..5, got 6");
}

TEST_F(ResourceTest, ResourcesOutliveTheirDeviceObject) {
  Resource buffer = device.create_committed_buffer(256);
  device.close();
  EXPECT_EQ(buffer.size(), 256u);
  EXPECT_NE(buffer.native(), nullptr);
  buffer.close();
  buffer.close();
  EXPECT_THROW((void)buffer.size(), ClosedError);
}

}  // namespace
}  // namespace cuda_interop::d3d12
