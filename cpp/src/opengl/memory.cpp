// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/opengl/memory.hpp"

#include <cstring>
#include <limits>

#include "cuda_interop/error.hpp"
#include "cuda_interop/opengl/error.hpp"
#include "import_handle.hpp"
#include "objects.hpp"

namespace cuda_interop::opengl {
namespace detail {

MemoryObjectState::~MemoryObjectState() {
  destroy("memory object", [](const Functions& f, gl::GLuint n) {
    f.glDeleteMemoryObjectsEXT(1, &n);
  });
}

BufferState::~BufferState() {
  destroy("buffer", [](const Functions& f, gl::GLuint n) { f.glDeleteBuffers(1, &n); });
}

namespace {

// Binds `buffer` to GL_COPY_WRITE_BUFFER for a scope and restores the application's binding, so
// the renderer's state is as it left it (GL 3.3 core has no direct state access).
class CopyWriteBinding {
 public:
  CopyWriteBinding(const Functions& gl, gl::GLuint buffer) : gl_(gl) {
    gl_.glGetIntegerv(gl::COPY_WRITE_BUFFER_BINDING, &previous_);
    gl_.glBindBuffer(gl::COPY_WRITE_BUFFER, buffer);
  }
  ~CopyWriteBinding() { gl_.glBindBuffer(gl::COPY_WRITE_BUFFER, static_cast<gl::GLuint>(previous_)); }
  CopyWriteBinding(const CopyWriteBinding&) = delete;
  CopyWriteBinding& operator=(const CopyWriteBinding&) = delete;

