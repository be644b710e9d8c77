// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Which process created an object: a forked child must not free its parent's CUDA or Vulkan
/// objects, nor use them.

namespace cuda_interop {

using ProcessId = long;

/// This process's id. Cached (a fork handler renews it in the child), so it costs no system
/// call on the paths that check it every time.
ProcessId current_process() noexcept;

/// True in the process that created an object stamped with `owner`; false in a forked child.
inline bool is_owner(ProcessId owner) noexcept { return owner == current_process(); }

}  // namespace cuda_interop
