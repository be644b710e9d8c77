// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "cuda_interop/error.hpp"
#include "cuda_interop/opengl/memory.hpp"
#include "objects.hpp"

namespace cuda_interop::opengl {
namespace detail {

TextureState::~TextureState() {
  destroy("texture", [](const Functions& f, gl::GLuint n) { f.glDeleteTextures(1, &n); });
}

namespace {

gl::GLenum binding_of(gl::GLenum target) {
  switch (target) {
    case gl::TEXTURE_2D: return gl::TEXTURE_BINDING_2D;
    case gl::TEXTURE_2D_ARRAY: return gl::TEXTURE_BINDING_2D_ARRAY;
    default: return gl::TEXTURE_BINDING_3D;
  }
}

// Binds a texture for a scope on the active unit and restores the application's binding.
class TextureBinding {
 public:
  TextureBinding(const Functions& gl, gl::GLenum target, gl::GLuint texture)
      : gl_(gl), target_(target) {
    gl_.glGetIntegerv(binding_of(target), &previous_);
    gl_.glBindTexture(target, texture);
  }
  ~TextureBinding() { gl_.glBindTexture(target_, static_cast<gl::GLuint>(previous_)); }
  TextureBinding(const TextureBinding&) = delete;
  TextureBinding& operator=(const TextureBinding&) = delete;

 private:
  const Functions& gl_;
  gl::GLenum target_;
  gl::GLint previous_ = 0;
};

unsigned full_chain(std::uint32_t width, std::uint32_t height, std::uint32_t depth) {
  std::uint32_t largest = width > height ? width : height;
  if (depth > largest) largest = depth;
  unsigned levels = 1;
  while (largest > 1) {
    largest >>= 1;
    ++levels;
  }
  return levels;
}

}  // namespace
}  // namespace detail

void TextureDesc::validate() const {
  if (target != gl::TEXTURE_2D && target != gl::TEXTURE_2D_ARRAY && target != gl::TEXTURE_3D) {
    throw InvalidArgument("target must be GL_TEXTURE_2D (0x0DE1), GL_TEXTURE_2D_ARRAY (0x8C1A) or "
                          "GL_TEXTURE_3D (0x806F), got " + std::to_string(target));
  }
  if (internal_format == 0) throw InvalidArgument("internal_format must be a sized GL format");
  const std::uint32_t limit = 1u << 16;
  if (width == 0 || height == 0 || width > limit || height > limit) {
    throw InvalidArgument("width and height must be in [1, 65536], got " + std::to_string(width) +
                          " x " + std::to_string(height));
  }
  if (depth == 0 || depth > limit || (target == gl::TEXTURE_2D && depth != 1)) {
    throw InvalidArgument("depth must be 1 for GL_TEXTURE_2D and in [1, 65536] otherwise, got " +
                          std::to_string(depth));
  }
  const std::uint32_t shrinking = target == gl::TEXTURE_3D ? depth : 1;
  const unsigned most = detail::full_chain(width, height, shrinking);
  if (levels == 0 || levels > most) {
    throw InvalidArgument("levels must be in [1, " + std::to_string(most) + "] for " +
                          std::to_string(width) + " x " + std::to_string(height) + ", got " +
                          std::to_string(levels));
  }
}

Texture Texture::create(const MemoryObject& memory, const TextureDesc& desc) {
  const detail::MemoryObjectState& owner = *memory.state();
  desc.validate();
  detail::require_current(owner.context, "the memory object");
  if (desc.offset >= owner.size) {
    throw InvalidArgument("offset " + std::to_string(desc.offset) + " is not inside the " +
                          std::to_string(owner.size) + "-byte memory object");
  }
  const detail::Functions& gl = *owner.gl;
  detail::clear_errors(gl);
  gl::GLuint name = 0;
  gl.glGenTextures(1, &name);
  detail::check(gl, "glGenTextures");
  auto state = std::make_shared<detail::TextureState>(owner.context, owner.gl, name);
  state->desc = desc;
  state->memory = memory;
  const char* call = desc.target == gl::TEXTURE_2D ? "glTexStorageMem2DEXT" : "glTexStorageMem3DEXT";
  {
    detail::TextureBinding binding(gl, desc.target, name);
    gl.glTexParameteri(desc.target, gl::TEXTURE_TILING_EXT,
                       static_cast<gl::GLint>(desc.linear_tiling ? gl::LINEAR_TILING_EXT
                                                                 : gl::OPTIMAL_TILING_EXT));
    detail::check(gl, "glTexParameteri", "GL_TEXTURE_TILING_EXT");
    const auto levels = static_cast<gl::GLsizei>(desc.levels);
    const auto width = static_cast<gl::GLsizei>(desc.width);
    const auto height = static_cast<gl::GLsizei>(desc.height);
    if (desc.target == gl::TEXTURE_2D) {
      gl.glTexStorageMem2DEXT(desc.target, levels, desc.internal_format, width, height, owner.name,
                              desc.offset);
    } else {
      gl.glTexStorageMem3DEXT(desc.target, levels, desc.internal_format, width, height,
                              static_cast<gl::GLsizei>(desc.depth), owner.name, desc.offset);
    }
  }
  detail::check(gl, call,
                std::to_string(desc.width) + " x " + std::to_string(desc.height) + " x " +
                    std::to_string(desc.depth) + ", " + std::to_string(desc.levels) +
                    " level(s), internal format " + std::to_string(desc.internal_format) +
                    " on a " + std::to_string(owner.size) + "-byte memory object");
  return Texture(std::move(state));
}

const detail::TextureState& Texture::live() const {
  if (!state_) throw ClosedError("opengl.Texture is closed");
  return *state_;
}
std::uint32_t Texture::name() const { return live().name; }
const TextureDesc& Texture::desc() const { return live().desc; }
const MemoryObject& Texture::memory() const { return live().memory; }

}  // namespace cuda_interop::opengl
