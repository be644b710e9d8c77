// SPDX-License-Identifier: Apache-2.0
#include "functions.hpp"

#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "cuda_interop/opengl/error.hpp"
#include "window_system.hpp"

namespace cuda_interop::opengl::detail {
namespace {

std::shared_ptr<const Functions> resolve(WindowSystem system) {
  auto functions = std::make_shared<Functions>();
#define CUDA_INTEROP_GL_RESOLVE(name) \
  functions->name = reinterpret_cast<gl::PFN_##name>(proc_address(system, #name));
  CUDA_INTEROP_GL_ENTRY_POINTS(CUDA_INTEROP_GL_RESOLVE)
#undef CUDA_INTEROP_GL_RESOLVE
  if (functions->glGetError == nullptr || functions->glGetString == nullptr ||
      functions->glGetIntegerv == nullptr) {
    throw NotSupported(std::string("the ") + window_system_name(system) +
                       " library gives no glGetError/glGetString/glGetIntegerv");
  }
  return functions;
}

}  // namespace

std::shared_ptr<const Functions> functions_for(const ContextId& id) {
  static std::mutex mutex;
  // EGL and GLX give the same addresses in every context; WGL's are the context's own.
  static std::map<std::pair<int, std::uintptr_t>, std::shared_ptr<const Functions>> cache;
  const std::uintptr_t key = id.system == WindowSystem::Wgl ? id.context : 0;
  std::lock_guard<std::mutex> lock(mutex);
  auto& entry = cache[{static_cast<int>(id.system), key}];
  if (!entry) entry = resolve(id.system);
  return entry;
}

Current current(const char* action) {
  std::optional<ContextId> id = current_context();
  if (!id) {
    throw ContextError(std::string("no current OpenGL context on this thread (") + action +
                       " needs one: make the renderer's context current first, e.g. "
                       "moderngl's ctx.__enter__() or glfw.make_context_current(window))");
  }
  return {*id, functions_for(*id)};
}

void clear_errors(const Functions& gl) noexcept {
  // Bounded: a lost context may report GL_CONTEXT_LOST on every call.
  for (int i = 0; i < 16 && gl.glGetError() != gl::NO_ERROR; ++i) {
  }
}

void check(const Functions& gl, const char* call, const std::string& detail) {
  const gl::GLenum code = gl.glGetError();
  if (code != gl::NO_ERROR) {
    clear_errors(gl);
    throw OpenGLError(code, call, detail);
  }
}

void require_function(const void* function, const char* name) {
  if (function == nullptr) {
    throw NotSupported(std::string("the OpenGL library does not provide ") + name);
  }
}

void require_extension(const Functions& gl, const char* extension, const char* action) {
  ContextInfo info = current_context_info();
  if (info.has_extension(extension)) return;
  throw NotSupported(std::string(action) + " needs " + extension + ", which the current OpenGL " +
                     "context (" + info.renderer + ", " + info.version + ") does not offer");
  (void)gl;
}

bool is_current(const ContextId& owner) noexcept {
  std::optional<ContextId> id = current_context();
  return id && *id == owner;
}

void require_current(const ContextId& owner, const std::string& what) {
  std::optional<ContextId> id = current_context();
  if (!id) {
    throw ContextError("no current OpenGL context on this thread: " + what + " belongs to " +
                       owner.describe() + ", which must be current");
  }
  if (*id != owner) {
    throw ContextError(what + " belongs to " + owner.describe() + ", but " + id->describe() +
                       " is current on this thread");
  }
}

}  // namespace cuda_interop::opengl::detail
