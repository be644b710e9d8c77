// SPDX-License-Identifier: Apache-2.0
#include "gl_image.hpp"

#include <cstdio>
#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop::opengl::detail {
namespace {

struct FormatRow {
  gl::GLenum value;
  ChannelKind kind;
  unsigned bits;
  unsigned channels;
};

constexpr ChannelKind U = ChannelKind::Unsigned;
constexpr ChannelKind S = ChannelKind::Signed;
constexpr ChannelKind F = ChannelKind::Float;

// R, RG and RGBA of 8, 16 and 32 bits: what cudaGraphicsGLRegisterImage accepts.
constexpr FormatRow formats[] = {
    {0x8229, U, 8, 1},  {0x822B, U, 8, 2},  {0x8058, U, 8, 4},   // R8 RG8 RGBA8
    {0x8F94, S, 8, 1},  {0x8F95, S, 8, 2},  {0x8F97, S, 8, 4},   // *_SNORM
    {0x8232, U, 8, 1},  {0x8238, U, 8, 2},  {0x8D7C, U, 8, 4},   // R8UI RG8UI RGBA8UI
    {0x8231, S, 8, 1},  {0x8237, S, 8, 2},  {0x8D8E, S, 8, 4},   // R8I RG8I RGBA8I
    {0x822A, U, 16, 1}, {0x822C, U, 16, 2}, {0x805B, U, 16, 4},  // R16 RG16 RGBA16
    {0x8F98, S, 16, 1}, {0x8F99, S, 16, 2}, {0x8F9B, S, 16, 4},  // *16_SNORM
    {0x8234, U, 16, 1}, {0x823A, U, 16, 2}, {0x8D76, U, 16, 4},  // R16UI RG16UI RGBA16UI
    {0x8233, S, 16, 1}, {0x8239, S, 16, 2}, {0x8D88, S, 16, 4},  // R16I RG16I RGBA16I
    {0x822D, F, 16, 1}, {0x822F, F, 16, 2}, {0x881A, F, 16, 4},  // R16F RG16F RGBA16F
    {0x8236, U, 32, 1}, {0x823C, U, 32, 2}, {0x8D70, U, 32, 4},  // R32UI RG32UI RGBA32UI
    {0x8235, S, 32, 1}, {0x823B, S, 32, 2}, {0x8D82, S, 32, 4},  // R32I RG32I RGBA32I
    {0x822E, F, 32, 1}, {0x8230, F, 32, 2}, {0x8814, F, 32, 4},  // R32F RG32F RGBA32F
};

std::string hex(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "0x%04X", value);
  return buffer;
}

gl::GLenum binding_of(gl::GLenum target) {
  switch (target) {
    case gl::TEXTURE_2D: return gl::TEXTURE_BINDING_2D;
    case gl::TEXTURE_2D_ARRAY: return gl::TEXTURE_BINDING_2D_ARRAY;
    case gl::TEXTURE_3D: return gl::TEXTURE_BINDING_3D;
    case gl::TEXTURE_RECTANGLE: return gl::TEXTURE_BINDING_RECTANGLE;
    case gl::TEXTURE_CUBE_MAP: return gl::TEXTURE_BINDING_CUBE_MAP;
    default: return 0;
  }
}

ArrayFormat format_or_throw(gl::GLint internal_format, const std::string& what) {
  std::optional<ArrayFormat> format = array_format_of(static_cast<gl::GLenum>(internal_format));
  if (!format) {
    throw InvalidArgument(what + " has internal format " +
                          hex(static_cast<std::uint32_t>(internal_format)) +
                          ", which CUDA cannot register: use R, RG or RGBA of 8, 16 or 32 bits "
                          "(e.g. GL_RGBA8, GL_RGBA16F, GL_R32F), not RGB, sRGB, depth or "
                          "compressed formats");
  }
  return *format;
}

ImageLayout query_renderbuffer(const Functions& gl, std::uint32_t image) {
  const std::string what = "renderbuffer " + std::to_string(image);
  if (gl.glIsRenderbuffer == nullptr || gl.glIsRenderbuffer(image) == 0) {
    throw InvalidArgument(what + " is not a renderbuffer of the current OpenGL context");
  }
  gl::GLint previous = 0, width = 0, height = 0, internal_format = 0;
  gl.glGetIntegerv(gl::RENDERBUFFER_BINDING, &previous);
  gl.glBindRenderbuffer(gl::RENDERBUFFER, image);
  gl.glGetRenderbufferParameteriv(gl::RENDERBUFFER, gl::RENDERBUFFER_WIDTH, &width);
  gl.glGetRenderbufferParameteriv(gl::RENDERBUFFER, gl::RENDERBUFFER_HEIGHT, &height);
  gl.glGetRenderbufferParameteriv(gl::RENDERBUFFER, gl::RENDERBUFFER_INTERNAL_FORMAT,
                                  &internal_format);
  gl.glBindRenderbuffer(gl::RENDERBUFFER, static_cast<gl::GLuint>(previous));
  if (width <= 0 || height <= 0) throw InvalidArgument(what + " has no storage");
  ImageLayout layout;
  layout.format = format_or_throw(internal_format, what);
  layout.extent = {static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), 0};
  return layout;
}

}  // namespace