 private:
  const Functions& gl_;
  gl::GLint previous_ = 0;
};

void check_range(std::uint64_t offset, std::uint64_t bytes, std::uint64_t size, const char* what) {
  if (offset > size || bytes > size - offset) {
    throw InvalidArgument(std::string(what) + ": [" + std::to_string(offset) + ", " +
                          std::to_string(offset) + " + " + std::to_string(bytes) +
                          ") is outside the " + std::to_string(size) + "-byte buffer");
  }
}

}  // namespace
}  // namespace detail

MemoryObject MemoryObject::import(const MemoryShare& share) {
  share.validate();
  const detail::GlHandleType type = detail::gl_memory_handle_type(share.type);
  detail::Current current = detail::current("importing memory into OpenGL");
  const detail::Functions& gl = *current.gl;
  detail::require_extension(gl, "GL_EXT_memory_object", "importing memory into OpenGL");
  detail::require_extension(gl, type.extension, "importing memory into OpenGL");
  detail::check_same_device(share.device, "the memory");
  if (share.size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw InvalidArgument("memory size " + std::to_string(share.size) + " is beyond OpenGL's range");
  }
  detail::clear_errors(gl);
  gl::GLuint name = 0;
  gl.glCreateMemoryObjectsEXT(1, &name);
  detail::check(gl, "glCreateMemoryObjectsEXT");
  auto state = std::make_shared<detail::MemoryObjectState>(current.id, current.gl, name);
  state->size = share.size;
  state->dedicated = share.dedicated;
  if (share.dedicated) {
    const gl::GLint yes = 1;
    gl.glMemoryObjectParameterivEXT(name, gl::DEDICATED_MEMORY_OBJECT_EXT, &yes);
    detail::check(gl, "glMemoryObjectParameterivEXT", "GL_DEDICATED_MEMORY_OBJECT_EXT");
  }
  const std::string detail_text = std::to_string(share.size) + " bytes of a " +
                                  to_string(share.type) + (share.dedicated ? " (dedicated)" : "");
  detail::give_handle(share.handle, [&](void* handle, int fd) {
    if (fd >= 0) {
      gl.glImportMemoryFdEXT(name, share.size, type.type, fd);
      detail::check(gl, "glImportMemoryFdEXT", detail_text);
    } else {
      detail::require_function(reinterpret_cast<const void*>(gl.glImportMemoryWin32HandleEXT),
                               "glImportMemoryWin32HandleEXT");
      gl.glImportMemoryWin32HandleEXT(name, share.size, type.type, handle);
      detail::check(gl, "glImportMemoryWin32HandleEXT", detail_text);
    }
  });
  return MemoryObject(std::move(state));
}

const std::shared_ptr<const detail::MemoryObjectState>& MemoryObject::state() const {
  if (!state_) throw ClosedError("opengl.MemoryObject is closed");
  return state_;
}
std::uint32_t MemoryObject::name() const { return state()->name; }
std::uint64_t MemoryObject::size() const { return state()->size; }
bool MemoryObject::dedicated() const { return state()->dedicated; }
const ContextId& MemoryObject::context() const { return state()->context; }

Buffer Buffer::create(const MemoryObject& memory, std::uint64_t size, std::uint64_t offset) {
  const detail::MemoryObjectState& owner = *memory.state();
  detail::require_current(owner.context, "the memory object");
  if (size == 0) {
    if (offset >= owner.size) {
      throw InvalidArgument("offset " + std::to_string(offset) + " is not inside the " +
                            std::to_string(owner.size) + "-byte memory object");
    }
    size = owner.size - offset;
  }
  detail::check_range(offset, size, owner.size, "buffer range");
  const detail::Functions& gl = *owner.gl;
  detail::clear_errors(gl);
  gl::GLuint name = 0;
  gl.glGenBuffers(1, &name);
  detail::check(gl, "glGenBuffers");
  auto state = std::make_shared<detail::BufferState>(owner.context, owner.gl, name);
  state->size = size;
  state->offset = offset;
  state->memory = memory;
  {
    detail::CopyWriteBinding binding(gl, name);
    gl.glBufferStorageMemEXT(gl::COPY_WRITE_BUFFER, static_cast<gl::GLsizeiptr>(size),
                             owner.name, offset);
  }
  std::string detail_text = std::to_string(size) + " bytes at offset " + std::to_string(offset) +
                            " of a " + std::to_string(owner.size) + "-byte memory object";
  const gl::GLubyte* renderer = gl.glGetString(gl::RENDERER);
  if (renderer != nullptr && std::strstr(reinterpret_cast<const char*>(renderer), "llvmpipe")) {
    detail_text += " (Mesa's llvmpipe pads buffers: end them 16 bytes before the memory does)";
  }
  detail::check(gl, "glBufferStorageMemEXT", detail_text);
  return Buffer(std::move(state));
}

const detail::BufferState& Buffer::live() const {
  if (!state_) throw ClosedError("opengl.Buffer is closed");
  return *state_;
}
std::uint32_t Buffer::name() const { return live().name; }
std::uint64_t Buffer::size() const { return live().size; }
std::uint64_t Buffer::offset() const { return live().offset; }
const MemoryObject& Buffer::memory() const { return live().memory; }

void Buffer::write(const void* source, std::uint64_t bytes, std::uint64_t offset) const {
  const detail::BufferState& state = live();
  detail::require_current(state.context, "buffer " + std::to_string(state.name));
  detail::check_range(offset, bytes, state.size, "write");
  const detail::Functions& gl = *state.gl;
  detail::clear_errors(gl);
  {
    detail::CopyWriteBinding binding(gl, state.name);
    gl.glBufferSubData(gl::COPY_WRITE_BUFFER, static_cast<gl::GLintptr>(offset),
                       static_cast<gl::GLsizeiptr>(bytes), source);
  }
  detail::check(gl, "glBufferSubData");
}

void Buffer::read(void* destination, std::uint64_t bytes, std::uint64_t offset) const {
  const detail::BufferState& state = live();
  detail::require_current(state.context, "buffer " + std::to_string(state.name));
  detail::check_range(offset, bytes, state.size, "read");
  const detail::Functions& gl = *state.gl;
  detail::require_function(reinterpret_cast<const void*>(gl.glGetBufferSubData),
                           "glGetBufferSubData");
  detail::clear_errors(gl);
  {
    detail::CopyWriteBinding binding(gl, state.name);
    gl.glGetBufferSubData(gl::COPY_WRITE_BUFFER, static_cast<gl::GLintptr>(offset),
                          static_cast<gl::GLsizeiptr>(bytes), destination);
  }
  detail::check(gl, "glGetBufferSubData");
}

}  // namespace cuda_interop::opengl
