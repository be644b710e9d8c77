// SPDX-License-Identifier: Apache-2.0
// Closing a context whose queued work waits for a semaphore nobody signals returns within a
// second: the waits on its timeline semaphores are released, or the work abandoned (leaked), and
// a warning names what it was.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "device_state.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;
using testing::WarningLog;
using Clock = std::chrono::steady_clock;

// A driver that accepts host signals and does nothing: the wait stays blocked.
VKAPI_ATTR VkResult VKAPI_CALL ignored_signal(VkDevice, const VkSemaphoreSignalInfo*) {
  return VK_SUCCESS;
}

class TeardownTest : public VulkanTest {
 protected:
  void SetUp() override {
    VulkanTest::SetUp();
    if (IsSkipped()) return;
    if (!context->features().timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  }

  /// Queues a fill of `buffer` waiting for `semaphore` to reach `value`, without blocking.
  static void queue_fill(const Buffer& buffer, const Semaphore& semaphore, std::uint64_t value) {
    SubmitSync sync;
    sync.block = false;
    sync.waits.push_back({&semaphore, value});
    fill(buffer, 0x01010101u, 0, whole_size, sync);
  }

  static bool any_contains(const std::vector<std::string>& messages, const std::string& text) {
    for (const auto& message : messages) {
      if (message.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(TeardownTest, CloseReleasesWorkWaitingForATimelineValueNobodySignals) {
  WarningLog warnings;
  Semaphore semaphore = context->create_semaphore(true, 0, false);
  Buffer buffer = context->create_buffer(4096);
  queue_fill(buffer, semaphore, 3);
  const auto start = Clock::now();
  context->close();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(semaphore.value(), 3u);
  EXPECT_TRUE(any_contains(warnings.messages(), "released 1 queued submission waiting for a "
                                                "semaphore nobody signalled"));
  std::vector<std::uint8_t> bytes(4096);
  download(buffer, bytes.data(), bytes.size());
  EXPECT_EQ(bytes, std::vector<std::uint8_t>(4096, 1));  // the fill ran
}

TEST_F(TeardownTest, CloseWithFinishedWorkWarnsOfNothing) {
  WarningLog warnings;
  Buffer buffer = context->create_buffer(4096);
  SubmitSync sync;
  sync.block = false;
  fill(buffer, 0x02020202u, 0, whole_size, sync);
  context->close();
  EXPECT_TRUE(warnings.messages().empty());
}

TEST_F(TeardownTest, WorkThatCannotBeReleasedIsAbandonedWithinASecond) {
  Semaphore semaphore = context->create_semaphore(true, 0, false);
  Buffer buffer = context->create_buffer(4096);
  queue_fill(buffer, semaphore, 1);
  const std::shared_ptr<DeviceState> device = context->state();
  const auto real_signal = device->fn.vkSignalSemaphore;
  device->fn.vkSignalSemaphore = ignored_signal;  // as if nothing could release the wait
  {
    WarningLog warnings;
    const auto start = Clock::now();
    context->close();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
    EXPECT_TRUE(any_contains(warnings.messages(), "abandoned 1 queued submission waiting for a "
                                                  "semaphore nobody signals"));
  }
  // The abandoned work is still queued, with what it uses: signalled now, it ends and is freed.
  device->fn.vkSignalSemaphore = real_signal;
  {
    std::lock_guard<std::mutex> lock(device->mutex);
    EXPECT_EQ(device->in_flight.size(), 1u);
  }
  semaphore.signal(1);
  EXPECT_TRUE(device->wait_idle(5'000'000'000ull));
  std::lock_guard<std::mutex> lock(device->mutex);
  EXPECT_TRUE(device->in_flight.empty());
}

}  // namespace
}  // namespace cuda_interop::vulkan
