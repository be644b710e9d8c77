// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Exportable optimally tiled Vulkan images: 2D, 2D arrays (layers) and 3D, with mip levels.

#include <array>
#include <cstdint>
#include <memory>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"
#include "cuda_interop/vulkan/format.hpp"

namespace cuda_interop::vulkan {

struct ImageResource;

/// What to create. The image is 3D when depth > 1, a 2D array when layers > 1 (not both).
struct ImageDesc {
  Format format = Format{37};  // VK_FORMAT_R8G8B8A8_UNORM
  std::uint32_t width = 1;
  std::uint32_t height = 1;
  std::uint32_t depth = 1;
  std::uint32_t levels = 1;
  std::uint32_t layers = 1;
  /// Add VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT (CUDA then needs cudaArrayColorAttachment).
  bool color_attachment = false;
  /// Ask for a dedicated allocation even when the driver does not require one.
  bool dedicated = false;
};

/// A VkImage with its own exportable VkDeviceMemory, kept in VK_IMAGE_LAYOUT_GENERAL. Move-only;
/// the empty (closed) state throws ClosedError on use.
class Image {
 public:
  Image() noexcept = default;
  explicit Image(std::shared_ptr<ImageResource> resource) noexcept;
  ~Image();
  Image(Image&&) noexcept = default;
  Image& operator=(Image&&) noexcept = default;
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;

  /// Releases this handle; idempotent, never throws.
  void close() noexcept;
  bool closed() const noexcept { return !resource_; }

  const ImageDesc& desc() const;
  bool is_3d() const;
  /// The memory's size: what CUDA must be given at import.
  std::uint64_t allocation_size() const;
  /// Whether the memory is a dedicated allocation.
  bool dedicated() const;
  std::uint32_t memory_type_index() const;
  /// Usage the image was created with (storage and sampled depend on the format's features).
  bool sampled() const;
  bool storage() const;
  bool color_attachment() const;
  /// Width, height and depth of mip level `level`.
  std::array<std::uint32_t, 3> level_extent(std::uint32_t level) const;
  /// Tightly packed bytes of mip level `level`, all layers (layer-major, then z, y, x).
  std::uint64_t level_size(std::uint32_t level) const;

  /// A share descriptor of the memory for CUDA, with the image's layout (format, extent in
  /// CUDA's convention, levels, layered and colour-attachment flags).
  MemoryShare export_share() const;
#ifndef _WIN32
  /// A new opaque file descriptor for the memory on each call; the caller owns it.
  UniqueFd export_fd() const;
#endif
  /// A new NT handle for the memory; NotSupported outside Windows.
  UniqueWin32Handle export_win32() const;

  /// The shared resource (for the implementation and for tests); ClosedError when closed.
  const std::shared_ptr<ImageResource>& resource() const;

 private:
  std::shared_ptr<ImageResource> resource_;
};

}  // namespace cuda_interop::vulkan
