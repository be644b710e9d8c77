// SPDX-License-Identifier: Apache-2.0
// VK_ERROR_DEVICE_LOST, injected. No driver loses a device on request, so these tests replace
// entries of the context's private function table (DeviceState::fn, reached through the private
// header; nothing of this exists in the Python API) with functions that answer as a lost driver
// does. The package then runs the same code it runs when a real driver reports the loss.
// Destruction functions and vkDeviceWaitIdle stay real: the device is not really lost, and its
// objects must still be destroyed correctly at the end.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/error.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "cuda_interop/vulkan/transfer.hpp"
#include "device_state.hpp"
#include "support.hpp"

namespace cuda_interop::vulkan {
namespace {

using testing::VulkanTest;
using testing::WarningLog;
using Clock = std::chrono::steady_clock;

// What a lost driver answers. A test sets `lose_submits` when its device should be lost.
std::atomic<bool> lose_submits{false};
PFN_vkQueueSubmit real_submit = nullptr;

VKAPI_ATTR VkResult VKAPI_CALL lost_queue_submit(VkQueue queue, std::uint32_t count,
                                                 const VkSubmitInfo* submits, VkFence fence) {
  if (lose_submits) return VK_ERROR_DEVICE_LOST;
  return real_submit(queue, count, submits, fence);
}
VKAPI_ATTR VkResult VKAPI_CALL lost_wait_semaphores(VkDevice, const VkSemaphoreWaitInfo*,
                                                    std::uint64_t) {
  return VK_ERROR_DEVICE_LOST;
}
VKAPI_ATTR VkResult VKAPI_CALL lost_counter_value(VkDevice, VkSemaphore, std::uint64_t*) {
  return VK_ERROR_DEVICE_LOST;
}
VKAPI_ATTR VkResult VKAPI_CALL lost_signal_semaphore(VkDevice, const VkSemaphoreSignalInfo*) {
  return VK_ERROR_DEVICE_LOST;
}
VKAPI_ATTR VkResult VKAPI_CALL lost_fence_status(VkDevice, VkFence) {
  return VK_ERROR_DEVICE_LOST;
}
VKAPI_ATTR VkResult VKAPI_CALL lost_wait_for_fences(VkDevice, std::uint32_t, const VkFence*,
                                                    VkBool32, std::uint64_t) {
  return VK_ERROR_DEVICE_LOST;
}
// A hung GPU whose driver never reports anything: every wait times out (until released).
std::atomic<bool> release_hung_waits{false};
VKAPI_ATTR VkResult VKAPI_CALL hung_wait_semaphores(VkDevice, const VkSemaphoreWaitInfo*,
                                                    std::uint64_t timeout_ns) {
  if (release_hung_waits) return VK_SUCCESS;
  std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<std::uint64_t>(timeout_ns,
                                                                                5'000'000)));
  return VK_TIMEOUT;
}

class DeviceLostTest : public VulkanTest {
 protected:
  void SetUp() override {
    VulkanTest::SetUp();
    if (IsSkipped()) return;
    lose_submits = false;
    release_hung_waits = false;
    state = context->state();
    real_submit = state->fn.vkQueueSubmit;
  }
  void TearDown() override { lose_submits = false; }

  /// From now on the driver answers every call that can report a loss with VK_ERROR_DEVICE_LOST.
  void lose_device() {
    DeviceState& device = *context->state();
    lose_submits = true;
    device.fn.vkQueueSubmit = lost_queue_submit;
    device.fn.vkWaitForFences = lost_wait_for_fences;
    device.fn.vkGetFenceStatus = lost_fence_status;
    if (device.features.timeline_semaphore) {
      device.fn.vkWaitSemaphores = lost_wait_semaphores;
      device.fn.vkGetSemaphoreCounterValue = lost_counter_value;
      device.fn.vkSignalSemaphore = lost_signal_semaphore;
    }
  }

  bool exportable_semaphores() const {
#ifdef _WIN32
    return context->features().external_semaphore_win32;
#else
    return context->features().external_semaphore_fd;
#endif
  }

  std::shared_ptr<DeviceState> state;
};

