// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <thread>

#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/d3d12/transfer.hpp"
#include "cuda_interop/error.hpp"
#include "test_device.hpp"

namespace cuda_interop::d3d12 {
namespace {

using FenceTest = testing::DeviceTest;

TEST_F(FenceTest, CpuSignalAndWait) {
  const Fence fence = device.create_fence(5);
  EXPECT_EQ(fence.completed_value(), 5u);
  EXPECT_TRUE(fence.wait(5, 0));
  EXPECT_FALSE(fence.wait(6, 10));  // nobody signals: times out
  fence.signal(7);
  EXPECT_EQ(fence.completed_value(), 7u);
  EXPECT_TRUE(fence.wait(6, 0));
  EXPECT_TRUE(fence.wait(7));
}

TEST_F(FenceTest, WaitWakesWhenAnotherThreadSignals) {
  const Fence fence = device.create_fence();
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fence.signal(1);
  });
  EXPECT_TRUE(fence.wait(1, 10000));
  signaller.join();
}

TEST_F(FenceTest, QueueSignalReachesTheCpu) {
  const Fence fence = device.create_fence();
  fence.queue_signal(3);
  EXPECT_TRUE(fence.wait(3, 10000));
  EXPECT_EQ(fence.completed_value(), 3u);
}

TEST_F(FenceTest, QueueWaitHoldsLaterWorkUntilSignalled) {
  const Fence fence = device.create_fence();
  const Fence done = device.create_fence();
  fence.queue_wait(1);     // the queue stalls here...
  done.queue_signal(1);    // ...so this stays pending
  EXPECT_FALSE(done.wait(1, 100));
  fence.signal(1);         // release from the CPU (CUDA would do this on a stream)
  EXPECT_TRUE(done.wait(1, 10000));
  // Transfers after a satisfied wait run normally.
  const Resource buffer = device.create_committed_buffer(64);
  clear(buffer, 0x5a);
  EXPECT_EQ(download(buffer, 64), std::vector<std::uint8_t>(64, 0x5a));
}

TEST_F(FenceTest, ClosedFenceThrows) {
  Fence fence = device.create_fence();
  fence.close();
  fence.close();
  EXPECT_TRUE(fence.closed());
  EXPECT_THROW((void)fence.completed_value(), ClosedError);
  EXPECT_THROW(fence.signal(1), ClosedError);
}

}  // namespace
}  // namespace cuda_interop::d3d12
