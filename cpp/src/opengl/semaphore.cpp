// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/semaphore.hpp"

#include <atomic>
#include <string>

#include "cuda_interop/error.hpp"
#include "import_handle.hpp"
#include "objects.hpp"

namespace cuda_interop::opengl {
namespace detail {

struct SemaphoreState : GlObject {
  bool timeline = false;
  std::atomic<std::uint64_t> last_signalled{0};
  using GlObject::GlObject;
  ~SemaphoreState() {
    destroy("semaphore", [](const Functions& f, gl::GLuint n) {
      f.glDeleteSemaphoresEXT(1, &n);
    });
  }
  SemaphoreState(const SemaphoreState&) = delete;
  SemaphoreState& operator=(const SemaphoreState&) = delete;
};

}  // namespace detail

namespace {

bool known_layout(std::uint32_t layout) {
  return (layout >= 0x958D && layout <= 0x9593) || layout == 0x9530 || layout == 0x9531;
}

struct Lists {
  std::vector<gl::GLuint> textures;
  std::vector<gl::GLenum> layouts;
};

Lists texture_lists(const Barriers& barriers) {
  Lists lists;
  for (const TextureBarrier& barrier : barriers.textures) {
    lists.textures.push_back(barrier.texture);
    lists.layouts.push_back(barrier.layout);
  }
  return lists;
}

}  // namespace

void Barriers::validate() const {
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    if (buffers[i] == 0) throw InvalidArgument("buffers[" + std::to_string(i) + "] is 0");
  }
  for (std::size_t i = 0; i < textures.size(); ++i) {
    if (textures[i].texture == 0) throw InvalidArgument("textures[" + std::to_string(i) + "] is 0");
    if (!known_layout(textures[i].layout)) {
      throw InvalidArgument("textures[" + std::to_string(i) + "] has layout " +
                            std::to_string(textures[i].layout) + ", not a GL_LAYOUT_*_EXT value");
    }
  }
}

Semaphore Semaphore::import(const SemaphoreShare& share) {
  share.validate();
  const detail::GlHandleType type = detail::gl_semaphore_handle_type(share.type);
  const bool timeline = share.type == SemaphoreHandleType::TimelineSemaphoreFd ||
                        share.type == SemaphoreHandleType::TimelineSemaphoreWin32 ||
                        share.type == SemaphoreHandleType::D3D12Fence;
  detail::Current current = detail::current("importing a semaphore into OpenGL");
  const detail::Functions& gl = *current.gl;
  const char* action = "importing a semaphore into OpenGL";
  detail::require_extension(gl, "GL_EXT_semaphore", action);
  detail::require_extension(gl, type.extension, action);
  if (timeline && share.type != SemaphoreHandleType::D3D12Fence) {
    detail::require_extension(gl, "GL_NV_timeline_semaphore",
                              "importing a timeline semaphore into OpenGL");
  }
  detail::check_same_device(share.device, "the semaphore");
  detail::clear_errors(gl);
  gl::GLuint name = 0;
  if (timeline && share.type != SemaphoreHandleType::D3D12Fence) {
    gl.glCreateSemaphoresNV(1, &name);
    detail::check(gl, "glCreateSemaphoresNV");
  } else {
    gl.glGenSemaphoresEXT(1, &name);
    detail::check(gl, "glGenSemaphoresEXT");
  }
  auto state = std::make_shared<detail::SemaphoreState>(current.id, current.gl, name);
  state->timeline = timeline;
  if (timeline && share.type != SemaphoreHandleType::D3D12Fence) {
    const gl::GLint kind = static_cast<gl::GLint>(gl::SEMAPHORE_TYPE_TIMELINE_NV);
    gl.glSemaphoreParameterivNV(name, gl::SEMAPHORE_TYPE_NV, &kind);
    detail::check(gl, "glSemaphoreParameterivNV", "GL_SEMAPHORE_TYPE_TIMELINE_NV");
  }
  detail::give_handle(share.handle, [&](void* handle, int fd) {
    if (fd >= 0) {
      gl.glImportSemaphoreFdEXT(name, type.type, fd);
      detail::check(gl, "glImportSemaphoreFdEXT", to_string(share.type));
    } else {
      detail::require_function(reinterpret_cast<const void*>(gl.glImportSemaphoreWin32HandleEXT),
                               "glImportSemaphoreWin32HandleEXT");
      gl.glImportSemaphoreWin32HandleEXT(name, type.type, handle);
      detail::check(gl, "glImportSemaphoreWin32HandleEXT", to_string(share.type));
    }
  });
  return Semaphore(std::move(state));
}

detail::SemaphoreState& Semaphore::live() const {
  if (!state_) throw ClosedError("opengl.Semaphore is closed");
  return *state_;
}
std::uint32_t Semaphore::name() const { return live().name; }
bool Semaphore::timeline() const { return live().timeline; }
const ContextId& Semaphore::context() const { return live().context; }
std::uint64_t Semaphore::last_signalled() const { return live().last_signalled.load(); }

void Semaphore::wait(std::uint64_t value, const Barriers& barriers) const {
  detail::SemaphoreState& state = live();
  barriers.validate();
  detail::require_current(state.context, "semaphore " + std::to_string(state.name));
  const detail::Functions& gl = *state.gl;
  detail::clear_errors(gl);
  if (state.timeline) {
    gl.glSemaphoreParameterui64vEXT(state.name, gl::TIMELINE_SEMAPHORE_VALUE_NV, &value);
    detail::check(gl, "glSemaphoreParameterui64vEXT", "wait value " + std::to_string(value));
  }
  const Lists lists = texture_lists(barriers);
  gl.glWaitSemaphoreEXT(state.name, static_cast<gl::GLuint>(barriers.buffers.size()),
                        barriers.buffers.data(), static_cast<gl::GLuint>(lists.textures.size()),
                        lists.textures.data(), lists.layouts.data());
  detail::check(gl, "glWaitSemaphoreEXT");
}

void Semaphore::signal(std::uint64_t value, const Barriers& barriers) const {
  detail::SemaphoreState& state = live();
  barriers.validate();
  detail::require_current(state.context, "semaphore " + std::to_string(state.name));
  if (state.timeline && value <= state.last_signalled.load()) {
    throw InvalidArgument("value " + std::to_string(value) + " does not exceed " +
                          std::to_string(state.last_signalled.load()) +
                          ", the last value signalled: a timeline only increases");
  }
  const detail::Functions& gl = *state.gl;
  detail::clear_errors(gl);
  if (state.timeline) {
    gl.glSemaphoreParameterui64vEXT(state.name, gl::TIMELINE_SEMAPHORE_VALUE_NV, &value);
    detail::check(gl, "glSemaphoreParameterui64vEXT", "signal value " + std::to_string(value));
  }
  const Lists lists = texture_lists(barriers);
  gl.glSignalSemaphoreEXT(state.name, static_cast<gl::GLuint>(barriers.buffers.size()),
                          barriers.buffers.data(), static_cast<gl::GLuint>(lists.textures.size()),
                          lists.textures.data(), lists.layouts.data());
  detail::check(gl, "glSignalSemaphoreEXT");
  gl.glFlush();
  if (state.timeline) state.last_signalled.store(value);
}

}  // namespace cuda_interop::opengl
