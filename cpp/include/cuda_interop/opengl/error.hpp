// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Errors of the OpenGL producer: a GL call that raised a GL error, and a missing or wrong
/// current context.

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::opengl {

/// A GL call set a GL error. `what()` reads
/// "glImportMemoryFdEXT failed: GL_INVALID_VALUE; <detail>".
class OpenGLError : public Error {
 public:
  OpenGLError(unsigned code, std::string call, const std::string& detail = {});
  /// The glGetError() value.
  unsigned code() const noexcept { return code_; }
  /// Its name, e.g. "GL_INVALID_OPERATION".
  const std::string& code_name() const noexcept { return code_name_; }
  const std::string& call() const noexcept { return call_; }

 private:
  unsigned code_;
  std::string code_name_;
  std::string call_;
};

/// No OpenGL context is current on the calling thread, or not the one an object belongs to.
class ContextError : public Error {
 public:
  using Error::Error;
};

/// The name of a glGetError() value ("GL_ERROR_0x<hex>" for unknown values).
std::string error_name(unsigned code);

}  // namespace cuda_interop::opengl
