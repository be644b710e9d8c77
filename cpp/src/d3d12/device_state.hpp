// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal: what a d3d12::Device and every object made from it share.

#include <d3d12.h>
#include <dxgi1_4.h>
#include <wrl/client.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "adapters.hpp"
#include "cuda_interop/d3d12/device.hpp"
#include "cuda_interop/os_handle.hpp"

namespace cuda_interop::d3d12::detail {

using Microsoft::WRL::ComPtr;

/// Longest name CreateSharedHandle accepts, in UTF-16 code units.
constexpr std::size_t max_shared_name_length = MAX_PATH;

/// How long a synchronous transfer waits for the copy queue before giving up.
constexpr DWORD transfer_timeout_ms = 60 * 1000;

struct DeviceState {
  AdapterInfo adapter;
  // The DXGI objects outlive the device: Wine's d3d12 uses the adapter when the device is destroyed.
  ComPtr<IDXGIFactory1> dxgi_factory;
  ComPtr<IDXGIAdapter1> dxgi_adapter;
  ComPtr<ID3D12Device> device;
  ComPtr<ID3D12CommandQueue> queue;

  DeviceState(const EnumeratedAdapter& source, ComPtr<ID3D12Device> d3d12_device);
  ~DeviceState();
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;

  /// Records one command list on the copy queue, executes it and waits for it to finish.
  /// `what` names the operation in errors.
  void execute(const std::function<void(ID3D12GraphicsCommandList&)>& record, const char* what);

  /// ID3D12Device::CreateSharedHandle with GENERIC_ALL and an optional name.
  UniqueWin32Handle share(ID3D12DeviceChild* object, const std::wstring& name) const;

  /// A committed buffer in an UPLOAD (state GENERIC_READ) or READBACK (state COPY_DEST) heap.
  ComPtr<ID3D12Resource> create_staging_buffer(D3D12_HEAP_TYPE type, std::uint64_t size) const;

  /// The "; device removed: <reason>" suffix for errors, empty while the device is fine.
  std::string removal_detail() const;

 private:
  /// Waits until the transfer fence reaches `value`; false on timeout.
  bool wait_for(std::uint64_t value, DWORD timeout_ms);

  std::mutex mutex_;  // guards everything below
  ComPtr<ID3D12CommandAllocator> allocator_;
  ComPtr<ID3D12GraphicsCommandList> list_;
  ComPtr<ID3D12Fence> fence_;  // private, unshared: marks the end of each transfer
  UniqueWin32Handle event_;
  std::uint64_t submitted_ = 0;
};

/// Rejects names CreateSharedHandle / OpenSharedHandleByName cannot take.
void check_shared_name(const std::wstring& name);

/// UTF-16 to UTF-8.
std::string to_utf8(const std::wstring& text);

/// A LUID in the byte order CUDA uses.
Luid luid_bytes(const LUID& luid);

/// Throws ClosedError naming `what` when `state` is empty.
DeviceState& open_state(const std::shared_ptr<DeviceState>& state, const char* what);

/// Resource description of a buffer of `size` bytes.
D3D12_RESOURCE_DESC buffer_desc(std::uint64_t size, D3D12_RESOURCE_FLAGS flags);

}  // namespace cuda_interop::d3d12::detail
