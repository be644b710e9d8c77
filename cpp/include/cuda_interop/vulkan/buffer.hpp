// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Exportable device-local Vulkan buffers and buffers bound to imported memory.

#include <cstdint>
#include <memory>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::vulkan {

struct BufferResource;

/// What importing a buffer's memory needs: for opaque handles Vulkan requires the exporter's
/// allocation size and memory type, and a dedicated import when the export was dedicated.
struct BufferImportDesc {
  std::uint64_t size = 0;             ///< the buffer's byte size
  std::uint64_t allocation_size = 0;  ///< VkMemoryRequirements::size of the exported memory
  std::uint32_t memory_type_index = 0;
  bool dedicated = false;
};

/// A VkBuffer bound at offset 0 to its own VkDeviceMemory, which is exportable. Move-only; the
/// empty (closed) state throws ClosedError on use. Work queued on it keeps it alive until done.
class Buffer {
 public:
  Buffer() noexcept = default;
  explicit Buffer(std::shared_ptr<BufferResource> resource) noexcept;
  ~Buffer();
  Buffer(Buffer&&) noexcept = default;
  Buffer& operator=(Buffer&&) noexcept = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// Releases this handle; idempotent, never throws.
  void close() noexcept;
  bool closed() const noexcept { return !resource_; }

  /// The buffer's byte size.
  std::uint64_t size() const;
  /// The memory's size: what CUDA must be given at import (>= size()).
  std::uint64_t allocation_size() const;
  /// Whether the memory is a dedicated allocation (import it into CUDA with the dedicated flag).
  bool dedicated() const;
  std::uint32_t memory_type_index() const;
  /// Whether the memory was imported rather than allocated here.
  bool imported() const;
  /// What import_buffer_fd() needs to import this buffer's memory.
  BufferImportDesc import_desc() const;

  /// A share descriptor of the memory for CUDA: a new handle, the allocation size, the
  /// dedicated flag and the device's UUID. `to_cuda()` is ExternalMemory::import of it.
  MemoryShare export_share() const;
#ifndef _WIN32
  /// A new opaque file descriptor for the memory on each call (vkGetMemoryFdKHR); the caller owns it.
  UniqueFd export_fd() const;
#endif
  /// A new NT handle for the memory (vkGetMemoryWin32HandleKHR); NotSupported outside Windows.
  UniqueWin32Handle export_win32() const;

  /// The shared resource (for the implementation and for tests); ClosedError when closed.
  const std::shared_ptr<BufferResource>& resource() const;

 private:
  std::shared_ptr<BufferResource> resource_;
};

}  // namespace cuda_interop::vulkan
