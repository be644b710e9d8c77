// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/resource.hpp"

#include "cuda_interop/error.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {

Resource::Resource(std::shared_ptr<detail::DeviceState> device,
                   Microsoft::WRL::ComPtr<ID3D12Resource> resource, const D3D12_RESOURCE_DESC& desc,
                   std::uint64_t size, std::uint64_t allocation_size,
                   Microsoft::WRL::ComPtr<ID3D12Heap> heap, std::uint64_t heap_offset,
                   std::uint64_t heap_size) noexcept
    : device_(std::move(device)),
      resource_(std::move(resource)),
      desc_(desc),
      size_(size),
      allocation_size_(allocation_size),
      heap_(std::move(heap)),
      heap_offset_(heap_offset),
      heap_size_(heap_size) {}

void Resource::check_open() const {
  if (closed()) throw ClosedError("d3d12.Resource is closed");
}

bool Resource::is_buffer() const {
  check_open();
  return desc_.Dimension == D3D12_RESOURCE_DIMENSION_BUFFER;
}

bool Resource::placed() const {
  check_open();
  return heap_ != nullptr;
}

std::uint64_t Resource::heap_offset() const {
  check_open();
  return heap_offset_;
}

std::uint64_t Resource::heap_size() const {
  check_open();
  return heap_size_;
}

std::uint64_t Resource::size() const {
  check_open();
  return size_;
}

std::uint64_t Resource::allocation_size() const {
  check_open();
  return allocation_size_;
}

const D3D12_RESOURCE_DESC& Resource::desc() const {
  check_open();
  return desc_;
}

std::uint32_t Resource::subresource_count() const {
  check_open();
  if (desc_.Dimension == D3D12_RESOURCE_DIMENSION_BUFFER) return 1;
  return static_cast<std::uint32_t>(desc_.MipLevels) * desc_.DepthOrArraySize;
}

UniqueWin32Handle Resource::share(const std::wstring& name) const {
  check_open();
  if (heap_) {
    throw InvalidArgument("a placed resource cannot be shared on its own: share its heap and import "
                          "the heap into CUDA (map the buffer at its heap offset)");
  }
  return detail::open_state(device_, "d3d12.Resource's device").share(resource_.Get(), name);
}

UniqueWin32Handle Resource::share_heap(const std::wstring& name) const {
  check_open();
  if (!heap_) throw InvalidArgument("a committed resource has no heap of its own: use share()");
  return detail::open_state(device_, "d3d12.Resource's device").share(heap_.Get(), name);
}

ID3D12Resource* Resource::native() const {
  check_open();
  return resource_.Get();
}

const std::shared_ptr<detail::DeviceState>& Resource::device_state() const {
  check_open();
  return device_;
}

void Resource::close() noexcept {
  resource_.Reset();
  heap_.Reset();
  device_.reset();
}

}  // namespace cuda_interop::d3d12
