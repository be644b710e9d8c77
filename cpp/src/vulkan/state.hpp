// SPDX-License-Identifier: Apache-2.0
#pragma once
// The shared state behind the public handles. A child holds its parent (resource -> device ->
// instance), so whatever exists can still be destroyed correctly.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "cuda_interop/os_handle.hpp"
#include "cuda_interop/process.hpp"
#include "cuda_interop/vulkan/context.hpp"
#include "cuda_interop/vulkan/image.hpp"
#include "dispatch.hpp"
#include "loader.hpp"

namespace cuda_interop::vulkan {

struct SemaphoreResource;

namespace detail {

/// Throws VulkanError naming `call` unless `result` is VK_SUCCESS.
void check(VkResult result, const char* call);

/// Throws NotSupported in a forked child (the objects belong to the process that created them),
/// and VulkanError(VK_ERROR_DEVICE_LOST) naming `call` when the device was lost earlier: every
/// operation that would reach the driver refuses before it does.
void refuse_unless_usable(const DeviceState& device, const char* call);

/// The handle types this platform exports and imports.
#ifdef _WIN32
inline constexpr VkExternalMemoryHandleTypeFlagBits memory_handle_type =
    VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_WIN32_BIT;
inline constexpr VkExternalSemaphoreHandleTypeFlagBits semaphore_handle_type =
    VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
inline constexpr const char* memory_extension = "VK_KHR_external_memory_win32";
inline constexpr const char* semaphore_extension = "VK_KHR_external_semaphore_win32";
#else
inline constexpr VkExternalMemoryHandleTypeFlagBits memory_handle_type =
    VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
inline constexpr VkExternalSemaphoreHandleTypeFlagBits semaphore_handle_type =
    VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
inline constexpr const char* memory_extension = "VK_KHR_external_memory_fd";
inline constexpr const char* semaphore_extension = "VK_KHR_external_semaphore_fd";
#endif

/// The instance and its function table.
struct InstanceState {
  VkInstance instance = VK_NULL_HANDLE;
  std::uint32_t api_version = 0;
  InstanceFunctions fn;
  ProcessId creator = current_process();

  /// Creates an instance for the newest of Vulkan 1.2 / 1.1 that the loader offers.
  static std::shared_ptr<InstanceState> create();
  /// The process's instance, created on first use and kept until exit. Creating and destroying
  /// instances repeatedly exhausts some drivers (NVIDIA's headless EGL driver fails
  /// vkCreateInstance after a few dozen), and one instance serves every context.
  static std::shared_ptr<InstanceState> shared();
  ~InstanceState();
};

/// Describes every physical device of `instance`.
std::vector<PhysicalDeviceInfo> describe_physical_devices(const InstanceState& instance,
                                                          std::vector<VkPhysicalDevice>* handles);

/// Submitted work, with what it uses, until it completes: the queue's progress semaphore reaches
/// `value` (or, on devices without timeline semaphores, `fence` signals).
struct InFlight {
  std::uint64_t value = 0;
  VkFence fence = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  std::vector<std::shared_ptr<const void>> keep_alive;
  /// The semaphores it waits for (kept alive by `keep_alive`) with their timeline values (0 for
  /// binary ones): what teardown releases or abandons when nobody signals them.
  std::vector<std::pair<SemaphoreResource*, std::uint64_t>> waits;
};

}  // namespace detail

/// The logical device, its queue and command pool. `mutex` serialises the queue, the pool, the
/// command buffers and the list of work in flight (Vulkan requires external synchronisation).
/// Completion is tracked on one internal timeline semaphore, `progress`: the n-th submission
/// signals it to n, so finished work is found with one counter read and no fence per submission;
/// finished command buffers are reset and reused.
struct DeviceState {
  std::shared_ptr<detail::InstanceState> instance;
  VkPhysicalDevice physical_device = VK_NULL_HANDLE;
  PhysicalDeviceInfo info;
  Features features;
  VkPhysicalDeviceMemoryProperties memory_properties{};
  VkDevice device = VK_NULL_HANDLE;
  detail::DeviceFunctions fn;
  std::uint32_t queue_family = 0;
  VkQueue queue = VK_NULL_HANDLE;
  VkCommandPool command_pool = VK_NULL_HANDLE;
  VkSemaphore progress = VK_NULL_HANDLE;  // null without timeline semaphores: fences then
  /// How far a timeline value signalled or waited for may be from the semaphore's counter
  /// (VkPhysicalDeviceTimelineSemaphoreProperties::maxTimelineSemaphoreValueDifference).
  std::uint64_t max_timeline_difference = 0;
  std::mutex mutex;
  std::uint64_t submitted = 0;  // the progress value of the last submission
  std::deque<detail::InFlight> in_flight;
  std::vector<VkCommandBuffer> idle_commands;
  std::atomic<bool> lost{false};  // VK_ERROR_DEVICE_LOST was seen: later calls fail at once
  std::atomic<const char*> lost_in{nullptr};  // the call that first reported it
  ProcessId creator = current_process();

