// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A shareable Direct3D 12 heap (D3D12_HEAP_FLAG_SHARED) and the buffers placed in it. CUDA imports
/// the heap as cudaExternalMemoryHandleTypeD3D12Heap with the heap's size. Windows only.

#include <d3d12.h>
#include <wrl/client.h>

#include <cstdint>
#include <memory>
#include <string>

#include "cuda_interop/d3d12/resource.hpp"
#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::d3d12 {

namespace detail {
struct DeviceState;
}
class Device;

/// Owner of an ID3D12Heap. Move-only; an empty (moved-from or closed) heap throws ClosedError.
class Heap {
 public:
  /// Size and placement alignment of heaps and of buffers placed in them.
  static constexpr std::uint64_t alignment = 64 * 1024;

  Heap() noexcept = default;
  Heap(Heap&&) noexcept = default;
  Heap& operator=(Heap&&) noexcept = default;
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;
  ~Heap() = default;

  /// The heap's size in bytes, a multiple of 64 KiB.
  std::uint64_t size() const;
  /// The size CUDA must be given when importing the heap: the heap's size.
  std::uint64_t allocation_size() const { return size(); }
  /// The heap flags, D3D12_HEAP_FLAG_SHARED included.
  D3D12_HEAP_FLAGS flags() const;

  /// A buffer of `size` bytes at `offset` (a multiple of 64 KiB) in this heap, in state COMMON.
  /// It keeps the heap alive. InvalidArgument when it does not fit.
  Resource create_placed_buffer(std::uint64_t offset, std::uint64_t size,
                                D3D12_RESOURCE_FLAGS flags = D3D12_RESOURCE_FLAG_NONE) const;

  /// ID3D12Device::CreateSharedHandle(heap, nullptr, GENERIC_ALL, name): a new NT handle owned by
  /// the caller. An empty name shares without a name. HResultError naming CreateSharedHandle on
  /// failure; InvalidArgument for a name longer than MAX_PATH characters.
  UniqueWin32Handle share(const std::wstring& name = {}) const;

  /// A share descriptor for CUDA: the heap by a new NT handle (or by `name`, with the handle that
  /// keeps the name alive), its size, not dedicated, and the adapter's LUID.
  MemoryShare export_share(const std::wstring& name = {}) const;

  /// The ID3D12Heap, borrowed.
  ID3D12Heap* native() const;

  /// Releases this reference to the heap (placed buffers keep it alive). Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return heap_ == nullptr; }

 private:
  friend class Device;
  Heap(std::shared_ptr<detail::DeviceState> device, Microsoft::WRL::ComPtr<ID3D12Heap> heap,
       std::uint64_t size, D3D12_HEAP_FLAGS flags) noexcept;

  std::shared_ptr<detail::DeviceState> device_;
  Microsoft::WRL::ComPtr<ID3D12Heap> heap_;
  std::uint64_t size_ = 0;
  D3D12_HEAP_FLAGS flags_ = D3D12_HEAP_FLAG_NONE;
};

}  // namespace cuda_interop::d3d12
