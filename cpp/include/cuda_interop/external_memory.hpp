// SPDX-License-Identifier: Apache-2.0
#pragma once
/// ExternalMemory: a graphics API's (or another process's) memory object imported into CUDA.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cuda_interop/array_format.hpp"
#include "cuda_interop/device_span.hpp"
#include "cuda_interop/handle_types.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop {

namespace detail {
struct ExternalMemoryState;
}
class MappedMipmappedArray;

/// Owns an import (cudaExternalMemory_t). Move-only; empty once closed or moved from.
/// The import is mapped once, whole, on first use; map_buffer() hands out views of that mapping,
/// so any offset works on any import (CUDA itself refuses offsets on dedicated imports) and a
/// repeated map costs nothing. Mappings and views keep what they need alive: the memory is
/// destroyed (cudaDestroyExternalMemory, on its device, after every mapping is freed) when the
/// last of them goes, and never by a forked child.
class ExternalMemory {
 public:
  ExternalMemory() noexcept;
  ~ExternalMemory();
  ExternalMemory(ExternalMemory&&) noexcept;
  ExternalMemory& operator=(ExternalMemory&&) noexcept;
  ExternalMemory(const ExternalMemory&) = delete;
  ExternalMemory& operator=(const ExternalMemory&) = delete;

  /// Imports what `share` describes on `device` (< 0: the device the share names, else the
  /// current one). The share keeps its handle: CUDA is given a duplicate of a file descriptor
  /// and never takes an NT handle, so the share may be imported again or closed afterwards.
  static ExternalMemory import(const MemoryShare& share, int device = -1);

  /// The caller-handle forms of import(). The handle stays the caller's unless
  /// `take_ownership`, and then it is closed after a successful import only.
  static ExternalMemory import_fd(int fd, std::uint64_t size, bool dedicated, int device,
                                  bool take_ownership);
  static ExternalMemory import_win32_handle(MemoryHandleType type, void* handle, std::uint64_t size,
                                            bool dedicated, int device, bool take_ownership);
  static ExternalMemory import_win32_name(MemoryHandleType type, const std::u16string& name,
                                          std::uint64_t size, bool dedicated, int device);
  static ExternalMemory import_nvscibuf(void* object, std::uint64_t size, int device);

  /// [offset, offset + size) of the import as linear device memory; size 0 means the rest.
  DeviceSpan map_buffer(std::uint64_t offset = 0, std::uint64_t size = 0) const;
  /// Whether the whole mapping exists (map_buffer() then costs no CUDA call).
  bool mapped() const;
  /// The image as a CUDA mipmapped array; the same layout maps once and is shared.
  MappedMipmappedArray map_mipmapped_array(const ImageLayout& layout) const;
  /// The layout of an imported image, when the share described one.
  std::optional<ImageLayout> image() const;

  /// Drops this owner's reference; idempotent. Mappings and views keep the memory alive.
  void close() noexcept;
  bool closed() const noexcept { return state_ == nullptr; }

  int device() const;
  std::uint64_t size() const;
  MemoryHandleType handle_type() const;
  bool dedicated() const;
  /// The raw cudaExternalMemory_t, for libraries that take one. Valid while this object lives.
  void* native_handle() const;

 private:
  const detail::ExternalMemoryState& live() const;

  std::shared_ptr<detail::ExternalMemoryState> state_;
};

}  // namespace cuda_interop
