// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/device.hpp"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "cuda_check.hpp"
#include "cuda_interop/error.hpp"
#include "driver_api.hpp"

namespace cuda_interop {
namespace {

Device describe(int ordinal) {
  cudaDeviceProp prop{};
  CUDA_INTEROP_CHECK(cudaGetDeviceProperties(&prop, ordinal), "device " + std::to_string(ordinal));
  Device device;
  device.ordinal = ordinal;
  device.name = prop.name;
  std::memcpy(device.uuid.data(), prop.uuid.bytes, device.uuid.size());
#ifdef _WIN32
  Luid luid{};
  std::memcpy(luid.data(), prop.luid, luid.size());
  if (std::any_of(luid.begin(), luid.end(), [](std::uint8_t b) { return b != 0; })) {
    device.luid = luid;
    device.node_mask = prop.luidDeviceNodeMask;
  }
#endif
  device.pci_domain = prop.pciDomainID;
  device.pci_bus = prop.pciBusID;
  device.pci_device = prop.pciDeviceID;
  device.compute_capability_major = prop.major;
  device.compute_capability_minor = prop.minor;
  device.total_memory = prop.totalGlobalMem;
  return device;
}

}  // namespace

int device_count() {
  int count = 0;
  CUDA_INTEROP_CHECK(cudaGetDeviceCount(&count));
  return count;
}

int current_device() {
  int ordinal = 0;
  CUDA_INTEROP_CHECK(cudaGetDevice(&ordinal));
  return ordinal;
}

int resolve_device(int ordinal) {
  if (ordinal < 0) return current_device();
  const int count = device_count();
  if (ordinal >= count) {
    throw InvalidArgument("device " + std::to_string(ordinal) + " does not exist (" +
                          std::to_string(count) + " CUDA device(s))");
  }
  return ordinal;
}

int driver_version() {
  int version = 0;
  if (cudaDriverGetVersion(&version) != cudaSuccess) return 0;
  return version;
}

int runtime_version() { return CUDART_VERSION; }

std::string minimum_driver_version() {
  // The first driver of each major release (its GA driver); newer minor runtimes run on it.
#if CUDART_VERSION >= 14000
#error "add the minimum driver of this CUDA major release"
#elif CUDART_VERSION >= 13000
#ifdef _WIN32
  return "580.88";
#else
  return "580.65.06";
#endif
#elif CUDART_VERSION >= 12000
#ifdef _WIN32
  return "527.41";
#else
  return "525.60.13";
#endif
#else
#error "cuda-interop needs a CUDA 12 or newer runtime"
#endif
}

unsigned driver_entry_point_version() { return detail::driver_entry_point_version(); }

std::vector<std::string> driver_entry_point_names() { return detail::driver_entry_point_names(); }

MemoryInfo memory_info(int ordinal) {
  DeviceGuard guard(resolve_device(ordinal));
  std::size_t free = 0, total = 0;
  CUDA_INTEROP_CHECK(cudaMemGetInfo(&free, &total));
  return {free, total};
}

Device Device::get(int ordinal) {
  if (ordinal < 0) throw InvalidArgument("device ordinal must be >= 0");
  return describe(resolve_device(ordinal));
}

std::vector<Device> Device::all() {
  std::vector<Device> devices;
  const int count = device_count();
  for (int ordinal = 0; ordinal < count; ++ordinal) devices.push_back(describe(ordinal));
  return devices;
}

Device Device::from_uuid(const Uuid& uuid) {
  for (Device& device : all()) {
    if (device.uuid == uuid) return device;
  }
  throw InvalidArgument("no CUDA device has the given UUID");
}

Device Device::from_luid(const Luid& luid) {
  for (Device& device : all()) {
    if (device.luid == luid) return device;
  }
  throw InvalidArgument("no CUDA device has the given LUID (LUIDs exist only on Windows/WDDM)");
}

namespace {

/// Device identities never change in a process: look them up once.
const std::vector<Device>& known_devices() {
  static std::mutex mutex;
  static std::vector<Device> devices;
  std::lock_guard<std::mutex> lock(mutex);
  if (devices.empty()) devices = Device::all();
  return devices;
}

std::string hex(const std::uint8_t* bytes, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 0xF];
  }
  return text;
}

}  // namespace

int resolve_device(int ordinal, const std::optional<Uuid>& uuid, const std::optional<Luid>& luid) {
  if (!uuid && !luid) return resolve_device(ordinal);
  const std::vector<Device>& devices = known_devices();
  const auto made_here = [&](const Device& device) {
    return uuid ? device.uuid == *uuid : device.luid == luid;
  };
  const std::string identity =
      uuid ? "UUID " + hex(uuid->data(), uuid->size()) : "LUID " + hex(luid->data(), luid->size());
  if (ordinal < 0) {
    for (const Device& device : devices) {
      if (made_here(device)) return device.ordinal;
    }
    throw InvalidArgument("the object was made on the device with " + identity +
                          ", which is no CUDA device of this process");
  }
  const int resolved = resolve_device(ordinal);
  if (!made_here(devices.at(static_cast<std::size_t>(resolved)))) {
    throw InvalidArgument("the object was made on the device with " + identity +
                          ", not on CUDA device " + std::to_string(resolved) +
                          "; CUDA imports only on the device that made it");
  }
  return resolved;
}

DeviceGuard::DeviceGuard(int ordinal) : previous_(current_device()), switched_(false) {
  if (previous_ != ordinal) {
    CUDA_INTEROP_CHECK(cudaSetDevice(ordinal), "device " + std::to_string(ordinal));
    switched_ = true;
  }
}

DeviceGuard::~DeviceGuard() {
  if (switched_) CUDA_INTEROP_TEARDOWN(cudaSetDevice(previous_));
}

}  // namespace cuda_interop
