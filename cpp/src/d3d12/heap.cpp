// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/heap.hpp"

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {

Heap::Heap(std::shared_ptr<detail::DeviceState> device, Microsoft::WRL::ComPtr<ID3D12Heap> heap,
           std::uint64_t size, D3D12_HEAP_FLAGS flags) noexcept
    : device_(std::move(device)), heap_(std::move(heap)), size_(size), flags_(flags) {}

std::uint64_t Heap::size() const {
  if (closed()) throw ClosedError("d3d12.Heap is closed");
  return size_;
}

D3D12_HEAP_FLAGS Heap::flags() const {
  if (closed()) throw ClosedError("d3d12.Heap is closed");
  return flags_;
}

Resource Heap::create_placed_buffer(std::uint64_t offset, std::uint64_t size,
                                    D3D12_RESOURCE_FLAGS flags) const {
  if (closed()) throw ClosedError("d3d12.Heap is closed");
  if ((flags_ & D3D12_HEAP_FLAG_DENY_BUFFERS) != 0) {
    throw InvalidArgument("this heap was created with D3D12_HEAP_FLAG_DENY_BUFFERS");
  }
  nonzero(size, "size");
  aligned(offset, alignment, "offset");
  check_range(offset, size, size_, "create_placed_buffer");
  if ((flags & D3D12_RESOURCE_FLAG_ALLOW_SIMULTANEOUS_ACCESS) != 0) {
    throw InvalidArgument("ALLOW_SIMULTANEOUS_ACCESS is not valid for buffers");
  }
  detail::DeviceState& device = detail::open_state(device_, "d3d12.Heap's device");
  const D3D12_RESOURCE_DESC desc = detail::buffer_desc(size, flags);
  const std::uint64_t allocation = device.device->GetResourceAllocationInfo(0, 1, &desc).SizeInBytes;
  if (allocation > size_ - offset) {
    throw InvalidArgument("placed buffer needs " + std::to_string(allocation) + " bytes at offset " +
                          std::to_string(offset) + " of a heap of " + std::to_string(size_) + " bytes");
  }
  Microsoft::WRL::ComPtr<ID3D12Resource> resource;
  check_hresult(device.device->CreatePlacedResource(heap_.Get(), offset, &desc,
                                                    D3D12_RESOURCE_STATE_COMMON, nullptr,
                                                    IID_PPV_ARGS(&resource)),
                "ID3D12Device::CreatePlacedResource",
                std::to_string(size) + " bytes at offset " + std::to_string(offset) + device.removal_detail());
  return Resource(device_, std::move(resource), desc, size, allocation, heap_, offset, size_);
}

UniqueWin32Handle Heap::share(const std::wstring& name) const {
  if (closed()) throw ClosedError("d3d12.Heap is closed");
  return detail::open_state(device_, "d3d12.Heap's device").share(heap_.Get(), name);
}

ID3D12Heap* Heap::native() const {
  if (closed()) throw ClosedError("d3d12.Heap is closed");
  return heap_.Get();
}

void Heap::close() noexcept {
  heap_.Reset();
  device_.reset();
}

}  // namespace cuda_interop::d3d12
