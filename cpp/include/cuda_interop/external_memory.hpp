// SPDX-License-Identifier: Apache-2.0
#pragma once
/// ExternalMemory: a graphics API's (or another process's) memory object imported into CUDA.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

/// CUDA's name of the handle type, e.g. "cudaExternalMemoryHandleTypeD3D12Heap".
const char* to_string(MemoryHandleType type) noexcept;
/// Windows handle types (NT or KMT).
bool is_win32(MemoryHandleType type) noexcept;
/// KMT handles: global D3D handles that hold no reference and are never closed with CloseHandle.
bool is_kmt(MemoryHandleType type) noexcept;
/// Types that CUDA imports only with cudaExternalMemoryDedicated (committed resources).
bool requires_dedicated(MemoryHandleType type) noexcept;

/// Longest name CUDA and Win32 accept for a named shared handle (MAX_PATH, without the NUL).
inline constexpr std::size_t max_win32_name_length = 260;

namespace detail {
struct ExternalMemoryState;
}
class MappedBuffer;
class MappedMipmappedArray;
struct ArrayFormat;
struct Extent;

/// Owns a cudaExternalMemory_t. Move-only; empty once closed or moved from.
/// Every mapping made from it shares its state: the memory is destroyed (cudaDestroyExternalMemory,
/// on its device) only after the last mapping has been freed, and never by a forked child.
class ExternalMemory {
 public:
  ExternalMemory() noexcept = default;

  /// Imports an opaque POSIX file descriptor. The caller's `fd` is duplicated first and CUDA
  /// receives the duplicate; with `take_ownership` the caller's fd is closed after a successful
  /// import only. `device` < 0 means the current device.
  static ExternalMemory import_fd(int fd, std::uint64_t size, bool dedicated, int device,
                                  bool take_ownership);
  /// Imports a Windows handle of `type` (NT handle or KMT handle). NT handles stay open unless
  /// `take_ownership`, in which case they are closed after a successful import.
  static ExternalMemory import_win32_handle(MemoryHandleType type, void* handle, std::uint64_t size,
                                            bool dedicated, int device, bool take_ownership);
  /// Imports a named NT handle of `type` (UTF-16 name, at most max_win32_name_length).
  static ExternalMemory import_win32_name(MemoryHandleType type, const std::u16string& name,
                                          std::uint64_t size, bool dedicated, int device);
  /// Imports an NvSciBufObj (Tegra/DRIVE platforms only; NotSupported elsewhere).
  static ExternalMemory import_nvscibuf(void* object, std::uint64_t size, int device);

  /// Maps [offset, offset + size) as linear device memory; size 0 maps the rest.
  MappedBuffer map_buffer(std::uint64_t offset, std::uint64_t size = 0) const;
  /// Maps a CUDA mipmapped array whose base level starts at `offset`.
  MappedMipmappedArray map_mipmapped_array(const ArrayFormat& format, const Extent& extent,
                                           unsigned levels, unsigned flags,
                                           std::uint64_t offset = 0) const;

  /// Drops this owner's reference; idempotent. Mappings keep the memory alive.
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

  int device() const;
  std::uint64_t size() const;
  MemoryHandleType handle_type() const;
  bool dedicated() const;
  /// The raw cudaExternalMemory_t, for libraries that take one. Valid while this object lives.
  void* native_handle() const;

 private:
  explicit ExternalMemory(std::shared_ptr<detail::ExternalMemoryState> state) noexcept
      : state_(std::move(state)) {}
  const detail::ExternalMemoryState& live() const;
  friend struct detail::ExternalMemoryState;

  std::shared_ptr<detail::ExternalMemoryState> state_;
};

}  // namespace cuda_interop
