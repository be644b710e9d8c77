// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/context.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "functions.hpp"
#include "window_system.hpp"

namespace cuda_interop::opengl {
namespace {

std::string text(const gl::GLubyte* value) {
  return value != nullptr ? std::string(reinterpret_cast<const char*>(value)) : std::string();
}

std::vector<std::string> extension_list(const detail::Functions& gl) {
  std::vector<std::string> names;
  gl::GLint count = 0;
  gl.glGetIntegerv(gl::NUM_EXTENSIONS, &count);
  if (gl.glGetStringi != nullptr && gl.glGetError() == gl::NO_ERROR && count > 0) {
    for (gl::GLint i = 0; i < count; ++i) {
      names.push_back(text(gl.glGetStringi(gl::EXTENSIONS, static_cast<gl::GLuint>(i))));
    }
    return names;
  }
  // A compatibility context before GL 3.0: one space-separated string.
  detail::clear_errors(gl);
  const std::string all = text(gl.glGetString(gl::EXTENSIONS));
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find(' ', start);
    if (end == std::string::npos) end = all.size();
    if (end > start) names.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

}  // namespace

const char* window_system_name(WindowSystem system) noexcept {
  switch (system) {
    case WindowSystem::Egl: return "EGL";
    case WindowSystem::Glx: return "GLX";
    case WindowSystem::Wgl: return "WGL";
  }
  return "?";
}

std::string ContextId::describe() const {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s context 0x%llx", window_system_name(system),
                static_cast<unsigned long long>(context));
  return buffer;
}

bool ContextInfo::has_extension(const std::string& name) const {
  return std::find(extensions.begin(), extensions.end(), name) != extensions.end();
}

bool has_current_context() noexcept { return detail::current_context().has_value(); }

ContextId current_context_id() { return detail::current("this call").id; }

ContextInfo current_context_info() {
  detail::Current current = detail::current("querying the context");
  const detail::Functions& gl = *current.gl;
  detail::clear_errors(gl);
  ContextInfo info;
  info.id = current.id;
  info.vendor = text(gl.glGetString(gl::VENDOR));
  info.renderer = text(gl.glGetString(gl::RENDERER));
  info.version = text(gl.glGetString(gl::VERSION));
  info.extensions = extension_list(gl);
  if (info.has_extension("GL_EXT_memory_object") && gl.glGetUnsignedBytei_vEXT != nullptr) {
    gl::GLint count = 0;
    gl.glGetIntegerv(gl::NUM_DEVICE_UUIDS_EXT, &count);
    for (gl::GLint i = 0; i < std::min<gl::GLint>(count, 16); ++i) {
      Uuid uuid{};
      gl.glGetUnsignedBytei_vEXT(gl::DEVICE_UUID_EXT, static_cast<gl::GLuint>(i), uuid.data());
      info.device_uuids.push_back(uuid);
    }
    if (gl.glGetUnsignedBytevEXT != nullptr) {
      gl.glGetUnsignedBytevEXT(gl::DRIVER_UUID_EXT, info.driver_uuid.data());
    }
  }
  detail::clear_errors(gl);
  return info;
}

}  // namespace cuda_interop::opengl
