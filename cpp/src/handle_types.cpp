// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/handle_types.hpp"

#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop {

const char* to_string(MemoryHandleType type) noexcept {
  switch (type) {
    case MemoryHandleType::OpaqueFd: return "cudaExternalMemoryHandleTypeOpaqueFd";
    case MemoryHandleType::OpaqueWin32: return "cudaExternalMemoryHandleTypeOpaqueWin32";
    case MemoryHandleType::OpaqueWin32Kmt: return "cudaExternalMemoryHandleTypeOpaqueWin32Kmt";
    case MemoryHandleType::D3D12Heap: return "cudaExternalMemoryHandleTypeD3D12Heap";
    case MemoryHandleType::D3D12Resource: return "cudaExternalMemoryHandleTypeD3D12Resource";
    case MemoryHandleType::D3D11Resource: return "cudaExternalMemoryHandleTypeD3D11Resource";
    case MemoryHandleType::D3D11ResourceKmt: return "cudaExternalMemoryHandleTypeD3D11ResourceKmt";
    case MemoryHandleType::NvSciBuf: return "cudaExternalMemoryHandleTypeNvSciBuf";
  }
  return "unknown cudaExternalMemoryHandleType";
}

const char* to_string(SemaphoreHandleType type) noexcept {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd: return "cudaExternalSemaphoreHandleTypeOpaqueFd";
    case SemaphoreHandleType::OpaqueWin32: return "cudaExternalSemaphoreHandleTypeOpaqueWin32";
    case SemaphoreHandleType::OpaqueWin32Kmt: return "cudaExternalSemaphoreHandleTypeOpaqueWin32Kmt";
    case SemaphoreHandleType::D3D12Fence: return "cudaExternalSemaphoreHandleTypeD3D12Fence";
    case SemaphoreHandleType::D3D11Fence: return "cudaExternalSemaphoreHandleTypeD3D11Fence";
    case SemaphoreHandleType::NvSciSync: return "cudaExternalSemaphoreHandleTypeNvSciSync";
    case SemaphoreHandleType::KeyedMutex: return "cudaExternalSemaphoreHandleTypeKeyedMutex";
    case SemaphoreHandleType::KeyedMutexKmt: return "cudaExternalSemaphoreHandleTypeKeyedMutexKmt";
    case SemaphoreHandleType::TimelineSemaphoreFd:
      return "cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd";
    case SemaphoreHandleType::TimelineSemaphoreWin32:
      return "cudaExternalSemaphoreHandleTypeTimelineSemaphoreWin32";
  }
  return "unknown cudaExternalSemaphoreHandleType";
}

void check_known(MemoryHandleType type) {
  if (type < MemoryHandleType::OpaqueFd || type > MemoryHandleType::NvSciBuf) {
    throw InvalidArgument("unknown cudaExternalMemoryHandleType " +
                          std::to_string(static_cast<int>(type)));
  }
}

void check_known(SemaphoreHandleType type) {
  if (type < SemaphoreHandleType::OpaqueFd || type > SemaphoreHandleType::TimelineSemaphoreWin32) {
    throw InvalidArgument("unknown cudaExternalSemaphoreHandleType " +
                          std::to_string(static_cast<int>(type)));
  }
}

HandleForm form_of(MemoryHandleType type) noexcept {
  switch (type) {
    case MemoryHandleType::OpaqueFd: return HandleForm::Fd;
    case MemoryHandleType::OpaqueWin32Kmt:
    case MemoryHandleType::D3D11ResourceKmt: return HandleForm::KmtHandle;
    case MemoryHandleType::NvSciBuf: return HandleForm::NvSciObject;
    default: return HandleForm::NtHandle;
  }
}

HandleForm form_of(SemaphoreHandleType type) noexcept {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd:
    case SemaphoreHandleType::TimelineSemaphoreFd: return HandleForm::Fd;
    case SemaphoreHandleType::OpaqueWin32Kmt:
    case SemaphoreHandleType::KeyedMutexKmt: return HandleForm::KmtHandle;
    case SemaphoreHandleType::NvSciSync: return HandleForm::NvSciObject;
    default: return HandleForm::NtHandle;
  }
}

SemaphoreKind kind_of(SemaphoreHandleType type) noexcept {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd:
    case SemaphoreHandleType::OpaqueWin32:
    case SemaphoreHandleType::OpaqueWin32Kmt: return SemaphoreKind::Binary;
    case SemaphoreHandleType::KeyedMutex:
    case SemaphoreHandleType::KeyedMutexKmt: return SemaphoreKind::KeyedMutex;
    case SemaphoreHandleType::NvSciSync: return SemaphoreKind::NvSciSync;
    default: return SemaphoreKind::Fence;
  }
}

bool requires_dedicated(MemoryHandleType type) noexcept {
  return type == MemoryHandleType::D3D12Resource || type == MemoryHandleType::D3D11Resource ||
         type == MemoryHandleType::D3D11ResourceKmt;
}

bool platform_has(HandleForm form) noexcept {
  switch (form) {
#ifdef _WIN32
    case HandleForm::Fd: return false;
    case HandleForm::NtHandle:
    case HandleForm::KmtHandle: return true;
#else
    case HandleForm::Fd: return true;
    case HandleForm::NtHandle:
    case HandleForm::KmtHandle: return false;
#endif
    case HandleForm::NvSciObject:
#if defined(__linux__) && defined(__aarch64__)
      return true;
#else
      return false;
#endif
  }
  return false;
}

}  // namespace cuda_interop
