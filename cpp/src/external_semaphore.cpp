// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_semaphore.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "import.hpp"
#include "cuda_interop/process.hpp"
#include "teardown.hpp"

namespace cuda_interop {
namespace detail {

struct ExternalSemaphoreState {
  cudaExternalSemaphore_t handle = nullptr;
  int device = 0;
  SemaphoreHandleType type = SemaphoreHandleType::OpaqueFd;
  ProcessId owner = current_process();

  ExternalSemaphoreState(cudaExternalSemaphore_t h, int dev, SemaphoreHandleType t)
      : handle(h), device(dev), type(t) {}
  ExternalSemaphoreState(const ExternalSemaphoreState&) = delete;
  ExternalSemaphoreState& operator=(const ExternalSemaphoreState&) = delete;
  ~ExternalSemaphoreState() {
    teardown_on(owner, device, "cudaDestroyExternalSemaphore",
                [this] { CUDA_INTEROP_TEARDOWN(cudaDestroyExternalSemaphore(handle)); });
  }
};

const ExternalSemaphoreState& state_of(const ExternalSemaphore& semaphore) { return semaphore.live(); }

}  // namespace detail

namespace {

std::string describe(SemaphoreHandleType type, int device) {
  return std::string(to_string(type)) + ", device " + std::to_string(device);
}

SemaphoreShare caller_share(SemaphoreHandleType type, SharedHandle handle) {
  SemaphoreShare share;
  share.type = type;
  share.handle = std::move(handle);
  return share;
}

void validate_value(const detail::ExternalSemaphoreState& state, std::uint64_t value,
                    const std::optional<unsigned>& timeout_ms) {
  const SemaphoreKind kind = kind_of(state.type);
  if (kind == SemaphoreKind::Binary && value != 0) {
    throw InvalidArgument(std::string(to_string(state.type)) +
                          " is a binary semaphore: it takes no value (pass 0)");
  }
  if (kind == SemaphoreKind::NvSciSync && value == 0) {
    throw InvalidArgument("NvSciSync operations need the address of an NvSciSyncFence");
  }
  if (timeout_ms && kind != SemaphoreKind::KeyedMutex) {
    throw InvalidArgument("a timeout applies to keyed-mutex waits only");
  }
}

cudaExternalSemaphoreSignalParams signal_params(const detail::ExternalSemaphoreState& state,
                                                std::uint64_t value) {
  validate_value(state, value, std::nullopt);
  cudaExternalSemaphoreSignalParams params{};
  switch (kind_of(state.type)) {
    case SemaphoreKind::Fence: params.params.fence.value = value; break;
    case SemaphoreKind::KeyedMutex: params.params.keyedMutex.key = value; break;
    case SemaphoreKind::NvSciSync: params.params.nvSciSync.fence = reinterpret_cast<void*>(value); break;
    case SemaphoreKind::Binary: break;
  }
  return params;
}

cudaExternalSemaphoreWaitParams wait_params(const detail::ExternalSemaphoreState& state,
                                            std::uint64_t value,
                                            const std::optional<unsigned>& timeout_ms) {
  validate_value(state, value, timeout_ms);
  cudaExternalSemaphoreWaitParams params{};
  switch (kind_of(state.type)) {
    case SemaphoreKind::Fence: params.params.fence.value = value; break;
    case SemaphoreKind::KeyedMutex:
      params.params.keyedMutex.key = value;
      params.params.keyedMutex.timeoutMs = timeout_ms.value_or(infinite_timeout);
      break;
    case SemaphoreKind::NvSciSync: params.params.nvSciSync.fence = reinterpret_cast<void*>(value); break;
    case SemaphoreKind::Binary: break;
  }
  return params;
}

}  // namespace

ExternalSemaphore::ExternalSemaphore() noexcept = default;
ExternalSemaphore::~ExternalSemaphore() = default;
ExternalSemaphore::ExternalSemaphore(ExternalSemaphore&&) noexcept = default;
ExternalSemaphore& ExternalSemaphore::operator=(ExternalSemaphore&&) noexcept = default;
void ExternalSemaphore::close() noexcept { state_.reset(); }

ExternalSemaphore ExternalSemaphore::import(const SemaphoreShare& share, int device) {
  cudaExternalSemaphoreHandleDesc desc{};  // flags and reserved[] must be zero
  desc.type = static_cast<cudaExternalSemaphoreHandleType>(share.type);
  cudaExternalSemaphore_t handle = nullptr;
  const int ordinal = detail::import_share(
      share, device, desc, "cudaImportExternalSemaphore",
      [&](const cudaExternalSemaphoreHandleDesc& filled) {
        return cudaImportExternalSemaphore(&handle, &filled);
      });
  ExternalSemaphore semaphore;
  semaphore.state_ = std::make_shared<detail::ExternalSemaphoreState>(handle, ordinal, share.type);
  return semaphore;
}

ExternalSemaphore ExternalSemaphore::import_fd(SemaphoreHandleType type, int fd, int device,
                                               bool take_ownership) {
  if (form_of(type) != HandleForm::Fd) {
    throw InvalidArgument(std::string(to_string(type)) + " is not a file-descriptor type");
  }
  SemaphoreShare share = caller_share(type, SharedHandle::fd(fd, take_ownership));
  return detail::import_caller_handle(share,
                                      [&](const SemaphoreShare& s) { return import(s, device); });
}

ExternalSemaphore ExternalSemaphore::import_win32_handle(SemaphoreHandleType type, void* handle,
                                                         int device, bool take_ownership) {
  const bool kmt = form_of(type) == HandleForm::KmtHandle;
  if (take_ownership && kmt) {
    throw InvalidArgument(std::string(to_string(type)) +
                          ": a KMT handle holds no reference and is not closed; "
                          "take_ownership must be false");
  }
  SemaphoreShare share = caller_share(
      type, kmt ? SharedHandle::address(handle) : SharedHandle::win32(handle, take_ownership));
  return detail::import_caller_handle(share,
                                      [&](const SemaphoreShare& s) { return import(s, device); });
}

ExternalSemaphore ExternalSemaphore::import_win32_name(SemaphoreHandleType type,
                                                       const std::u16string& name, int device) {
  if (form_of(type) == HandleForm::KmtHandle) {
    throw InvalidArgument(std::string(to_string(type)) + ": KMT handles cannot be opened by name");
  }
  return import(caller_share(type, SharedHandle::name(name)), device);
}

ExternalSemaphore ExternalSemaphore::import_nvscisync(void* object, int device) {
  return import(caller_share(SemaphoreHandleType::NvSciSync, SharedHandle::address(object)),
                device);
}

const detail::ExternalSemaphoreState& ExternalSemaphore::live() const {
  if (!state_) throw ClosedError("ExternalSemaphore is closed");
  return *state_;
}

int ExternalSemaphore::device() const { return live().device; }
SemaphoreHandleType ExternalSemaphore::handle_type() const { return live().type; }
void* ExternalSemaphore::native_handle() const { return live().handle; }

// One semaphore: the batched call with arrays of one, without building the batch.
void ExternalSemaphore::signal(std::uint64_t value, StreamHandle stream) const {
  const detail::ExternalSemaphoreState& state = live();
  const cudaExternalSemaphoreSignalParams params = signal_params(state, value);
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaSignalExternalSemaphoresAsync(&state.handle, &params, 1,
                                                       reinterpret_cast<cudaStream_t>(stream)),
                     describe(state.type, state.device));
}

