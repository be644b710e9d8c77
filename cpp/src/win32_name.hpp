// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checks on the name of a named NT handle, shared by memory and semaphore imports. Private.

#include <string>

#include "cuda_interop/error.hpp"
#include "cuda_interop/external_memory.hpp"

namespace cuda_interop::detail {

/// InvalidArgument unless `name` is a non-empty UTF-16 name of at most MAX_PATH characters
/// without NUL (CUDA reads it as a NUL-terminated string).
inline void validate_win32_name(const std::u16string& name) {
  if (name.empty()) throw InvalidArgument("name must not be empty");
  if (name.size() > max_win32_name_length) {
    throw InvalidArgument("name is " + std::to_string(name.size()) + " characters; at most " +
                          std::to_string(max_win32_name_length) + " are allowed");
  }
  if (name.find(u'\0') != std::u16string::npos) throw InvalidArgument("name contains a NUL");
}

}  // namespace cuda_interop::detail
