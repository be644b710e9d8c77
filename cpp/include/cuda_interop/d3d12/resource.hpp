// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Direct3D 12 resources CUDA can import: committed buffers and 2D textures made with
/// D3D12_HEAP_FLAG_SHARED (imported as cudaExternalMemoryHandleTypeD3D12Resource, dedicated), and
/// buffers placed in a shared heap (the heap is what CUDA imports). Windows only.

#include <d3d12.h>
#include <wrl/client.h>

#include <cstdint>
#include <memory>
#include <string>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::d3d12 {

namespace detail {
struct DeviceState;
}
class Device;
class Heap;

/// What create_committed_texture2d makes.
struct Texture2DDesc {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  DXGI_FORMAT format = DXGI_FORMAT_R8G8B8A8_UNORM;
  std::uint16_t mip_levels = 1;
  std::uint16_t array_size = 1;
  /// Simultaneous access lets CUDA and Direct3D 12 use the texture without layout transitions
  /// (a shared texture cannot be transitioned on CUDA's side). It is invalid with
  /// ALLOW_DEPTH_STENCIL; clear it for depth formats.
  D3D12_RESOURCE_FLAGS flags = D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS;
};

/// Owner of an ID3D12Resource (buffer or 2D texture), created in state COMMON.
/// Move-only; an empty (moved-from or closed) resource throws ClosedError when used.
class Resource {
 public:
  Resource() noexcept = default;
  Resource(Resource&&) noexcept = default;
  Resource& operator=(Resource&&) noexcept = default;
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;
  ~Resource() = default;

  bool is_buffer() const;
  bool is_texture() const { return !is_buffer(); }
  /// Placed in a Heap (share and import the heap) rather than committed (share and import the
  /// resource, with cudaExternalMemoryDedicated).
  bool placed() const;
  /// Offset in its heap for a placed buffer; 0 for a committed resource.
  std::uint64_t heap_offset() const;
  /// Size of the heap a placed buffer lives in (what CUDA imports); 0 for a committed resource.
  std::uint64_t heap_size() const;

  /// Bytes of a buffer; for a texture, the bytes of all its subresources with tightly packed rows.
  std::uint64_t size() const;
  /// The size CUDA must be given when importing this committed resource:
  /// GetResourceAllocationInfo(0, 1, &desc).SizeInBytes (at least size()).
  std::uint64_t allocation_size() const;
  /// The description it was created with.
  const D3D12_RESOURCE_DESC& desc() const;
  /// Number of subresources (mip levels x array slices).
  std::uint32_t subresource_count() const;

  /// ID3D12Device::CreateSharedHandle(resource, nullptr, GENERIC_ALL, name): a new NT handle owned
  /// by the caller; an empty name shares without a name. InvalidArgument for a placed resource
  /// (share its heap) or a name longer than MAX_PATH; HResultError naming CreateSharedHandle when
  /// the runtime refuses.
  UniqueWin32Handle share(const std::wstring& name = {}) const;

  /// For a placed buffer: CreateSharedHandle on the heap it lives in (import that heap, then map
  /// at heap_offset()). InvalidArgument for a committed resource.
  UniqueWin32Handle share_heap(const std::wstring& name = {}) const;

  /// A share descriptor for CUDA: a committed resource as a dedicated D3D12 resource of
  /// allocation_size() (a texture with its image layout), a placed buffer as its whole heap; by a
  /// new NT handle or by `name` (with the handle that keeps the name alive); the adapter's LUID.
  MemoryShare export_share(const std::wstring& name = {}) const;

  /// The ID3D12Resource, borrowed.
  ID3D12Resource* native() const;

  /// Releases this reference to the resource. Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return resource_ == nullptr; }

  /// The device state it was made on (used by the transfer functions).
  const std::shared_ptr<detail::DeviceState>& device_state() const;

 private:
  friend class Device;
  friend class Heap;
  Resource(std::shared_ptr<detail::DeviceState> device, Microsoft::WRL::ComPtr<ID3D12Resource> resource,
           const D3D12_RESOURCE_DESC& desc, std::uint64_t size, std::uint64_t allocation_size,
           Microsoft::WRL::ComPtr<ID3D12Heap> heap, std::uint64_t heap_offset,
           std::uint64_t heap_size) noexcept;
  void check_open() const;

  std::shared_ptr<detail::DeviceState> device_;
  Microsoft::WRL::ComPtr<ID3D12Resource> resource_;
  D3D12_RESOURCE_DESC desc_{};
  std::uint64_t size_ = 0;
  std::uint64_t allocation_size_ = 0;
  /// A placed buffer holds its heap: the heap's memory must outlive the resource.
  Microsoft::WRL::ComPtr<ID3D12Heap> heap_;
  std::uint64_t heap_offset_ = 0;
  std::uint64_t heap_size_ = 0;
};

}  // namespace cuda_interop::d3d12
