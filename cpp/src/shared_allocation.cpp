// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/shared_allocation.hpp"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.hpp"
#include "cuda_interop/arguments.hpp"
#include "cuda_interop/device.hpp"
#include "cuda_interop/error.hpp"
#include "driver_api.hpp"
#include "cuda_interop/process.hpp"

namespace cuda_interop {
namespace detail {

#ifdef _WIN32
constexpr CUmemAllocationHandleType shareable_type = CU_MEM_HANDLE_TYPE_WIN32;
#else
constexpr CUmemAllocationHandleType shareable_type = CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR;
#endif

/// Each step of creation is undone by the destructor, in reverse, as far as it got.
struct SharedAllocationState {
  int device = 0;
  std::uint64_t size = 0;
  CUmemGenericAllocationHandle allocation = 0;
  CUdeviceptr address = 0;
  bool mapped = false;
  Uuid uuid{};
  ProcessId owner = current_process();

  SharedAllocationState() = default;
  SharedAllocationState(const SharedAllocationState&) = delete;
  SharedAllocationState& operator=(const SharedAllocationState&) = delete;

  ~SharedAllocationState() {
    if (!is_owner(owner)) return;
    const DriverApi& api = DriverApi::get();  // loaded, or nothing was created
    if (mapped) check_driver_teardown(api.cuMemUnmap(address, size), "cuMemUnmap");
    if (address != 0) check_driver_teardown(api.cuMemAddressFree(address, size), "cuMemAddressFree");
    if (allocation != 0) check_driver_teardown(api.cuMemRelease(allocation), "cuMemRelease");
  }
};

}  // namespace detail

SharedAllocation SharedAllocation::create(std::uint64_t size, int device) {
  nonzero(size, "size");
  const int ordinal = resolve_device(device);
  DeviceGuard guard(ordinal);
  CUDA_INTEROP_CHECK(cudaFree(nullptr), "initialising device " + std::to_string(ordinal));
  const detail::DriverApi& api = detail::DriverApi::get();

  CUmemAllocationProp prop{};
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = ordinal;
  prop.requestedHandleTypes = detail::shareable_type;
  std::size_t granularity = 0;
  detail::check_driver(api.cuMemGetAllocationGranularity(&granularity, &prop,
                                                         CU_MEM_ALLOC_GRANULARITY_MINIMUM),
                       "cuMemGetAllocationGranularity");
  const std::uint64_t rounded = round_up(size, granularity, "size");

  auto state = std::make_shared<detail::SharedAllocationState>();
  state->device = ordinal;
  state->size = rounded;
  state->uuid = Device::get(ordinal).uuid;
  const std::string detail = std::to_string(rounded) + " bytes on device " + std::to_string(ordinal);
  detail::check_driver(api.cuMemCreate(&state->allocation, rounded, &prop, 0), "cuMemCreate", detail);
  detail::check_driver(api.cuMemAddressReserve(&state->address, rounded, 0, 0, 0),
                       "cuMemAddressReserve", detail);
  detail::check_driver(api.cuMemMap(state->address, rounded, 0, state->allocation, 0), "cuMemMap",
                       detail);
  state->mapped = true;
  CUmemAccessDesc access{};
  access.location = prop.location;
  access.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  detail::check_driver(api.cuMemSetAccess(state->address, rounded, &access, 1), "cuMemSetAccess",
                       detail);
  SharedAllocation allocation;
  allocation.state_ = std::move(state);
  return allocation;
}

SharedAllocation::SharedAllocation() noexcept = default;
SharedAllocation::~SharedAllocation() = default;
SharedAllocation::SharedAllocation(SharedAllocation&&) noexcept = default;
SharedAllocation& SharedAllocation::operator=(SharedAllocation&&) noexcept = default;
void SharedAllocation::close() noexcept { state_.reset(); }

const detail::SharedAllocationState& SharedAllocation::live() const {
  if (!state_) throw ClosedError("SharedAllocation is closed");
  return *state_;
}

DeviceSpan SharedAllocation::span() const {
  const auto& state = live();
  return DeviceSpan(reinterpret_cast<void*>(state.address), state.size, state.device, state_);
}

MemoryShare SharedAllocation::export_share() const {
  MemoryShare share;
#ifdef _WIN32
  share.type = MemoryHandleType::OpaqueWin32;
  share.handle = SharedHandle::win32(export_win32().release(), true);
#else
  share.type = MemoryHandleType::OpaqueFd;
  share.handle = SharedHandle::fd(export_fd().release(), true);
#endif
  share.size = live().size;
  share.device.uuid = live().uuid;
  return share;
}
std::uint64_t SharedAllocation::size() const { return live().size; }
int SharedAllocation::device() const { return live().device; }

#ifdef _WIN32
UniqueWin32Handle SharedAllocation::export_win32() const {
  void* handle = nullptr;
  detail::check_driver(detail::DriverApi::get().cuMemExportToShareableHandle(
                           &handle, live().allocation, CU_MEM_HANDLE_TYPE_WIN32, 0),
                       "cuMemExportToShareableHandle");
  return UniqueWin32Handle(handle);
}
#else
UniqueFd SharedAllocation::export_fd() const {
  int fd = -1;
  detail::check_driver(detail::DriverApi::get().cuMemExportToShareableHandle(
                           &fd, live().allocation, CU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR, 0),
                       "cuMemExportToShareableHandle");
  return UniqueFd(fd);
}
#endif

}  // namespace cuda_interop
