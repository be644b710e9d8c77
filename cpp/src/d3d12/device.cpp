// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/device.hpp"

#include <algorithm>

#include "adapters.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {
namespace {

using detail::ComPtr;

std::shared_ptr<detail::DeviceState> create_state(detail::EnumeratedAdapter& entry) {
  ComPtr<ID3D12Device> device;
  check_hresult(::D3D12CreateDevice(entry.adapter.Get(), D3D_FEATURE_LEVEL_11_0, IID_PPV_ARGS(&device)),
                "D3D12CreateDevice", "adapter " + std::to_string(entry.info.index) + ": " +
                                         entry.info.description);
  // CUDA imports from single-node devices only; a linked-adapter device would need a node mask
  // on every call and is not what CUDA's LUID names.
  const UINT nodes = device->GetNodeCount();
  if (nodes != 1) {
    throw NotSupported("Direct3D 12 device on " + entry.info.description + " has " +
                       std::to_string(nodes) + " nodes; CUDA interop requires GetNodeCount() == 1");
  }
  const Luid luid = detail::luid_bytes(device->GetAdapterLuid());
  if (luid != entry.info.luid) {
    throw Error("D3D12CreateDevice returned a device on luid " + format_luid(luid) +
                " for the adapter with luid " + format_luid(entry.info.luid));
  }
  return std::make_shared<detail::DeviceState>(entry, std::move(device));
}

D3D12_HEAP_PROPERTIES default_heap() {
  D3D12_HEAP_PROPERTIES properties{};
  properties.Type = D3D12_HEAP_TYPE_DEFAULT;
  return properties;
}

/// A committed resource of `desc` with D3D12_HEAP_FLAG_SHARED in the DEFAULT heap, in state
/// COMMON; `what` describes it in the error.
ComPtr<ID3D12Resource> create_committed(const detail::DeviceState& device, const D3D12_RESOURCE_DESC& desc,
                                        const std::string& what) {
  const D3D12_HEAP_PROPERTIES heap = default_heap();
  ComPtr<ID3D12Resource> resource;
  check_hresult(device.device->CreateCommittedResource(&heap, D3D12_HEAP_FLAG_SHARED, &desc,
                                                       D3D12_RESOURCE_STATE_COMMON, nullptr,
                                                       IID_PPV_ARGS(&resource)),
                "ID3D12Device::CreateCommittedResource", what + device.removal_detail());
  return resource;
}

void check_texture(const Texture2DDesc& desc) {
  within(desc.width, 1, D3D12_REQ_TEXTURE2D_U_OR_V_DIMENSION, "width");
  within(desc.height, 1, D3D12_REQ_TEXTURE2D_U_OR_V_DIMENSION, "height");
  within(desc.array_size, 1, D3D12_REQ_TEXTURE2D_ARRAY_AXIS_DIMENSION, "array_size");
  std::uint32_t full_chain = 1;
  for (std::uint32_t extent = std::max(desc.width, desc.height); extent > 1; extent /= 2) ++full_chain;
  within(desc.mip_levels, 1, full_chain, "mip_levels");
  if (desc.format == DXGI_FORMAT_UNKNOWN) throw InvalidArgument("format must not be DXGI_FORMAT_UNKNOWN");
  if ((desc.flags & D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS) != 0 &&
      (desc.flags & D3D12_RESOURCE_FLAG_ALLOW_DEPTH_STENCIL) != 0) {
    throw InvalidArgument("ALLOW_SIMULTANEOUS_ACCESS cannot be combined with ALLOW_DEPTH_STENCIL");
  }
}

}  // namespace

Device Device::from_luid(const Luid& luid) {
  std::vector<detail::EnumeratedAdapter> adapters = detail::enumerate_adapters();
  for (detail::EnumeratedAdapter& entry : adapters) {
    if (entry.info.luid == luid) return Device(create_state(entry));
  }
  throw InvalidArgument("no DXGI adapter has luid " + format_luid(luid) + "; adapters seen: " +
                        detail::describe_adapters(adapters));
}

Device Device::from_adapter_index(unsigned index) {
  std::vector<detail::EnumeratedAdapter> adapters = detail::enumerate_adapters();
  if (index >= adapters.size()) {
    throw InvalidArgument("DXGI adapter index " + std::to_string(index) + " is out of range; adapters seen: " +
                          detail::describe_adapters(adapters));
  }
  return Device(create_state(adapters[index]));
}

const detail::DeviceState& Device::state() const { return detail::open_state(state_, "d3d12.Device"); }

const AdapterInfo& Device::adapter() const { return state().adapter; }

Luid Device::luid() const { return detail::luid_bytes(state().device->GetAdapterLuid()); }

unsigned Device::node_count() const { return state().device->GetNodeCount(); }

ID3D12Device* Device::native() const { return state().device.Get(); }

ID3D12CommandQueue* Device::queue() const { return state().queue.Get(); }

