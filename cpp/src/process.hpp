// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which process created an object: a forked child must not free its parent's CUDA objects.

#ifdef _WIN32
#include <process.h>
#else
#include <unistd.h>
#endif

namespace cuda_interop::detail {

using ProcessId = long;

inline ProcessId current_process() noexcept {
#ifdef _WIN32
  return static_cast<ProcessId>(_getpid());
#else
  return static_cast<ProcessId>(::getpid());
#endif
}

/// True in the process that created an object stamped with `owner`; false in a forked child.
inline bool is_owner(ProcessId owner) noexcept { return owner == current_process(); }

}  // namespace cuda_interop::detail
