// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/array_format.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

void validate_extent(const Extent& extent, unsigned flags) {
  if (extent.width == 0) throw InvalidArgument("extent width must be > 0");
  if (extent.height == 0 && extent.depth != 0 && (flags & array_layered) == 0) {
    throw InvalidArgument("a 3D extent needs a height (use (w, h, d))");
  }
  if ((flags & array_layered) != 0 && extent.depth == 0) {
    throw InvalidArgument("a layered array needs its layer count as the extent's depth");
  }
  if ((flags & array_cubemap) != 0) {
    if (extent.width != extent.height) throw InvalidArgument("cubemap faces must be square");
    const bool layered = (flags & array_layered) != 0;
    if (extent.depth == 0 || (layered ? extent.depth % 6 != 0 : extent.depth != 6)) {
      throw InvalidArgument("a cubemap's depth is 6 (a multiple of 6 when layered)");
    }
  }
}

}  // namespace

void ArrayFormat::validate() const {
  if (channels != 1 && channels != 2 && channels != 4) {
    throw InvalidArgument("channels must be 1, 2 or 4, got " + std::to_string(channels));
  }
  if (bits != 8 && bits != 16 && bits != 32) {
    throw InvalidArgument("bits per channel must be 8, 16 or 32, got " + std::to_string(bits));
  }
  if (kind == ChannelKind::Float && bits == 8) throw InvalidArgument("there is no 8-bit float");
  if (kind != ChannelKind::Signed && kind != ChannelKind::Unsigned && kind != ChannelKind::Float) {
    throw InvalidArgument("unknown channel kind " + std::to_string(static_cast<int>(kind)));
  }
}

unsigned max_mip_levels(const Extent& extent, unsigned flags) noexcept {
  const bool layers = (flags & (array_layered | array_cubemap)) != 0;
  std::uint64_t largest = std::max(extent.width, extent.height);
  if (!layers) largest = std::max(largest, extent.depth);
  unsigned levels = 1;
  while (largest > 1) {
    largest >>= 1;
    ++levels;
  }
  return levels;
}

Extent level_extent(const Extent& base, unsigned index, unsigned flags) noexcept {
  auto shrink = [index](std::uint64_t value) -> std::uint64_t {
    if (value == 0) return 0;
    return index >= 64 ? 1 : std::max<std::uint64_t>(value >> index, 1);
  };
  const bool layers = (flags & (array_layered | array_cubemap)) != 0;
  return {shrink(base.width), shrink(base.height), layers ? base.depth : shrink(base.depth)};
}

namespace {

constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t multiply(std::uint64_t a, std::uint64_t b) noexcept {
  if (a != 0 && b > saturated / a) return saturated;
  return a * b;
}

std::uint64_t add(std::uint64_t a, std::uint64_t b) noexcept {
  return b > saturated - a ? saturated : a + b;
}

}  // namespace

std::uint64_t ImageLayout::texel_bytes() const noexcept {
  std::uint64_t total = 0;
  // At most 64 levels exist for 64-bit extents; a layout with more was never validated.
  for (unsigned index = 0; index < levels && index < 64; ++index) {
    const Extent level = level_extent(extent, index, flags);
    const std::uint64_t elements =
        multiply(multiply(std::max<std::uint64_t>(level.width, 1),
                          std::max<std::uint64_t>(level.height, 1)),
                 std::max<std::uint64_t>(level.depth, 1));
    total = add(total, multiply(elements, format.element_size()));
  }
  return total;
}

void ImageLayout::check_inside(std::uint64_t size, const char* what) const {
  if (offset >= size) {
    throw InvalidArgument("image offset " + std::to_string(offset) + " is not inside the " +
                          std::to_string(size) + "-byte " + what);
  }
  const std::uint64_t bytes = texel_bytes();
  if (bytes > size - offset) {
    throw InvalidArgument(
        "the image's texels take at least " +
        (bytes == saturated ? std::string("2**64 - 1") : std::to_string(bytes)) +
        " bytes (all levels and layers) from offset " + std::to_string(offset) +
        ", more than the " + std::to_string(size - offset) + " bytes the " +
        std::to_string(size) + "-byte " + what + " has there");
  }
}

void ImageLayout::validate() const {
  format.validate();
  if ((flags & ~known_array_flags) != 0) throw InvalidArgument("unknown array flags");
  validate_extent(extent, flags);
  if (levels == 0) throw InvalidArgument("levels must be > 0, got 0");
  const unsigned most = max_mip_levels(extent, flags);
  if (levels > most) {
    throw InvalidArgument("levels " + std::to_string(levels) + " exceeds the " +
                          std::to_string(most) + " this extent has");
  }
}

}  // namespace cuda_interop