Heap Device::create_heap(std::uint64_t size, D3D12_HEAP_FLAGS flags) const {
  const detail::DeviceState& device = state();
  D3D12_HEAP_DESC desc{};
  desc.SizeInBytes = round_up(nonzero(size, "size"), Heap::alignment, "size");
  desc.Properties = default_heap();
  desc.Alignment = Heap::alignment;
  desc.Flags = flags | D3D12_HEAP_FLAG_SHARED;
  ComPtr<ID3D12Heap> heap;
  check_hresult(device.device->CreateHeap(&desc, IID_PPV_ARGS(&heap)), "ID3D12Device::CreateHeap",
                std::to_string(desc.SizeInBytes) + " bytes, shared" + device.removal_detail());
  return Heap(state_, std::move(heap), desc.SizeInBytes, desc.Flags);
}

Resource Device::create_committed_buffer(std::uint64_t size, D3D12_RESOURCE_FLAGS flags) const {
  const detail::DeviceState& device = state();
  nonzero(size, "size");
  if ((flags & D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS) != 0) {
    // Buffers are always accessible from several queues; the flag is invalid on them.
    throw InvalidArgument("ALLOW_SIMULTANEOUS_ACCESS is not valid for buffers");
  }
  const D3D12_RESOURCE_DESC desc = detail::buffer_desc(size, flags);
  ComPtr<ID3D12Resource> resource =
      create_committed(device, desc, "shared buffer of " + std::to_string(size) + " bytes");
  const std::uint64_t allocation = device.device->GetResourceAllocationInfo(0, 1, &desc).SizeInBytes;
  return Resource(state_, std::move(resource), desc, size, allocation, nullptr, 0, 0);
}

Resource Device::create_committed_texture2d(const Texture2DDesc& texture) const {
  const detail::DeviceState& device = state();
  check_texture(texture);
  D3D12_RESOURCE_DESC desc{};
  desc.Dimension = D3D12_RESOURCE_DIMENSION_TEXTURE2D;
  desc.Width = texture.width;
  desc.Height = texture.height;
  desc.DepthOrArraySize = texture.array_size;
  desc.MipLevels = texture.mip_levels;
  desc.Format = texture.format;
  desc.SampleDesc.Count = 1;
  desc.Layout = D3D12_TEXTURE_LAYOUT_UNKNOWN;
  desc.Flags = texture.flags;
  const D3D12_RESOURCE_ALLOCATION_INFO info = device.device->GetResourceAllocationInfo(0, 1, &desc);
  if (info.SizeInBytes == UINT64_MAX) {
    throw InvalidArgument("Direct3D 12 rejects this texture description (format " +
                          std::to_string(static_cast<int>(texture.format)) + ", flags " +
                          std::to_string(static_cast<unsigned>(texture.flags)) + ")");
  }
  const UINT subresources = static_cast<UINT>(texture.mip_levels) * texture.array_size;
  std::uint64_t packed = 0;
  std::vector<UINT> rows(subresources);
  std::vector<UINT64> row_bytes(subresources);
  device.device->GetCopyableFootprints(&desc, 0, subresources, 0, nullptr, rows.data(),
                                       row_bytes.data(), nullptr);
  for (UINT i = 0; i < subresources; ++i) packed += static_cast<std::uint64_t>(rows[i]) * row_bytes[i];
  ComPtr<ID3D12Resource> resource = create_committed(
      device, desc, "shared texture " + std::to_string(texture.width) + "x" + std::to_string(texture.height));
  return Resource(state_, std::move(resource), desc, packed, info.SizeInBytes, nullptr, 0, 0);
}

Fence Device::create_fence(std::uint64_t initial_value) const {
  const detail::DeviceState& device = state();
  ComPtr<ID3D12Fence> fence;
  check_hresult(device.device->CreateFence(initial_value, D3D12_FENCE_FLAG_SHARED, IID_PPV_ARGS(&fence)),
                "ID3D12Device::CreateFence", "shared fence" + device.removal_detail());
  auto waiter = std::make_unique<Fence::Waiter>();
  waiter->fence = fence;
  waiter->event.reset(::CreateEventW(nullptr, FALSE, FALSE, nullptr));
  if (!waiter->event) {
    const DWORD code = ::GetLastError();
    throw OsError(static_cast<long>(code), "CreateEventW", "GetLastError() = " + std::to_string(code));
  }
  return Fence(state_, std::move(fence), std::move(waiter));
}

UniqueWin32Handle Device::open_shared_handle_by_name(const std::wstring& name) const {
  const detail::DeviceState& device = state();
  detail::check_shared_name(name);
  if (name.empty()) throw InvalidArgument("open_shared_handle_by_name needs a name");
  HANDLE handle = nullptr;
  check_hresult(device.device->OpenSharedHandleByName(name.c_str(), GENERIC_ALL, &handle),
                "ID3D12Device::OpenSharedHandleByName", "name \"" + detail::to_utf8(name) + "\"");
  return UniqueWin32Handle(handle);
}

}  // namespace cuda_interop::d3d12