/// Runs `call`, which must throw VulkanError(VK_ERROR_DEVICE_LOST) quickly, naming `expected_call`
/// and the loss.
void expect_lost(const char* what, const std::function<void()>& call,
                 const std::string& expected_call = {}) {
  const auto start = Clock::now();
  try {
    call();
    ADD_FAILURE() << what << ": no error after the device was lost";
  } catch (const VulkanError& error) {
    EXPECT_EQ(error.result(), VK_ERROR_DEVICE_LOST) << what << ": " << error.what();
    EXPECT_EQ(error.result_name(), "VK_ERROR_DEVICE_LOST") << what;
    if (!expected_call.empty()) {
      EXPECT_EQ(error.call(), expected_call) << what;
    }
    EXPECT_NE(std::string(error.what()).find("lost"), std::string::npos) << error.what();
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": not a VulkanError naming the loss: " << error.what();
  }
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2)) << what << " took too long";
}

TEST_F(DeviceLostTest, LossAtSubmitIsRememberedAndEveryLaterCallRaisesIt) {
  Buffer buffer = context->create_buffer(1 << 16);
  Buffer other = context->create_buffer(1 << 16);
  ImageDesc desc;
  desc.width = 16;
  desc.height = 8;
  Image image = context->create_image(desc);
  const bool timeline = context->features().timeline_semaphore;
  const bool exportable = exportable_semaphores();
  Semaphore binary = context->create_semaphore(false, 0, exportable);
  Semaphore counter = timeline ? context->create_semaphore(true, 1, exportable) : Semaphore();
  fill(buffer, 0x01020304);  // works before the loss
  std::weak_ptr<DeviceState> weak_state = state;
  state.reset();

  lose_device();
  expect_lost("the fill that meets the loss", [&] { fill(buffer, 7); }, "vkQueueSubmit");
  EXPECT_TRUE(context->state()->lost);

  std::vector<std::uint8_t> host(1 << 16);
  std::vector<std::uint8_t> texels(static_cast<std::size_t>(image.level_size(0)));
  SubmitSync no_block;
  no_block.block = false;
  expect_lost("fill", [&] { fill(buffer, 7, 0, whole_size, no_block); }, "vkQueueSubmit");
  expect_lost("upload", [&] { upload(buffer, host.data(), host.size()); }, "vkQueueSubmit");
  expect_lost("download", [&] { download(buffer, host.data(), host.size()); }, "vkQueueSubmit");
  expect_lost("copy", [&] { copy(buffer, other); }, "vkQueueSubmit");
  expect_lost("image upload", [&] { upload(image, 0, texels.data(), texels.size()); },
              "vkQueueSubmit");
  expect_lost("image download", [&] { download(image, 0, texels.data(), texels.size()); },
              "vkQueueSubmit");
  expect_lost("buffer to image", [&] { copy(buffer, image, 0); }, "vkQueueSubmit");
  expect_lost("image to buffer", [&] { copy(image, 0, buffer); }, "vkQueueSubmit");
  SubmitSync signal_binary;
  signal_binary.signals.push_back({&binary, 0});
  expect_lost("submit", [&] { submit(*context, signal_binary); }, "vkQueueSubmit");
  expect_lost("binary signal", [&] { binary.signal(); }, "vkQueueSubmit");
  expect_lost("binary wait", [&] { (void)binary.wait(0, UINT64_MAX); }, "vkQueueSubmit");
  expect_lost("create_buffer", [&] { (void)context->create_buffer(1 << 16); }, "vkCreateBuffer");
  expect_lost("create_image", [&] { (void)context->create_image(desc); }, "vkCreateImage");
  expect_lost("create_semaphore", [&] { (void)context->create_semaphore(false, 0, false); },
              "vkCreateSemaphore");
  expect_lost("wait_idle", [&] { (void)context->wait_idle(); }, "vkWaitSemaphores");
#ifndef _WIN32
  const int fds = testing::open_fd_count();
  expect_lost("buffer export_fd", [&] { (void)buffer.export_fd(); }, "vkGetMemoryFdKHR");
  expect_lost("buffer export_share", [&] { (void)buffer.export_share(); }, "vkGetMemoryFdKHR");
  expect_lost("image export_share", [&] { (void)image.export_share(); }, "vkGetMemoryFdKHR");
  expect_lost("import_buffer_fd", [&] { (void)context->import_buffer_fd(0, buffer.import_desc()); },
              "vkAllocateMemory");
  if (exportable) {
    expect_lost("semaphore export_fd", [&] { (void)binary.export_fd(); }, "vkGetSemaphoreFdKHR");
    expect_lost("semaphore export_share", [&] { (void)binary.export_share(); },
                "vkGetSemaphoreFdKHR");
  }
  EXPECT_EQ(testing::open_fd_count(), fds) << "a refused export leaked a descriptor";
#endif
  if (timeline) {
    expect_lost("timeline signal", [&] { counter.signal(2); }, "vkSignalSemaphore");
    expect_lost("timeline wait", [&] { (void)counter.wait(2, UINT64_MAX); }, "vkWaitSemaphores");
    expect_lost("timeline value", [&] { (void)counter.value(); }, "vkGetSemaphoreCounterValue");
  }
  // The message names the call that first reported the loss.
  try {
    (void)context->create_buffer(16);
  } catch (const VulkanError& error) {
    EXPECT_NE(std::string(error.what()).find("vkQueueSubmit returned VK_ERROR_DEVICE_LOST"),
              std::string::npos)
        << error.what();
  }
  // What the objects are stays readable: only work on the device is refused.
  EXPECT_EQ(buffer.size(), 1u << 16);
  EXPECT_EQ(image.desc().width, 16u);

  // Closing, in any order, neither throws, waits nor warns, and frees everything: the device
  // state (held by the objects and the work in flight) goes away with the last of them.
  WarningLog warnings;
  const auto start = Clock::now();
  context->close();
  buffer.close();
  binary.close();
  image.close();
  counter.close();
  EXPECT_FALSE(weak_state.expired()) << "`other` still holds the device";
  other.close();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(weak_state.expired()) << "the lost device was leaked";
  EXPECT_TRUE(warnings.messages().empty()) << warnings.messages().front();
}

