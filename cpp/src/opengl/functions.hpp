// SPDX-License-Identifier: Apache-2.0
#pragma once
// The GL entry points of the current context, resolved through its window system, and the GL
// error check every call site uses. Private.

#include <memory>
#include <string>

#include "cuda_interop/opengl/context.hpp"
#include "gl.hpp"

namespace cuda_interop::opengl::detail {

#define CUDA_INTEROP_GL_ENTRY_POINTS(X)                                                      \
  X(glGetError) X(glGetString) X(glGetStringi) X(glGetIntegerv) X(glFlush) X(glFinish)       \
  X(glGenBuffers) X(glDeleteBuffers) X(glBindBuffer) X(glIsBuffer) X(glBufferSubData)        \
  X(glGetBufferSubData) X(glGenTextures) X(glDeleteTextures) X(glBindTexture) X(glIsTexture) \
  X(glTexParameteri) X(glGetUnsignedBytevEXT) X(glGetUnsignedBytei_vEXT) X(glCreateMemoryObjectsEXT)                  \
  X(glDeleteMemoryObjectsEXT) X(glIsMemoryObjectEXT) X(glMemoryObjectParameterivEXT)         \
  X(glBufferStorageMemEXT) X(glTexStorageMem2DEXT) X(glTexStorageMem3DEXT)                   \
  X(glImportMemoryFdEXT) X(glImportMemoryWin32HandleEXT) X(glGenSemaphoresEXT)               \
  X(glDeleteSemaphoresEXT) X(glSemaphoreParameterui64vEXT) X(glWaitSemaphoreEXT)             \
  X(glSignalSemaphoreEXT) X(glImportSemaphoreFdEXT) X(glImportSemaphoreWin32HandleEXT)       \
  X(glCreateSemaphoresNV) X(glSemaphoreParameterivNV) X(glGetTexParameteriv) X(glGetTexLevelParameteriv)    \
  X(glIsRenderbuffer) X(glBindRenderbuffer) X(glGetRenderbufferParameteriv)

/// Entry points as the window system gives them (a null one is absent). A non-null address does
/// not mean the context offers the extension (glvnd hands out stubs): callers check extensions.
struct Functions {
#define CUDA_INTEROP_GL_FIELD(name) gl::PFN_##name name = nullptr;
  CUDA_INTEROP_GL_ENTRY_POINTS(CUDA_INTEROP_GL_FIELD)
#undef CUDA_INTEROP_GL_FIELD
};

/// The current context and its entry points. ContextError when no context is current; the
/// `action` ("importing memory into OpenGL") is named in that message.
struct Current {
  ContextId id;
  std::shared_ptr<const Functions> gl;
};
Current current(const char* action);

/// The entry points of `id`'s window system (resolved once; once per context on WGL).
std::shared_ptr<const Functions> functions_for(const ContextId& id);

/// Clears pending GL errors, so that a check after a call reports that call's error only.
void clear_errors(const Functions& gl) noexcept;
/// Throws OpenGLError naming `call` when glGetError() reports an error.
void check(const Functions& gl, const char* call, const std::string& detail = {});
/// NotSupported naming the extension and the renderer unless the current context offers it.
void require_extension(const Functions& gl, const char* extension, const char* action);
/// Throws NotSupported when `function` was not resolved.
void require_function(const void* function, const char* name);

/// ContextError unless `owner` is current on this thread (an object is used only in its context).
void require_current(const ContextId& owner, const std::string& what);
/// True when `owner` is current on this thread (teardown checks before deleting GL objects).
bool is_current(const ContextId& owner) noexcept;

}  // namespace cuda_interop::opengl::detail
