// SPDX-License-Identifier: Apache-2.0
#include "window_system.hpp"

#include <atomic>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace cuda_interop::opengl::detail {
namespace {

#ifdef _WIN32
using Library = HMODULE;

// Only a library the process has loaded already: without it no context can be current.
Library loaded(const char* name) noexcept { return ::GetModuleHandleA(name); }

void* symbol(Library library, const char* name) noexcept {
  return library == nullptr ? nullptr
                            : reinterpret_cast<void*>(::GetProcAddress(library, name));
}
#else
using Library = void*;

Library loaded(const char* name) noexcept {
  return ::dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
}

void* symbol(Library library, const char* name) noexcept {
  return library == nullptr ? nullptr : ::dlsym(library, name);
}
#endif

template <typename Function>
Function as(void* address) noexcept {
  return reinterpret_cast<Function>(address);
}

// The window-system entry points, looked up each time they may have appeared (a library the
// application loads later) and kept once found: the libraries are never unloaded by us.
struct Entry {
  std::atomic<void*> address{nullptr};

  void* get(const char* const* libraries, const char* name) noexcept {
    void* found = address.load(std::memory_order_acquire);
    if (found != nullptr) return found;
    for (const char* const* library = libraries; *library != nullptr; ++library) {
      found = symbol(loaded(*library), name);
      if (found != nullptr) break;
    }
    if (found != nullptr) address.store(found, std::memory_order_release);
    return found;
  }
};

#ifdef _WIN32
const char* const wgl_libraries[] = {"opengl32.dll", nullptr};
Entry wgl_get_current_context, wgl_get_current_dc, wgl_get_proc_address, wgl_core;
#else
const char* const egl_libraries[] = {"libEGL.so.1", "libEGL.so", nullptr};
const char* const glx_libraries[] = {"libGLX.so.0", "libGL.so.1", "libGL.so", nullptr};
// Core GL 1.x functions, where the proc-address query does not give them.
const char* const gl_libraries[] = {"libOpenGL.so.0", "libGL.so.1", "libGLESv2.so.2", nullptr};
Entry egl_get_current_context, egl_get_current_display, egl_get_proc_address;
Entry glx_get_current_context, glx_get_current_display, glx_get_proc_address;
#endif

}  // namespace

std::optional<ContextId> current_context() noexcept {
#ifdef _WIN32
  using GetContext = void*(WINAPI*)();
  auto get = as<GetContext>(wgl_get_current_context.get(wgl_libraries, "wglGetCurrentContext"));
  auto get_dc = as<GetContext>(wgl_get_current_dc.get(wgl_libraries, "wglGetCurrentDC"));
  if (get == nullptr) return std::nullopt;
  void* context = get();
  if (context == nullptr) return std::nullopt;
  return ContextId{WindowSystem::Wgl, reinterpret_cast<std::uintptr_t>(context),
                   reinterpret_cast<std::uintptr_t>(get_dc != nullptr ? get_dc() : nullptr)};
#else
  using GetPointer = void* (*)();
  auto egl = as<GetPointer>(egl_get_current_context.get(egl_libraries, "eglGetCurrentContext"));
  if (egl != nullptr) {
    void* context = egl();  // EGL_NO_CONTEXT is a null pointer
    if (context != nullptr) {
      auto display =
          as<GetPointer>(egl_get_current_display.get(egl_libraries, "eglGetCurrentDisplay"));
      return ContextId{WindowSystem::Egl, reinterpret_cast<std::uintptr_t>(context),
                       reinterpret_cast<std::uintptr_t>(display != nullptr ? display() : nullptr)};
    }
  }
  auto glx = as<GetPointer>(glx_get_current_context.get(glx_libraries, "glXGetCurrentContext"));
  if (glx != nullptr) {
    void* context = glx();
    if (context != nullptr) {
      auto display =
          as<GetPointer>(glx_get_current_display.get(glx_libraries, "glXGetCurrentDisplay"));
      return ContextId{WindowSystem::Glx, reinterpret_cast<std::uintptr_t>(context),
                       reinterpret_cast<std::uintptr_t>(display != nullptr ? display() : nullptr)};
    }
  }
  return std::nullopt;
#endif
}

void* proc_address(WindowSystem system, const char* name) noexcept {
#ifdef _WIN32
  (void)system;
  using GetProc = PROC(WINAPI*)(LPCSTR);
  auto get = as<GetProc>(wgl_get_proc_address.get(wgl_libraries, "wglGetProcAddress"));
  void* address = get != nullptr ? reinterpret_cast<void*>(get(name)) : nullptr;
  // wglGetProcAddress answers 0, 1, 2, 3 or -1 for what it does not know, and never gives the
  // GL 1.1 functions: those are opengl32.dll's own exports.
  const auto value = reinterpret_cast<std::intptr_t>(address);
  if (value >= -1 && value <= 3) address = symbol(loaded("opengl32.dll"), name);
  return address;
#else
  using GetProc = void* (*)(const char*);
  GetProc get = nullptr;
  if (system == WindowSystem::Egl) {
    get = as<GetProc>(egl_get_proc_address.get(egl_libraries, "eglGetProcAddress"));
  } else {
    get = as<GetProc>(glx_get_proc_address.get(glx_libraries, "glXGetProcAddressARB"));
  }
  void* address = get != nullptr ? get(name) : nullptr;
  for (const char* const* library = gl_libraries; address == nullptr && *library != nullptr;
       ++library) {
    address = symbol(loaded(*library), name);
  }
  return address;
#endif
}

}  // namespace cuda_interop::opengl::detail
