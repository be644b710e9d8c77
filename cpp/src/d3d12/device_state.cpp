// SPDX-License-Identifier: Apache-2.0
#include "device_state.hpp"

#include <windows.h>

#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop::d3d12::detail {

DeviceState::DeviceState(const EnumeratedAdapter& source, ComPtr<ID3D12Device> d3d12_device)
    : adapter(source.info),
      dxgi_factory(source.factory),
      dxgi_adapter(source.adapter),
      device(std::move(d3d12_device)) {
  // A copy queue suffices for buffer and texture copies, and on it every resource is implicitly
  // promoted from COMMON and decays back to COMMON when the list completes: no barriers needed,
  // and the resources stay in the state CUDA expects of shared memory.
  D3D12_COMMAND_QUEUE_DESC queue_desc{};
  queue_desc.Type = D3D12_COMMAND_LIST_TYPE_COPY;
  check_hresult(device->CreateCommandQueue(&queue_desc, IID_PPV_ARGS(&queue)),
                "ID3D12Device::CreateCommandQueue");
  check_hresult(device->CreateCommandAllocator(D3D12_COMMAND_LIST_TYPE_COPY, IID_PPV_ARGS(&allocator_)),
                "ID3D12Device::CreateCommandAllocator");
  check_hresult(device->CreateCommandList(0, D3D12_COMMAND_LIST_TYPE_COPY, allocator_.Get(), nullptr,
                                          IID_PPV_ARGS(&list_)),
                "ID3D12Device::CreateCommandList");
  check_hresult(list_->Close(), "ID3D12GraphicsCommandList::Close");
  check_hresult(device->CreateFence(0, D3D12_FENCE_FLAG_NONE, IID_PPV_ARGS(&fence_)),
                "ID3D12Device::CreateFence");
  event_.reset(::CreateEventW(nullptr, FALSE, FALSE, nullptr));
  if (!event_) {
    const DWORD code = ::GetLastError();
    throw OsError(static_cast<long>(code), "CreateEventW", "GetLastError() = " + std::to_string(code));
  }
}

DeviceState::~DeviceState() {
  // Resources die after their last list ran; a queue_wait nobody signals must not hang teardown.
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::uint64_t marker = submitted_ + 1;
    if (SUCCEEDED(queue->Signal(fence_.Get(), marker))) {
      submitted_ = marker;
      if (!wait_for(marker, 10 * 1000)) {
        warn("Direct3D 12 copy queue still busy at device teardown (a queue_wait never signalled?)");
        // The event stays registered with the fence; never close a handle the runtime may set.
        (void)event_.release();
      }
    }
  } catch (...) {
    warn("Direct3D 12 device teardown: waiting for the copy queue failed");
  }
  // The idle queue goes before the allocator and list that fed it: Wine 8's vkd3d crashes in
  // device destruction when the allocator is released first.
  queue.Reset();
}

bool DeviceState::wait_for(std::uint64_t value, DWORD timeout_ms) {
  if (fence_->GetCompletedValue() >= value) return true;
  check_hresult(fence_->SetEventOnCompletion(value, event_.get()), "ID3D12Fence::SetEventOnCompletion");
  // The auto-reset event may carry a stale signal from an earlier, abandoned wait: re-check the value.
  const ULONGLONG deadline = ::GetTickCount64() + timeout_ms;
  for (;;) {
    const std::uint64_t completed = fence_->GetCompletedValue();
    if (completed == UINT64_MAX) {
      throw HResultError(device->GetDeviceRemovedReason(), "ID3D12Fence::GetCompletedValue",
                         "device removed");
    }
    if (completed >= value) return true;
    const ULONGLONG now = ::GetTickCount64();
    if (now >= deadline) return false;
    const DWORD result = ::WaitForSingleObject(event_.get(), static_cast<DWORD>(deadline - now));
    if (result == WAIT_FAILED) {
      const DWORD code = ::GetLastError();
      throw OsError(static_cast<long>(code), "WaitForSingleObject",
                    "GetLastError() = " + std::to_string(code));
    }
  }
}

