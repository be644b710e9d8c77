// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/mipmapped_array.hpp"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "external_memory_state.hpp"

namespace cuda_interop {
namespace detail {

struct MipmappedArrayState {
  cudaMipmappedArray_t array = nullptr;
  ArrayFormat format;
  Extent extent;
  unsigned levels = 0;
  unsigned flags = 0;
  // Released last: the array is freed before its memory is destroyed.
  std::shared_ptr<ExternalMemoryState> memory;

  MipmappedArrayState(cudaMipmappedArray_t a, ArrayFormat f, Extent e, unsigned l, unsigned fl,
                      std::shared_ptr<ExternalMemoryState> m)
      : array(a), format(f), extent(e), levels(l), flags(fl), memory(std::move(m)) {}
  MipmappedArrayState(const MipmappedArrayState&) = delete;
  MipmappedArrayState& operator=(const MipmappedArrayState&) = delete;
  ~MipmappedArrayState() {
    if (!is_owner(memory->owner)) return;
    try {
      DeviceGuard guard(memory->device);
      check_cuda_teardown(cudaFreeMipmappedArray(array), "cudaFreeMipmappedArray");
    } catch (const std::exception& error) {
      warn(std::string("cudaFreeMipmappedArray skipped: ") + error.what());
    }
  }
};

struct ArrayObjectState {
  std::uint64_t handle = 0;
  bool texture = false;
  std::shared_ptr<const MipmappedArrayState> owner;

