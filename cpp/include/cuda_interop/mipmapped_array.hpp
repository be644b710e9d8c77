// SPDX-License-Identifier: Apache-2.0
#pragma once
/// MappedMipmappedArray: an image of an ExternalMemory mapped as a CUDA mipmapped array, with
/// level access, copies, and surface and texture objects.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "cuda_interop/array_format.hpp"

namespace cuda_interop {

namespace detail {
struct MipmappedArrayState;
struct ArrayObjectState;
}  // namespace detail

/// Owns a cudaSurfaceObject_t or cudaTextureObject_t and keeps its array alive; destroys it on
/// the array's device. Copies share it.
class ArrayObject {
 public:
  ArrayObject() noexcept = default;
  /// The object's handle, to pass to kernels.
  std::uint64_t handle() const;
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  friend class ArrayLevel;
  friend class MappedMipmappedArray;
  explicit ArrayObject(std::shared_ptr<detail::ArrayObjectState> state) noexcept
      : state_(std::move(state)) {}
  std::shared_ptr<detail::ArrayObjectState> state_;
};

/// One level of a mapped mipmapped array (a cudaArray_t owned by the mipmapped array, which this
/// keeps alive).
class ArrayLevel {
 public:
  /// The raw cudaArray_t, for libraries that accept one.
  void* native_handle() const noexcept { return array_; }
  unsigned index() const noexcept { return index_; }
  /// This level's extent, in CUDA's convention (unused dimensions are 0).
  const Extent& extent() const noexcept { return extent_; }
  /// Bytes of a tightly packed host copy of the level (all layers).
  std::size_t byte_size() const noexcept;

  void copy_from_host(const void* source, std::size_t bytes) const;
  void copy_to_host(void* destination, std::size_t bytes) const;
  /// Copies between the level and tightly packed linear device memory (cudaMemcpy3D).
  void copy_from_device(const void* source, std::size_t bytes) const;
  void copy_to_device(void* destination, std::size_t bytes) const;

  /// A surface object for the level (cudaCreateSurfaceObject).
  ArrayObject create_surface_object() const;

 private:
  friend class MappedMipmappedArray;
  ArrayLevel(std::shared_ptr<const detail::MipmappedArrayState> owner, void* array, unsigned index,
             Extent extent)
      : owner_(std::move(owner)), array_(array), index_(index), extent_(extent) {}
  void copy(const void* source, void* destination, std::size_t bytes, bool to_array,
            bool host) const;

  std::shared_ptr<const detail::MipmappedArrayState> owner_;
  void* array_;
  unsigned index_;
  Extent extent_;
};

/// Texture sampling options (cudaTextureDesc, reduced to what users set).
struct TextureOptions {
  bool linear_filter = false;
  bool normalized_coordinates = false;
  bool normalized_float = false;  // read integer formats as [0, 1] / [-1, 1] floats
  int address_mode = 0;           // cudaAddressMode: 0 wrap, 1 clamp, 2 mirror, 3 border
};

/// Owns a cudaMipmappedArray_t from cudaExternalMemoryGetMappedMipmappedArray; frees it
/// (cudaFreeMipmappedArray) before its import is destroyed. Copies share it.
class MappedMipmappedArray {
 public:
  MappedMipmappedArray() noexcept = default;

  const ImageLayout& layout() const;
  ArrayFormat format() const { return layout().format; }
  Extent extent() const { return layout().extent; }
  unsigned levels() const { return layout().levels; }
  unsigned flags() const { return layout().flags; }
  int device() const;
  void* native_handle() const;
  ArrayLevel level(unsigned index) const;

  /// A texture object over all levels (cudaCreateTextureObject).
  ArrayObject create_texture_object(const TextureOptions& options) const;

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

  /// An array that CUDA lends while a graphics resource is mapped
  /// (cudaGraphicsResourceGetMappedMipmappedArray): never freed here; `lender` is kept alive,
  /// and once `mapped` is false every use raises ClosedError.
  static MappedMipmappedArray lent(void* array, const ImageLayout& layout, int device,
                                   std::shared_ptr<const void> lender,
                                   std::shared_ptr<const std::atomic<bool>> mapped);

 private:
  friend class ExternalMemory;
  explicit MappedMipmappedArray(std::shared_ptr<const detail::MipmappedArrayState> state) noexcept
      : state_(std::move(state)) {}
  const detail::MipmappedArrayState& live() const;

  std::shared_ptr<const detail::MipmappedArrayState> state_;
};

}  // namespace cuda_interop
