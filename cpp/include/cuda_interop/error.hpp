// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Error types of the C++ core. Every failure is one of these; none carries a bare code.

#include <functional>
#include <stdexcept>
#include <string>

namespace cuda_interop {

/// Base of every error the core throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A CUDA runtime or driver call failed. `what()` reads
/// "cudaImportExternalMemory failed: cudaErrorInvalidValue (invalid argument); <detail>".
class CudaError : public Error {
 public:
  CudaError(int code, std::string name, std::string description, std::string call,
            std::string detail = {});
  int code() const noexcept { return code_; }
  const std::string& name() const noexcept { return name_; }
  const std::string& call() const noexcept { return call_; }

 private:
  int code_;
  std::string name_;
  std::string call_;
};

/// An argument was rejected before any CUDA call saw it.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// The platform, driver or build cannot do what was asked.
class NotSupported : public Error {
 public:
  using Error::Error;
};

/// The object was closed (or moved from) and cannot be used any more.
class ClosedError : public Error {
 public:
  using Error::Error;
};

/// A host wait ran out of time (the work it waited for goes on).
class TimeoutError : public Error {
 public:
  using Error::Error;
};

/// An operating-system call failed; `code()` is errno on POSIX and GetLastError()/HRESULT on Windows.
class OsError : public Error {
 public:
  OsError(long code, const std::string& call, const std::string& message);
  long code() const noexcept { return code_; }

 private:
  long code_;
};

/// Throws OsError for errno after a failed POSIX call.
[[noreturn]] void throw_errno(const std::string& call);

/// Teardown never throws: failures there are reported through this handler.
/// The default handler writes to stderr; the Python bindings route it to `warnings`.
using WarningHandler = std::function<void(const std::string&)>;
void set_warning_handler(WarningHandler handler);
void warn(const std::string& message) noexcept;

/// Long host waits (queue work, semaphores) wait in short slices and call this check between
/// them, so that the host application can interrupt them: the check throws to abort the wait
/// (the Python bindings raise KeyboardInterrupt on Ctrl-C). By default there is none.
using InterruptCheck = std::function<void()>;
void set_interrupt_check(InterruptCheck check);
/// Calls the interrupt check, if any; whatever it throws propagates.
void check_interrupt();

}  // namespace cuda_interop
