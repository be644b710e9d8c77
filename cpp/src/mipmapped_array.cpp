// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/mipmapped_array.hpp"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "external_memory_state.hpp"
#include "teardown.hpp"

namespace cuda_interop {
namespace detail {

struct MipmappedArrayState {
  cudaMipmappedArray_t array = nullptr;
  ImageLayout layout;
  int device = 0;
  ProcessId process = current_process();
  // Released last. For an import: the ImportedMemory, and the array is freed before it is
  // destroyed. For an array CUDA lends while a graphics resource is mapped: what lends it, and
  // `lent` tells whether it is still mapped (the array is CUDA's: never freed here).
  std::shared_ptr<const void> keeper;
  std::shared_ptr<const std::atomic<bool>> lent;

  MipmappedArrayState(cudaMipmappedArray_t a, const ImageLayout& l,
                      std::shared_ptr<const ImportedMemory> m)
      : array(a), layout(l), device(m->device), process(m->owner), keeper(std::move(m)) {}
  MipmappedArrayState(cudaMipmappedArray_t a, const ImageLayout& l, int d,
                      std::shared_ptr<const void> lender, std::shared_ptr<const std::atomic<bool>> mapped)
      : array(a), layout(l), device(d), keeper(std::move(lender)), lent(std::move(mapped)) {}
  MipmappedArrayState(const MipmappedArrayState&) = delete;
  MipmappedArrayState& operator=(const MipmappedArrayState&) = delete;
  ~MipmappedArrayState() {
    if (lent) return;
    teardown_on(process, device, "cudaFreeMipmappedArray",
                [this] { CUDA_INTEROP_TEARDOWN(cudaFreeMipmappedArray(array)); });
  }

