// SPDX-License-Identifier: Apache-2.0
#pragma once
/// ExternalSemaphore: a graphics API's semaphore, fence or keyed mutex imported into CUDA, signalled
/// and waited on CUDA streams.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cuda_interop/handle_types.hpp"
#include "cuda_interop/share.hpp"
#include "cuda_interop/stream.hpp"

namespace cuda_interop {

/// The Windows INFINITE timeout, for keyed-mutex waits.
inline constexpr unsigned infinite_timeout = 0xFFFFFFFFu;

class ExternalSemaphore;
namespace detail {
struct ExternalSemaphoreState;
/// The live state of `semaphore`; ClosedError once closed.
const ExternalSemaphoreState& state_of(const ExternalSemaphore& semaphore);
}  // namespace detail

/// Owns a cudaExternalSemaphore_t. Move-only; destroyed on its device, never by a forked child.
/// Destroy only after every signal and wait enqueued on it has completed (CUDA's rule).
class ExternalSemaphore {
 public:
  ExternalSemaphore() noexcept;
  ~ExternalSemaphore();
  ExternalSemaphore(ExternalSemaphore&&) noexcept;
  ExternalSemaphore& operator=(ExternalSemaphore&&) noexcept;
  ExternalSemaphore(const ExternalSemaphore&) = delete;
  ExternalSemaphore& operator=(const ExternalSemaphore&) = delete;

  /// Imports what `share` describes on `device` (< 0: the device the share names, else the
  /// current one). The share keeps its handle (an fd is duplicated for CUDA).
  static ExternalSemaphore import(const SemaphoreShare& share, int device = -1);

  /// The caller-handle forms of import(); the handle stays the caller's unless
  /// `take_ownership`, and then it is closed after a successful import only.
  /// OpaqueFd (binary) or TimelineSemaphoreFd. The fd is duplicated, as for memory.
  static ExternalSemaphore import_fd(SemaphoreHandleType type, int fd, int device,
                                     bool take_ownership);
  /// A Windows handle (NT or KMT). NT handles stay open unless `take_ownership`.
  static ExternalSemaphore import_win32_handle(SemaphoreHandleType type, void* handle, int device,
                                               bool take_ownership);
  /// A named NT handle (UTF-16).
  static ExternalSemaphore import_win32_name(SemaphoreHandleType type, const std::u16string& name,
                                             int device);
  /// An NvSciSyncObj (Tegra/DRIVE only).
  static ExternalSemaphore import_nvscisync(void* object, int device);

  /// Enqueues a signal on `stream`. `value`: the fence value (fence/timeline types), the key
  /// (keyed mutex), the NvSciSyncFence address (NvSciSync); binary semaphores take 0.
  void signal(std::uint64_t value, StreamHandle stream) const;
  /// Enqueues a wait on `stream`; `timeout_ms` is for keyed mutexes only.
  void wait(std::uint64_t value, StreamHandle stream,
            std::optional<unsigned> timeout_ms = std::nullopt) const;

  void close() noexcept;
  bool closed() const noexcept { return state_ == nullptr; }
  int device() const;
  SemaphoreHandleType handle_type() const;
  void* native_handle() const;

 private:
  friend const detail::ExternalSemaphoreState& detail::state_of(const ExternalSemaphore&);
  const detail::ExternalSemaphoreState& live() const;

  std::shared_ptr<detail::ExternalSemaphoreState> state_;
};

/// One semaphore operation of a batch.
struct SemaphoreOperation {
  const ExternalSemaphore* semaphore = nullptr;
  std::uint64_t value = 0;
  std::optional<unsigned> timeout_ms;  // waits on keyed mutexes only
};

/// The batched forms: one cudaSignal/WaitExternalSemaphoresAsync for many semaphores, all of one
/// device. Every element is validated first (a NULL semaphore in CUDA's array crashes it).
struct SemaphoreBatch {
  static void signal(const std::vector<SemaphoreOperation>& operations, StreamHandle stream);
  static void wait(const std::vector<SemaphoreOperation>& operations, StreamHandle stream);
};

}  // namespace cuda_interop