void DeviceState::execute(const std::function<void(ID3D12GraphicsCommandList&)>& record,
                          const char* what) {
  std::lock_guard<std::mutex> lock(mutex_);
  // The allocator may be reset only when its previous list has finished.
  if (!wait_for(submitted_, transfer_timeout_ms)) {
    throw Error(std::string(what) + ": the copy queue is still busy with an earlier operation "
                "(a Fence::queue_wait waiting for a value nobody signalled?)");
  }
  check_hresult(allocator_->Reset(), "ID3D12CommandAllocator::Reset", what);
  check_hresult(list_->Reset(allocator_.Get(), nullptr), "ID3D12GraphicsCommandList::Reset", what);
  try {
    record(*list_.Get());
  } catch (...) {
    list_->Close();  // a list must be closed before its next Reset
    throw;
  }
  check_hresult(list_->Close(), "ID3D12GraphicsCommandList::Close", what);
  ID3D12CommandList* lists[] = {list_.Get()};
  queue->ExecuteCommandLists(1, lists);
  const std::uint64_t marker = submitted_ + 1;
  check_hresult(queue->Signal(fence_.Get(), marker), "ID3D12CommandQueue::Signal", what);
  submitted_ = marker;
  if (!wait_for(marker, transfer_timeout_ms)) {
    throw Error(std::string(what) + " did not finish within " +
                std::to_string(transfer_timeout_ms / 1000) +
                " s (is the copy queue waiting on a fence value nobody signalled?)" + removal_detail());
  }
}

UniqueWin32Handle DeviceState::share(ID3D12DeviceChild* object, const std::wstring& name) const {
  check_shared_name(name);
  HANDLE handle = nullptr;
  const HRESULT result = device->CreateSharedHandle(object, nullptr, GENERIC_ALL,
                                                    name.empty() ? nullptr : name.c_str(), &handle);
  std::string detail;
  if (result == static_cast<HRESULT>(E_NOTIMPL)) {
    detail = "this Direct3D 12 runtime cannot share objects (Wine's vkd3d does not implement it)";
  } else if (result == static_cast<HRESULT>(DXGI_ERROR_NAME_ALREADY_EXISTS)) {
    detail = "the name \"" + to_utf8(name) + "\" is taken; names are per session and case-sensitive";
  }
  check_hresult(result, "ID3D12Device::CreateSharedHandle", detail + removal_detail());
  return UniqueWin32Handle(handle);
}

ComPtr<ID3D12Resource> DeviceState::create_staging_buffer(D3D12_HEAP_TYPE type,
                                                          std::uint64_t size) const {
  D3D12_HEAP_PROPERTIES heap{};
  heap.Type = type;
  const D3D12_RESOURCE_DESC desc = buffer_desc(size, D3D12_RESOURCE_FLAG_NONE);
  // Upload heaps must start in GENERIC_READ, readback heaps in COPY_DEST.
  const D3D12_RESOURCE_STATES state =
      type == D3D12_HEAP_TYPE_UPLOAD ? D3D12_RESOURCE_STATE_GENERIC_READ : D3D12_RESOURCE_STATE_COPY_DEST;
  ComPtr<ID3D12Resource> buffer;
  check_hresult(device->CreateCommittedResource(&heap, D3D12_HEAP_FLAG_NONE, &desc, state, nullptr,
                                                IID_PPV_ARGS(&buffer)),
                "ID3D12Device::CreateCommittedResource",
                "staging buffer of " + std::to_string(size) + " bytes");
  return buffer;
}

std::string DeviceState::removal_detail() const {
  const HRESULT reason = device->GetDeviceRemovedReason();
  if (reason == S_OK) return {};
  return "; device removed: " + describe_hresult(reason);
}

void check_shared_name(const std::wstring& name) {
  if (name.size() > max_shared_name_length) {
    throw InvalidArgument("shared handle name has " + std::to_string(name.size()) +
                          " UTF-16 code units; at most MAX_PATH (" +
                          std::to_string(max_shared_name_length) + ") are allowed");
  }
  if (name.find(L'\0') != std::wstring::npos) {
    throw InvalidArgument("shared handle name contains a NUL character");
  }
}

DeviceState& open_state(const std::shared_ptr<DeviceState>& state, const char* what) {
  if (!state) throw ClosedError(std::string(what) + " is closed");
  return *state;
}

D3D12_RESOURCE_DESC buffer_desc(std::uint64_t size, D3D12_RESOURCE_FLAGS flags) {
  D3D12_RESOURCE_DESC desc{};
  desc.Dimension = D3D12_RESOURCE_DIMENSION_BUFFER;
  desc.Alignment = 0;
  desc.Width = size;
  desc.Height = 1;
  desc.DepthOrArraySize = 1;
  desc.MipLevels = 1;
  desc.Format = DXGI_FORMAT_UNKNOWN;
  desc.SampleDesc.Count = 1;
  desc.Layout = D3D12_TEXTURE_LAYOUT_ROW_MAJOR;
  desc.Flags = flags;
  return desc;
}

}  // namespace cuda_interop::d3d12::detail
