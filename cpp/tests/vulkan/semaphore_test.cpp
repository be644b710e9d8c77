// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <cstdint>
#include <thread>
#include <vector>

#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "device_state.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;

TEST_F(VulkanTest, ExportableSemaphoreNeedsTheExtension) {
  for (const bool timeline : {true, false}) {
    if (timeline && !context->features().timeline_semaphore) continue;
#ifdef _WIN32
    const bool supported = context->features().external_semaphore_win32;
#else
    const bool supported = context->features().external_semaphore_fd;
#endif
    if (supported) {
      Semaphore semaphore = context->create_semaphore(timeline);
      EXPECT_TRUE(semaphore.exportable());
#ifndef _WIN32
      UniqueFd first = semaphore.export_fd();
      UniqueFd second = semaphore.export_fd();
      EXPECT_NE(first.get(), second.get());
#endif
      continue;
    }
    try {
      (void)context->create_semaphore(timeline);
      FAIL() << "exporting semaphores without the extension must fail";
    } catch (const NotSupported& error) {
      EXPECT_NE(std::string(error.what()).find("VK_KHR_external_semaphore_"), std::string::npos)
          << error.what();
    }
  }
}

TEST_F(VulkanTest, TimelineSemaphoreHostSignalWaitAndValue) {
  if (!context->features().timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  Semaphore semaphore = context->create_semaphore(true, 5, false);
  EXPECT_TRUE(semaphore.timeline());
  EXPECT_EQ(semaphore.value(), 5u);
  EXPECT_TRUE(semaphore.wait(5, 0));
  EXPECT_FALSE(semaphore.wait(6, 1'000'000));
  semaphore.signal(9);
  EXPECT_EQ(semaphore.value(), 9u);
  EXPECT_TRUE(semaphore.wait(7));
}

TEST_F(VulkanTest, BinarySemaphoreSignalThenWait) {
  Semaphore semaphore = context->create_semaphore(false, 0, false);
  EXPECT_FALSE(semaphore.timeline());
  EXPECT_THROW((void)semaphore.value(), InvalidArgument);
  EXPECT_THROW((void)context->create_semaphore(false, 3, false), InvalidArgument);
  semaphore.signal();
  EXPECT_TRUE(semaphore.wait(0, 5'000'000'000ull));
}

TEST_F(VulkanTest, SubmissionWaitsForTimelineValueAndSignalsNext) {
  if (!context->features().timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  Semaphore semaphore = context->create_semaphore(true, 0, false);
  Buffer buffer = context->create_buffer(4096);
  fill(buffer, 0);
  SubmitSync sync;
  sync.waits.push_back({&semaphore, 1});
  sync.signals.push_back({&semaphore, 2});
  sync.block = false;
  fill(buffer, 0x07070707u, 0, whole_size, sync);
  // The fill waits for value 1: nothing may have happened yet.
  EXPECT_FALSE(semaphore.wait(2, 20'000'000));
  std::vector<std::uint8_t> back(4096);
  semaphore.signal(1);
  EXPECT_TRUE(semaphore.wait(2, 5'000'000'000ull));
  download(buffer, back.data(), back.size());
  EXPECT_EQ(back, std::vector<std::uint8_t>(4096, 0x07));
}

TEST_F(VulkanTest, BinarySemaphoreOrdersTwoSubmissions) {
  Semaphore semaphore = context->create_semaphore(false, 0, false);
  Buffer a = context->create_buffer(1024);
  Buffer b = context->create_buffer(1024);
  SubmitSync first;
  first.signals.push_back({&semaphore, 0});
  fill(a, 0x33333333u, 0, whole_size, first);
  SubmitSync second;
  second.waits.push_back({&semaphore, 0});
  copy(a, b, whole_size, 0, 0, second);
  std::vector<std::uint8_t> back(1024);
  download(b, back.data(), back.size());
  EXPECT_EQ(back, std::vector<std::uint8_t>(1024, 0x33));
}

TEST_F(VulkanTest, SemaphoreFromAnotherContextIsRejected) {
  std::string reason;
  auto other = testing::try_context(reason);
  ASSERT_TRUE(other) << reason;
  Semaphore foreign = other->create_semaphore(false, 0, false);
  Buffer buffer = context->create_buffer(64);
  SubmitSync sync;
  sync.signals.push_back({&foreign, 0});
  EXPECT_THROW(fill(buffer, 0, 0, whole_size, sync), InvalidArgument);
}

TEST_F(VulkanTest, SemaphoreCloseIsIdempotentAndUseAfterCloseThrowsClosed) {
  Semaphore semaphore = context->create_semaphore(false, 0, false);
  semaphore.close();
  semaphore.close();
  EXPECT_THROW(semaphore.signal(), ClosedError);
  Buffer buffer = context->create_buffer(64);
  SubmitSync sync;
  sync.waits.push_back({&semaphore, 0});
  EXPECT_THROW(fill(buffer, 0, 0, whole_size, sync), ClosedError);
}

TEST_F(VulkanTest, ABinarySemaphoreTakesNoValue) {
  Semaphore semaphore = context->create_semaphore(false, 0, false);
  EXPECT_THROW(semaphore.signal(5), InvalidArgument);
  semaphore.signal(0);
  EXPECT_THROW(semaphore.wait(5, 0), InvalidArgument);
  SubmitSync sync;
  sync.waits.push_back({&semaphore, 5});
  EXPECT_THROW(submit(*context, sync), InvalidArgument);
  EXPECT_TRUE(semaphore.wait(0, 5'000'000'000ull));  // the signal was not consumed
}

TEST_F(VulkanTest, TimelineValuesStayWithinTheDevicesLimit) {
  if (!context->features().timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  Semaphore top = context->create_semaphore(true, std::numeric_limits<std::uint64_t>::max(), false);
  EXPECT_EQ(top.value(), std::numeric_limits<std::uint64_t>::max());
  DeviceState& device = *context->state();
  const std::uint64_t limit = device.max_timeline_difference;
  EXPECT_GE(limit, (1ull << 31) - 1);  // Vulkan's minimum
  device.max_timeline_difference = 10;  // as a device with a small limit
  Semaphore semaphore = context->create_semaphore(true, 0, false);
  EXPECT_THROW(semaphore.signal(11), InvalidArgument);
  SubmitSync signal;
  signal.block = false;
  signal.signals.push_back({&semaphore, 11});
  EXPECT_THROW(submit(*context, signal), InvalidArgument);
  SubmitSync wait;
  wait.block = false;
  wait.waits.push_back({&semaphore, 11});
  EXPECT_THROW(submit(*context, wait), InvalidArgument);
  semaphore.signal(10);
  EXPECT_EQ(semaphore.value(), 10u);
  device.max_timeline_difference = limit;
}

}  // namespace
}  // namespace cuda_interop::vulkan
