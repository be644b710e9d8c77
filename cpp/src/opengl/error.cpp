// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/error.hpp"

#include <cstdio>

#include "gl.hpp"

namespace cuda_interop::opengl {

std::string error_name(unsigned code) {
  switch (code) {
    case gl::NO_ERROR: return "GL_NO_ERROR";
    case gl::INVALID_ENUM: return "GL_INVALID_ENUM";
    case gl::INVALID_VALUE: return "GL_INVALID_VALUE";
    case gl::INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case gl::OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    case gl::INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case gl::CONTEXT_LOST: return "GL_CONTEXT_LOST";
    default: break;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "GL_ERROR_0x%04X", code);
  return buffer;
}

OpenGLError::OpenGLError(unsigned code, std::string call, const std::string& detail)
    : Error(call + " failed: " + error_name(code) + (detail.empty() ? "" : "; " + detail)),
      code_(code),
      code_name_(error_name(code)),
      call_(std::move(call)) {}

}  // namespace cuda_interop::opengl
