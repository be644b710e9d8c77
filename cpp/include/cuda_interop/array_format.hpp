// SPDX-License-Identifier: Apache-2.0
#pragma once
/// How an image lies in memory as CUDA maps it: element format, extent, levels and array flags.

#include <cstddef>
#include <cstdint>

namespace cuda_interop {

/// cudaChannelFormatKind: how a channel's bits are read.
enum class ChannelKind : int { Signed = 0, Unsigned = 1, Float = 2 };

/// Element format: `channels` (1, 2 or 4) channels of `bits` (8, 16 or 32) each.
struct ArrayFormat {
  ChannelKind kind = ChannelKind::Unsigned;
  unsigned bits = 8;
  unsigned channels = 4;
  std::size_t element_size() const noexcept { return bits / 8 * channels; }
  /// InvalidArgument unless the combination is one CUDA arrays support.
  void validate() const;
  bool operator==(const ArrayFormat& other) const noexcept {
    return kind == other.kind && bits == other.bits && channels == other.channels;
  }
};

/// Extent in elements; as CUDA writes it: 1D (w,0,0), 2D (w,h,0), 3D (w,h,d), layered (w,h,layers).
struct Extent {
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  std::uint64_t depth = 0;
  bool operator==(const Extent& other) const noexcept {
    return width == other.width && height == other.height && depth == other.depth;
  }
};

/// Array flags CUDA accepts when mapping (values are cudaArray* flags).
enum ArrayFlags : unsigned {
  array_layered = 0x01,
  array_surface_load_store = 0x02,
  array_cubemap = 0x04,
  array_texture_gather = 0x08,
  array_color_attachment = 0x20,
};
inline constexpr unsigned known_array_flags = array_layered | array_surface_load_store |
                                              array_cubemap | array_texture_gather |
                                              array_color_attachment;

/// Highest number of mip levels for an extent (floor(log2(largest dimension)) + 1).
unsigned max_mip_levels(const Extent& extent, unsigned flags) noexcept;

/// Level `index`'s extent: width, height and (3D) depth halve down to 1; unused dimensions
/// stay 0, and layers (a layered or cubemap array's depth) do not shrink.
Extent level_extent(const Extent& base, unsigned index, unsigned flags) noexcept;

/// An image in an imported allocation: what cudaExternalMemoryGetMappedMipmappedArray needs.
struct ImageLayout {
  ArrayFormat format;
  Extent extent;
  unsigned levels = 1;
  unsigned flags = 0;
  std::uint64_t offset = 0;  ///< where level 0 starts in the allocation

  /// InvalidArgument unless CUDA can map it: format, extent for the flags, 1 <= levels <= the
  /// extent's levels (0 levels corrupts CUDA's heap), known flags only.
  void validate() const;
  /// The bytes of the image's texels, every level and layer tightly packed: a lower bound of
  /// what it takes from `offset` (tiling, padding and alignment only add; a Vulkan or D3D12
  /// image's allocation holds at least this). Saturates at 2**64 - 1.
  std::uint64_t texel_bytes() const noexcept;
  /// InvalidArgument unless the image lies inside a `size`-byte `what` ("allocation",
  /// "import"): offset < size and texel_bytes() <= size - offset.
  void check_inside(std::uint64_t size, const char* what) const;
  bool operator==(const ImageLayout& other) const noexcept {
    return format == other.format && extent == other.extent && levels == other.levels &&
           flags == other.flags && offset == other.offset;
  }
};

}  // namespace cuda_interop
