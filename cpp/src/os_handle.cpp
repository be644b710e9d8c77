// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/os_handle.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include "cuda_interop/error.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sysmacros.h>
#endif
#endif

namespace cuda_interop {

#ifndef _WIN32
void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0 && ::close(fd_) != 0) {
    warn(std::string("close(") + std::to_string(fd_) + ") failed: " + std::strerror(errno));
  }
  fd_ = fd;
}

UniqueFd UniqueFd::duplicate(int fd) {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) throw_errno("fcntl(F_DUPFD_CLOEXEC) of fd " + std::to_string(fd));
  return UniqueFd(copy);
}

FileIdentity FileIdentity::of(int fd) noexcept {
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) return {};
  return {static_cast<unsigned long long>(info.st_dev), static_cast<unsigned long long>(info.st_ino)};
}

bool fd_is_open(int fd) noexcept { return fd >= 0 && ::fcntl(fd, F_GETFD) != -1; }

const char* fd_never_memory(int fd) noexcept {
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) return nullptr;
  if (S_ISFIFO(info.st_mode)) return "a pipe";
  if (S_ISSOCK(info.st_mode)) return "a socket";
  if (S_ISDIR(info.st_mode)) return "a directory";
  return nullptr;
}

namespace {

/// The target of /proc/self/fd/<fd> ("anon_inode:[eventfd]", "/memfd:name (deleted)",
/// "/dev/null"), or empty where there is no /proc.
std::string fd_link(int fd) {
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  char target[4096];
  const ssize_t length = ::readlink(path.c_str(), target, sizeof target);
  if (length <= 0) return {};
  return std::string(target, static_cast<std::size_t>(length));
}

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

/// Anonymous inodes of the kernel's own objects: never exported memory or semaphores.
/// (Exported ones look like "anon_inode:dmabuf", "anon_inode:sync_file" or a driver's own name,
/// and are not listed.)
const char* anonymous_never_share(const std::string& name) {
  static const struct {
    const char* name;
    const char* what;
  } known[] = {
      {"[eventfd]", "an eventfd"},       {"[eventpoll]", "an epoll fd"},
      {"[pidfd]", "a pidfd"},            {"[signalfd]", "a signalfd"},
      {"[timerfd]", "a timerfd"},        {"inotify", "an inotify fd"},
      {"[io_uring]", "an io_uring fd"},  {"[userfaultfd]", "a userfaultfd"},
      {"[fanotify]", "a fanotify fd"},   {"[perf_event]", "a perf event fd"},
  };
  for (const auto& entry : known) {
    if (name == entry.name) return entry.what;
  }
  return nullptr;
}

/// Character devices that are never an exporter's: the memory devices (/dev/null, /dev/zero,
/// /dev/full, /dev/random, /dev/urandom, /dev/kmsg: major 1) and terminals (majors 4, 5 and
/// 136-143). NVIDIA's devices (/dev/nvidia*, major 195 or a dynamic one) are not among them.
bool device_never_share(unsigned long long device) {
#ifdef __linux__
  const unsigned major_number = major(static_cast<dev_t>(device));
  return major_number == 1 || major_number == 4 || major_number == 5 ||
         (major_number >= 136 && major_number <= 143);
#else
  (void)device;
  return false;
#endif
}

}  // namespace

std::string fd_never_share(int fd) {
  if (const char* what = fd_never_memory(fd)) return what;
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) return {};
  if (S_ISLNK(info.st_mode)) return "a symbolic link";
#ifdef O_PATH
  const int status = ::fcntl(fd, F_GETFL);
  if (status != -1 && (status & O_PATH) != 0) return "an O_PATH fd";
#endif
  const std::string link = fd_link(fd);
  if (S_ISCHR(info.st_mode) && device_never_share(static_cast<unsigned long long>(info.st_rdev))) {
    return (link.empty() ? std::string("a terminal or memory device") : link) +
           ", a character device";
  }
  if (link.empty()) return {};  // no /proc: what only the name tells is not checked
  if (S_ISREG(info.st_mode) && !starts_with(link, "/memfd:")) {
    return "a regular file (" + link + ") that is not a memfd";
  }
  if (starts_with(link, "anon_inode:")) {
    if (const char* what = anonymous_never_share(link.substr(11))) return what;
  }
  if (starts_with(link, "pidfd:")) return "a pidfd";  // pidfs (Linux 6.9 and later)
  return {};
}
#endif

#ifdef _WIN32
void UniqueWin32Handle::reset(void* handle) noexcept {
  if (handle_ != nullptr && !::CloseHandle(static_cast<HANDLE>(handle_))) {
    warn("CloseHandle failed during teardown: GetLastError() = " +
         std::to_string(::GetLastError()));
  }
  handle_ = handle;
}

void close_win32_handle(void* handle) {
  if (!::CloseHandle(static_cast<HANDLE>(handle))) {
    const DWORD code = ::GetLastError();
    throw OsError(static_cast<long>(code), "CloseHandle",
                  "GetLastError() = " + std::to_string(code));
  }
}
#else
void UniqueWin32Handle::reset(void* handle) noexcept { handle_ = handle; }

void close_win32_handle(void*) { throw NotSupported("Win32 handles exist only on Windows"); }
#endif

}  // namespace cuda_interop
