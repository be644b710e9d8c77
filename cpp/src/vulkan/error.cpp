// SPDX-License-Identifier: Apache-2.0
#include "check.hpp"
#include "cuda_interop/vulkan/error.hpp"

#include <utility>


namespace cuda_interop::vulkan {
namespace {

std::string message(const std::string& call, int result, const std::string& detail) {
  std::string text = call + " failed: " + result_name(result);
  if (!detail.empty()) text += "; " + detail;
  return text;
}

}  // namespace

VulkanError::VulkanError(int result, std::string call, const std::string& detail)
    : Error(message(call, result, detail)),
      result_(result),
      result_name_(vulkan::result_name(result)),
      call_(std::move(call)) {}

std::string result_name(int result) {
  switch (static_cast<VkResult>(result)) {
#define CUDA_INTEROP_VK_RESULT(name) \
  case name:                         \
    return #name;
    CUDA_INTEROP_VK_RESULT(VK_SUCCESS)
    CUDA_INTEROP_VK_RESULT(VK_NOT_READY)
    CUDA_INTEROP_VK_RESULT(VK_TIMEOUT)
    CUDA_INTEROP_VK_RESULT(VK_EVENT_SET)
    CUDA_INTEROP_VK_RESULT(VK_EVENT_RESET)
    CUDA_INTEROP_VK_RESULT(VK_INCOMPLETE)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_DEVICE_LOST)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_UNKNOWN)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_FRAGMENTATION)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_SURFACE_LOST_KHR)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    CUDA_INTEROP_VK_RESULT(VK_SUBOPTIMAL_KHR)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
    CUDA_INTEROP_VK_RESULT(VK_ERROR_VALIDATION_FAILED_EXT)
#undef CUDA_INTEROP_VK_RESULT
    default:
      return "VK_RESULT_" + std::to_string(result);
  }
}

namespace detail {

void check(VkResult result, const char* call) {
  if (result != VK_SUCCESS) throw VulkanError(static_cast<int>(result), call);
}

}  // namespace detail
}  // namespace cuda_interop::vulkan
