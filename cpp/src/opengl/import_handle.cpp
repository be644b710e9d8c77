// SPDX-License-Identifier: Apache-2.0
#include "import_handle.hpp"

#include <algorithm>

#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"

namespace cuda_interop::opengl::detail {
namespace {

std::string hex(const Uuid& uuid) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t byte : uuid) {
    text += digits[byte >> 4];
    text += digits[byte & 15];
  }
  return text;
}

}  // namespace

GlHandleType gl_memory_handle_type(MemoryHandleType type) {
  switch (type) {
    case MemoryHandleType::OpaqueFd: return {0x9586, "GL_EXT_memory_object_fd"};
    case MemoryHandleType::OpaqueWin32: return {0x9587, "GL_EXT_memory_object_win32"};
    case MemoryHandleType::OpaqueWin32Kmt: return {0x9588, "GL_EXT_memory_object_win32"};
    case MemoryHandleType::D3D12Heap: return {0x9589, "GL_EXT_memory_object_win32"};
    case MemoryHandleType::D3D12Resource: return {0x958A, "GL_EXT_memory_object_win32"};
    case MemoryHandleType::D3D11Resource: return {0x958B, "GL_EXT_memory_object_win32"};
    case MemoryHandleType::D3D11ResourceKmt: return {0x958C, "GL_EXT_memory_object_win32"};
    default: break;
  }
  throw NotSupported(std::string("OpenGL cannot import memory of type ") + to_string(type));
}

GlHandleType gl_semaphore_handle_type(SemaphoreHandleType type) {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd:
    case SemaphoreHandleType::TimelineSemaphoreFd: return {0x9586, "GL_EXT_semaphore_fd"};
    case SemaphoreHandleType::OpaqueWin32:
    case SemaphoreHandleType::TimelineSemaphoreWin32: return {0x9587, "GL_EXT_semaphore_win32"};
    case SemaphoreHandleType::OpaqueWin32Kmt: return {0x9588, "GL_EXT_semaphore_win32"};
    case SemaphoreHandleType::D3D12Fence: return {0x9594, "GL_EXT_semaphore_win32"};
    default: break;
  }
  throw NotSupported(std::string("OpenGL cannot import semaphores of type ") + to_string(type));
}

void give_handle(const SharedHandle& handle,
                 const std::function<void(void* nt_handle, int fd)>& import) {
#ifdef _WIN32
  if (handle.kind() != SharedHandle::Kind::Win32 && handle.kind() != SharedHandle::Kind::Address) {
    throw InvalidArgument("OpenGL imports NT or KMT handles, not names or file descriptors");
  }
  import(reinterpret_cast<void*>(handle.value()), -1);
#else
  if (handle.kind() != SharedHandle::Kind::Fd) {
    throw InvalidArgument("OpenGL imports file descriptors here; the share holds none");
  }
  UniqueFd copy = UniqueFd::duplicate(static_cast<int>(handle.value()));
  const FileIdentity identity = FileIdentity::of(copy.get());
  try {
    import(nullptr, copy.get());
  } catch (...) {
    // A failed import leaves the fd with us, unless the driver closed it anyway.
    if (!(FileIdentity::of(copy.get()) == identity)) (void)copy.release();
    throw;
  }
  (void)copy.release();  // GL owns it now
#endif
}

void check_same_device(const DeviceIdentity& device, const char* what) {
  if (!device.uuid) return;
  ContextInfo info = current_context_info();
  if (info.device_uuids.empty()) return;  // the context does not say
  if (std::find(info.device_uuids.begin(), info.device_uuids.end(), *device.uuid) !=
      info.device_uuids.end()) {
    return;
  }
  throw InvalidArgument(std::string(what) + " was exported by the device with UUID " +
                        hex(*device.uuid) + ", but the current OpenGL context (" + info.renderer +
                        ") renders on " + hex(info.device_uuids.front()) +
                        ": GL imports memory and semaphores of its own device only");
}

}  // namespace cuda_interop::opengl::detail
