// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>

namespace cuda_interop {
namespace {

std::string cuda_message(const std::string& call, const std::string& name,
                         const std::string& description, const std::string& detail) {
  std::string message = call + " failed: " + name + " (" + description + ")";
  if (!detail.empty()) message += "; " + detail;
  return message;
}

std::mutex& warning_mutex() {
  static std::mutex mutex;
  return mutex;
}

WarningHandler& warning_handler() {
  static WarningHandler handler;
  return handler;
}

InterruptCheck& interrupt_check() {
  static InterruptCheck check;
  return check;
}

}  // namespace

CudaError::CudaError(int code, std::string name, std::string description, std::string call,
                     std::string detail)
    : Error(cuda_message(call, name, description, detail)),
      code_(code),
      name_(std::move(name)),
      call_(std::move(call)) {}

OsError::OsError(long code, const std::string& call, const std::string& message)
    : Error(call + " failed: " + message), code_(code) {}

void throw_errno(const std::string& call) {
  const int code = errno;
  throw OsError(code, call, std::strerror(code));
}

void set_warning_handler(WarningHandler handler) {
  std::lock_guard<std::mutex> lock(warning_mutex());
  warning_handler() = std::move(handler);
}

void warn(const std::string& message) noexcept {
  try {
    WarningHandler handler;
    {
      std::lock_guard<std::mutex> lock(warning_mutex());
      handler = warning_handler();
    }
    if (handler) {
      handler(message);
      return;
    }
  } catch (...) {
    // Fall through to stderr: a warning must never escape a destructor.
  }
  std::fprintf(stderr, "cuda_interop warning: %s\n", message.c_str());
}

void set_interrupt_check(InterruptCheck check) {
  std::lock_guard<std::mutex> lock(warning_mutex());
  interrupt_check() = std::move(check);
}

void check_interrupt() {
  InterruptCheck check;
  {
    std::lock_guard<std::mutex> lock(warning_mutex());
    check = interrupt_check();
  }
  if (check) check();
}

}  // namespace cuda_interop
