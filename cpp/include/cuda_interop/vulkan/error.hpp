// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Errors of the Vulkan producer: a failed Vulkan call, named with its VkResult.

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::vulkan {

/// A Vulkan call failed. `what()` reads "vkAllocateMemory failed: VK_ERROR_OUT_OF_DEVICE_MEMORY".
class VulkanError : public Error {
 public:
  VulkanError(int result, std::string call, const std::string& detail = {});
  /// The VkResult value (negative for errors).
  int result() const noexcept { return result_; }
  /// The VkResult's enumerator name, e.g. "VK_ERROR_OUT_OF_DEVICE_MEMORY".
  const std::string& result_name() const noexcept { return result_name_; }
  /// The Vulkan function that failed.
  const std::string& call() const noexcept { return call_; }

 private:
  int result_;
  std::string result_name_;
  std::string call_;
};

/// The enumerator name of a VkResult value ("VK_RESULT_<n>" for values this build does not know).
std::string result_name(int result);

}  // namespace cuda_interop::vulkan