  DeviceState() = default;
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;
  ~DeviceState();

  /// Whether Vulkan objects may be destroyed from here (not in a forked child).
  bool owned() const noexcept { return is_owner(creator); }
  /// Releases finished work; the caller holds `mutex`. `reached_value`, when not 0, is a
  /// progress value known to be reached (no need to read the counter).
  void reap_locked(std::uint64_t reached_value = 0) noexcept;
  /// Whether every submission up to progress value `value` has completed.
  bool reached(std::uint64_t value);
  /// Waits (interruptibly, without the mutex) until submission `value` has completed; false when
  /// `timeout_ns` passed first.
  bool wait_for(std::uint64_t value, std::uint64_t timeout_ns);
  /// Waits for all work submitted so far and releases it; false on timeout.
  bool wait_idle(std::uint64_t timeout_ns);
  /// Finishes the work in flight for teardown within about half a second, never throws. Work
  /// waiting for the context's timeline semaphores at values nobody signals is released by
  /// signalling them from the host; what still cannot finish (a binary semaphore nobody signals)
  /// is abandoned: it stays in flight with what it uses, a leak rather than a crash, and
  /// returns false. Work running without waits gets the old bound of 10 s. Each release or
  /// abandonment is reported through warn(), naming what it was. On a lost device the work is
  /// abandoned (see abandon()) and true returned: nothing of it runs any more.
  bool settle() noexcept;
  /// Remembers that `call` returned VK_ERROR_DEVICE_LOST.
  void mark_lost(const char* call) noexcept;
  /// After a loss: lets vkDeviceWaitIdle return (in finite time on a lost device, as Vulkan
  /// requires), then releases the work in flight and what it kept alive, so that the device and
  /// its objects can be destroyed. Never throws.
  void abandon() noexcept;
};

/// Memory bound to one buffer or image.
struct MemoryBlock {
  VkDeviceMemory memory = VK_NULL_HANDLE;
  std::uint64_t allocation_size = 0;
  std::uint32_t memory_type_index = 0;
  bool dedicated = false;
  bool imported = false;
  bool exportable = false;
};

struct BufferResource {
  std::shared_ptr<DeviceState> device;
  VkBuffer buffer = VK_NULL_HANDLE;
  MemoryBlock memory;
  std::uint64_t size = 0;
  ~BufferResource();
};

struct ImageResource {
  std::shared_ptr<DeviceState> device;
  VkImage image = VK_NULL_HANDLE;
  MemoryBlock memory;
  ImageDesc desc;
  VkImageUsageFlags usage = 0;
  ~ImageResource();
};

struct SemaphoreResource {
  std::shared_ptr<DeviceState> device;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  bool timeline = false;
  bool exportable = false;
  /// Timeline values this process has submitted signals of and that the counter had not reached
  /// when last looked at, ascending (guarded by the device's mutex). A value must exceed them all
  /// to be signalled by the queue, and stay below them to be signalled by the host.
  std::vector<std::uint64_t> pending_signals;
  /// A binary semaphore's signal submitted by this context and not yet waited for (guarded by
  /// the device's mutex). Only this context can signal one that is not exportable, so a wait
  /// with none pending would never end and is refused.
  bool binary_signal_pending = false;
  ~SemaphoreResource();
};

namespace detail {

/// The first memory type in `type_bits` with all of `required`; NotSupported naming `what`.
std::uint32_t find_memory_type(const DeviceState& device, std::uint32_t type_bits,
                               VkMemoryPropertyFlags required, const char* what);

/// Allocates memory for `requirements`, exportable when `exportable`, dedicated to `buffer` or
/// `image` when `dedicated` (exactly one of them non-null then).
MemoryBlock allocate_memory(DeviceState& device, const VkMemoryRequirements& requirements,
                            std::uint32_t memory_type_index, bool exportable, bool dedicated,
                            VkBuffer buffer, VkImage image);

/// Frees memory; for teardown, never throws.
void free_memory(DeviceState& device, MemoryBlock& block) noexcept;

/// Export of device memory through the platform's handle type.
#ifndef _WIN32
UniqueFd export_memory_fd(const DeviceState& device, const MemoryBlock& block);
#endif
UniqueWin32Handle export_memory_win32(const DeviceState& device, const MemoryBlock& block);

/// NotSupported unless the device enabled the platform's external-memory extension.
void require_memory_export(const DeviceState& device);

/// A host-visible, coherent staging buffer (not exportable).
std::shared_ptr<BufferResource> create_staging_buffer(const std::shared_ptr<DeviceState>& device,
                                                      std::uint64_t size);

}  // namespace detail
}  // namespace cuda_interop::vulkan