TEST_F(DeviceLostTest, LossReportedByTheCompletionWaitEndsABlockingCallAtOnce) {
  // The usual way a loss shows: submitted work faults, and the wait for it reports it.
  Buffer buffer = context->create_buffer(1 << 16);
  DeviceState& device = *state;
  if (!device.features.timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  device.fn.vkWaitSemaphores = lost_wait_semaphores;
  device.fn.vkGetSemaphoreCounterValue = lost_counter_value;
  expect_lost("a blocking fill", [&] { fill(buffer, 1); }, "vkWaitSemaphores");
  EXPECT_TRUE(device.lost);
  expect_lost("the next fill", [&] { fill(buffer, 2); }, "vkQueueSubmit");
  std::weak_ptr<DeviceState> weak_state = state;
  state.reset();
  WarningLog warnings;
  context->close();
  buffer.close();
  EXPECT_TRUE(weak_state.expired()) << "the work in flight kept the lost device alive";
  EXPECT_TRUE(warnings.messages().empty()) << warnings.messages().front();
}

TEST_F(DeviceLostTest, LossSeenByAnotherThreadEndsAWaitTheDriverNeverEnds) {
  // A driver that keeps a wait running after the loss (every slice times out): the waiting
  // thread still ends, within a slice of the loss being seen anywhere.
  if (!context->features().timeline_semaphore) GTEST_SKIP() << "no timeline semaphores";
  Semaphore semaphore = context->create_semaphore(true, 0, false);
  Buffer buffer = context->create_buffer(1 << 16);
  state->fn.vkWaitSemaphores = hung_wait_semaphores;
  state->fn.vkQueueSubmit = lost_queue_submit;
  std::atomic<bool> ended{false};
  std::string error_call;
  int error_result = 0;
  std::thread waiter([&] {
    try {
      (void)semaphore.wait(1, UINT64_MAX);
    } catch (const VulkanError& error) {
      error_call = error.call();
      error_result = error.result();
    } catch (...) {
    }
    ended = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_FALSE(ended) << "the wait ended before the loss";
  lose_submits = true;
  const auto lost_at = Clock::now();
  expect_lost("the fill that meets the loss", [&] { fill(buffer, 3); }, "vkQueueSubmit");
  while (!ended && Clock::now() - lost_at < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto took = Clock::now() - lost_at;
  EXPECT_TRUE(ended) << "the wait outlived the loss";
  release_hung_waits = true;  // only needed if the package regressed: lets the thread end
  waiter.join();
  EXPECT_LT(took, std::chrono::milliseconds(500));
  EXPECT_EQ(error_result, VK_ERROR_DEVICE_LOST);
  EXPECT_EQ(error_call, "vkWaitSemaphores");
}

}  // namespace
}  // namespace cuda_interop::vulkan
