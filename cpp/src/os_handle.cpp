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
