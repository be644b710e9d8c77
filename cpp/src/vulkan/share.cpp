// SPDX-License-Identifier: Apache-2.0
// Share descriptors of exportable buffers, images and semaphores: what CUDA needs to import them.
#include <string>

#include "buffer_state.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"
#include "image_state.hpp"
#include "memory.hpp"
#include "semaphore_state.hpp"

namespace cuda_interop::vulkan {
namespace {

/// The memory's descriptor: a fresh handle of this platform's type and what CUDA must be told.
MemoryShare memory_share(const DeviceState& device, const MemoryBlock& block) {
  MemoryShare share;
#ifdef _WIN32
  share.type = MemoryHandleType::OpaqueWin32;
  share.handle = SharedHandle::win32(detail::export_memory_win32(device, block).release(), true);
#else
  share.type = MemoryHandleType::OpaqueFd;
  share.handle = SharedHandle::fd(detail::export_memory_fd(device, block).release(), true);
#endif
  share.size = block.allocation_size;
  share.dedicated = block.dedicated;
  share.device.uuid = device.info.uuid;
  return share;
}

/// Level 0 as CUDA maps it: 3D (w, h, d), layered (w, h, layers), 2D (w, h, 0).
ImageLayout image_layout(const ImageResource& image) {
  const ImageDesc& desc = image.desc;
  ImageLayout layout;
  layout.format = format_info(desc.format).array_format();
  layout.levels = desc.levels;
  if (desc.depth > 1) {
    layout.extent = {desc.width, desc.height, desc.depth};
  } else if (desc.layers > 1) {
    layout.extent = {desc.width, desc.height, desc.layers};
    layout.flags |= array_layered;
  } else {
    layout.extent = {desc.width, desc.height, 0};
  }
  if ((image.usage & VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT) != 0) {
    layout.flags |= array_color_attachment;
  }
  return layout;
}

}  // namespace

MemoryShare Buffer::export_share() const {
  const auto& r = *resource();
  return memory_share(*r.device, r.memory);
}

MemoryShare Image::export_share() const {
  const auto& r = *resource();
  MemoryShare share = memory_share(*r.device, r.memory);
  share.image = image_layout(r);
  return share;
}

SemaphoreShare Semaphore::export_share() const {
  const auto& r = *resource();
  SemaphoreShare share;
#ifdef _WIN32
  share.type = r.timeline ? SemaphoreHandleType::TimelineSemaphoreWin32
                          : SemaphoreHandleType::OpaqueWin32;
  share.handle = SharedHandle::win32(export_win32().release(), true);
#else
  share.type = r.timeline ? SemaphoreHandleType::TimelineSemaphoreFd : SemaphoreHandleType::OpaqueFd;
  share.handle = SharedHandle::fd(export_fd().release(), true);
#endif
  share.device.uuid = r.device->info.uuid;
  return share;
}

}  // namespace cuda_interop::vulkan
