// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/share.hpp"

#include <string>
#include <utility>

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/error.hpp"

namespace cuda_interop {
namespace {

void close_owned(SharedHandle::Kind kind, std::intptr_t value) noexcept {
#ifndef _WIN32
  if (kind == SharedHandle::Kind::Fd) UniqueFd(static_cast<int>(value)).reset();
#endif
  if (kind == SharedHandle::Kind::Win32) UniqueWin32Handle(reinterpret_cast<void*>(value)).reset();
}

/// The form a handle of `kind` has, for matching against the handle type's form.
bool matches(SharedHandle::Kind kind, HandleForm form) noexcept {
  switch (form) {
    case HandleForm::Fd: return kind == SharedHandle::Kind::Fd;
    case HandleForm::NtHandle:
      return kind == SharedHandle::Kind::Win32 || kind == SharedHandle::Kind::Name;
    case HandleForm::KmtHandle:
    case HandleForm::NvSciObject: return kind == SharedHandle::Kind::Address;
  }
  return false;
}

const char* describe(HandleForm form) noexcept {
  switch (form) {
    case HandleForm::Fd: return "a file descriptor";
    case HandleForm::NtHandle: return "an NT handle or a name";
    case HandleForm::KmtHandle: return "a KMT handle";
    case HandleForm::NvSciObject: return "an NvSci object";
  }
  return "a handle";
}

const char* platform_hint(HandleForm form) noexcept {
  switch (form) {
    case HandleForm::Fd: return "file descriptors are not importable on Windows; use a Win32 handle";
    case HandleForm::NtHandle:
    case HandleForm::KmtHandle: return "handles exist only on Windows";
    case HandleForm::NvSciObject:
      return "NvSci objects exist only on NVIDIA Tegra/DRIVE platforms (aarch64 Linux)";
  }
  return "not supported here";
}

/// The checks every share shares: a live handle of the type's form, on a platform that has it.
template <typename Type>
void validate_handle(Type type, const SharedHandle& handle) {
  check_known(type);
  const HandleForm form = form_of(type);
  if (handle.kind() == SharedHandle::Kind::Empty) {
    throw ClosedError(std::string(to_string(type)) + ": the share's handle was closed or given away");
  }
  if (!matches(handle.kind(), form)) {
    throw InvalidArgument(std::string(to_string(type)) + " is imported from " + describe(form));
  }
  if (!platform_has(form)) {
    throw NotSupported(std::string(to_string(type)) + ": " + platform_hint(form));
  }
#ifndef _WIN32
  if (handle.kind() == SharedHandle::Kind::Fd && !fd_is_open(static_cast<int>(handle.value()))) {
    throw InvalidArgument("fd " + std::to_string(handle.value()) + " is not open");
  }
#endif
}

}  // namespace

SharedHandle::SharedHandle(SharedHandle&& other) noexcept
    : kind_(std::exchange(other.kind_, Kind::Empty)),
      owned_(std::exchange(other.owned_, false)),
      value_(std::exchange(other.value_, 0)),
      name_(std::move(other.name_)),
      keep_alive_(std::move(other.keep_alive_)) {}

SharedHandle& SharedHandle::operator=(SharedHandle&& other) noexcept {
  if (this != &other) {
    close();
    kind_ = std::exchange(other.kind_, Kind::Empty);
    owned_ = std::exchange(other.owned_, false);
    value_ = std::exchange(other.value_, 0);
    name_ = std::move(other.name_);
    keep_alive_ = std::move(other.keep_alive_);
  }
  return *this;
}

SharedHandle SharedHandle::fd(int fd, bool owned) {
  if (fd < 0) throw InvalidArgument("fd must be >= 0, got " + std::to_string(fd));
#ifndef _WIN32
  // A number nobody holds now may be another file's by the time this would close it.
  if (!fd_is_open(fd)) throw InvalidArgument("fd " + std::to_string(fd) + " is not open");
#endif
  SharedHandle handle;
  handle.kind_ = Kind::Fd;
  handle.owned_ = owned;
  handle.value_ = fd;
  return handle;
}

SharedHandle SharedHandle::win32(void* value, bool owned) {
  if (value == nullptr) throw InvalidArgument("handle must not be NULL");
  SharedHandle handle;
  handle.kind_ = Kind::Win32;
  handle.owned_ = owned;
  handle.value_ = reinterpret_cast<std::intptr_t>(value);
  return handle;
}

SharedHandle SharedHandle::name(std::u16string name, UniqueWin32Handle keep_alive) {
  if (name.empty()) throw InvalidArgument("name must not be empty");
  if (name.size() > max_win32_name_length) {
    throw InvalidArgument("name is " + std::to_string(name.size()) + " characters; at most " +
                          std::to_string(max_win32_name_length) + " are allowed");
  }
  if (name.find(u'\0') != std::u16string::npos) throw InvalidArgument("name contains a NUL");
  SharedHandle handle;
  handle.kind_ = Kind::Name;
  handle.name_ = std::move(name);
  handle.keep_alive_ = std::move(keep_alive);
  return handle;
}

SharedHandle SharedHandle::address(void* value) {
  if (value == nullptr) throw InvalidArgument("handle must not be NULL");
  SharedHandle handle;
  handle.kind_ = Kind::Address;
  handle.value_ = reinterpret_cast<std::intptr_t>(value);
  return handle;
}

SharedHandle SharedHandle::from_integer(HandleForm form, std::int64_t value, bool owned) {
  if (form == HandleForm::Fd) {
    const int number = fd_argument(value);
#ifndef _WIN32
    if (!fd_is_open(number)) {
      throw InvalidArgument("handle " + std::to_string(number) +
                            " is not an open file descriptor (closed, or never opened)");
    }
    const std::string never = fd_never_share(number);
    if (!never.empty()) {
      throw InvalidArgument("handle " + std::to_string(number) + " is " + never +
                            ", not an exported memory or semaphore handle");
    }
#endif
    return fd(number, owned);
  }
  void* pointer = handle_argument(value);
  return form == HandleForm::NtHandle ? win32(pointer, owned) : address(pointer);
}

SharedHandle SharedHandle::from_name(HandleForm form, std::u16string value) {
  if (form != HandleForm::NtHandle) {
    throw InvalidArgument(std::string("only NT handles can be opened by name, not ") +
                          describe(form));
  }
  return name(std::move(value));
}

std::intptr_t SharedHandle::value() const {
  if (kind_ == Kind::Empty) throw ClosedError("the shared handle was closed or given away");
  return value_;
}

std::intptr_t SharedHandle::release() noexcept {
  const std::intptr_t value = value_;
  if (owned_) {
    kind_ = Kind::Empty;
    owned_ = false;
    value_ = 0;
  }
  return value;
}

void SharedHandle::close() noexcept {
  if (owned_) close_owned(kind_, value_);
  kind_ = Kind::Empty;
  owned_ = false;
  value_ = 0;
  name_.clear();
  keep_alive_.reset();
}

void MemoryShare::validate() const {
  check_known(type);
  if (size == 0) throw InvalidArgument("size must be > 0, got 0");
  if (requires_dedicated(type) && !dedicated) {
    throw InvalidArgument(std::string(to_string(type)) +
                          " must be imported as dedicated (cudaExternalMemoryDedicated)");
  }
  if (type == MemoryHandleType::NvSciBuf && dedicated) {
    throw InvalidArgument("NvSciBuf memory is never imported as dedicated");
  }
  if (image) {
    image->validate();
    image->check_inside(size, "allocation");
  }
  validate_handle(type, handle);
}

void SemaphoreShare::validate() const { validate_handle(type, handle); }

}  // namespace cuda_interop
