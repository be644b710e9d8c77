// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one import skeleton of memory and semaphores. Private.

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::detail {

#ifndef _WIN32
/// Calls `import(duplicate)` with a duplicate of `fd`, so the caller's fd is never at risk: CUDA
/// owns the duplicate after a successful import; after a failed one the duplicate is closed only
/// if it still refers to the same open file (CUDA closed some on failure, and the number may
/// already belong to another file). Returns CUDA's status.
template <typename Import>
cudaError_t import_duplicate(int fd, Import&& import) {
  const FileIdentity identity = FileIdentity::of(fd);
  UniqueFd copy = UniqueFd::duplicate(fd);
  const cudaError_t status = import(copy.get());
  if (status == cudaSuccess || !(FileIdentity::of(copy.get()) == identity)) {
    (void)copy.release();  // CUDA's now, or no longer ours to close
  }
  return status;
}
#endif

inline void set_nvsci(cudaExternalMemoryHandleDesc& desc, void* object) {
  desc.handle.nvSciBufObject = object;
}
inline void set_nvsci(cudaExternalSemaphoreHandleDesc& desc, void* object) {
  desc.handle.nvSciSyncObj = object;
}

inline std::string describe_extra(const MemoryShare& share) {
  return ", size " + std::to_string(share.size);
}
inline std::string describe_extra(const SemaphoreShare&) { return {}; }

/// Validates `share`, resolves the device it is imported on, puts its handle into CUDA's `desc`
/// and calls `import(desc)` with that device current. Throws CudaError naming `call` and what
/// was imported on failure; returns the device.
template <typename Share, typename Desc, typename Import>
int import_share(const Share& share, int device, Desc& desc, const char* call, Import&& import) {
  share.validate();
  const int ordinal = resolve_device(device, share.device.uuid, share.device.luid);
  const SharedHandle& handle = share.handle;
  const auto run = [&]() {
    DeviceGuard guard(ordinal);
    return import(desc);
  };
  cudaError_t status = cudaSuccess;
  switch (handle.kind()) {
    case SharedHandle::Kind::Fd:
#ifndef _WIN32
      status = import_duplicate(static_cast<int>(handle.value()), [&](int duplicate) {
        desc.handle.fd = duplicate;
        return run();
      });
#endif
      break;
    case SharedHandle::Kind::Name:
      desc.handle.win32.name = handle.name().c_str();  // UTF-16, NUL-terminated
      status = run();
      break;
    case SharedHandle::Kind::Address:
      if (form_of(share.type) == HandleForm::NvSciObject) {
        set_nvsci(desc, reinterpret_cast<void*>(handle.value()));
        status = run();
        break;
      }
      [[fallthrough]];
    case SharedHandle::Kind::Win32:
      desc.handle.win32.handle = reinterpret_cast<void*>(handle.value());
      status = run();
      break;
    case SharedHandle::Kind::Empty: break;  // refused by validate()
  }
  if (status != cudaSuccess) {
    check_cuda(status, call,
               std::string(to_string(share.type)) + describe_extra(share) + ", device " +
                   std::to_string(ordinal) +
                   (handle.kind() == SharedHandle::Kind::Name ? ", by name" : ""));
  }
  return ordinal;
}

/// With a caller's handle in `share`: closes it after a successful import when it was given with
/// ownership, and gives it back untouched (still the caller's) after a failed one.
template <typename Share, typename Import>
auto import_caller_handle(Share& share, Import&& import) {
  try {
    auto imported = import(share);
    share.handle.close();
    return imported;
  } catch (...) {
    (void)share.handle.release();
    throw;
  }
}

}  // namespace cuda_interop::detail
