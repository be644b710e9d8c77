// SPDX-License-Identifier: Apache-2.0
#pragma once
/// GL semaphores imported from shared ones (GL_EXT_semaphore): GL's command stream waits for, or
/// signals, a Vulkan or CUDA semaphore. Timeline semaphores need GL_NV_timeline_semaphore.

#include <cstdint>
#include <memory>
#include <vector>

#include "cuda_interop/opengl/context.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::opengl {

namespace detail {
struct SemaphoreState;
}

/// A GL texture and the image layout it is in (GL_LAYOUT_*_EXT) at a wait or signal.
struct TextureBarrier {
  std::uint32_t texture = 0;
  std::uint32_t layout = 0x958D;  ///< GL_LAYOUT_GENERAL_EXT
};

/// The GL objects a wait or signal makes coherent with the other API (buffer names, textures).
struct Barriers {
  std::vector<std::uint32_t> buffers;
  std::vector<TextureBarrier> textures;

  /// InvalidArgument naming the entry whose layout is not a GL_LAYOUT_*_EXT value, or a name 0.
  void validate() const;
};

/// A GL semaphore (glGenSemaphoresEXT, or glCreateSemaphoresNV for a timeline) holding an
/// imported one. Belongs to the context current at import. Copies share it.
class Semaphore {
 public:
  Semaphore() noexcept = default;
  /// Imports `share` (an fd is duplicated and GL owns the copy; an NT handle stays the share's).
  /// NotSupported without GL_EXT_semaphore and GL_EXT_semaphore_fd (_win32), or, for a
  /// timeline share, without GL_NV_timeline_semaphore.
  static Semaphore import(const SemaphoreShare& share);

  std::uint32_t name() const;
  bool timeline() const;
  const ContextId& context() const;
  /// The last value this object signalled (0 before the first signal; timelines only).
  std::uint64_t last_signalled() const;

  /// GL's later commands wait for the semaphore (a timeline: until it reaches `value`).
  void wait(std::uint64_t value, const Barriers& barriers) const;
  /// GL signals the semaphore once the commands before it complete (a timeline: sets `value`,
  /// which must exceed the last value signalled through this object), then flushes (glFlush),
  /// so the signal reaches the GPU without a later GL call.
  void signal(std::uint64_t value, const Barriers& barriers) const;

  void close() noexcept { state_.reset(); }
  bool closed() const noexcept { return state_ == nullptr; }

 private:
  explicit Semaphore(std::shared_ptr<detail::SemaphoreState> state) noexcept
      : state_(std::move(state)) {}
  detail::SemaphoreState& live() const;
  std::shared_ptr<detail::SemaphoreState> state_;
};

}  // namespace cuda_interop::opengl
