// SPDX-License-Identifier: Apache-2.0
// Share descriptors of heaps, committed resources and fences: what CUDA needs to import them.
#include <optional>
#include <string>
#include <utility>

#include "cuda_interop/d3d12/fence.hpp"
#include "cuda_interop/d3d12/heap.hpp"
#include "cuda_interop/d3d12/resource.hpp"
#include "cuda_interop/pixel_format.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {
namespace {

/// An unnamed share travels as its NT handle; a named one as its name, holding the handle that
/// keeps the name alive until the import.
SharedHandle shared_handle(UniqueWin32Handle handle, const std::wstring& name) {
  if (name.empty()) return SharedHandle::win32(handle.release(), true);
  return SharedHandle::name(std::u16string(name.begin(), name.end()), std::move(handle));
}

DeviceIdentity identity(const std::shared_ptr<detail::DeviceState>& device) {
  DeviceIdentity identity;
  identity.luid = detail::open_state(device, "the Direct3D 12 device").adapter.luid;
  return identity;
}

/// A texture's layout as CUDA maps it: 2D (w, h, 0) or an array (w, h, slices), with its mip
/// levels; colour attachment when it may be a render target. None for a format CUDA cannot alias.
std::optional<ImageLayout> texture_layout(const D3D12_RESOURCE_DESC& desc) {
  const PixelFormat* format = find_pixel_format_from_dxgi(static_cast<std::uint32_t>(desc.Format));
  if (format == nullptr) return std::nullopt;
  ImageLayout layout;
  layout.format = format->array_format();
  layout.levels = desc.MipLevels;
  const bool array = desc.DepthOrArraySize > 1;
  layout.extent = {desc.Width, desc.Height, array ? desc.DepthOrArraySize : 0u};
  if (array) layout.flags |= array_layered;
  if ((desc.Flags & D3D12_RESOURCE_FLAG_ALLOW_RENDER_TARGET) != 0) {
    layout.flags |= array_color_attachment;
  }
  return layout;
}

}  // namespace

MemoryShare Heap::export_share(const std::wstring& name) const {
  MemoryShare share;
  share.type = MemoryHandleType::D3D12Heap;
  share.handle = shared_handle(this->share(name), name);
  share.size = size();
  share.device = identity(device_);
  return share;
}

MemoryShare Resource::export_share(const std::wstring& name) const {
  MemoryShare share;
  if (placed()) {  // CUDA imports the heap the buffer lives in; map it at heap_offset()
    share.type = MemoryHandleType::D3D12Heap;
    share.handle = shared_handle(share_heap(name), name);
    share.size = heap_size();
  } else {
    share.type = MemoryHandleType::D3D12Resource;
    share.handle = shared_handle(this->share(name), name);
    share.size = allocation_size();
    share.dedicated = true;
    if (is_texture()) share.image = texture_layout(desc());
  }
  share.device = identity(device_);
  return share;
}

SemaphoreShare Fence::export_share(const std::wstring& name) const {
  SemaphoreShare share;
  share.type = SemaphoreHandleType::D3D12Fence;
  share.handle = shared_handle(this->share(name), name);
  share.device = identity(device_);
  return share;
}

}  // namespace cuda_interop::d3d12