  /// ClosedError once the graphics resource that lent the array is unmapped.
  void check_usable() const {
    if (lent && !lent->load()) {
      throw ClosedError("the mipmapped array's graphics resource was unmapped");
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
    teardown_on(owner->process, owner->device, "destroying a surface/texture object",
                [this] {
                  if (texture) {
                    CUDA_INTEROP_TEARDOWN(cudaDestroyTextureObject(handle));
                  } else {
                    CUDA_INTEROP_TEARDOWN(cudaDestroySurfaceObject(handle));
                  }
                });
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

}  // namespace

MappedMipmappedArray ExternalMemory::map_mipmapped_array(const ImageLayout& layout) const {
  const detail::ExternalMemoryState& state = live();
  const detail::ImportedMemory& memory = *state.memory;
  // numLevels 0 corrupts CUDA's heap: validate() keeps it from ever reaching CUDA.
  layout.validate();
  layout.check_inside(memory.size, "import");
  std::lock_guard<std::mutex> lock(state.mutex);
  auto& arrays = state.arrays;
  arrays.erase(std::remove_if(arrays.begin(), arrays.end(),
                              [](const auto& weak) { return weak.expired(); }),
               arrays.end());
  for (const auto& weak : arrays) {
    if (auto mapped = weak.lock(); mapped && mapped->layout == layout) {
      return MappedMipmappedArray(std::move(mapped));
    }
  }
  const ArrayFormat& format = layout.format;
  cudaExternalMemoryMipmappedArrayDesc desc{};
  desc.offset = layout.offset;
  desc.formatDesc = cudaCreateChannelDesc(
      static_cast<int>(format.bits), format.channels >= 2 ? static_cast<int>(format.bits) : 0,
      format.channels >= 4 ? static_cast<int>(format.bits) : 0,
      format.channels >= 4 ? static_cast<int>(format.bits) : 0,
      static_cast<cudaChannelFormatKind>(format.kind));
  desc.extent = cuda_extent(layout.extent.width, layout.extent.height, layout.extent.depth);
  desc.flags = layout.flags;
  desc.numLevels = layout.levels;
  cudaMipmappedArray_t array = nullptr;
  {
    DeviceGuard guard(memory.device);
    CUDA_INTEROP_CHECK(
        cudaExternalMemoryGetMappedMipmappedArray(&array, memory.handle, &desc),
        "extent (" + std::to_string(layout.extent.width) + ", " +
            std::to_string(layout.extent.height) + ", " + std::to_string(layout.extent.depth) +
            "), " + std::to_string(layout.levels) + " level(s), " +
            std::to_string(format.element_size()) + "-byte elements, of a " + memory.describe());
  }
  auto mapped = std::make_shared<const detail::MipmappedArrayState>(array, layout, state.memory);
  state.arrays.push_back(mapped);
  return MappedMipmappedArray(std::move(mapped));
}

const detail::MipmappedArrayState& MappedMipmappedArray::live() const {
  if (!state_) throw ClosedError("MappedMipmappedArray is closed");
  state_->check_usable();
  return *state_;
}

MappedMipmappedArray MappedMipmappedArray::lent(void* array, const ImageLayout& layout, int device,
                                                std::shared_ptr<const void> lender,
                                                std::shared_ptr<const std::atomic<bool>> mapped) {
  return MappedMipmappedArray(std::make_shared<const detail::MipmappedArrayState>(
      static_cast<cudaMipmappedArray_t>(array), layout, device, std::move(lender),
      std::move(mapped)));
}

const ImageLayout& MappedMipmappedArray::layout() const { return live().layout; }
int MappedMipmappedArray::device() const { return live().device; }
void* MappedMipmappedArray::native_handle() const { return live().array; }

ArrayLevel MappedMipmappedArray::level(unsigned index) const {
  const detail::MipmappedArrayState& state = live();
  if (index >= state.layout.levels) {
    throw InvalidArgument("level " + std::to_string(index) + " of an array with " +
                          std::to_string(state.layout.levels) + " level(s)");
  }
  cudaArray_t array = nullptr;
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaGetMipmappedArrayLevel(&array, state.array, index));
  return ArrayLevel(state_, array, index, level_extent(state.layout.extent, index, state.layout.flags));
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
  texture.maxMipmapLevelClamp = static_cast<float>(state.layout.levels - 1);
  cudaTextureObject_t object = 0;
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaCreateTextureObject(&object, &resource, &texture, nullptr));
  return ArrayObject(std::make_shared<detail::ArrayObjectState>(object, true, state_));
}

std::uint64_t ArrayObject::handle() const {
  if (!state_) throw ClosedError("surface/texture object is closed");
  return state_->handle;
}

std::size_t ArrayLevel::byte_size() const noexcept {
  return static_cast<std::size_t>(extent_.width * at_least_one(extent_.height) *
                                  at_least_one(extent_.depth)) *
         owner_->layout.format.element_size();
}

void ArrayLevel::copy(const void* source, void* destination, std::size_t bytes, bool to_array,
                      bool host) const {
  owner_->check_usable();
  if (bytes != byte_size()) {
    throw InvalidArgument("level " + std::to_string(index_) + " holds " +
                          std::to_string(byte_size()) + " bytes; got " + std::to_string(bytes));
  }
  const std::size_t row = static_cast<std::size_t>(extent_.width) * owner_->layout.format.element_size();
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
  DeviceGuard guard(owner_->device);
  CUDA_INTEROP_CHECK(cudaMemcpy3D(&params),
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
  owner_->check_usable();
  cudaResourceDesc resource{};
  resource.resType = cudaResourceTypeArray;
  resource.res.array.array = static_cast<cudaArray_t>(array_);
  cudaSurfaceObject_t object = 0;
  DeviceGuard guard(owner_->device);
  CUDA_INTEROP_CHECK(cudaCreateSurfaceObject(&object, &resource), "level " + std::to_string(index_));
  return ArrayObject(std::make_shared<detail::ArrayObjectState>(object, false, owner_));
}

}  // namespace cuda_interop
