// SPDX-License-Identifier: Apache-2.0
#include "loader.hpp"

#include <cstdlib>
#include <mutex>
#include <optional>

#include "cuda_interop/error.hpp"

#ifdef _WIN32
#include <vector>
#else
#include <dlfcn.h>
#endif

namespace cuda_interop::vulkan::detail {
namespace {

const char* install_hint() {
#ifdef _WIN32
  return "install a GPU driver that ships the Vulkan runtime, or the Vulkan Runtime from "
         "https://vulkan.lunarg.com";
#else
  return "install the Vulkan loader libvulkan.so.1 and a driver, e.g. `apt install libvulkan1` plus "
         "mesa-vulkan-drivers or the NVIDIA driver's Vulkan ICD";
#endif
}

[[noreturn]] void throw_not_found(const std::string& library, const std::string& reason) {
  throw NotSupported("cannot open the Vulkan loader " + library + " (" + reason + "); " +
                     install_hint());
}

#ifdef _WIN32
void* open_library(const std::string& library) {
  const int length = ::MultiByteToWideChar(CP_UTF8, 0, library.c_str(), -1, nullptr, 0);
  if (length <= 0) throw_not_found(library, "invalid library name");
  std::vector<wchar_t> wide(static_cast<size_t>(length));
  ::MultiByteToWideChar(CP_UTF8, 0, library.c_str(), -1, wide.data(), length);
  HMODULE module = ::LoadLibraryW(wide.data());
  if (module == nullptr) {
    throw_not_found(library, "LoadLibraryW failed: GetLastError() = " +
                                 std::to_string(::GetLastError()));
  }
  return reinterpret_cast<void*>(module);
}

void* find_symbol(void* library, const char* name) {
  return reinterpret_cast<void*>(::GetProcAddress(static_cast<HMODULE>(library), name));
}
#else
void* open_library(const std::string& library) {
  void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = ::dlerror();
    throw_not_found(library, reason != nullptr ? reason : "dlopen failed");
  }
  return handle;
}

void* find_symbol(void* library, const char* name) { return ::dlsym(library, name); }
#endif

// CUDA_INTEROP_VULKAN_LOADER names another loader (tests use it to simulate a missing one).
std::string loader_override() {
  constexpr const char* variable = "CUDA_INTEROP_VULKAN_LOADER";
#ifdef _WIN32
  char value[1024] = {};
  const DWORD length = ::GetEnvironmentVariableA(variable, value, sizeof(value));
  return length > 0 && length < sizeof(value) ? std::string(value, length) : std::string();
#else
  const char* value = std::getenv(variable);
  return value != nullptr ? std::string(value) : std::string();
#endif
}

template <typename Function>
Function global(const GlobalFunctions& functions, const char* name) {
  return reinterpret_cast<Function>(functions.vkGetInstanceProcAddr(VK_NULL_HANDLE, name));
}

}  // namespace

const char* default_loader_name() {
#ifdef _WIN32
  return "vulkan-1.dll";
#else
  return "libvulkan.so.1";
#endif
}

GlobalFunctions open_loader(const std::string& library) {
  void* handle = open_library(library);
  GlobalFunctions functions;
  functions.vkGetInstanceProcAddr =
      reinterpret_cast<PFN_vkGetInstanceProcAddr>(find_symbol(handle, "vkGetInstanceProcAddr"));
  if (functions.vkGetInstanceProcAddr == nullptr) {
    throw_not_found(library, "it does not export vkGetInstanceProcAddr");
  }
  functions.vkEnumerateInstanceVersion =
      global<PFN_vkEnumerateInstanceVersion>(functions, "vkEnumerateInstanceVersion");
  functions.vkEnumerateInstanceExtensionProperties =
      global<PFN_vkEnumerateInstanceExtensionProperties>(functions,
                                                         "vkEnumerateInstanceExtensionProperties");
  functions.vkCreateInstance = global<PFN_vkCreateInstance>(functions, "vkCreateInstance");
  if (functions.vkCreateInstance == nullptr ||
      functions.vkEnumerateInstanceExtensionProperties == nullptr) {
    throw_not_found(library, "it does not provide vkCreateInstance");
  }
  if (functions.vkEnumerateInstanceVersion == nullptr) {
    throw NotSupported("the Vulkan loader " + library +
                       " implements only Vulkan 1.0; external memory needs Vulkan 1.1 or later");
  }
  return functions;
}

const GlobalFunctions& loader() {
  static std::mutex mutex;
  static std::optional<GlobalFunctions> opened;
  std::lock_guard<std::mutex> lock(mutex);
  if (!opened) {
    const std::string name = loader_override();
    opened = open_loader(name.empty() ? std::string(default_loader_name()) : name);
  }
  return *opened;
}

}  // namespace cuda_interop::vulkan::detail
