// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/external_memory.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"
#include "external_memory_state.hpp"
#include "fd_import.hpp"
#include "win32_name.hpp"

namespace cuda_interop {
namespace detail {

ExternalMemoryState::~ExternalMemoryState() {
  if (!is_owner(owner)) return;  // a forked child must not destroy its parent's import
  try {
    DeviceGuard guard(device);
    check_cuda_teardown(cudaDestroyExternalMemory(handle), "cudaDestroyExternalMemory");
  } catch (const std::exception& error) {
    warn(std::string("cudaDestroyExternalMemory skipped: ") + error.what());
  }
}

std::string ExternalMemoryState::describe() const {
  return std::string(to_string(type)) + " import of " + std::to_string(size) + " bytes on device " +
         std::to_string(device);
}

}  // namespace detail

namespace {

using detail::ExternalMemoryState;

void validate_size(std::uint64_t size) {
  if (size == 0) throw InvalidArgument("size must be > 0 (the allocation size the producer reports)");
}

cudaExternalMemoryHandleDesc make_desc(MemoryHandleType type, std::uint64_t size, bool dedicated) {
  cudaExternalMemoryHandleDesc desc{};  // value-initialised: CUDA 13's reserved[] must be zero
  desc.type = static_cast<cudaExternalMemoryHandleType>(type);
  desc.size = size;
  desc.flags = dedicated ? cudaExternalMemoryDedicated : 0u;
  return desc;
}

std::string describe_request(MemoryHandleType type, std::uint64_t size, int device) {
  return std::string(to_string(type)) + ", size " + std::to_string(size) + ", device " +
         std::to_string(device);
}

/// Imports on `device`; returns the CUDA status so callers can settle handle ownership first.
cudaError_t import(const cudaExternalMemoryHandleDesc& desc, int device,
                   cudaExternalMemory_t* handle) {
  DeviceGuard guard(device);
  return cudaImportExternalMemory(handle, &desc);
}

ExternalMemory wrap(cudaExternalMemory_t handle, int device, const cudaExternalMemoryHandleDesc& desc,
                    MemoryHandleType type) {
  return ExternalMemoryState::wrap(std::make_shared<ExternalMemoryState>(
      handle, device, desc.size, type, (desc.flags & cudaExternalMemoryDedicated) != 0));
}

void validate_win32_type(MemoryHandleType type, bool dedicated) {
  if (!is_win32(type)) {
    throw InvalidArgument(std::string(to_string(type)) + " is not a Windows handle type");
  }
  if (requires_dedicated(type) && !dedicated) {
    throw InvalidArgument(std::string(to_string(type)) +
                          " must be imported as dedicated (cudaExternalMemoryDedicated)");
  }
#ifndef _WIN32
  throw NotSupported(std::string(to_string(type)) + " handles exist only on Windows");
#endif
}

}  // namespace

const char* to_string(MemoryHandleType type) noexcept {
  switch (type) {
    case MemoryHandleType::OpaqueFd: return "cudaExternalMemoryHandleTypeOpaqueFd";
    case MemoryHandleType::OpaqueWin32: return "cudaExternalMemoryHandleTypeOpaqueWin32";
    case MemoryHandleType::OpaqueWin32Kmt: return "cudaExternalMemoryHandleTypeOpaqueWin32Kmt";
    case MemoryHandleType::D3D12Heap: return "cudaExternalMemoryHandleTypeD3D12Heap";
    case MemoryHandleType::D3D12Resource: return "cudaExternalMemoryHandleTypeD3D12Resource";
    case MemoryHandleType::D3D11Resource: return "cudaExternalMemoryHandleTypeD3D11Resource";
    case MemoryHandleType::D3D11ResourceKmt: return "cudaExternalMemoryHandleTypeD3D11ResourceKmt";
    case MemoryHandleType::NvSciBuf: return "cudaExternalMemoryHandleTypeNvSciBuf";
  }
  return "unknown cudaExternalMemoryHandleType";
}

bool is_win32(MemoryHandleType type) noexcept {
  return type != MemoryHandleType::OpaqueFd && type != MemoryHandleType::NvSciBuf;
}

bool is_kmt(MemoryHandleType type) noexcept {
  return type == MemoryHandleType::OpaqueWin32Kmt || type == MemoryHandleType::D3D11ResourceKmt;
}

bool requires_dedicated(MemoryHandleType type) noexcept {
  return type == MemoryHandleType::D3D12Resource || type == MemoryHandleType::D3D11Resource ||
         type == MemoryHandleType::D3D11ResourceKmt;
}

ExternalMemory ExternalMemory::import_fd(int fd, std::uint64_t size, bool dedicated, int device,
                                         bool take_ownership) {
  if (fd < 0) throw InvalidArgument("fd must be >= 0, got " + std::to_string(fd));
  validate_size(size);
#ifdef _WIN32
  (void)dedicated, (void)device, (void)take_ownership;
  throw NotSupported("file descriptors are not importable on Windows; use a Win32 handle");
#else
  if (!fd_is_open(fd)) throw InvalidArgument("fd " + std::to_string(fd) + " is not open");
  const int ordinal = resolve_device(device);
  auto desc = make_desc(MemoryHandleType::OpaqueFd, size, dedicated);
  cudaExternalMemory_t handle = nullptr;
  const cudaError_t status = detail::import_duplicate(fd, take_ownership, [&](int duplicate) {
    desc.handle.fd = duplicate;
    return import(desc, ordinal, &handle);
  });
  check_cuda(status, "cudaImportExternalMemory",
             describe_request(MemoryHandleType::OpaqueFd, size, ordinal));
  return wrap(handle, ordinal, desc, MemoryHandleType::OpaqueFd);
#endif
}

ExternalMemory ExternalMemory::import_win32_handle(MemoryHandleType type, void* handle,
                                                   std::uint64_t size, bool dedicated, int device,
                                                   bool take_ownership) {
  if (handle == nullptr) throw InvalidArgument("handle must not be NULL");
  validate_size(size);
  if (take_ownership && is_kmt(type)) {
    throw InvalidArgument(std::string(to_string(type)) +
                          ": a KMT handle holds no reference and is not closed; "
                          "take_ownership must be false");
  }
  validate_win32_type(type, dedicated);
  const int ordinal = resolve_device(device);
  auto desc = make_desc(type, size, dedicated);
  desc.handle.win32.handle = handle;
  cudaExternalMemory_t imported = nullptr;
  check_cuda(import(desc, ordinal, &imported), "cudaImportExternalMemory",
             describe_request(type, size, ordinal));
  ExternalMemory memory = wrap(imported, ordinal, desc, type);
  // CUDA never takes an NT handle; it holds its own reference to the resource.
  if (take_ownership) UniqueWin32Handle(handle).reset();
  return memory;
}

ExternalMemory ExternalMemory::import_win32_name(MemoryHandleType type, const std::u16string& name,
                                                 std::uint64_t size, bool dedicated, int device) {
  detail::validate_win32_name(name);
  validate_size(size);
  if (is_kmt(type)) {
    throw InvalidArgument(std::string(to_string(type)) + " cannot be opened by name");
  }
  validate_win32_type(type, dedicated);
  const int ordinal = resolve_device(device);
  auto desc = make_desc(type, size, dedicated);
  desc.handle.win32.name = name.c_str();  // UTF-16, NUL-terminated
  cudaExternalMemory_t imported = nullptr;
  check_cuda(import(desc, ordinal, &imported), "cudaImportExternalMemory",
             describe_request(type, size, ordinal) + ", by name");
  return wrap(imported, ordinal, desc, type);
}

ExternalMemory ExternalMemory::import_nvscibuf(void* object, std::uint64_t size, int device) {
  if (object == nullptr) throw InvalidArgument("NvSciBufObj must not be NULL");
  validate_size(size);
#if defined(__linux__) && defined(__aarch64__)
  const int ordinal = resolve_device(device);
  auto desc = make_desc(MemoryHandleType::NvSciBuf, size, false);
  desc.handle.nvSciBufObject = object;
  cudaExternalMemory_t imported = nullptr;
  check_cuda(import(desc, ordinal, &imported), "cudaImportExternalMemory",
             describe_request(MemoryHandleType::NvSciBuf, size, ordinal));
  return wrap(imported, ordinal, desc, MemoryHandleType::NvSciBuf);
#else
  (void)device;
  throw NotSupported("NvSciBuf exists only on NVIDIA Tegra/DRIVE platforms (aarch64 Linux)");
#endif
}

const ExternalMemoryState& ExternalMemory::live() const {
  if (!state_) throw ClosedError("ExternalMemory is closed");
  return *state_;
}

int ExternalMemory::device() const { return live().device; }
std::uint64_t ExternalMemory::size() const { return live().size; }
MemoryHandleType ExternalMemory::handle_type() const { return live().type; }
bool ExternalMemory::dedicated() const { return live().dedicated; }
void* ExternalMemory::native_handle() const { return live().handle; }

}  // namespace cuda_interop