std::optional<ArrayFormat> array_format_of(gl::GLenum internal_format) noexcept {
  for (const FormatRow& row : formats) {
    if (row.value == internal_format) return ArrayFormat{row.kind, row.bits, row.channels};
  }
  return std::nullopt;
}

std::string target_name(std::uint32_t target) {
  switch (target) {
    case gl::TEXTURE_2D: return "GL_TEXTURE_2D";
    case gl::TEXTURE_2D_ARRAY: return "GL_TEXTURE_2D_ARRAY";
    case gl::TEXTURE_3D: return "GL_TEXTURE_3D";
    case gl::TEXTURE_RECTANGLE: return "GL_TEXTURE_RECTANGLE";
    case gl::TEXTURE_CUBE_MAP: return "GL_TEXTURE_CUBE_MAP";
    case gl::RENDERBUFFER: return "GL_RENDERBUFFER";
    default: return "target " + hex(target);
  }
}

void check_buffer(const Functions& gl, std::uint32_t buffer) {
  if (buffer == 0 || gl.glIsBuffer == nullptr || gl.glIsBuffer(buffer) == 0) {
    throw InvalidArgument("buffer " + std::to_string(buffer) +
                          " is not a buffer of the current OpenGL context (never created, "
                          "deleted, or of another context)");
  }
}

ImageLayout query_image(const Functions& gl, std::uint32_t image, std::uint32_t target,
                        unsigned array_flags) {
  if (target == gl::RENDERBUFFER) {
    ImageLayout layout = query_renderbuffer(gl, image);
    layout.flags |= array_flags;
    return layout;
  }
  const gl::GLenum binding = binding_of(target);
  if (binding == 0) {
    throw InvalidArgument("target must be GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY, GL_TEXTURE_3D, "
                          "GL_TEXTURE_RECTANGLE, GL_TEXTURE_CUBE_MAP or GL_RENDERBUFFER, got " +
                          hex(target));
  }
  const std::string what = "texture " + std::to_string(image);
  if (image == 0 || gl.glIsTexture(image) == 0) {
    throw InvalidArgument(what + " is not a texture of the current OpenGL context (never "
                          "created, deleted, or of another context)");
  }
  clear_errors(gl);
  gl::GLint previous = 0;
  gl.glGetIntegerv(binding, &previous);
  gl.glBindTexture(target, image);
  if (gl.glGetError() != gl::NO_ERROR) {  // a texture made with another target
    gl.glBindTexture(target, static_cast<gl::GLuint>(previous));
    clear_errors(gl);
    throw InvalidArgument(what + " is not a " + target_name(target) + " texture");
  }
  const gl::GLenum face = target == gl::TEXTURE_CUBE_MAP ? gl::TEXTURE_CUBE_MAP_POSITIVE_X : target;
  gl::GLint width = 0, height = 0, depth = 0, internal_format = 0, immutable = 0, levels = 0;
  gl.glGetTexLevelParameteriv(face, 0, gl::TEXTURE_WIDTH, &width);
  gl.glGetTexLevelParameteriv(face, 0, gl::TEXTURE_HEIGHT, &height);
  gl.glGetTexLevelParameteriv(face, 0, gl::TEXTURE_DEPTH, &depth);
  gl.glGetTexLevelParameteriv(face, 0, gl::TEXTURE_INTERNAL_FORMAT, &internal_format);
  gl.glGetTexParameteriv(target, gl::TEXTURE_IMMUTABLE_FORMAT, &immutable);
  if (immutable != 0) {
    gl.glGetTexParameteriv(target, gl::TEXTURE_IMMUTABLE_LEVELS, &levels);
  } else {  // levels defined one after another from the base
    for (levels = 1; levels < 16; ++levels) {
      gl::GLint level_width = 0;
      gl.glGetTexLevelParameteriv(face, levels, gl::TEXTURE_WIDTH, &level_width);
      if (level_width <= 0) break;
    }
  }
  gl.glBindTexture(target, static_cast<gl::GLuint>(previous));
  clear_errors(gl);
  if (width <= 0 || height <= 0) throw InvalidArgument(what + " has no storage (level 0 is empty)");
  ImageLayout layout;
  layout.format = format_or_throw(internal_format, what);
  const auto w = static_cast<std::uint64_t>(width);
  const auto h = static_cast<std::uint64_t>(height);
  layout.levels = static_cast<unsigned>(levels > 0 ? levels : 1);
  layout.flags = array_flags;
  switch (target) {
    case gl::TEXTURE_2D_ARRAY:
      layout.extent = {w, h, static_cast<std::uint64_t>(depth)};
      layout.flags |= array_layered;
      break;
    case gl::TEXTURE_3D: layout.extent = {w, h, static_cast<std::uint64_t>(depth)}; break;
    case gl::TEXTURE_CUBE_MAP:
      layout.extent = {w, h, 6};
      layout.flags |= array_cubemap;
      break;
    case gl::TEXTURE_RECTANGLE: layout.extent = {w, h, 0}; layout.levels = 1; break;
    default: layout.extent = {w, h, 0}; break;
  }
  return layout;
}

}  // namespace cuda_interop::opengl::detail
