// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the GL handles hold, and how GL objects are deleted: in their own context, never in
// another (the same name there is another object), with a warning when that context is not
// current. Private.

#include <memory>
#include <string>

#include "cuda_interop/opengl/memory.hpp"
#include "cuda_interop/process.hpp"
#include "functions.hpp"

namespace cuda_interop::opengl::detail {

/// A GL object name and the context it lives in; `destroy` deletes it when that context is
/// current in the process that made it, and warns otherwise. Never throws.
struct GlObject {
  ContextId context;
  std::shared_ptr<const Functions> gl;
  gl::GLuint name = 0;
  ProcessId process = current_process();

  GlObject(ContextId c, std::shared_ptr<const Functions> f, gl::GLuint n)
      : context(c), gl(std::move(f)), name(n) {}

  template <typename Delete>
  void destroy(const char* what, Delete&& remove) const noexcept {
    if (name == 0 || !is_owner(process)) return;
    try {
      if (!is_current(context)) {
        warn(std::string("OpenGL ") + what + " " + std::to_string(name) + " not deleted: " +
             context.describe() + " is not current on this thread (close GL objects while their "
             "context is current; a destroyed context has freed them already)");
        return;
      }
      remove(*gl, name);
    } catch (...) {
      warn(std::string("deleting OpenGL ") + what + " " + std::to_string(name) + " failed");
    }
  }
};

struct MemoryObjectState : GlObject {
  std::uint64_t size = 0;
  bool dedicated = false;
  using GlObject::GlObject;
  ~MemoryObjectState();
  MemoryObjectState(const MemoryObjectState&) = delete;
  MemoryObjectState& operator=(const MemoryObjectState&) = delete;
};

struct BufferState : GlObject {
  std::uint64_t size = 0;
  std::uint64_t offset = 0;
  MemoryObject memory;  // released after the buffer
  using GlObject::GlObject;
  ~BufferState();
  BufferState(const BufferState&) = delete;
  BufferState& operator=(const BufferState&) = delete;
};

struct TextureState : GlObject {
  TextureDesc desc;
  MemoryObject memory;
  using GlObject::GlObject;
  ~TextureState();
  TextureState(const TextureState&) = delete;
  TextureState& operator=(const TextureState&) = delete;
};

}  // namespace cuda_interop::opengl::detail
