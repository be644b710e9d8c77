// SPDX-License-Identifier: Apache-2.0
#pragma once
/// CUDA devices: identity (UUID, LUID, PCI location) for matching graphics adapters, and a scoped
/// guard that makes a device current.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cuda_interop/identity.hpp"

namespace cuda_interop {

/// A CUDA device as the runtime describes it.
struct Device {
  int ordinal = 0;
  std::string name;
  Uuid uuid{};
  /// Present on Windows (WDDM) only: CUDA leaves LUID undefined on Linux and TCC.
  std::optional<Luid> luid;
  unsigned node_mask = 0;
  int pci_domain = 0;
  int pci_bus = 0;
  int pci_device = 0;
  int compute_capability_major = 0;
  int compute_capability_minor = 0;
  std::uint64_t total_memory = 0;

  /// The device with this ordinal; InvalidArgument if out of range.
  static Device get(int ordinal);
  /// The device whose UUID matches; InvalidArgument if none does.
  static Device from_uuid(const Uuid& uuid);
  /// The device whose LUID matches; InvalidArgument if none does.
  static Device from_luid(const Luid& luid);
  /// Every CUDA device, in ordinal order.
  static std::vector<Device> all();
};

/// Number of CUDA devices; throws CudaError when no driver is usable.
int device_count();
/// The calling thread's current device.
int current_device();
/// Resolves a requested device: a negative ordinal means the current device. Validates the range.
int resolve_device(int ordinal);
/// Resolves the device to import an object on that was made on the device with `uuid` (or, on
/// Windows, `luid`): that device when `ordinal` < 0, else `ordinal` after checking it is that
/// device (InvalidArgument otherwise). Without an identity, as resolve_device(ordinal).
int resolve_device(int ordinal, const std::optional<Uuid>& uuid, const std::optional<Luid>& luid);
/// Free and total bytes of device memory (cudaMemGetInfo on `ordinal`).
struct MemoryInfo {
  std::uint64_t free = 0;
  std::uint64_t total = 0;
};
MemoryInfo memory_info(int ordinal);
/// CUDA driver version as cudaDriverGetVersion reports it (e.g. 13000); 0 without a driver.
int driver_version();
/// Version of the CUDA runtime this package was built with.
int runtime_version();
/// The oldest driver that runs this build (CUDA minor-version compatibility: any 12.x runtime
/// runs on CUDA 12.0's driver), for this platform, e.g. "525.60.13".
std::string minimum_driver_version();
/// The CUDA version whose ABI the core asks the driver's entry points for (12000), and their names.
unsigned driver_entry_point_version();
std::vector<std::string> driver_entry_point_names();

/// Makes `ordinal` current for its scope and restores the previous device. Not copyable, not
/// movable, no empty state; teardown never throws.
class DeviceGuard {
 public:
  explicit DeviceGuard(int ordinal);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;
  DeviceGuard(DeviceGuard&&) = delete;
  DeviceGuard& operator=(DeviceGuard&&) = delete;

 private:
  int previous_;
  bool switched_;
};

}  // namespace cuda_interop
