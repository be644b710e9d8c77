// SPDX-License-Identifier: Apache-2.0
#pragma once
// The window-system libraries (EGL, GLX, WGL), found at run time: which OpenGL context is current
// on the calling thread, and the addresses of GL entry points. Nothing links to libGL, libEGL or
// opengl32, and nothing is loaded that the application has not loaded already. Private.

#include <optional>

#include "cuda_interop/opengl/context.hpp"

namespace cuda_interop::opengl::detail {

/// The context current on this thread, looked up in the window-system libraries the process has
/// loaded (EGL first, then GLX; WGL on Windows); nullopt when none is current.
std::optional<ContextId> current_context() noexcept;

/// The address of the GL entry point `name` through `system`'s proc-address query (for core
/// functions that the query does not return, the GL library's own export); nullptr if unknown.
void* proc_address(WindowSystem system, const char* name) noexcept;

}  // namespace cuda_interop::opengl::detail
