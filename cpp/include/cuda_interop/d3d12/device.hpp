// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The Direct3D 12 device that CUDA shares memory with: the DXGI adapter chosen by LUID (the one
/// CUDA reports for its device), a copy queue for small synchronous transfers, and the factory of
/// shareable heaps, committed resources and fences. Windows only; no CUDA call is made here.

#include <d3d12.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cuda_interop/d3d12/fence.hpp"
#include "cuda_interop/d3d12/heap.hpp"
#include "cuda_interop/d3d12/resource.hpp"
#include "cuda_interop/identity.hpp"
#include "cuda_interop/os_handle.hpp"

namespace cuda_interop::d3d12 {

namespace detail {
struct DeviceState;
}

/// A DXGI adapter as enumerated by IDXGIFactory1::EnumAdapters1.
struct AdapterInfo {
  unsigned index = 0;
  /// DXGI_ADAPTER_DESC1::Description, converted to UTF-8.
  std::string description;
  /// AdapterLuid: LowPart in bytes 0-3, HighPart in bytes 4-7, little endian, as CUDA's
  /// cudaDeviceProp::luid stores it.
  Luid luid{};
  unsigned vendor_id = 0;
  unsigned device_id = 0;
  std::uint64_t dedicated_video_memory = 0;
  /// DXGI_ADAPTER_FLAG_SOFTWARE (e.g. the Microsoft Basic Render Driver).
  bool software = false;
};

/// Every DXGI adapter of this machine, in enumeration order. HResultError if DXGI fails.
std::vector<AdapterInfo> list_adapters();

/// The LUID as 16 hex digits in byte order (as Python's `bytes.hex()` prints CUDA's LUID).
std::string format_luid(const Luid& luid);

/// An ID3D12Device at feature level 11_0 on one adapter, with one copy queue.
/// Move-only; an empty (moved-from or closed) device throws ClosedError when used. Heaps,
/// resources and fences made from it keep its state alive, so closing the device while they live
/// is safe.
class Device {
 public:
  /// The adapter whose LUID equals `luid`. InvalidArgument listing the adapters seen (description
  /// and LUID) when none matches; NotSupported when its device has more than one node (CUDA
  /// requires GetNodeCount() == 1).
  static Device from_luid(const Luid& luid);
  /// The adapter at this EnumAdapters1 index; InvalidArgument when out of range.
  static Device from_adapter_index(unsigned index);

  Device() noexcept = default;
  Device(Device&&) noexcept = default;
  Device& operator=(Device&&) noexcept = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  ~Device() = default;

  /// The adapter the device was created on.
  const AdapterInfo& adapter() const;
  /// ID3D12Device::GetAdapterLuid, as CUDA stores a LUID.
  Luid luid() const;
  /// ID3D12Device::GetNodeCount (always 1 here).
  unsigned node_count() const;

  /// A heap with D3D12_HEAP_FLAG_SHARED in D3D12_HEAP_TYPE_DEFAULT; `size` is rounded up to a
  /// multiple of 64 KiB. `flags` are added to SHARED; the default keeps the heap usable on
  /// resource-heap tier 1 hardware, where a heap holds buffers or textures, not both.
  Heap create_heap(std::uint64_t size,
                   D3D12_HEAP_FLAGS flags = D3D12_HEAP_FLAG_ALLOW_ONLY_BUFFERS) const;
  /// A committed buffer with D3D12_HEAP_FLAG_SHARED in the DEFAULT heap, in state COMMON.
  Resource create_committed_buffer(std::uint64_t size,
                                   D3D12_RESOURCE_FLAGS flags = D3D12_RESOURCE_FLAG_NONE) const;
  /// A committed 2D texture (or texture array) with D3D12_HEAP_FLAG_SHARED, in state COMMON.
  Resource create_committed_texture2d(const Texture2DDesc& desc) const;
  /// A fence with D3D12_FENCE_FLAG_SHARED.
  Fence create_fence(std::uint64_t initial_value = 0) const;

  /// ID3D12Device::OpenSharedHandleByName with GENERIC_ALL: a new NT handle to the object shared
  /// under `name`, owned by the caller. HResultError when no such object exists.
  UniqueWin32Handle open_shared_handle_by_name(const std::wstring& name) const;

  /// The ID3D12Device, borrowed (valid while this device or anything made from it lives).
  ID3D12Device* native() const;
  /// The copy queue used by the transfer functions and by Fence::queue_signal / queue_wait.
  ID3D12CommandQueue* queue() const;

  /// Drops this reference to the device; objects made from it keep working. Idempotent.
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit Device(std::shared_ptr<detail::DeviceState> state) noexcept : state_(std::move(state)) {}
  const detail::DeviceState& state() const;

  std::shared_ptr<detail::DeviceState> state_;
};

}  // namespace cuda_interop::d3d12
