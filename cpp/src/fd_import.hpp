// SPDX-License-Identifier: Apache-2.0
#pragma once
// Importing a file descriptor into CUDA without ever risking the caller's fd. Private.

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_interop/error.hpp"
#include "cuda_interop/os_handle.hpp"

namespace cuda_interop::detail {

#ifndef _WIN32
/// Calls `import(duplicate)` with a duplicate of `fd` and settles ownership (DESIGN rule 1):
/// CUDA owns the duplicate after a successful import; after a failed one the duplicate is
/// closed only if it still refers to the same open file (CUDA closed some on failure, and the
/// number may already belong to another file). With `take_ownership` the caller's fd is closed
/// after success only. Returns CUDA's status; throws only for OS failures before the import.
template <typename Import>
cudaError_t import_duplicate(int fd, bool take_ownership, Import&& import) {
  if (fd < 0) throw InvalidArgument("fd must be >= 0, got " + std::to_string(fd));
  if (!fd_is_open(fd)) throw InvalidArgument("fd " + std::to_string(fd) + " is not open");
  const FileIdentity identity = FileIdentity::of(fd);
  UniqueFd copy = UniqueFd::duplicate(fd);
  const cudaError_t status = import(copy.get());
  if (status == cudaSuccess || !(FileIdentity::of(copy.get()) == identity)) {
    (void)copy.release();  // CUDA's now, or no longer ours to close
  }
  if (status == cudaSuccess && take_ownership) UniqueFd(fd).reset();
  return status;
}
#endif

}  // namespace cuda_interop::detail
