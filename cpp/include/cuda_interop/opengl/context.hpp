// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The OpenGL context current on the calling thread: who it is, what it offers, which device it
/// renders on. The package never creates or makes current a context; it works with the
/// application's (moderngl, pyglet, glfw, Qt ...), which must be current when GL objects are
/// imported, used or deleted.

#include <cstdint>
#include <string>
#include <vector>

#include "cuda_interop/device.hpp"

namespace cuda_interop::opengl {

/// The library through which the context was made current.
enum class WindowSystem { Egl, Glx, Wgl };

/// "EGL", "GLX" or "WGL".
const char* window_system_name(WindowSystem system) noexcept;

/// A context as the window system names it: the context handle and its display (EGLDisplay,
/// X11 Display*, or the HDC for WGL). Two ids are equal when they name the same context.
struct ContextId {
  WindowSystem system = WindowSystem::Egl;
  std::uintptr_t context = 0;
  std::uintptr_t display = 0;

  bool operator==(const ContextId& other) const noexcept {
    return system == other.system && context == other.context;
  }
  bool operator!=(const ContextId& other) const noexcept { return !(*this == other); }
  /// "EGL context 0x55d0c0a1b2c0".
  std::string describe() const;
};

/// What the current context reports about itself.
struct ContextInfo {
  ContextId id;
  std::string vendor;
  std::string renderer;
  std::string version;
  std::vector<std::string> extensions;
  /// GL_EXT_memory_object's device UUIDs (GL_DEVICE_UUID_EXT); empty without the extension.
  std::vector<Uuid> device_uuids;
  /// GL_DRIVER_UUID_EXT; all zero without the extension.
  Uuid driver_uuid{};

  bool has_extension(const std::string& name) const;
};

/// True when a context is current on this thread (never throws, never loads a library).
bool has_current_context() noexcept;

/// The current context's id; InvalidArgument "no current OpenGL context ..." when there is none.
ContextId current_context_id();

/// The current context's strings, extensions and device UUIDs; InvalidArgument without one.
ContextInfo current_context_info();

}  // namespace cuda_interop::opengl
