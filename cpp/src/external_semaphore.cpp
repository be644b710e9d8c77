// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_semaphore.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"
#include "cuda_interop/os_handle.hpp"
#include "fd_import.hpp"
#include "win32_name.hpp"
#include "process.hpp"

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
  static ExternalSemaphore wrap(cudaExternalSemaphore_t h, int dev, SemaphoreHandleType t) {
    return ExternalSemaphore(std::make_shared<ExternalSemaphoreState>(h, dev, t));
  }
  ~ExternalSemaphoreState() {
    if (!is_owner(owner)) return;
    try {
      DeviceGuard guard(device);
      check_cuda_teardown(cudaDestroyExternalSemaphore(handle), "cudaDestroyExternalSemaphore");
    } catch (const std::exception& error) {
      warn(std::string("cudaDestroyExternalSemaphore skipped: ") + error.what());
    }
  }
};

const ExternalSemaphoreState& state_of(const ExternalSemaphore& semaphore) { return semaphore.live(); }

}  // namespace detail

namespace {

bool is_win32(SemaphoreHandleType type) noexcept {
  return type == SemaphoreHandleType::OpaqueWin32 || type == SemaphoreHandleType::OpaqueWin32Kmt ||
         type == SemaphoreHandleType::D3D12Fence || type == SemaphoreHandleType::D3D11Fence ||
         type == SemaphoreHandleType::KeyedMutex || type == SemaphoreHandleType::KeyedMutexKmt ||
         type == SemaphoreHandleType::TimelineSemaphoreWin32;
}

bool is_kmt(SemaphoreHandleType type) noexcept {
  return type == SemaphoreHandleType::OpaqueWin32Kmt || type == SemaphoreHandleType::KeyedMutexKmt;
}

std::string describe(SemaphoreHandleType type, int device) {
  return std::string(to_string(type)) + ", device " + std::to_string(device);
}

cudaExternalSemaphoreHandleDesc make_desc(SemaphoreHandleType type) {
  cudaExternalSemaphoreHandleDesc desc{};  // flags and reserved[] must be zero
  desc.type = static_cast<cudaExternalSemaphoreHandleType>(type);
  return desc;
}

cudaError_t import(const cudaExternalSemaphoreHandleDesc& desc, int device,
                   cudaExternalSemaphore_t* handle) {
  DeviceGuard guard(device);
  return cudaImportExternalSemaphore(handle, &desc);
}

void validate_win32(SemaphoreHandleType type) {
  if (!is_win32(type)) {
    throw InvalidArgument(std::string(to_string(type)) + " is not a Windows handle type");
  }
#ifndef _WIN32
  throw NotSupported(std::string(to_string(type)) + " handles exist only on Windows");
#endif
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

const char* to_string(SemaphoreHandleType type) noexcept {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd: return "cudaExternalSemaphoreHandleTypeOpaqueFd";
    case SemaphoreHandleType::OpaqueWin32: return "cudaExternalSemaphoreHandleTypeOpaqueWin32";
    case SemaphoreHandleType::OpaqueWin32Kmt: return "cudaExternalSemaphoreHandleTypeOpaqueWin32Kmt";
    case SemaphoreHandleType::D3D12Fence: return "cudaExternalSemaphoreHandleTypeD3D12Fence";
    case SemaphoreHandleType::D3D11Fence: return "cudaExternalSemaphoreHandleTypeD3D11Fence";
    case SemaphoreHandleType::NvSciSync: return "cudaExternalSemaphoreHandleTypeNvSciSync";
    case SemaphoreHandleType::KeyedMutex: return "cudaExternalSemaphoreHandleTypeKeyedMutex";
    case SemaphoreHandleType::KeyedMutexKmt: return "cudaExternalSemaphoreHandleTypeKeyedMutexKmt";
    case SemaphoreHandleType::TimelineSemaphoreFd:
      return "cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd";
    case SemaphoreHandleType::TimelineSemaphoreWin32:
      return "cudaExternalSemaphoreHandleTypeTimelineSemaphoreWin32";
  }
  return "unknown cudaExternalSemaphoreHandleType";
}

SemaphoreKind kind_of(SemaphoreHandleType type) noexcept {
  switch (type) {
    case SemaphoreHandleType::OpaqueFd:
    case SemaphoreHandleType::OpaqueWin32:
    case SemaphoreHandleType::OpaqueWin32Kmt: return SemaphoreKind::Binary;
    case SemaphoreHandleType::KeyedMutex:
    case SemaphoreHandleType::KeyedMutexKmt: return SemaphoreKind::KeyedMutex;
    case SemaphoreHandleType::NvSciSync: return SemaphoreKind::NvSciSync;
    default: return SemaphoreKind::Fence;
  }
}

namespace {
ExternalSemaphore checked_wrap(cudaError_t status, cudaExternalSemaphore_t handle, int device,
                               SemaphoreHandleType type, const std::string& how) {
  check_cuda(status, "cudaImportExternalSemaphore", describe(type, device) + how);
  return detail::ExternalSemaphoreState::wrap(handle, device, type);
}
}  // namespace

ExternalSemaphore ExternalSemaphore::import_fd(SemaphoreHandleType type, int fd, int device,
                                               bool take_ownership) {
  if (type != SemaphoreHandleType::OpaqueFd && type != SemaphoreHandleType::TimelineSemaphoreFd) {
    throw InvalidArgument(std::string(to_string(type)) + " is not a file-descriptor type");
  }
  if (fd < 0) throw InvalidArgument("fd must be >= 0, got " + std::to_string(fd));
#ifdef _WIN32
  (void)device, (void)take_ownership;
  throw NotSupported("file descriptors are not importable on Windows; use a Win32 handle");
#else
  if (!fd_is_open(fd)) throw InvalidArgument("fd " + std::to_string(fd) + " is not open");
  const int ordinal = resolve_device(device);
  auto desc = make_desc(type);
  cudaExternalSemaphore_t handle = nullptr;
  const cudaError_t status = detail::import_duplicate(fd, take_ownership, [&](int duplicate) {
    desc.handle.fd = duplicate;
    return import(desc, ordinal, &handle);
  });
  return checked_wrap(status, handle, ordinal, type, "");
#endif
}

ExternalSemaphore ExternalSemaphore::import_win32_handle(SemaphoreHandleType type, void* handle,
                                                         int device, bool take_ownership) {
  if (handle == nullptr) throw InvalidArgument("handle must not be NULL");
  if (take_ownership && is_kmt(type)) {
    throw InvalidArgument(std::string(to_string(type)) +
                          ": a KMT handle holds no reference and is not closed; "
                          "take_ownership must be false");
  }
  validate_win32(type);
  const int ordinal = resolve_device(device);
  auto desc = make_desc(type);
  desc.handle.win32.handle = handle;
  cudaExternalSemaphore_t imported = nullptr;
  ExternalSemaphore semaphore =
      checked_wrap(import(desc, ordinal, &imported), imported, ordinal, type, "");
  if (take_ownership) UniqueWin32Handle(handle).reset();
  return semaphore;
}

ExternalSemaphore ExternalSemaphore::import_win32_name(SemaphoreHandleType type,
                                                       const std::u16string& name, int device) {
  detail::validate_win32_name(name);
  if (is_kmt(type)) throw InvalidArgument(std::string(to_string(type)) + " cannot be opened by name");
  validate_win32(type);
  const int ordinal = resolve_device(device);
  auto desc = make_desc(type);
  desc.handle.win32.name = name.c_str();
  cudaExternalSemaphore_t imported = nullptr;
  return checked_wrap(import(desc, ordinal, &imported), imported, ordinal, type, ", by name");
}

ExternalSemaphore ExternalSemaphore::import_nvscisync(void* object, int device) {
  if (object == nullptr) throw InvalidArgument("NvSciSyncObj must not be NULL");
#if defined(__linux__) && defined(__aarch64__)
  const int ordinal = resolve_device(device);
  auto desc = make_desc(SemaphoreHandleType::NvSciSync);
  desc.handle.nvSciSyncObj = object;
  cudaExternalSemaphore_t imported = nullptr;
  return checked_wrap(import(desc, ordinal, &imported), imported, ordinal,
                      SemaphoreHandleType::NvSciSync, "");
#else
  (void)device;
  throw NotSupported("NvSciSync exists only on NVIDIA Tegra/DRIVE platforms (aarch64 Linux)");
#endif
}

const detail::ExternalSemaphoreState& ExternalSemaphore::live() const {
  if (!state_) throw ClosedError("ExternalSemaphore is closed");
  return *state_;
}

int ExternalSemaphore::device() const { return live().device; }
SemaphoreHandleType ExternalSemaphore::handle_type() const { return live().type; }
void* ExternalSemaphore::native_handle() const { return live().handle; }

void ExternalSemaphore::signal(std::uint64_t value, StreamHandle stream) const {
  SemaphoreBatch::signal({{this, value, std::nullopt}}, stream);
}

void ExternalSemaphore::wait(std::uint64_t value, StreamHandle stream,
                             std::optional<unsigned> timeout_ms) const {
  SemaphoreBatch::wait({{this, value, timeout_ms}}, stream);
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
  check_cuda(cudaSignalExternalSemaphoresAsync(handles.data(), params.data(),
                                               static_cast<unsigned>(handles.size()),
                                               reinterpret_cast<cudaStream_t>(stream)),
             "cudaSignalExternalSemaphoresAsync",
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
  check_cuda(cudaWaitExternalSemaphoresAsync(handles.data(), params.data(),
                                             static_cast<unsigned>(handles.size()),
                                             reinterpret_cast<cudaStream_t>(stream)),
             "cudaWaitExternalSemaphoresAsync",
             describe(operations.front().semaphore->handle_type(), device));
}

}  // namespace cuda_interop
