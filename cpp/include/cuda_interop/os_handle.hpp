// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Move-only owners of operating-system handles: a POSIX file descriptor and a Win32 NT handle.

#include <cstddef>
#include <string>

namespace cuda_interop {

#ifndef _WIN32
/// Owns a file descriptor and closes it. Empty state: -1.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(std::nullptr_t) = delete;
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  /// Gives up ownership without closing.
  [[nodiscard]] int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  /// Closes the owned descriptor (errors are reported as warnings) and takes `fd`.
  void reset(int fd = -1) noexcept;
  /// A new close-on-exec descriptor for the same open file; OsError on failure.
  static UniqueFd duplicate(int fd);

 private:
  int fd_ = -1;
};

/// Identity of an open file (device and inode), to tell whether a descriptor number still refers
/// to the same file after a call that may have closed it.
struct FileIdentity {
  unsigned long long device = 0;
  unsigned long long inode = 0;
  bool operator==(const FileIdentity& other) const noexcept {
    return device == other.device && inode == other.inode;
  }
  /// fstat of `fd`; empty identity (all zero) when the descriptor is not open.
  static FileIdentity of(int fd) noexcept;
};

/// Whether `fd` is an open descriptor of this process.
bool fd_is_open(int fd) noexcept;

/// What `fd` is when it can never be exported memory ("a pipe", "a socket", "a directory"), or
/// nullptr. A driver given such an fd may block reading it, so importers refuse them first.
const char* fd_never_memory(int fd) noexcept;

/// What `fd` is when it can never be an exported memory object or semaphore ("an eventfd",
/// "a pipe", "/dev/null, a character device"), or an empty string. Refuses a known-bad list,
/// never allows a known-good one: exporters hand out memfds, dma-bufs, sync files, anonymous
/// inodes and character devices of their own (NVIDIA's under /dev/nvidia*), and a list of
/// those would refuse the next driver's. The kinds told by name need Linux's /proc/self/fd.
std::string fd_never_share(int fd);
#endif

/// Owns a Win32 NT handle (HANDLE as void*) and closes it with CloseHandle. Empty state: nullptr.
/// Elsewhere than Windows it only holds the value; closing is a no-op.
class UniqueWin32Handle {
 public:
  UniqueWin32Handle() noexcept = default;
  explicit UniqueWin32Handle(void* handle) noexcept : handle_(handle) {}
  UniqueWin32Handle(int) = delete;
  UniqueWin32Handle(std::nullptr_t) = delete;
  ~UniqueWin32Handle() { reset(); }
  UniqueWin32Handle(UniqueWin32Handle&& other) noexcept : handle_(other.release()) {}
  UniqueWin32Handle& operator=(UniqueWin32Handle&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueWin32Handle(const UniqueWin32Handle&) = delete;
  UniqueWin32Handle& operator=(const UniqueWin32Handle&) = delete;

  void* get() const noexcept { return handle_; }
  explicit operator bool() const noexcept { return handle_ != nullptr; }
  [[nodiscard]] void* release() noexcept {
    void* handle = handle_;
    handle_ = nullptr;
    return handle;
  }
  /// Closes the owned handle (errors are reported as warnings) and takes `handle`.
  void reset(void* handle = nullptr) noexcept;

 private:
  void* handle_ = nullptr;
};

/// Closes a Win32 handle now; OsError naming CloseHandle on failure. Windows only.
void close_win32_handle(void* handle);

}  // namespace cuda_interop
