// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The kinds of OS handle CUDA imports, with CUDA's values, and what each kind implies.

#include <cstddef>

namespace cuda_interop {

/// Mirrors cudaExternalMemoryHandleType; values are CUDA's.
enum class MemoryHandleType : int {
  OpaqueFd = 1,
  OpaqueWin32 = 2,
  OpaqueWin32Kmt = 3,
  D3D12Heap = 4,
  D3D12Resource = 5,
  D3D11Resource = 6,
  D3D11ResourceKmt = 7,
  NvSciBuf = 8,
};

/// Mirrors cudaExternalSemaphoreHandleType; values are CUDA's.
enum class SemaphoreHandleType : int {
  OpaqueFd = 1,
  OpaqueWin32 = 2,
  OpaqueWin32Kmt = 3,
  D3D12Fence = 4,
  D3D11Fence = 5,
  NvSciSync = 6,
  KeyedMutex = 7,
  KeyedMutexKmt = 8,
  TimelineSemaphoreFd = 9,
  TimelineSemaphoreWin32 = 10,
};

/// What a semaphore's signal or wait value means.
enum class SemaphoreKind { Binary, Fence, KeyedMutex, NvSciSync };

/// How a handle of a type is passed: a file descriptor, a Windows handle that holds a reference
/// (an NT handle, also openable by name), a KMT handle (global, holds no reference, never closed),
/// or the address of an NvSci object (owned by the application).
enum class HandleForm { Fd, NtHandle, KmtHandle, NvSciObject };

/// CUDA's name of the type, e.g. "cudaExternalMemoryHandleTypeD3D12Heap".
const char* to_string(MemoryHandleType type) noexcept;
const char* to_string(SemaphoreHandleType type) noexcept;

/// InvalidArgument unless `type` is one of CUDA's handle types (e.g. a value read from a peer).
void check_known(MemoryHandleType type);
void check_known(SemaphoreHandleType type);

HandleForm form_of(MemoryHandleType type) noexcept;
HandleForm form_of(SemaphoreHandleType type) noexcept;
SemaphoreKind kind_of(SemaphoreHandleType type) noexcept;
/// Types that CUDA imports only with cudaExternalMemoryDedicated (committed resources).
bool requires_dedicated(MemoryHandleType type) noexcept;
/// Whether this build's platform has handles of this form (fds on POSIX, the others on Windows,
/// NvSci objects on aarch64 Linux).
bool platform_has(HandleForm form) noexcept;

/// Longest name CUDA and Win32 accept for a named shared handle (MAX_PATH, without the NUL).
inline constexpr std::size_t max_win32_name_length = 260;

}  // namespace cuda_interop
