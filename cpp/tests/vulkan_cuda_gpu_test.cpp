// SPDX-License-Identifier: Apache-2.0
// The Linux loop in C++: Vulkan memory and a timeline semaphore, imported into CUDA, with work
// ordered both ways on the GPU (no host wait for CUDA's signal).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "cuda_interop/external_semaphore.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/context.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "cuda_interop/vulkan/transfer.hpp"

namespace cuda_interop {
namespace {

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::vector<std::uint8_t> bytes(size);
  for (auto& byte : bytes) byte = static_cast<std::uint8_t>(engine());
  return bytes;
}

TEST(VulkanCudaGpu, BufferAndTimelineSemaphoreBothWays) {
  vulkan::ContextOptions options;
  options.device_uuid = Device::get(0).uuid;
  vulkan::Context context = [&] {
    try {
      return vulkan::Context(options);
    } catch (const NotSupported& error) {
      throw std::runtime_error(std::string("no Vulkan device is CUDA device 0: ") + error.what());
    }
  }();
  vulkan::Semaphore semaphore = context.create_semaphore(true);
  vulkan::Buffer buffer = context.create_buffer(1 << 20);
  ExternalSemaphore cuda_semaphore = ExternalSemaphore::import(semaphore.export_share());
  ExternalMemory memory = ExternalMemory::import(buffer.export_share());
  DeviceSpan mapped = memory.map_buffer(0, buffer.size());

  const auto frame = random_bytes(buffer.size(), 1);
  vulkan::upload(buffer, frame.data(), frame.size(), 0, {{}, {{&semaphore, 1}}, false});
  cuda_semaphore.wait(1, 0);  // the copy below is ordered after Vulkan's upload
  std::vector<std::uint8_t> seen(frame.size());
  mapped.copy_to_host(seen.data(), seen.size());
  EXPECT_EQ(seen, frame);

  const auto answer = random_bytes(buffer.size(), 2);
  mapped.copy_from_host(answer.data(), answer.size());
  cuda_semaphore.signal(2, 0);
  std::vector<std::uint8_t> read(answer.size());
  vulkan::download(buffer, read.data(), read.size(), 0, {{{&semaphore, 2}}, {}, true});
  EXPECT_EQ(read, answer);
}

}  // namespace
}  // namespace cuda_interop
