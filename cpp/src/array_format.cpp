// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/array_format.hpp"

#include <algorithm>
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
