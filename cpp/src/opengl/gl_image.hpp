// SPDX-License-Identifier: Apache-2.0
#pragma once
// What GL says of the application's objects before CUDA registers them: that the name exists,
// its target, and for images the format, extent and levels as CUDA will map them. Private.

#include <cstdint>
#include <optional>

#include "cuda_interop/array_format.hpp"
#include "functions.hpp"

namespace cuda_interop::opengl::detail {

/// The CUDA element format of a GL sized internal format; nullopt for the formats CUDA cannot
/// register (RGB, depth, compressed, sRGB ...).
std::optional<ArrayFormat> array_format_of(gl::GLenum internal_format) noexcept;

/// InvalidArgument unless `buffer` names a buffer object of the current context.
void check_buffer(const Functions& gl, std::uint32_t buffer);

/// The layout of texture or renderbuffer `image` bound as `target` (CUDA's extent convention,
/// LAYERED/CUBEMAP flags, plus `array_flags`). InvalidArgument for a name that is not such an
/// image of the current context, a target it was not made with, no storage, or a format CUDA
/// cannot register (named). Restores the application's bindings.
ImageLayout query_image(const Functions& gl, std::uint32_t image, std::uint32_t target,
                        unsigned array_flags);

/// "GL_TEXTURE_2D" and the others this package registers; "target 0x..." otherwise.
std::string target_name(std::uint32_t target);

}  // namespace cuda_interop::opengl::detail
