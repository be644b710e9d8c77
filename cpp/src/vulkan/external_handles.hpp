// SPDX-License-Identifier: Apache-2.0
#pragma once
// The external handle types and extensions of this platform (opaque fds, or Win32 handles).

#include "vk.hpp"

namespace cuda_interop::vulkan::detail {

/// The handle types this platform exports and imports.
#ifdef _WIN32
inline constexpr VkExternalMemoryHandleTypeFlagBits memory_handle_type =
    VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_WIN32_BIT;
inline constexpr VkExternalSemaphoreHandleTypeFlagBits semaphore_handle_type =
    VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
inline constexpr const char* memory_extension = "VK_KHR_external_memory_win32";
inline constexpr const char* semaphore_extension = "VK_KHR_external_semaphore_win32";
#else
inline constexpr VkExternalMemoryHandleTypeFlagBits memory_handle_type =
    VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
inline constexpr VkExternalSemaphoreHandleTypeFlagBits semaphore_handle_type =
    VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
inline constexpr const char* memory_extension = "VK_KHR_external_memory_fd";
inline constexpr const char* semaphore_extension = "VK_KHR_external_semaphore_fd";
#endif

}  // namespace cuda_interop::vulkan::detail