  ArrayObjectState(std::uint64_t h, bool t, std::shared_ptr<const MipmappedArrayState> o)
      : handle(h), texture(t), owner(std::move(o)) {}
  ArrayObjectState(const ArrayObjectState&) = delete;
  ArrayObjectState& operator=(const ArrayObjectState&) = delete;
  ~ArrayObjectState() {
    if (!is_owner(owner->memory->owner)) return;
    try {
      DeviceGuard guard(owner->memory->device);
      if (texture) {
        check_cuda_teardown(cudaDestroyTextureObject(handle), "cudaDestroyTextureObject");
      } else {
        check_cuda_teardown(cudaDestroySurfaceObject(handle), "cudaDestroySurfaceObject");
      }
    } catch (const std::exception& error) {
      warn(std::string("destroying a surface/texture object skipped: ") + error.what());
    }
  }
};

}  // namespace detail

namespace {

std::uint64_t at_least_one(std::uint64_t value) { return std::max<std::uint64_t>(value, 1); }

cudaExtent cuda_extent(std::uint64_t width, std::uint64_t height, std::uint64_t depth) {
  return cudaExtent{width, height, depth};
}

cudaPitchedPtr pitched(void* pointer, std::size_t pitch, std::uint64_t width,
                       std::uint64_t height) {
  return cudaPitchedPtr{pointer, pitch, width, height};
}

Extent level_extent(const Extent& base, unsigned index, unsigned flags) {
  auto shrink = [index](std::uint64_t value) {
    return value == 0 ? 0 : std::max<std::uint64_t>(value >> index, 1);
  };
  // Layers (layered/cubemap arrays keep `depth` as the layer count) do not shrink.
  const bool layers = (flags & (array_layered | array_cubemap)) != 0;
  return {shrink(base.width), shrink(base.height), layers ? base.depth : shrink(base.depth)};
}

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

MappedMipmappedArray ExternalMemory::map_mipmapped_array(const ArrayFormat& format,
                                                         const Extent& extent, unsigned levels,
                                                         unsigned flags,
                                                         std::uint64_t offset) const {
  const detail::ExternalMemoryState& memory = live();
  format.validate();
  validate_extent(extent, flags);
  // numLevels 0 corrupts CUDA's heap: it must never reach cudaExternalMemoryGetMappedMipmappedArray.
  if (levels == 0) throw InvalidArgument("levels must be >= 1");
  const unsigned most = max_mip_levels(extent, flags);
  if (levels > most) {
    throw InvalidArgument("levels " + std::to_string(levels) + " exceeds the " +
                          std::to_string(most) + " this extent has");
  }
  const unsigned known = array_layered | array_surface_load_store | array_cubemap |
                         array_texture_gather | array_color_attachment;
  if ((flags & ~known) != 0) throw InvalidArgument("unknown array flags");
  if (offset >= memory.size) throw InvalidArgument("offset is not inside the import");

  cudaExternalMemoryMipmappedArrayDesc desc{};
  desc.offset = offset;
  desc.formatDesc = cudaCreateChannelDesc(
      format.bits, format.channels >= 2 ? static_cast<int>(format.bits) : 0,
      format.channels >= 4 ? static_cast<int>(format.bits) : 0,
      format.channels >= 4 ? static_cast<int>(format.bits) : 0,
      static_cast<cudaChannelFormatKind>(format.kind));
  desc.extent = cuda_extent(extent.width, extent.height, extent.depth);
  desc.flags = flags;
  desc.numLevels = levels;
  cudaMipmappedArray_t array = nullptr;
  {
    DeviceGuard guard(memory.device);
    check_cuda(cudaExternalMemoryGetMappedMipmappedArray(&array, memory.handle, &desc),
               "cudaExternalMemoryGetMappedMipmappedArray",
               "extent (" + std::to_string(extent.width) + ", " + std::to_string(extent.height) +
                   ", " + std::to_string(extent.depth) + "), " + std::to_string(levels) +
                   " level(s), " + std::to_string(format.element_size()) + "-byte elements, of a " +
                   memory.describe());
  }
  return MappedMipmappedArray(std::make_shared<detail::MipmappedArrayState>(
      array, format, extent, levels, flags, state_));
}

const detail::MipmappedArrayState& MappedMipmappedArray::live() const {
  if (!state_) throw ClosedError("MappedMipmappedArray is closed");
  return *state_;
}

ArrayFormat MappedMipmappedArray::format() const { return live().format; }
Extent MappedMipmappedArray::extent() const { return live().extent; }
unsigned MappedMipmappedArray::levels() const { return live().levels; }
unsigned MappedMipmappedArray::flags() const { return live().flags; }
int MappedMipmappedArray::device() const { return live().memory->device; }
void* MappedMipmappedArray::native_handle() const { return live().array; }

ArrayLevel MappedMipmappedArray::level(unsigned index) const {
  const detail::MipmappedArrayState& state = live();
  if (index >= state.levels) {
    throw InvalidArgument("level " + std::to_string(index) + " of an array with " +
                          std::to_string(state.levels) + " level(s)");
  }
  cudaArray_t array = nullptr;
  DeviceGuard guard(state.memory->device);
  check_cuda(cudaGetMipmappedArrayLevel(&array, state.array, index), "cudaGetMipmappedArrayLevel");
  return ArrayLevel(state_, array, index, level_extent(state.extent, index, state.flags));
}

ArrayObject MappedMipmappedArray::create_texture_object(const TextureOptions& options) const {
  const detail::MipmappedArrayState& state = live();
  cudaResourceDesc resource{};
  resource.resType = cudaResourceTypeMipmappedArray;
  resource.res.mipmap.mipmap = state.array;
  cudaTextureDesc texture{};
  for (auto& mode : texture.addressMode) mode = static_cast<cudaTextureAddressMode>(options.address_mode);
  texture.filterMode = options.linear_filter ? cudaFilterModeLinear : cudaFilterModePoint;
  texture.mipmapFilterMode = texture.filterMode;
  texture.readMode = options.normalized_float ? cudaReadModeNormalizedFloat : cudaReadModeElementType;
  texture.normalizedCoords = options.normalized_coordinates ? 1 : 0;
  texture.maxMipmapLevelClamp = static_cast<float>(state.levels - 1);
  cudaTextureObject_t object = 0;
  DeviceGuard guard(state.memory->device);
  check_cuda(cudaCreateTextureObject(&object, &resource, &texture, nullptr),
             "cudaCreateTextureObject");
  return ArrayObject(std::make_shared<detail::ArrayObjectState>(object, true, state_));
}

std::uint64_t ArrayObject::handle() const {
  if (!state_) throw ClosedError("surface/texture object is closed");
  return state_->handle;
}

std::size_t ArrayLevel::byte_size() const noexcept {
  return static_cast<std::size_t>(extent_.width * at_least_one(extent_.height) *
                                  at_least_one(extent_.depth)) *
         owner_->format.element_size();
}

void ArrayLevel::copy(const void* source, void* destination, std::size_t bytes, bool to_array,
                      bool host) const {
  if (bytes != byte_size()) {
    throw InvalidArgument("level " + std::to_string(index_) + " holds " +
                          std::to_string(byte_size()) + " bytes; got " + std::to_string(bytes));
  }
  const std::size_t row = static_cast<std::size_t>(extent_.width) * owner_->format.element_size();
  cudaMemcpy3DParms params{};
  params.extent = cuda_extent(extent_.width, at_least_one(extent_.height),
                                  at_least_one(extent_.depth));
  auto array = static_cast<cudaArray_t>(array_);
  if (to_array) {
    params.srcPtr = pitched(const_cast<void*>(source), row, extent_.width,
                                        at_least_one(extent_.height));
    params.dstArray = array;
    params.kind = host ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToDevice;
  } else {
    params.srcArray = array;
    params.dstPtr = pitched(destination, row, extent_.width,
                                        at_least_one(extent_.height));
    params.kind = host ? cudaMemcpyDeviceToHost : cudaMemcpyDeviceToDevice;
  }
  DeviceGuard guard(owner_->memory->device);
  check_cuda(cudaMemcpy3D(&params), "cudaMemcpy3D",
             std::string(to_array ? "to" : "from") + " level " + std::to_string(index_));
}

void ArrayLevel::copy_from_host(const void* source, std::size_t bytes) const {
  copy(source, nullptr, bytes, true, true);
}
void ArrayLevel::copy_to_host(void* destination, std::size_t bytes) const {
  copy(nullptr, destination, bytes, false, true);
}
void ArrayLevel::copy_from_device(const void* source, std::size_t bytes) const {
  copy(source, nullptr, bytes, true, false);
}
void ArrayLevel::copy_to_device(void* destination, std::size_t bytes) const {
  copy(nullptr, destination, bytes, false, false);
}

ArrayObject ArrayLevel::create_surface_object() const {
  cudaResourceDesc resource{};
  resource.resType = cudaResourceTypeArray;
  resource.res.array.array = static_cast<cudaArray_t>(array_);
  cudaSurfaceObject_t object = 0;
  DeviceGuard guard(owner_->memory->device);
  check_cuda(cudaCreateSurfaceObject(&object, &resource), "cudaCreateSurfaceObject",
             "level " + std::to_string(index_));
  return ArrayObject(std::make_shared<detail::ArrayObjectState>(object, false, owner_));
}

}  // namespace cuda_interop
