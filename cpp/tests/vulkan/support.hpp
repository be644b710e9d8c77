// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared helpers: a context on the test device (skipping where Vulkan is absent), fd counting
// and a log of the core's warnings.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/context.hpp"

#ifndef _WIN32
#include <dirent.h>
#endif

namespace cuda_interop::vulkan::testing {

/// The physical device the tests use: CUDA_INTEROP_VULKAN_TEST_DEVICE, else 0.
inline std::uint32_t test_device_index() {
  const char* value = std::getenv("CUDA_INTEROP_VULKAN_TEST_DEVICE");
  return value != nullptr ? static_cast<std::uint32_t>(std::strtoul(value, nullptr, 10)) : 0u;
}

/// A context on the test device, or the reason there is none (no loader, no device).
inline std::unique_ptr<Context> try_context(std::string& reason) {
  try {
    ContextOptions options;
    options.physical_device_index = test_device_index();
    return std::make_unique<Context>(options);
  } catch (const NotSupported& error) {
    reason = error.what();
    return nullptr;
  }
}

#ifndef _WIN32
/// Open descriptors of this process.
inline int open_fd_count() {
  int count = 0;
  if (DIR* directory = ::opendir("/proc/self/fd")) {
    while (::readdir(directory) != nullptr) ++count;
    ::closedir(directory);
  }
  return count;
}
#endif

/// Collects the core's teardown warnings while alive.
class WarningLog {
 public:
  WarningLog() {
    set_warning_handler([this](const std::string& message) {
      std::lock_guard<std::mutex> lock(mutex_);
      messages_.push_back(message);
    });
  }
  ~WarningLog() { set_warning_handler(nullptr); }
  std::vector<std::string> messages() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

/// Fixture with `context` ready, skipped with the reason where Vulkan is unavailable.
class VulkanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    context = try_context(reason);
    if (!context) GTEST_SKIP() << "no usable Vulkan device: " << reason;
  }
  std::unique_ptr<Context> context;
};

}  // namespace cuda_interop::vulkan::testing