void ExternalSemaphore::wait(std::uint64_t value, StreamHandle stream,
                             std::optional<unsigned> timeout_ms) const {
  const detail::ExternalSemaphoreState& state = live();
  const cudaExternalSemaphoreWaitParams params = wait_params(state, value, timeout_ms);
  DeviceGuard guard(state.device);
  CUDA_INTEROP_CHECK(cudaWaitExternalSemaphoresAsync(&state.handle, &params, 1,
                                                     reinterpret_cast<cudaStream_t>(stream)),
                     describe(state.type, state.device));
}

namespace {

/// The semaphores' common device, after checking every element (CUDA crashes on a NULL one).
template <typename Params, typename MakeParams>
int gather(const std::vector<SemaphoreOperation>& operations, MakeParams make_params,
           std::vector<cudaExternalSemaphore_t>& handles, std::vector<Params>& params) {
  if (operations.empty()) throw InvalidArgument("no semaphores given");
  int device = -1;
  for (const SemaphoreOperation& operation : operations) {
    if (operation.semaphore == nullptr) throw InvalidArgument("a semaphore is missing (None)");
    const detail::ExternalSemaphoreState& state = detail::state_of(*operation.semaphore);
    if (device >= 0 && state.device != device) {
      throw InvalidArgument("all semaphores of one call must be on one device");
    }
    device = state.device;
    handles.push_back(state.handle);
    params.push_back(make_params(state, operation));
  }
  return device;
}

}  // namespace

void SemaphoreBatch::signal(const std::vector<SemaphoreOperation>& operations, StreamHandle stream) {
  std::vector<cudaExternalSemaphore_t> handles;
  std::vector<cudaExternalSemaphoreSignalParams> params;
  const int device = gather(operations,
                            [](const detail::ExternalSemaphoreState& state,
                               const SemaphoreOperation& operation) {
                              if (operation.timeout_ms) {
                                throw InvalidArgument("a signal takes no timeout");
                              }
                              return signal_params(state, operation.value);
                            },
                            handles, params);
  DeviceGuard guard(device);
  CUDA_INTEROP_CHECK(cudaSignalExternalSemaphoresAsync(handles.data(), params.data(),
                                                       static_cast<unsigned>(handles.size()),
                                                       reinterpret_cast<cudaStream_t>(stream)),
                     describe(operations.front().semaphore->handle_type(), device));
}

void SemaphoreBatch::wait(const std::vector<SemaphoreOperation>& operations, StreamHandle stream) {
  std::vector<cudaExternalSemaphore_t> handles;
  std::vector<cudaExternalSemaphoreWaitParams> params;
  const int device = gather(operations,
                            [](const detail::ExternalSemaphoreState& state,
                               const SemaphoreOperation& operation) {
                              return wait_params(state, operation.value, operation.timeout_ms);
                            },
                            handles, params);
  DeviceGuard guard(device);
  CUDA_INTEROP_CHECK(cudaWaitExternalSemaphoresAsync(handles.data(), params.data(),
                                                     static_cast<unsigned>(handles.size()),
                                                     reinterpret_cast<cudaStream_t>(stream)),
                     describe(operations.front().semaphore->handle_type(), device));
}

}  // namespace cuda_interop
