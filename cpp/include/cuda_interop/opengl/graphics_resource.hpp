// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The application's own GL objects in CUDA: buffers, textures and renderbuffers registered
/// with CUDA (cudaGraphicsGLRegisterBuffer / Image), then mapped on a stream for a scope, giving
/// linear memory (DeviceSpan) or a mipmapped array while mapped.
///
/// Rules (enforced): registration and unregistration need the object's GL context current on the
/// calling thread; that context must render on the CUDA device asked for (cudaGLGetDevices); a
/// resource is in at most one mapping at a time; unregistering a mapped resource is refused; a
/// mapping's views raise ClosedError once it is unmapped. A resource dropped while its context is
/// not current is not unregistered (CUDA would need the context; a warning says so).

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cuda_interop/array_format.hpp"
#include "cuda_interop/device_span.hpp"
#include "cuda_interop/mipmapped_array.hpp"
#include "cuda_interop/opengl/context.hpp"
#include "cuda_interop/stream.hpp"

namespace cuda_interop::opengl {

namespace detail {
struct GraphicsResourceState;
struct MappingState;
}  // namespace detail

/// cudaGraphicsRegisterFlags.
enum RegisterFlags : unsigned {
  register_none = 0,
  register_read_only = 1,
  register_write_discard = 2,
  register_surface_load_store = 4,
  register_texture_gather = 8,
};

/// The CUDA devices the current GL context renders on (cudaGLGetDevices, all of them).
std::vector<int> current_context_devices();

/// A GL object registered with CUDA (cudaGraphicsResource_t). Copies share it.
class GraphicsResource {
 public:
  GraphicsResource() noexcept = default;

  /// Registers GL buffer `buffer` of the current context on CUDA device `device` (nullopt:
  /// the context's own). InvalidArgument for a name that is not a buffer there, unknown flags,
  /// or a device the context does not render on; ContextError without a current context.
  static GraphicsResource register_buffer(std::uint32_t buffer, unsigned flags,
                                          std::optional<int> device = std::nullopt);
  /// Registers texture or renderbuffer `image` with its `target` (GL_TEXTURE_2D,
  /// GL_TEXTURE_2D_ARRAY, GL_TEXTURE_3D, GL_TEXTURE_RECTANGLE, GL_TEXTURE_CUBE_MAP or
  /// GL_RENDERBUFFER). Its format must be one CUDA maps (1, 2 or 4 channels of 8, 16 or 32
  /// bits): InvalidArgument naming it otherwise.
  static GraphicsResource register_image(std::uint32_t image, std::uint32_t target,
                                         unsigned flags, std::optional<int> device = std::nullopt);

  bool is_buffer() const;
  std::uint32_t gl_name() const;
  std::uint32_t target() const;  ///< 0 for buffers
  unsigned flags() const;
  int device() const;
  const ContextId& context() const;
  /// What GL reports of an image: format, extent in CUDA's convention, levels (images only).
  const ImageLayout& layout() const;
  bool mapped() const;

  /// Unregisters now (cudaGraphicsUnregisterResource); the context must be current, and the
  /// resource not mapped. Idempotent; the object is closed afterwards.
  void unregister();
  /// Drops this reference (the last one unregisters if the context is current, else warns).
  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

  const std::shared_ptr<detail::GraphicsResourceState>& state() const;

 private:
  explicit GraphicsResource(std::shared_ptr<detail::GraphicsResourceState> state) noexcept
      : state_(std::move(state)) {}
  std::shared_ptr<detail::GraphicsResourceState> state_;
};

/// Resources mapped together (one cudaGraphicsMapResources call), until unmap(). Copies share
/// the mapping; dropping the last one while mapped unmaps on the default stream.
class Mapping {
 public:
  Mapping() noexcept = default;
  /// Maps `resources` (all of one device, none mapped already: InvalidArgument naming the
  /// index) on `stream`: CUDA work on it after this sees what GL did before.
  static Mapping map(const std::vector<GraphicsResource>& resources,
                     std::optional<StreamHandle> stream);

  std::size_t size() const;
  bool mapped() const;
  /// Resource `index`'s buffer as linear memory (cudaGraphicsResourceGetMappedPointer).
  DeviceSpan buffer(std::size_t index) const;
  /// Resource `index`'s texture as a mipmapped array (cudaGraphicsResourceGetMappedMipmappedArray),
  /// lent by CUDA until unmap().
  MappedMipmappedArray mipmapped_array(std::size_t index) const;
  /// Unmaps every resource on `stream` (GL commands after this see CUDA's earlier work on it);
  /// every view raises ClosedError afterwards. Idempotent.
  void unmap(std::optional<StreamHandle> stream);

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit Mapping(std::shared_ptr<detail::MappingState> state) noexcept
      : state_(std::move(state)) {}
  detail::MappingState& live() const;
  std::shared_ptr<detail::MappingState> state_;
};

}  // namespace cuda_interop::opengl
