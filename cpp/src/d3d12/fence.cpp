// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/fence.hpp"

#include <windows.h>

#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {

Fence::Fence(std::shared_ptr<detail::DeviceState> device, Microsoft::WRL::ComPtr<ID3D12Fence> fence,
             std::unique_ptr<Waiter> waiter) noexcept
    : device_(std::move(device)), fence_(std::move(fence)), waiter_(std::move(waiter)) {}

Fence::Waiter::~Waiter() {
  // A registration made by a wait that timed out stays with the fence until the value is reached;
  // closing the event then would let the runtime set whatever handle reuses its number later.
  if (fence && event && fence->GetCompletedValue() < registered) (void)event.release();
}

void Fence::check_open() const {
  if (closed()) throw ClosedError("d3d12.Fence is closed");
}

std::uint64_t Fence::completed_value() const {
  check_open();
  const std::uint64_t value = fence_->GetCompletedValue();
  if (value == UINT64_MAX) {
    // UINT64_MAX is also what a removed device reports for every fence.
    const HRESULT reason = device_->device->GetDeviceRemovedReason();
    if (reason != S_OK) throw HResultError(reason, "ID3D12Fence::GetCompletedValue", "device removed");
  }
  return value;
}

void Fence::signal(std::uint64_t value) const {
  check_open();
  check_hresult(fence_->Signal(value), "ID3D12Fence::Signal", device_->removal_detail());
}

bool Fence::wait(std::uint64_t value, std::uint32_t timeout_ms) const {
  check_open();
  std::lock_guard<std::mutex> lock(waiter_->mutex);
  if (completed_value() >= value) return true;
  check_hresult(fence_->SetEventOnCompletion(value, waiter_->event.get()),
                "ID3D12Fence::SetEventOnCompletion", device_->removal_detail());
  if (value > waiter_->registered) waiter_->registered = value;
  // The event may still carry a signal from an earlier wait that timed out: loop on the value.
  const ULONGLONG start = ::GetTickCount64();
  for (;;) {
    if (completed_value() >= value) return true;
    DWORD remaining = INFINITE;
    if (timeout_ms != infinite) {
      const ULONGLONG elapsed = ::GetTickCount64() - start;
      if (elapsed >= timeout_ms) return false;
      remaining = static_cast<DWORD>(timeout_ms - elapsed);
    }
    const DWORD result = ::WaitForSingleObject(waiter_->event.get(), remaining);
    if (result == WAIT_FAILED) {
      const DWORD code = ::GetLastError();
      throw OsError(static_cast<long>(code), "WaitForSingleObject",
                    "GetLastError() = " + std::to_string(code));
    }
    if (result == WAIT_TIMEOUT) return completed_value() >= value;
  }
}

void Fence::queue_signal(std::uint64_t value) const {
  check_open();
  check_hresult(device_->queue->Signal(fence_.Get(), value), "ID3D12CommandQueue::Signal",
                device_->removal_detail());
}

void Fence::queue_wait(std::uint64_t value) const {
  check_open();
  check_hresult(device_->queue->Wait(fence_.Get(), value), "ID3D12CommandQueue::Wait",
                device_->removal_detail());
}

UniqueWin32Handle Fence::share(const std::wstring& name) const {
  check_open();
  return device_->share(fence_.Get(), name);
}

ID3D12Fence* Fence::native() const {
  check_open();
  return fence_.Get();
}

void Fence::close() noexcept {
  fence_.Reset();
  waiter_.reset();
  device_.reset();
}

}  // namespace cuda_interop::d3d12
