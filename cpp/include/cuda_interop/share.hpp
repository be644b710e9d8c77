// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Share descriptors: everything an importer needs to import one exported object into CUDA.
/// Every producer (Vulkan, Direct3D 12, SharedAllocation) hands over one of these; the importers
/// (ExternalMemory::import, ExternalSemaphore::import) and the cross-process channel consume it.

#include <cstdint>
#include <optional>
#include <string>

#include "cuda_interop/array_format.hpp"
#include "cuda_interop/handle_types.hpp"
#include "cuda_interop/identity.hpp"
#include "cuda_interop/os_handle.hpp"

namespace cuda_interop {

/// An exported OS handle: a file descriptor or NT handle (owned, closed with the value, or
/// borrowed from a caller who keeps it), the name of a named NT handle (with the handle that keeps
/// the name alive, if any), or an address that nobody here closes (a KMT handle, an NvSci object).
/// Move-only.
class SharedHandle {
 public:
  enum class Kind { Empty, Fd, Win32, Name, Address };

  SharedHandle() noexcept = default;
  ~SharedHandle() { close(); }
  SharedHandle(SharedHandle&& other) noexcept;
  SharedHandle& operator=(SharedHandle&& other) noexcept;
  SharedHandle(const SharedHandle&) = delete;
  SharedHandle& operator=(const SharedHandle&) = delete;

  /// A file descriptor; closed with this value when `owned`. InvalidArgument when fd < 0 or
  /// not open (a share never owns a number it was not given: closing it would close another
  /// file's).
  static SharedHandle fd(int fd, bool owned);
  /// An NT handle; closed with this value when `owned`. InvalidArgument when NULL.
  static SharedHandle win32(void* handle, bool owned);
  /// A named NT handle (UTF-16; InvalidArgument when empty, over max_win32_name_length or with a
  /// NUL). `keep_alive`, if any, is the handle that keeps the name alive until the import.
  static SharedHandle name(std::u16string name, UniqueWin32Handle keep_alive = {});
  /// An address nobody here closes: a KMT handle or an NvSci object. InvalidArgument when NULL.
  static SharedHandle address(void* value);

  /// A handle of `form` given as an integer (an fd, an NT or KMT handle, an NvSci address);
  /// `owned` applies to fds and NT handles. InvalidArgument when out of range, and for an fd
  /// that is not open or can never be a share (fd_never_share: a pipe, an eventfd, /dev/null).
  static SharedHandle from_integer(HandleForm form, std::int64_t value, bool owned);
  /// A name for a handle of `form`; InvalidArgument unless the form is an NT handle.
  static SharedHandle from_name(HandleForm form, std::u16string name);

  Kind kind() const noexcept { return kind_; }
  bool owned() const noexcept { return owned_; }
  /// The fd (Kind::Fd), the handle (Win32, Address) or 0; ClosedError once closed.
  std::intptr_t value() const;
  /// The name (Kind::Name); empty otherwise.
  const std::u16string& name() const noexcept { return name_; }
  /// Gives up an owned handle without closing it (for passing it on).
  [[nodiscard]] std::intptr_t release() noexcept;
  /// Closes an owned handle; idempotent, never throws.
  void close() noexcept;

 private:
  Kind kind_ = Kind::Empty;
  bool owned_ = false;
  std::intptr_t value_ = 0;
  std::u16string name_;
  UniqueWin32Handle keep_alive_;
};

/// The device an object was created on, as its producer knows it (either may be absent).
struct DeviceIdentity {
  std::optional<Uuid> uuid;
  std::optional<Luid> luid;
};

/// An exported memory object.
struct MemoryShare {
  MemoryHandleType type = MemoryHandleType::OpaqueFd;
  SharedHandle handle;
  std::uint64_t size = 0;  ///< the allocation size the producer reports
  bool dedicated = false;  ///< a dedicated allocation (CUDA must be told)
  DeviceIdentity device;
  std::optional<ImageLayout> image;  ///< for images: how to map them as a mipmapped array

  /// InvalidArgument or NotSupported unless this could be imported here: size > 0, a handle of
  /// the type's form, dedicated where the type requires it, the platform has such handles, a
  /// valid image layout inside the allocation.
  void validate() const;
};

/// An exported semaphore, fence or keyed mutex.
struct SemaphoreShare {
  SemaphoreHandleType type = SemaphoreHandleType::OpaqueFd;
  SharedHandle handle;
  DeviceIdentity device;

  /// InvalidArgument or NotSupported unless this could be imported here.
  void validate() const;
};

}  // namespace cuda_interop
