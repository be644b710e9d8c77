// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;

[[maybe_unused]] std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::vector<std::uint8_t> bytes(size);
  for (auto& byte : bytes) byte = static_cast<std::uint8_t>(generator());
  return bytes;
}

TEST_F(VulkanTest, ExportableBufferReportsItsAllocation) {
  for (const std::uint64_t size : {1ull, 4096ull, 1000003ull}) {
    Buffer buffer = context->create_buffer(size);
    EXPECT_EQ(buffer.size(), size);
    EXPECT_GE(buffer.allocation_size(), size);
    EXPECT_FALSE(buffer.imported());
  }
}

TEST_F(VulkanTest, DedicatedBufferWhenRequested) {
  Buffer buffer = context->create_buffer(65536, true);
  EXPECT_TRUE(buffer.dedicated());
  EXPECT_TRUE(buffer.import_desc().dedicated);
}

TEST_F(VulkanTest, ZeroSizeBufferIsInvalid) {
  EXPECT_THROW((void)context->create_buffer(0), InvalidArgument);
}

#ifndef _WIN32
TEST_F(VulkanTest, EachExportIsANewFdAndNoneLeaks) {
  Buffer buffer = context->create_buffer(1 << 16);
  const int before = testing::open_fd_count();
  {
    UniqueFd first = buffer.export_fd();
    UniqueFd second = buffer.export_fd();
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_NE(first.get(), second.get());
  }
  for (int i = 0; i < 200; ++i) {
    UniqueFd fd = buffer.export_fd();
    ASSERT_TRUE(fd);
  }
  EXPECT_EQ(testing::open_fd_count(), before);
}

TEST_F(VulkanTest, ImportedFdRoundTripsBytesExactly) {
  for (const bool dedicated : {false, true}) {
    constexpr std::uint64_t size = 3 * 65536 + 12;
    // Counted first: a driver may hold a descriptor per allocation (lavapipe uses memfds).
    const int before = testing::open_fd_count();
    Buffer original = context->create_buffer(size, dedicated);
    UniqueFd fd = original.export_fd();
    Buffer imported = context->import_buffer_fd(fd.get(), original.import_desc());
    // The caller's fd is not consumed: Vulkan received a duplicate.
    EXPECT_TRUE(fd_is_open(fd.get()));
    fd.reset();
    EXPECT_TRUE(imported.imported());
    EXPECT_EQ(imported.dedicated(), dedicated);

    const auto bytes = random_bytes(size, dedicated ? 7u : 11u);
    upload(original, bytes.data(), size);
    std::vector<std::uint8_t> back(size);
    download(imported, back.data(), size);
    EXPECT_EQ(back, bytes);

    // And the other way round.
    fill(imported, 0xa5a5a5a5u);
    download(original, back.data(), size);
    EXPECT_EQ(back, std::vector<std::uint8_t>(size, 0xa5));
    imported.close();
    original.close();
    EXPECT_EQ(testing::open_fd_count(), before);
  }
}

TEST_F(VulkanTest, ImportRejectsBadArgumentsAndKeepsTheFd) {
  Buffer original = context->create_buffer(4096);
  UniqueFd fd = original.export_fd();
  EXPECT_THROW((void)context->import_buffer_fd(-1, original.import_desc()), InvalidArgument);
  BufferImportDesc too_small = original.import_desc();
  too_small.allocation_size = 0;
  EXPECT_THROW((void)context->import_buffer_fd(fd.get(), too_small), InvalidArgument);
  BufferImportDesc bad_type = original.import_desc();
  bad_type.memory_type_index = 31;
  EXPECT_THROW((void)context->import_buffer_fd(fd.get(), bad_type), InvalidArgument);
  EXPECT_TRUE(fd_is_open(fd.get()));
}
#endif

TEST_F(VulkanTest, BufferCloseIsIdempotentAndUseAfterCloseThrowsClosed) {
  Buffer buffer = context->create_buffer(256);
  buffer.close();
  buffer.close();
  EXPECT_TRUE(buffer.closed());
  EXPECT_THROW((void)buffer.size(), ClosedError);
#ifndef _WIN32
  EXPECT_THROW((void)buffer.export_fd(), ClosedError);
#endif
  std::uint8_t byte = 0;
  EXPECT_THROW(upload(buffer, &byte, 1), ClosedError);
}

TEST_F(VulkanTest, BufferOutlivesItsContext) {
  Buffer buffer = context->create_buffer(1024);
  context->close();
  fill(buffer, 0x01020304u);
  std::vector<std::uint8_t> back(1024);
  download(buffer, back.data(), back.size());
  EXPECT_EQ(back[0], 0x04);
  EXPECT_EQ(back[3], 0x01);
}

TEST_F(VulkanTest, Win32ExportIsNotSupportedOffWindows) {
#ifdef _WIN32
  GTEST_SKIP() << "Windows exports NT handles";
#else
  Buffer buffer = context->create_buffer(1024);
  EXPECT_THROW((void)buffer.export_win32(), NotSupported);
#endif
}

}  // namespace
}  // namespace cuda_interop::vulkan
