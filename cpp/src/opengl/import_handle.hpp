// SPDX-License-Identifier: Apache-2.0
#pragma once
// Giving GL a share's OS handle: which GL handle type it is, and an fd that GL may keep. Private.

#include <functional>
#include <string>

#include "cuda_interop/share.hpp"
#include "functions.hpp"

namespace cuda_interop::opengl::detail {

/// The GL_HANDLE_TYPE_*_EXT of a memory share, and the extension that imports it;
/// NotSupported for the types GL cannot import.
struct GlHandleType {
  gl::GLenum type;
  const char* extension;
};
GlHandleType gl_memory_handle_type(MemoryHandleType type);
GlHandleType gl_semaphore_handle_type(SemaphoreHandleType type);

/// Runs `import(fd_or_handle)` with what GL should be given for `handle`: a duplicate of an fd,
/// which GL owns once the import succeeded (and which is closed here when GL refused it), or the
/// NT handle itself (GL never takes those). The share keeps its own handle either way.
void give_handle(const SharedHandle& handle, const std::function<void(void* nt_handle, int fd)>& import);

/// The share's device must be one the context renders on, when both say which.
void check_same_device(const DeviceIdentity& device, const char* what);

}  // namespace cuda_interop::opengl::detail
