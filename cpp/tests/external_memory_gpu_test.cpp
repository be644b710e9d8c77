// SPDX-License-Identifier: Apache-2.0
// The core against a real GPU: SharedAllocation fds imported, mapped, written and read back.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "cuda_interop/mipmapped_array.hpp"
#include "cuda_interop/shared_allocation.hpp"

namespace cuda_interop {
namespace {

int open_fds() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (::readdir(dir) != nullptr) ++count;
  ::closedir(dir);
  return count;
}

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::vector<std::uint8_t> bytes(size);
  for (auto& byte : bytes) byte = static_cast<std::uint8_t>(engine());
  return bytes;
}

TEST(ExternalMemoryGpu, MappedBuffersAtOffsetsSeeTheExporter) {
  SharedAllocation allocation = SharedAllocation::create(4 << 20, 0);
  ExternalMemory memory = ExternalMemory::import_fd(allocation.export_fd().get(),
                                                    allocation.size(), false, 0, false);
  for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{65536}, allocation.size() - 65536}) {
    DeviceSpan buffer = memory.map_buffer(offset, 65536);
    const auto written = random_bytes(65536, static_cast<unsigned>(offset));
    buffer.copy_from_host(written.data(), written.size());
    std::vector<std::uint8_t> read(written.size());
    allocation.span().copy_to_host(read.data(), read.size(), offset);
    EXPECT_EQ(read, written) << "offset " << offset;
  }
}

TEST(ExternalMemoryGpu, DedicatedImportsServeOffsetsAsViewsOfOneMapping) {
  SharedAllocation allocation = SharedAllocation::create(4 << 20, 0);
  MemoryShare share = allocation.export_share();
  share.dedicated = true;  // CUDA refuses mapped-buffer offsets on dedicated imports
  ExternalMemory memory = ExternalMemory::import(share);
  const DeviceSpan whole = memory.map_buffer();
  const DeviceSpan view = memory.map_buffer(256, 4096);
  EXPECT_EQ(static_cast<char*>(view.data()), static_cast<char*>(whole.data()) + 256);
  const auto written = random_bytes(4096, 3);
  view.copy_from_host(written.data(), written.size());
  std::vector<std::uint8_t> read(written.size());
  allocation.span().copy_to_host(read.data(), read.size(), 256);
  EXPECT_EQ(read, written);
}

TEST(ExternalMemoryGpu, ShareDescriptorsImportOnTheirDeviceAndKeepTheirHandle) {
  SharedAllocation allocation = SharedAllocation::create(2 << 20, 0);
  MemoryShare share = allocation.export_share();
  ASSERT_TRUE(share.device.uuid.has_value());
  ExternalMemory first = ExternalMemory::import(share);
  ExternalMemory second = ExternalMemory::import(share);  // the share still holds its fd
  EXPECT_EQ(first.device(), 0);
  EXPECT_TRUE(fd_is_open(static_cast<int>(share.handle.value())));
  share.device.uuid->fill(0xEE);  // a device nobody has
  EXPECT_THROW(ExternalMemory::import(share), InvalidArgument);
}

TEST(ExternalMemoryGpu, TakeOwnershipClosesTheCallersFdOnlyWhenAsked) {
  SharedAllocation allocation = SharedAllocation::create(1 << 20, 0);
  UniqueFd kept = allocation.export_fd();
  ExternalMemory first = ExternalMemory::import_fd(kept.get(), allocation.size(), false, 0, false);
  EXPECT_TRUE(fd_is_open(kept.get()));

  const int given = allocation.export_fd().release();
  ExternalMemory second = ExternalMemory::import_fd(given, allocation.size(), false, 0, true);
  EXPECT_FALSE(fd_is_open(given));
}

TEST(ExternalMemoryGpu, MappingBeyondTheAllocationNamesTheCall) {
  SharedAllocation allocation = SharedAllocation::create(1 << 20, 0);
  // CUDA accepts an oversized import; only the mapping fails.
  ExternalMemory memory = ExternalMemory::import_fd(allocation.export_fd().get(),
                                                    allocation.size() * 2, false, 0, false);
  try {
    memory.map_buffer(0, allocation.size() * 2);
    FAIL() << "mapping past the allocation succeeded";
  } catch (const CudaError& error) {
    EXPECT_EQ(error.call(), "cudaExternalMemoryGetMappedBuffer");
  }
}

TEST(ExternalMemoryGpu, ThousandCyclesLeakNoFdsAndNoDeviceMemory) {
  SharedAllocation allocation = SharedAllocation::create(2 << 20, 0);
  auto cycle = [&] {
    ExternalMemory memory = ExternalMemory::import_fd(allocation.export_fd().get(),
                                                      allocation.size(), false, 0, false);
    DeviceSpan buffer = memory.map_buffer(0, 0);
    buffer.fill(7, 0, 4096);
  };
  cycle();  // first-use allocations of the runtime are not leaks
  const int fds = open_fds();
  const std::uint64_t free_before = memory_info(0).free;
  for (int i = 0; i < 1000; ++i) cycle();
  EXPECT_EQ(open_fds(), fds);
  EXPECT_EQ(memory_info(0).free, free_before);
}

TEST(ExternalMemoryGpu, MipmappedArrayLevelsRoundTrip) {
  SharedAllocation allocation = SharedAllocation::create(4 << 20, 0);
  ExternalMemory memory = ExternalMemory::import_fd(allocation.export_fd().get(),
                                                    allocation.size(), false, 0, false);
  ImageLayout layout{{ChannelKind::Float, 32, 4}, {64, 64, 0}, 0, 0, 0};
  EXPECT_THROW(memory.map_mipmapped_array(layout), InvalidArgument);  // 0 levels
  layout.levels = 3;
  MappedMipmappedArray array = memory.map_mipmapped_array(layout);
  EXPECT_EQ(memory.map_mipmapped_array(layout).native_handle(), array.native_handle());
  for (unsigned index = 0; index < 3; ++index) {
    ArrayLevel level = array.level(index);
    EXPECT_EQ(level.extent().width, 64u >> index);
    const auto written = random_bytes(level.byte_size(), index);
    level.copy_from_host(written.data(), written.size());
    std::vector<std::uint8_t> read(written.size());
    level.copy_to_host(read.data(), read.size());
    EXPECT_EQ(read, written) << "level " << index;
  }
  ArrayObject surface = array.level(0).create_surface_object();
  EXPECT_NE(surface.handle(), 0u);
}

}  // namespace
}  // namespace cuda_interop
