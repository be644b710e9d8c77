// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Vulkan loader, opened at run time so the package imports where Vulkan is absent.

#include <string>

#include "vk.hpp"

namespace cuda_interop::vulkan::detail {

/// Entry points that need no instance.
struct GlobalFunctions {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkEnumerateInstanceVersion vkEnumerateInstanceVersion = nullptr;
  PFN_vkEnumerateInstanceExtensionProperties vkEnumerateInstanceExtensionProperties = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
};

/// The platform's loader name: libvulkan.so.1 or vulkan-1.dll.
const char* default_loader_name();

/// Opens `library` and resolves the global entry points; NotSupported naming the library and how
/// to install it when it cannot be opened. The library stays loaded for the life of the process.
GlobalFunctions open_loader(const std::string& library);

/// The process-wide loader: CUDA_INTEROP_VULKAN_LOADER if set, else default_loader_name().
/// Opened on first use; a failure is not cached, so installing the loader later works.
const GlobalFunctions& loader();

}  // namespace cuda_interop::vulkan::detail
