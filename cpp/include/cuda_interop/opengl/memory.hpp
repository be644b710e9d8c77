// SPDX-License-Identifier: Apache-2.0
#pragma once
/// GL buffers and textures backed by memory the package shares (GL_EXT_memory_object): an
/// exported Vulkan buffer or image, a SharedAllocation, any MemoryShare. GL imports once and
/// then uses the memory like its own; nothing is mapped or copied per frame.

#include <cstdint>
#include <memory>

#include "cuda_interop/opengl/context.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::opengl {

namespace detail {
struct MemoryObjectState;
struct BufferState;
struct TextureState;
}  // namespace detail

/// A GL memory object holding an imported allocation. Copies share it. It belongs to the context
/// current at import: GL objects are used, and deleted, only while that context is current (a
/// handle dropped while another or no context is current is not deleted: a warning says so).
class MemoryObject {
 public:
  MemoryObject() noexcept = default;
  /// Imports the share's memory into the current context. An fd is duplicated (GL owns the
  /// duplicate after a successful import); an NT handle stays the share's. The share's device
  /// UUID, when it has one, must be among the context's (GL_DEVICE_UUID_EXT). Needs
  /// GL_EXT_memory_object and GL_EXT_memory_object_fd (or _win32): NotSupported without them.
  static MemoryObject import(const MemoryShare& share);

  std::uint32_t name() const;
  std::uint64_t size() const;
  bool dedicated() const;
  const ContextId& context() const;

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }
  const std::shared_ptr<const detail::MemoryObjectState>& state() const;

 private:
  explicit MemoryObject(std::shared_ptr<const detail::MemoryObjectState> state) noexcept
      : state_(std::move(state)) {}
  std::shared_ptr<const detail::MemoryObjectState> state_;
};

/// A GL buffer whose storage is `size` bytes of a memory object at `offset`
/// (glBufferStorageMemEXT). Keeps its memory object alive.
class Buffer {
 public:
  Buffer() noexcept = default;
  /// `size` 0 means the rest of the memory after `offset`. InvalidArgument outside the memory.
  static Buffer create(const MemoryObject& memory, std::uint64_t size = 0,
                       std::uint64_t offset = 0);

  /// The GL buffer name (for glBindBuffer, moderngl's ctx.external_buffer, PyOpenGL).
  std::uint32_t name() const;
  std::uint64_t size() const;
  std::uint64_t offset() const;
  const MemoryObject& memory() const;

  /// glBufferSubData / glGetBufferSubData of [offset, offset + bytes) (synchronous, for tests
  /// and small uploads).
  void write(const void* source, std::uint64_t bytes, std::uint64_t offset = 0) const;
  void read(void* destination, std::uint64_t bytes, std::uint64_t offset = 0) const;

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit Buffer(std::shared_ptr<const detail::BufferState> state) noexcept
      : state_(std::move(state)) {}
  const detail::BufferState& live() const;
  std::shared_ptr<const detail::BufferState> state_;
};

/// What a texture made on imported memory looks like.
struct TextureDesc {
  std::uint32_t target = 0x0DE1;           ///< GL_TEXTURE_2D, GL_TEXTURE_2D_ARRAY or GL_TEXTURE_3D
  std::uint32_t internal_format = 0x8058;  ///< a sized format, e.g. GL_RGBA8 (0x8058)
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t depth = 1;                 ///< layers of a 2D array, depth of a 3D texture
  std::uint32_t levels = 1;
  bool linear_tiling = false;              ///< GL_LINEAR_TILING_EXT (a LINEAR Vulkan image)
  std::uint64_t offset = 0;

  /// InvalidArgument naming the field unless this describes a texture GL could make.
  void validate() const;
};

/// A GL texture whose storage is a memory object (glTexStorageMem2DEXT / 3DEXT), with
/// GL_TEXTURE_TILING_EXT set as the exporter made the image. Keeps its memory object alive.
class Texture {
 public:
  Texture() noexcept = default;
  static Texture create(const MemoryObject& memory, const TextureDesc& desc);

  std::uint32_t name() const;
  const TextureDesc& desc() const;
  const MemoryObject& memory() const;

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit Texture(std::shared_ptr<const detail::TextureState> state) noexcept
      : state_(std::move(state)) {}
  const detail::TextureState& live() const;
  std::shared_ptr<const detail::TextureState> state_;
};

}  // namespace cuda_interop::opengl
