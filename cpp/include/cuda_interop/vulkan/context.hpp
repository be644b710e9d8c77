// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The Vulkan side of the interop: an instance, the physical device that is the CUDA device, a
/// logical device with one queue, and what the driver can share.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cuda_interop/identity.hpp"
#include "cuda_interop/vulkan/buffer.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "cuda_interop/vulkan/semaphore.hpp"

namespace cuda_interop::vulkan {

struct DeviceState;

/// A physical device as Vulkan reports it.
struct PhysicalDeviceInfo {
  std::uint32_t index = 0;
  std::string name;
  Uuid uuid{};            ///< VkPhysicalDeviceIDProperties::deviceUUID (compare with CUDA's UUID)
  Uuid driver_uuid{};
  std::string driver_name;  ///< VkPhysicalDeviceDriverProperties (empty before Vulkan 1.2)
  std::string driver_info;
  std::string device_type;  ///< "discrete", "integrated", "virtual", "cpu" or "other"
  std::uint32_t api_version = 0;
  std::uint32_t driver_version = 0;
  std::uint32_t vendor_id = 0;
  std::uint32_t device_id = 0;
};

/// The lowercase hexadecimal form of a UUID in 8-4-4-4-12 groups.
std::string uuid_to_string(const Uuid& uuid);

/// Every physical device the loader reports, in enumeration order. NotSupported without a loader.
std::vector<PhysicalDeviceInfo> physical_devices();

/// What the logical device was created with.
struct Features {
  std::uint32_t api_version = 0;  ///< the device API version in use (instance and device minimum)
  bool external_memory_fd = false;
  bool external_memory_win32 = false;
  bool external_semaphore_fd = false;
  bool external_semaphore_win32 = false;
  bool timeline_semaphore = false;
  bool dedicated_allocation = false;  ///< core since Vulkan 1.1, so always true on a created device
};

/// How to choose the physical device. Exactly one of the two should be set; with neither, the
/// first device is used only when it is the only one (never a silent choice among several).
struct ContextOptions {
  /// Select the device whose deviceUUID equals this CUDA UUID; NotSupported when none does.
  std::optional<Uuid> device_uuid;
  /// Select by enumeration index instead (tests on software drivers).
  std::optional<std::uint32_t> physical_device_index;
};

/// Owns the Vulkan instance, the logical device, its queue and command pool. Move-only. Objects
/// created from it share the device, which lives until the last of them is gone.
/// Buffers from this size on are dedicated allocations by default: a 1 GiB CUDA copy ran at 0.976x
/// cudaMalloc bandwidth on a suballocated Vulkan buffer and at 0.997x on a dedicated one (H200).
inline constexpr std::uint64_t dedicated_from_size = 64ull << 20;

class Context {
 public:
  /// Opens the loader, creates the instance and the device; NotSupported or VulkanError on failure.
  explicit Context(const ContextOptions& options);
  ~Context();
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// Drops this handle's reference after waiting for queued work; idempotent, never throws.
  /// Returns within about half a second when queued work waits for a semaphore nobody signals:
  /// waits on the context's timeline semaphores are released by host signals, and what still
  /// cannot finish is abandoned (leaked with the device); warn() names either.
  void close() noexcept;
  bool closed() const noexcept { return !state_; }

  const PhysicalDeviceInfo& physical_device() const;
  const Features& features() const;

  /// An exportable device-local buffer of `size` bytes (see buffer.hpp). `dedicated` asks for a
  /// dedicated allocation (the driver may also require one); by default buffers of at least
  /// dedicated_from_size bytes get one: CUDA copies reach full bandwidth on them.
  Buffer create_buffer(std::uint64_t size, std::optional<bool> dedicated = std::nullopt);
  /// An exportable optimally tiled image, kept in GENERAL layout (see image.hpp).
  Image create_image(const ImageDesc& desc);
  /// A semaphore; exportable ones need VK_KHR_external_semaphore_fd (or _win32).
  Semaphore create_semaphore(bool timeline, std::uint64_t initial_value = 0, bool exportable = true);
  /// A buffer bound to memory imported from an opaque fd. The fd is duplicated: the caller keeps it.
  Buffer import_buffer_fd(int fd, const BufferImportDesc& desc);
  /// Waits (interruptibly) until every submission made through this device has completed; false
  /// when `timeout_ns` passed first.
  bool wait_idle(std::uint64_t timeout_ns = UINT64_MAX);

  /// The shared device (for the implementation and for tests).
  const std::shared_ptr<DeviceState>& state() const;

 private:
  std::shared_ptr<DeviceState> state_;
};

}  // namespace cuda_interop::vulkan
