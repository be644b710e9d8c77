// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A shareable Direct3D 12 fence (D3D12_FENCE_FLAG_SHARED), imported by CUDA as
/// cudaExternalSemaphoreHandleTypeD3D12Fence: a 64-bit value that only grows. Signal and wait from
/// the CPU or on the device's copy queue. Windows only.

#include <d3d12.h>
#include <wrl/client.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/share.hpp"

namespace cuda_interop::d3d12 {

namespace detail {
struct DeviceState;
}
class Device;

/// Owner of an ID3D12Fence. Move-only; an empty (moved-from or closed) fence throws ClosedError.
class Fence {
 public:
  /// Wait without a time limit.
  static constexpr std::uint32_t infinite = 0xFFFFFFFFu;

  Fence() noexcept = default;
  Fence(Fence&&) noexcept = default;
  Fence& operator=(Fence&&) noexcept = default;
  Fence(const Fence&) = delete;
  Fence& operator=(const Fence&) = delete;
  ~Fence() = default;

  /// ID3D12Fence::GetCompletedValue. HResultError when the device was removed.
  std::uint64_t completed_value() const;
  /// Sets the value from the CPU (ID3D12Fence::Signal).
  void signal(std::uint64_t value) const;
  /// Blocks the calling thread until the value is at least `value` or `timeout_ms` passed;
  /// returns whether the value was reached.
  bool wait(std::uint64_t value, std::uint32_t timeout_ms = infinite) const;
  /// Enqueues a signal to `value` on the device's copy queue (ID3D12CommandQueue::Signal).
  void queue_signal(std::uint64_t value) const;
  /// Makes the device's copy queue wait until the value is at least `value`
  /// (ID3D12CommandQueue::Wait). Later transfers on that queue run after it.
  void queue_wait(std::uint64_t value) const;

  /// ID3D12Device::CreateSharedHandle(fence, nullptr, GENERIC_ALL, name): a new NT handle owned by
  /// the caller; an empty name shares without a name. HResultError naming CreateSharedHandle when
  /// the runtime refuses; InvalidArgument for a name longer than MAX_PATH.
  UniqueWin32Handle share(const std::wstring& name = {}) const;

  /// A share descriptor for CUDA: the fence by a new NT handle (or by `name`) and the adapter's LUID.
  SemaphoreShare export_share(const std::wstring& name = {}) const;

  /// The ID3D12Fence, borrowed.
  ID3D12Fence* native() const;

  /// Releases this reference to the fence. Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return fence_ == nullptr; }

 private:
  friend class Device;
  /// The event SetEventOnCompletion sets; one per fence, waits on it are serialised.
  struct Waiter {
    Microsoft::WRL::ComPtr<ID3D12Fence> fence;
    UniqueWin32Handle event;
    std::mutex mutex;
    std::uint64_t registered = 0;  // highest value an event was registered for
    /// Closes the event unless a wait that timed out left it registered with the fence.
    ~Waiter();
  };
  Fence(std::shared_ptr<detail::DeviceState> device, Microsoft::WRL::ComPtr<ID3D12Fence> fence,
        std::unique_ptr<Waiter> waiter) noexcept;
  void check_open() const;

  std::shared_ptr<detail::DeviceState> device_;
  Microsoft::WRL::ComPtr<ID3D12Fence> fence_;
  std::unique_ptr<Waiter> waiter_;
};

}  // namespace cuda_interop::d3d12
